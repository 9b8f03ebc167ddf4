"""Calculators and data built on the core: the chain rule step by step, gradient checks,
scalar autodiff, 1-D gradient descent, cost measurements, the data sets, and convolution,
pooling and recurrence forward and backward with their shared weights' gradients step by
step (numpy only)."""
