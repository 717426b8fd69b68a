"""Benchmarks, run by hand (not by the test suite), e.g. `python bench/ingest.py --help`."""
