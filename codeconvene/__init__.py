"""CodeConvene: community data in, community health out."""

__version__ = "0.1.0"
