"""Type aliases shared by the public functions.

A formula returns a numpy scalar when its result is 0-dimensional (one cycle,
one store) and an ndarray otherwise, as numpy's own reductions do.  The
``*Result`` aliases are typed as ndarrays: a numpy scalar has the read-only
interface of a 0-d array (``shape``, ``dtype``, ``tolist()``, ``astype``,
arithmetic, comparisons), so annotating it as a union would force every
caller to narrow for no gain.  One annotation per function, for every input:
no ``@overload`` restates a signature to type the scalar case (overloads are
kept for returns whose *kind* changes with an argument, such as
``to_long(frame=...)``).
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]
BoolArray: TypeAlias = NDArray[np.bool_]
AnyArray: TypeAlias = NDArray[Any]

FloatResult: TypeAlias = FloatArray
IntResult: TypeAlias = IntArray
BoolResult: TypeAlias = BoolArray
Int8Result: TypeAlias = NDArray[np.int8]
StrResult: TypeAlias = NDArray[np.str_]
"""Labels: a numpy str scalar at run time for one value, an array of str otherwise."""

Scalar: TypeAlias = int | float | np.integer[Any] | np.floating[Any]
