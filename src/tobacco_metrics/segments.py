"""Customer segments (客户细分) and target customers (目标客户).

Which stores to work on first: :func:`stockout_segment` sorts stores by how
often they run out (A always … D never), :func:`target_customers` picks the
stores in the top volume and structure quantiles.  Both take per-store
numbers computed elsewhere (:func:`~tobacco_metrics.stockout_days`,
:func:`~tobacco_metrics.share_at_or_above`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._results import as_labels
from tobacco_metrics._typing import BoolArray, StrResult
from tobacco_metrics._validation import (
    aligned,
    broadcast_arrays,
    fraction,
    normalize_axis,
    overflow_guard,
    quantities,
    quantities_or_nan,
    refuse_where,
    require_dimension,
    same_shape,
    whole_numbers,
)
from tobacco_metrics.errors import InvalidValueError

__all__ = ["stockout_segment", "target_customers"]

_WHOLE_DAYS = "numbers of days"


# --------------------------------------------------------------------------- segments


def _segment_thresholds(thresholds: object) -> tuple[float, float, float]:
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise TypeError(
            "'thresholds' must be a sequence of three shares (A, B, C), "
            f"got {type(thresholds).__name__}"
        )
    values = tuple(thresholds)
    if len(values) != 3:
        raise InvalidValueError(
            f"'thresholds' must hold three shares (A, B, C), got {len(values)}: {values}"
        )
    a, b, c = (fraction(value, "thresholds") for value in values)
    if not a > b > c:
        raise InvalidValueError(
            f"'thresholds' must be strictly decreasing (A > B > C): {(a, b, c)}"
        )
    return a, b, c


@keeps_labels
def stockout_segment(
    stockout_days: ArrayLike,
    days: ArrayLike,
    *,
    thresholds: tuple[float, float, float] = (0.5, 0.2, 0.0),
) -> StrResult:
    """Stockout segment of each store (客户细分): A always out … D never out.

    Parameters
    ----------
    stockout_days : array_like
        Stockout days (脱销天数) in the period [days], for example from
        :func:`~tobacco_metrics.stockout_days`; whole numbers >= 0.
    days : array_like
        Days in the period [days]; whole numbers > 0, >= ``stockout_days``;
        broadcast against ``stockout_days``.
    thresholds : tuple of three floats, optional
        Lower bounds of the stockout share for A, B and C; in [0, 1],
        strictly decreasing.  Default ``(0.5, 0.2, 0.0)``.

    Returns
    -------
    numpy.str_ or ndarray of str
        Single-letter labels (dtype ``<U1``), the broadcast shape:

        - ``'A'`` always out (一直脱销): share >= ``thresholds[0]``;
        - ``'B'`` often out (经常脱销): share >= ``thresholds[1]``;
        - ``'C'`` sometimes out: share > ``thresholds[2]``;
        - ``'D'`` never out: share <= ``thresholds[2]`` (0 with the defaults).

    Raises
    ------
    InvalidValueError
        Negative or fractional days, ``days <= 0``, ``stockout_days > days``,
        thresholds outside [0, 1] or not strictly decreasing.
    ShapeMismatchError
        ``stockout_days`` and ``days`` do not broadcast together.
    TypeError
        ``thresholds`` is not a sequence of numbers.

    Notes
    -----
    ``share = stockout_days / days``.  The source names A and B and leaves
    the rest to the manager (依次类推, 可以自行设置); the bounds are ours and
    are parameters.  Law: a larger stockout share never gets a later letter.

    Examples
    --------
    >>> stockout_segment([4, 2, 1, 0], 7).tolist()
    ['A', 'B', 'C', 'D']
    >>> stockout_segment(3, 7, thresholds=(0.8, 0.4, 0.1))
    np.str_('B')
    """
    a, b, c = _segment_thresholds(thresholds)
    stockout_days, days = aligned(("stockout_days", stockout_days), ("days", days))
    out, period = broadcast_arrays(
        ("stockout_days", whole_numbers(stockout_days, "stockout_days", _WHOLE_DAYS)),
        ("days", whole_numbers(days, "days", _WHOLE_DAYS)),
    )
    refuse_where(period == 0, period, "'days' must be > 0")
    refuse_where(out > period, out, "'stockout_days' must be <= 'days'")
    share = out.astype(np.float64) / period
    labels = np.select(
        [share >= a, share >= b, share > c],
        [np.str_("A"), np.str_("B"), np.str_("C")],
        default=np.str_("D"),
    ).astype("<U1")
    return as_labels(labels)


@keeps_labels
@overflow_guard
def target_customers(
    volume: ArrayLike,
    share_iii_plus: ArrayLike,
    *,
    volume_quantile: float = 0.7,
    share_quantile: float = 0.7,
    axis: int = -1,
) -> BoolArray:
    """Target customers (目标客户): stores in the top volume and structure quantiles.

    Parameters
    ----------
    volume : array_like
        Sales volume per store over the history looked at [cartons]; finite,
        >= 0; the store axis is ``axis``.
    share_iii_plus : array_like
        Share of class III and above per store (:func:`share_at_or_above`),
        in [0, 1] or NaN (nothing sold); the same shape as ``volume``.
    volume_quantile, share_quantile : float, optional
        Quantile levels in [0, 1]; a store is in the top group when its value
        is at or above that quantile of the stores. Default 0.7 each (the
        top 30 % by volume and by share).
    axis : int, optional
        The store axis; quantiles are taken along it (one cut per district
        for ``volume[district, store]``). Default -1.

    Returns
    -------
    ndarray of bool
        True for target stores; the shape of ``volume``.

    Raises
    ------
    InvalidValueError
        A negative or non-finite volume, a share outside [0, 1], a quantile
        outside [0, 1].
    ShapeMismatchError
        ``volume`` and ``share_iii_plus`` differ in shape; a scalar input.

    Notes
    -----
    ``target = volume >= Q_v(volume) ∧ share >= Q_s(share)`` with numpy's
    default (linear) quantiles.  Ties at a cut are all in: every store whose
    value equals the cut is a target, so there can be more than the nominal
    30 %.  A NaN share (a store that sold nothing) is never a target and is
    left out of the share quantile; its volume still counts in the volume
    quantile.  With no known share along the store axis nobody is a target.
    The source then works outwards from these stores to their neighbours
    (以点带面); that step is geographic and left to the caller.

    Examples
    --------
    Ten stores; the top three by volume are stores 7, 8, 9, the top three by
    share stores 0, 8, 9:

    >>> volume = [120, 80, 60, 300, 90, 150, 40, 500, 800, 650]
    >>> share = [0.9, 0.2, 0.1, 0.3, 0.4, 0.2, 0.1, 0.5, 0.8, 0.7]
    >>> np.flatnonzero(target_customers(volume, share)).tolist()
    [8, 9]
    """
    volume_level = fraction(volume_quantile, "volume_quantile")
    share_level = fraction(share_quantile, "share_quantile")
    volume, share_iii_plus = aligned(("volume", volume), ("share_iii_plus", share_iii_plus))
    sold = quantities(volume, "volume")
    share = quantities_or_nan(share_iii_plus, "share_iii_plus")
    refuse_where(share > 1, share, "'share_iii_plus' must be in [0, 1] or NaN")
    same_shape(sold, share, ("volume", "share_iii_plus"))
    require_dimension(sold, "volume", "the store axis")
    store_axis = normalize_axis(axis, sold.ndim)
    if sold.shape[store_axis] == 0:
        return np.zeros(sold.shape, dtype=np.bool_)
    known = ~np.isnan(share)
    any_known = np.any(known, axis=store_axis, keepdims=True)
    # Slices without any known share get a dummy 0 so nanquantile has something to read;
    # their stores are excluded by `known` below.
    readable = np.where(any_known, share, 0.0)
    volume_cut = np.quantile(sold, volume_level, axis=store_axis, keepdims=True)
    share_cut = np.nanquantile(readable, share_level, axis=store_axis, keepdims=True)
    target: BoolArray = (sold >= volume_cut) & known & (share >= share_cut)
    return target
