"""Argument and memory checks: clear errors naming the argument, what was expected and what
was given (the bottom layer; imports nothing of the package)."""
