"""Type aliases shared by the public functions.

A formula returns a numpy scalar when its result is 0-dimensional (one cycle,
one store) and an ndarray otherwise, as numpy's own reductions do; these
aliases spell that out for type checkers.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]
BoolArray: TypeAlias = NDArray[np.bool_]
AnyArray: TypeAlias = NDArray[Any]

FloatResult: TypeAlias = np.float64 | FloatArray
IntResult: TypeAlias = np.int64 | IntArray
BoolResult: TypeAlias = np.bool_ | BoolArray
Int8Result: TypeAlias = np.int8 | NDArray[np.int8]

Scalar: TypeAlias = int | float | np.integer[Any] | np.floating[Any]
