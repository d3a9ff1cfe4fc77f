"""A tiny package for tests/test_bad_input_discovery.py to prove that the form discovery of tests/bad_input.py
finds every kind of forms module."""
