"""Benchmarks: ``make bench`` prints medians and ratios against baselines of the same run."""
