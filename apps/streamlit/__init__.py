"""The Streamlit dashboard: pages stay thin over `queries` (SQL) and `charts` (Plotly)."""
