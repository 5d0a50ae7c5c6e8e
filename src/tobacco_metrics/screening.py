"""Screening: data that lie (原因一 … 原因五) and customers whose sales swing (波动大).

The source's managers are assessed on 销售满足度, 脱销天数 and 存销比, and the
source lists why those numbers can lie (篇3, "原因一 … 原因五"): uploads that
never came (原因一, 系统技术上的原因), stores trading stock among themselves
(原因三, 调拨、代买代卖), chain stores that clear their book stock before they
order (原因四, 集团客户), and the pack kept back so that a stockout does not
show (原因五 and 篇3 (1), 刻意留有库存).  :func:`distortion_flags` marks, per
series (store × brand), each of those patterns with the days that raised it.

Article 6 sends the manager, on the 6th–10th of each month, mainly to the
customers whose sales swing most ("每月6日至10日,正常拜访,侧重拜访波动大、
企业级客户"); :func:`volatile_customers` ranks the stores by the coefficient
of variation of their cycle sales.

Every threshold is a keyword with a default; the defaults are the library's
choice, not the source's (``docs/formulas/screening.md``).  Daily arrays have
the day axis last; leading axes (stores, brands) are carried through.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._dataframes import last_day_axis
from tobacco_metrics._html import distortion_flags_html, notebook_table, volatile_customers_html
from tobacco_metrics._labelled import is_xarray, keeps_labels
from tobacco_metrics._results import ReadOnlyCopies, read_only_fields
from tobacco_metrics._series_labels import axis_names, series_index, series_position
from tobacco_metrics._typing import BoolArray, FloatArray, IntArray
from tobacco_metrics._validation import (
    aligned,
    broadcast_to_shape,
    check_exact,
    given_labels,
    integer,
    items,
    non_negative_scalar,
    overflow_guard,
    quantities,
    quantities_or_nan,
    require_days,
    require_dimension,
    same_shape,
    shown_labels,
)
from tobacco_metrics.errors import EmptyInputError, InvalidValueError, ShapeMismatchError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DISTORTION_KINDS",
    "DistortionFlags",
    "VolatileCustomers",
    "distortion_flags",
    "volatile_customers",
]

DistortionKind = Literal["token_hold", "zeroed_before_order", "missing_upload", "ledger_mismatch"]
DISTORTION_KINDS: tuple[DistortionKind, ...] = (
    "token_hold",
    "zeroed_before_order",
    "missing_upload",
    "ledger_mismatch",
)
"""The distortion flags, in the order of :class:`DistortionFlags` and its frame."""

_WHY: dict[str, str] = {
    "token_hold": "token stock kept on days without sales (刻意留有库存)",
    "zeroed_before_order": "book stock cleared without sales before a delivery (原因四)",
    "missing_upload": "days without data (原因一, 数据不上传)",
    "ledger_mismatch": "opening + purchases − closing differs from reported sales (原因三)",
}


def _days_tuple(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    return tuple(int(day) for day in np.flatnonzero(mask))


def _default_names(ndim: int) -> tuple[str, ...]:
    if ndim == 1:
        return ("series",)
    if ndim == 2:
        return ("store", "brand")
    return tuple(f"axis{axis}" for axis in range(ndim))


# --------------------------------------------------------------------------- distortions


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class DistortionFlags(ReadOnlyCopies):
    """Per-series distortion flags, as :func:`distortion_flags` returns them.

    For each kind in :data:`DISTORTION_KINDS` there are two read-only arrays:
    ``<kind>`` (bool, the series' shape: the series is flagged) and
    ``<kind>_days`` (bool, the series' shape + the day axis: the days that
    raised the flag).  ``<kind> == <kind>_days.any(axis=-1)`` always holds, so
    a day is marked only in a flagged series.  For one series (1-D input) the
    flags are numpy booleans and the day masks 1-D arrays.

    Attributes
    ----------
    token_hold, token_hold_days : bool
        刻意留有库存: at least ``min_days`` days without sales whose closing
        stock is > 0 and <= ``token`` [cartons].
    zeroed_before_order, zeroed_before_order_days : bool
        原因四: stock falls from > 0 to 0 on a day without sales, and the next
        day's stock is > 0 again (a delivery): book stock cleared before the
        order.  The day marked is the zero day.
    missing_upload, missing_upload_days : bool
        原因一: days inside the series' span (from its first to its last day
        with any data) where sales or stock is missing (NaN).
    ledger_mismatch, ledger_mismatch_days : bool
        调拨、代卖、空抛: days where opening + purchases − closing differs from the
        reported sales; all False when no purchases were given.
    ledger_checked : bool
        Whether purchases were given (the ledger could be checked).
    """

    token_hold: BoolArray
    token_hold_days: BoolArray
    zeroed_before_order: BoolArray
    zeroed_before_order_days: BoolArray
    missing_upload: BoolArray
    missing_upload_days: BoolArray
    ledger_mismatch: BoolArray
    ledger_mismatch_days: BoolArray
    ledger_checked: bool

    _repr_html_ = notebook_table(distortion_flags_html, DISTORTION_KINDS)

    @property
    def flagged(self) -> BoolArray:
        """True for a series with at least one flag (the series' shape)."""
        result: BoolArray = np.logical_or.reduce(
            [np.asarray(getattr(self, k)) for k in DISTORTION_KINDS]
        )
        return result[()] if result.ndim == 0 else result

    def days(self, kind: DistortionKind, index: int | tuple[int, ...] = ()) -> tuple[int, ...]:
        """The day positions (0-based) that raised ``kind`` in the series at ``index``.

        Examples
        --------
        >>> flags = distortion_flags([0, 0, 0, 2], [1, 1, 1, 5])
        >>> flags.days("token_hold")
        (0, 1, 2)
        """
        if kind not in DISTORTION_KINDS:
            raise InvalidValueError(
                f"'kind' must be one of {', '.join(DISTORTION_KINDS)}: {kind!r}"
            )
        mask = np.asarray(getattr(self, f"{kind}_days"))
        return _days_tuple(mask[series_position(index, mask.shape[:-1])])

    def reasons(self, index: int | tuple[int, ...] = ()) -> tuple[str, ...]:
        """One sentence per flag raised in the series at ``index``: what, and on which days.

        Examples
        --------
        >>> flags = distortion_flags([[2, 2, 2], [0, 0, 0]], [[5, 3, 1], [1, 1, 1]])
        >>> flags.reasons(0)
        ()
        >>> flags.reasons(1)
        ('token_hold: token stock kept on days without sales (刻意留有库存); days 0, 1, 2',)
        """
        found = []
        for kind in DISTORTION_KINDS:
            days = self.days(kind, index)
            if days:
                listed = ", ".join(str(day) for day in days)
                found.append(f"{kind}: {_WHY[kind]}; days {listed}")
        return tuple(found)

    def to_frame(
        self,
        labels: Sequence[Sequence[Hashable]] | None = None,
        names: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """One row per series: the four flags, ``flagged``, and the days of each (needs pandas).

        Parameters
        ----------
        labels : sequence of sequences, optional
            One label sequence per series axis (for a panel, ``(panel.stores,
            panel.brands)``); default the positions.
        names : sequence of str, optional
            The index level names; default ``("series",)`` for one axis,
            ``("store", "brand")`` for two.

        Returns
        -------
        pandas.DataFrame
            Columns ``token_hold`` … ``ledger_mismatch`` and ``flagged`` (bool),
            then ``token_hold_days`` … ``ledger_mismatch_days`` (tuples of day
            positions).  One input series gives one row, index ``[0]``.
        """
        import pandas as pd

        masks = {kind: np.asarray(getattr(self, f"{kind}_days")) for kind in DISTORTION_KINDS}
        series_shape = masks["token_hold"].shape[:-1]
        shape = series_shape or (1,)
        level_names = _default_names(len(shape)) if names is None else axis_names(names, len(shape))
        index = series_index(shape, labels, level_names)
        columns: dict[str, Any] = {
            kind: np.asarray(getattr(self, kind)).reshape(-1) for kind in DISTORTION_KINDS
        }
        columns["flagged"] = np.asarray(self.flagged).reshape(-1)
        for kind, mask in masks.items():
            flat = mask.reshape(-1, mask.shape[-1])
            columns[f"{kind}_days"] = [_days_tuple(row) for row in flat]
        frame: pd.DataFrame = pd.DataFrame(columns, index=index)
        return frame


@keeps_labels
@overflow_guard
def distortion_flags(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    token: ArrayLike = 1,
    min_days: int = 3,
    purchases: ArrayLike | None = None,
    reported_sales: ArrayLike | None = None,
    tolerance: float = 1e-6,
) -> DistortionFlags:
    """Flag the series whose stock data cannot be trusted (原因一 … 原因五).

    Parameters
    ----------
    sales : array_like
        Quantity sold each day [cartons]; >= 0, NaN for a day without data;
        the day axis last.
    inventory : array_like
        Closing stock each day [cartons]; >= 0, NaN for a day without data;
        the shape of ``sales``.
    token : array_like, optional
        The most stock that still counts as a token kept back (刻意留有库存)
        [cartons]; >= 0, broadcast against ``sales``.  Default 1 carton (the
        library's choice; the source says "哪怕留有1包库存").  0 turns the
        ``token_hold`` check off.
    min_days : int, optional
        Days with token stock and no sales, in the series, that raise
        ``token_hold`` [days]; >= 1.  Default 3 (the library's choice).
    purchases : array_like, optional
        Quantity received each day [cartons]; >= 0 or NaN; the shape of
        ``sales``.  Without it the ledger is not checked.
    reported_sales : array_like, optional
        The sales the store reported each day (its 动销台账) [cartons]; >= 0 or
        NaN; the shape of ``sales``.  Default ``sales``.  Needs ``purchases``.
    tolerance : float, optional
        The largest ledger difference taken as rounding [cartons]; >= 0.
        Default 1e-6 (far below one stick, 0.005 carton).

    Returns
    -------
    DistortionFlags

    Raises
    ------
    InvalidValueError
        A negative or infinite quantity; ``min_days < 1``; ``reported_sales``
        without ``purchases``; with ``purchases``, a quantity above 2**53
        (float64 no longer tells one carton from the next).
    ShapeMismatchError
        Arrays of different shapes, or ``token`` not broadcasting.
    EmptyInputError
        No days.

    Notes
    -----
    With ``s[d]`` the sales and ``q[d]`` the closing stock of day *d*, a day
    with data is one where both are known (not NaN), and a comparison with a
    missing value is false:

    - ``token_hold`` days: ``s[d] == 0 and 0 < q[d] <= token``; the series
      is flagged when there are at least ``min_days`` of them (anywhere in
      the series, not necessarily consecutive);
    - ``zeroed_before_order`` days: ``s[d] == 0 and q[d] == 0 and
      q[d-1] > 0 and q[d+1] > 0`` (stock gone without a sale, then a
      delivery); the first and last day cannot be judged;
    - ``missing_upload`` days: days from the series' first to its last day
      with any data on which ``s[d]`` or ``q[d]`` is NaN; leading and
      trailing empty days (not yet listed, delisted) are not flagged;
    - ``ledger_mismatch`` days: ``|q[d-1] + purchases[d] − q[d] −
      reported[d]| > tolerance`` for ``d >= 1`` (day 0 has no opening
      stock); exact (int64) for integer data.

    A series with none of these days has no flag: a clean, normally stocked
    series (stock above ``token``, no holes, a balanced ledger) never raises
    one.  The flags of one series depend on that series alone.

    Examples
    --------
    A store keeping one carton back on four quiet days, and its clean twin:

    >>> flags = distortion_flags([[0, 0, 3, 0, 0], [2, 2, 3, 2, 2]],
    ...                          [[1, 1, 6, 1, 1], [9, 7, 4, 2, 8]])
    >>> flags.token_hold.tolist(), flags.days("token_hold", 0)
    ([True, False], (0, 1, 3, 4))

    Book stock cleared on day 2 without a sale, then a delivery:

    >>> flags = distortion_flags([3, 2, 0, 1], [6, 4, 0, 9])
    >>> bool(flags.zeroed_before_order), flags.days("zeroed_before_order")
    (True, (2,))

    A hole in the upload, and a ledger that does not add up on day 2:

    >>> nan = float("nan")
    >>> flags = distortion_flags([2, nan, 2, 1], [8, nan, 6, 5], purchases=[0, 0, 5, 0])
    >>> flags.days("missing_upload"), bool(flags.ledger_mismatch)
    ((1,), False)
    >>> flags = distortion_flags([2, 2, 2], [8, 6, 9], purchases=[0, 0, 0])
    >>> flags.days("ledger_mismatch")
    (2,)
    """
    last_day_axis(sales, inventory)
    sales, inventory, token, purchases, reported_sales = aligned(
        ("sales", sales),
        ("inventory", inventory),
        ("token", token),
        ("purchases", purchases),
        ("reported_sales", reported_sales),
    )
    sales_array = quantities_or_nan(sales, "sales")
    stock = quantities_or_nan(inventory, "inventory")
    same_shape(sales_array, stock, ("sales", "inventory"))
    require_dimension(sales_array, "sales", "the day axis")
    shape = sales_array.shape
    require_days(shape[-1], "sales")
    threshold = broadcast_to_shape(quantities(token, "token"), shape, "token")
    needed = integer(min_days, "min_days", 1)
    slack = non_negative_scalar(tolerance, "tolerance")

    # Comparisons with NaN are false, so a missing value never raises a day by itself.
    quiet = sales_array == 0
    token_days = quiet & (stock > 0) & (stock <= threshold)
    token_flag = np.count_nonzero(token_days, axis=-1) >= needed
    token_days &= token_flag[..., np.newaxis]

    zeroed_days = np.zeros(shape, dtype=bool)
    zeroed_days[..., 1:-1] = (
        quiet[..., 1:-1] & (stock[..., 1:-1] == 0) & (stock[..., :-2] > 0) & (stock[..., 2:] > 0)
    )

    missing = np.isnan(sales_array) | np.isnan(stock)
    present = ~(np.isnan(sales_array) & np.isnan(stock))
    after_first = np.logical_or.accumulate(present, axis=-1)
    before_last = np.logical_or.accumulate(present[..., ::-1], axis=-1)[..., ::-1]
    missing_days = missing & after_first & before_last

    ledger_days = np.zeros(shape, dtype=bool)
    if purchases is None:
        if reported_sales is not None:
            raise InvalidValueError(
                "'reported_sales' was given without 'purchases': the ledger "
                "(opening + purchases − closing) needs the purchases"
            )
    else:
        bought = quantities_or_nan(purchases, "purchases")
        same_shape(bought, sales_array, ("purchases", "sales"))
        reported = sales_array
        if reported_sales is not None:
            reported = quantities_or_nan(reported_sales, "reported_sales")
            same_shape(reported, sales_array, ("reported_sales", "sales"))
        difference = _ledger_difference(stock, bought, reported)
        ledger_days[..., 1:] = difference > slack  # NaN (a missing value) compares false

    return DistortionFlags(
        token_hold=token_flag[()] if token_flag.ndim == 0 else token_flag,
        token_hold_days=token_days,
        zeroed_before_order=_any_day(zeroed_days),
        zeroed_before_order_days=zeroed_days,
        missing_upload=_any_day(missing_days),
        missing_upload_days=missing_days,
        ledger_mismatch=_any_day(ledger_days),
        ledger_mismatch_days=ledger_days,
        ledger_checked=purchases is not None,
    )


def _ledger_difference(
    stock: NDArray[Any], bought: NDArray[Any], reported: NDArray[Any]
) -> NDArray[Any]:
    """``|q[d-1] + purchases[d] − q[d] − reported[d]|`` for d >= 1, exact for integers.

    Quantities above 2**53 are refused: float64 no longer tells one carton
    from the next there (a balanced ledger would be flagged), and no int64 sum
    of smaller ones can overflow.  All-integer data are counted in int64,
    exactly; with any float the ledger is float64, NaN for a missing value.
    """
    arrays = (stock, bought, reported)
    for array, name in zip(arrays, ("inventory", "purchases", "reported_sales"), strict=True):
        check_exact(array, name)
    if all(array.dtype.kind in "iu" for array in arrays):
        stock, bought, reported = (array.astype(np.int64) for array in arrays)
    else:
        stock = stock.astype(np.float64)
    ledger = stock[..., :-1] + bought[..., 1:] - stock[..., 1:]
    difference: NDArray[Any] = np.abs(ledger - reported[..., 1:])
    return difference


def _any_day(mask: NDArray[np.bool_]) -> Any:
    found = np.asarray(mask.any(axis=-1))
    return found[()] if found.ndim == 0 else found


# --------------------------------------------------------------------------- volatility


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class VolatileCustomers(ReadOnlyCopies):
    """Stores ranked by how much their cycle sales swing, from :func:`volatile_customers`.

    Attributes
    ----------
    stores : tuple
        Store labels, in input order (positions when none were given).
    cycle_sales : ndarray of float64
        Sales of each store in each whole cycle, pooled over brands,
        shaped (stores, cycles) [cartons].
    mean, std : ndarray of float64
        Mean and (population) standard deviation of each store's cycle sales
        [cartons per cycle].
    cv : ndarray of float64
        Coefficient of variation ``std / mean`` (波动); NaN for a store that
        sold nothing in the window.
    order : ndarray of int64
        Store positions from the most to the least volatile (NaN last, ties
        in input order); the first ``top`` only when ``top`` was given.
    cycle_days : int
        Days per cycle [days].
    left_out_days : int
        Trailing days that did not fill a whole cycle and were left out
        (only with ``partial="drop"``) [days].
    """

    stores: tuple[Hashable, ...]
    cycle_sales: FloatArray
    mean: FloatArray
    std: FloatArray
    cv: FloatArray
    order: IntArray
    cycle_days: int
    left_out_days: int

    _repr_html_ = notebook_table(volatile_customers_html)

    @property
    def ranked(self) -> tuple[Hashable, ...]:
        """The labels of the stores in ``order``."""
        return tuple(self.stores[int(position)] for position in self.order)

    def to_frame(self) -> pd.DataFrame:
        """The ranked stores (``order``) with rank, cv, mean and std (needs pandas).

        The index is the store label, named ``store``; ``rank`` starts at 1.
        """
        import pandas as pd

        order = np.asarray(self.order)
        index = pd.Index([self.stores[int(i)] for i in order], name="store", tupleize_cols=False)
        frame: pd.DataFrame = pd.DataFrame(
            {
                "rank": np.arange(1, order.size + 1, dtype=np.int64),
                "cv": np.asarray(self.cv)[order],
                "mean": np.asarray(self.mean)[order],
                "std": np.asarray(self.std)[order],
            },
            index=index,
        )
        return frame


def _check_distinct_stores(labels: tuple[Any, ...], name: str) -> None:
    """Refuse store labels that are not hashable (TypeError) or name a store twice."""
    seen: set[Hashable] = set()
    for position, label in enumerate(labels):
        if not isinstance(label, Hashable):
            raise TypeError(f"{name} must be hashable: {label!r} at index {position}")
        if label in seen:
            raise InvalidValueError(
                f"{name} must name each store once: {label!r} again at index {position}"
            )
        seen.add(label)


def _store_labels(
    stores: Sequence[Hashable] | None, n_stores: int, sales: object
) -> tuple[Hashable, ...]:
    """The store labels as a tuple: distinct, hashable, not a str.

    By default the row labels of a labelled ``sales`` (a DataFrame's index),
    else positions.  Given ``stores`` and a ``sales`` with row labels, the two
    must agree (a default ``RangeIndex`` labels nothing): rows are never
    renamed by position.
    """
    # A DataArray is refused by keeps_labels (the result's tuple cannot carry its coordinates).
    own = None if is_xarray(sales) else given_labels(sales)
    rows = own[0] if own else None
    if stores is None:
        if rows is None:
            return tuple(range(n_stores))
        stores, name = rows, "the row labels of 'sales'"
    else:
        name = "'stores'"
    if isinstance(stores, (str, bytes)):
        raise TypeError(
            f"'stores' must be a sequence of store labels, got {type(stores).__name__} "
            f"{stores!r}: pass [{stores!r}] for one store"
        )
    labels = tuple(items(stores, "stores", "store labels"))
    _check_distinct_stores(labels, name)
    if rows is not None and name == "'stores'" and labels != rows:
        raise ShapeMismatchError(
            f"'stores' ({shown_labels(labels)}) must be the row labels of 'sales' "
            f"({shown_labels(rows)}), in their order: rows are never renamed by position; "
            "pass one of them, or reorder the frame (sales.loc[stores])"
        )
    return labels


def _whole_cycles(n_days: int, length: int, partial: str) -> tuple[int, int]:
    """Whole ``length``-day cycles in ``n_days`` (at least two) and the days left over."""
    if partial not in ("error", "drop"):
        raise InvalidValueError(f"'partial' must be 'error' or 'drop': {partial!r}")
    n_cycles, left_out = divmod(n_days, length)
    if left_out and partial == "error":
        raise InvalidValueError(
            f"'sales' has {n_days} days, not a whole number of {length}-day cycles "
            f"({left_out} day(s) over); trim them or pass partial='drop'"
        )
    if n_cycles < 2:
        raise EmptyInputError(
            f"'sales' must cover at least two whole {length}-day cycles to measure variation: "
            f"{n_days} day(s)"
        )
    return n_cycles, left_out


@keeps_labels
@overflow_guard
def volatile_customers(
    sales: ArrayLike,
    *,
    cycle_days: int = 7,
    top: int | None = None,
    stores: Sequence[Hashable] | None = None,
    partial: Literal["error", "drop"] = "error",
) -> VolatileCustomers:
    """Rank stores by the coefficient of variation of their cycle sales (波动大的客户).

    Source 篇6: "每月6日至10日,正常拜访,侧重拜访波动大、企业级客户,为个体预测调整提供依据"
    — on the 6th–10th the manager visits mainly the customers whose sales
    swing most, to adjust their individual forecasts.

    Parameters
    ----------
    sales : array_like
        Daily sales [cartons], shaped (stores, days) or (stores, brands, …,
        days): the first axis is the store, the last the day, every axis
        between is summed (pooled over brands); finite, >= 0.
    cycle_days : int, optional
        Days per cycle [days]; >= 1.  Default 7 (one weekly order cycle).
        Cycles are cut from the first day.
    top : int, optional
        Keep only the ``top`` most volatile stores in ``order``; default all.
    stores : sequence of hashable, optional
        Store labels, one per row of the first axis (e.g. ``panel.stores``).
        Default: the row labels of a labelled ``sales`` (a DataFrame's
        index), else 0, 1, …; given with a labelled ``sales``, they must be
        its row labels in their order.
    partial : {"error", "drop"}
        What to do with trailing days that do not fill a whole cycle:
        ``"error"`` (default) raises InvalidValueError; ``"drop"`` leaves
        them out and records how many in ``left_out_days``.

    Returns
    -------
    VolatileCustomers

    Raises
    ------
    InvalidValueError
        Negative or non-finite sales (fill or drop missing days first;
        :func:`distortion_flags` finds them); ``cycle_days < 1``; a partial
        trailing cycle with ``partial="error"``; ``top < 1``.
    EmptyInputError
        Fewer than two whole cycles (no variation to measure), or no store.
    ShapeMismatchError
        Fewer than two axes, or ``stores`` of the wrong length or other than
        the row labels of a labelled ``sales``.
    TypeError
        ``stores`` a bare string, or holding an unhashable label (a
        repeated label is an InvalidValueError).

    Notes
    -----
    With ``x[c]`` a store's sales in cycle *c* (summed over its brands and
    the cycle's days) over *C* whole cycles: ``mean = Σx / C``,
    ``std = sqrt(Σ(x − mean)² / C)`` (population), ``cv = std / mean``;
    ``cv`` is NaN when ``mean == 0`` (nothing sold: nothing to forecast).
    ``cv`` is dimensionless, so a big and a small store compare; it does
    not change when every sale is scaled by the same factor, nor with the
    order of the brands.  It is computed from the cycles divided by the
    power of two just above the store's largest (exactly), so neither tiny
    (subnormal) nor huge (1e306) sales underflow or overflow; scaling every
    sale by a power of two changes no bit.

    Examples
    --------
    Three stores over two weekly cycles (14 days): steady, swinging, silent.

    >>> steady = [2] * 14
    >>> swinging = [0] * 7 + [4] * 7
    >>> result = volatile_customers([steady, swinging, [0] * 14], stores=["C1", "C2", "C3"])
    >>> result.cycle_sales.tolist()
    [[14.0, 14.0], [0.0, 28.0], [0.0, 0.0]]
    >>> result.cv.tolist(), result.ranked
    ([0.0, 1.0, nan], ('C2', 'C1', 'C3'))
    >>> volatile_customers([steady, swinging], top=1).order.tolist()
    [1]
    """
    last_day_axis(sales, None)
    values = quantities(sales, "sales")
    if values.ndim < 2:
        raise ShapeMismatchError(
            f"'sales' must be shaped (stores, …, days): got {values.ndim} dimension(s)"
        )
    length = integer(cycle_days, "cycle_days", 1)
    n_stores, n_days = values.shape[0], values.shape[-1]
    if n_stores == 0:
        raise EmptyInputError("'sales' has no store")
    n_cycles, left_out = _whole_cycles(n_days, length, partial)
    keep = None if top is None else integer(top, "top", 1)
    labels = _store_labels(stores, n_stores, sales)
    if len(labels) != n_stores:
        raise ShapeMismatchError(
            f"'stores' must have one label per store ({n_stores}): got {len(labels)}"
        )

    daily = values.reshape(n_stores, -1, n_days).sum(axis=1, dtype=np.float64)
    cycles = daily[:, : n_cycles * length].reshape(n_stores, n_cycles, length).sum(axis=-1)
    # Each store's cycles over the power of two just above its largest: exact (the same
    # bits as unscaled where nothing overflows), and the squares neither overflow (1e300
    # cartons) nor underflow (1e-300).
    largest = cycles.max(axis=-1)
    scale = np.ldexp(1.0, np.frexp(np.where(largest > 0, largest, 1.0))[1])[:, np.newaxis]
    relative = cycles / scale
    relative_mean = relative.mean(axis=-1)
    relative_std = np.sqrt(np.mean((relative - relative_mean[:, np.newaxis]) ** 2, axis=-1))
    mean = relative_mean * scale[:, 0]
    std = relative_std * scale[:, 0]
    cv = np.full(n_stores, np.nan)
    np.divide(relative_std, relative_mean, out=cv, where=relative_mean > 0)
    # Descending cv, NaN last, ties in input order: a stable sort on (-cv), NaN mapped to +inf.
    key = np.where(np.isnan(cv), np.inf, -cv)
    order = np.argsort(key, kind="stable").astype(np.int64)
    if keep is not None:
        order = order[:keep]
    return VolatileCustomers(
        stores=labels,
        cycle_sales=cycles,
        mean=mean,
        std=std,
        cv=cv,
        order=order,
        cycle_days=length,
        left_out_days=left_out,
    )
