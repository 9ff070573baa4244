"""Tools that measure the product: synthetic data, the benchmarks and the load test.

The product never imports this package; its management commands and the tests do.
"""
