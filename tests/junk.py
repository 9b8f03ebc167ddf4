"""What a careless reader passes (tests/unit/test_careless_reader.py and chapter 7's junk
sweep), and the words only Python's or numpy's own messages use."""

import numpy as np

JUNK = {
    "None": None,
    "text": "junk",
    "-1": -1,
    "0": 0,
    "2.5": 2.5,
    "True": True,
    "nan": float("nan"),
    "inf": float("inf"),
    "1e300": 1e300,
    "[]": [],
    "object": object(),
    "3-D array": np.zeros((3, 3, 3)),
    "10**12": 10**12,
    "{}": {},
    "-5.0": -5.0,
}

# words that only Python's or numpy's own messages use
RAW = (
    "object has no attribute",
    "not supported between",
    "could not convert",
    "ufunc",
    "object is not",
    "unsupported operand",
    "can't multiply",
    "cannot convert",
    "Errno",
    "only integers, slices",
    "invalid literal",
    "argument must be",
)
