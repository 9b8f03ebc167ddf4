"""Calculators and data built on the core: the chain rule step by step, gradient checks,
scalar autodiff, 1-D gradient descent, cost measurements and the data sets (numpy only)."""
