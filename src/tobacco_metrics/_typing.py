"""Type aliases shared by the public functions.

A formula returns a numpy scalar when its result is 0-dimensional (one cycle,
one store) and an ndarray otherwise, as numpy's own reductions do.  The
``*Result`` aliases are typed as ndarrays: a numpy scalar has the read-only
interface of a 0-d array (``shape``, ``dtype``, ``tolist()``, ``astype``,
arithmetic, comparisons), so annotating it as a union would force every
caller to narrow for no gain.  Functions whose inputs are all Python or numpy
scalars have an ``@overload`` returning the precise scalar type; a function
of one array argument gets both signatures at once from
:func:`float_elementwise` (no overloads written out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeAlias, cast, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]
BoolArray: TypeAlias = NDArray[np.bool_]
AnyArray: TypeAlias = NDArray[Any]

FloatResult: TypeAlias = FloatArray
IntResult: TypeAlias = IntArray
BoolResult: TypeAlias = BoolArray
Int8Result: TypeAlias = NDArray[np.int8]

Scalar: TypeAlias = int | float | np.integer[Any] | np.floating[Any]


class FloatElementwise(Protocol):
    """An elementwise function of one argument: a scalar gives numpy.float64, an array an array.

    The argument is positional in this type (the functions keep their own
    parameter names at run time).
    """

    @overload
    def __call__(self, value: Scalar, /) -> np.float64: ...
    @overload
    def __call__(self, value: ArrayLike, /) -> FloatResult: ...


def float_elementwise(func: Callable[[Any], FloatArray]) -> FloatElementwise:
    """Type ``func`` (unchanged at run time) as scalar in → scalar out, array in → array out."""
    return cast(FloatElementwise, func)
