"""A tiny package for tests/test_bad_input.py to prove its form discovery finds every kind of forms module."""
