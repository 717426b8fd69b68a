"""Machine-learning outputs over the marts: sentiment, LLM summaries (and later FAQ, triage).

Everything here reads `marts.*` and writes `ml.*`; nothing imports Dagster, Streamlit or a chat
SDK, so the same functions run from assets, the CLI and tests.
"""
