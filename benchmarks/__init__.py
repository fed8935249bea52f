"""Load and speed benchmarks (see benchmarks/README.md); not part of the test suite."""
