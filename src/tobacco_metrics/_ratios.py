"""Ratio rules shared by the structure, ledger, segment and visit modules (private).

One masked division and one pooled sum, so that "NaN where there is nothing
to divide by" is written once, and the on-shelf rule (上柜率) once for the
vectorised :func:`~tobacco_metrics.on_shelf_rate` and for the daily report's
:class:`~tobacco_metrics.KeyBrandShelf`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._typing import FloatArray
from tobacco_metrics._validation import normalize_axis


def ratio_or_nan(numerator: ArrayLike, denominator: ArrayLike) -> FloatArray:
    """``numerator / denominator`` where ``denominator > 0``, NaN elsewhere (no warning)."""
    top = np.asarray(numerator, dtype=np.float64)
    bottom = np.asarray(denominator, dtype=np.float64)
    shape = np.broadcast_shapes(top.shape, bottom.shape)
    result = np.full(shape, np.nan, dtype=np.float64)
    np.divide(top, bottom, out=result, where=bottom > 0)
    return result


def pooled_sum(array: NDArray[Any], axis: int | None) -> FloatArray:
    """Σ over ``axis`` in float64; a 0-d array is its own total; None pools everything."""
    if array.ndim == 0:
        return array.astype(np.float64)
    if axis is not None:
        axis = normalize_axis(axis, array.ndim)
    return np.asarray(np.sum(array, axis=axis, dtype=np.float64))


def on_shelf_ratio(on_shelf: ArrayLike, should_carry: ArrayLike) -> FloatArray:
    """The on-shelf rule (上柜率): stores carrying / stores that should; NaN when none should.

    ``on_shelf`` counts only stores that should carry the brand, so the
    ratio lies in [0, 1].
    """
    return ratio_or_nan(on_shelf, should_carry)
