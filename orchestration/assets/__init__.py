"""Assets, one module per layer or source."""
