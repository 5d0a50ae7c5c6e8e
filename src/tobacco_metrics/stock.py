"""Stock formulas of a delivery cycle: stockout days, lost sales, fulfilment, days of cover.

The definitions are those the source's customer managers are assessed on
(source 篇3, "何谓订单供货、供应商管理库存、存销比、脱销天数、合理定量"):

- 脱销天数 (stockout days): days in the cycle with **no sales and no stock**;
- 有效销售天数 (effective sales days): counted days − stockout days;
- 预计脱销销售 (projected stockout sales) = 实际销售 / 有效销售天数 × 脱销天数;
- 销售满足度 (fulfilment ratio) = 实际销售 / (实际销售 + 预计脱销销售);
- 存销比 (stock-to-sales ratio) = stock / average daily sales in the cycle, in days.

Daily data are arrays whose day axis is ``axis`` (the last one by default);
any leading axes (stores, brands) are carried through, so one call computes a
whole district.  ``sales[d]`` is the quantity sold on day *d* and
``inventory[d]`` the closing stock at the end of day *d*, both in cartons
(条) unless the caller uses another unit consistently.

Every function here is pure: inputs are never modified, no numpy
RuntimeWarning escapes, and the zero cases are decided by the rules in each
docstring rather than by floating-point accident.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._chunked import Inputs, panel_metrics
from tobacco_metrics._cycle import (
    FIELDS,
    RULE_FIELDS,
    MetricArrays,
    day_sums,
    days_of_cover,
    derived,
    fallback_rates,
    finish,
    fulfilment,
    model_daily_lost,
    pooled_fulfilment,
    projected_sales,
    scalar_finish,
    with_projected,
)
from tobacco_metrics._cycle import Scratch as _Scratch
from tobacco_metrics._daily import counted_days, daily_data, stockout_counts
from tobacco_metrics._dataframes import aligned_off_axis
from tobacco_metrics._html import cycle_metrics_html, notebook_table
from tobacco_metrics._labelled import cycle_metrics_to_frame, keeps_labels
from tobacco_metrics._results import as_result, seal
from tobacco_metrics._typing import (
    BoolResult,
    FloatResult,
    IntArray,
    IntResult,
)
from tobacco_metrics._validation import (
    aligned,
    broadcast_arrays,
    broadcast_to_shape,
    format_position,
    normalize_axis,
    overflow_guard,
    paired_quantities,
    quantities,
    quantities_or_nan,
    same_shape,
    unwrap,
)
from tobacco_metrics.errors import EmptyInputError, InvalidValueError

if TYPE_CHECKING:  # optional: imported by the method that uses it
    import pandas as pd

    from tobacco_metrics.demand import LostSalesMethod

__all__ = [
    "CycleMetrics",
    "cycle_metrics",
    "effective_sales_days",
    "fulfilment_ratio",
    "pooled_fulfilment_ratio",
    "projected_stockout_sales",
    "stock_to_sales_ratio",
    "stockout_days",
    "stockout_mask",
]


# --------------------------------------------------------------------------- helpers


def _whole_days(value: ArrayLike, name: str) -> NDArray[Any]:
    days = quantities(value, name)
    if days.dtype.kind == "f" and (days != np.floor(days)).any():
        bad = np.argwhere(days != np.floor(days))
        first = tuple(bad[0]) if days.ndim else ()
        raise InvalidValueError(
            f"{name!r} must be whole numbers of days: {days[first]}"
            + (f" at index {format_position(first)}" if first else "")
        )
    return days


# --------------------------------------------------------------------------- public


@keeps_labels
def stockout_mask(
    sales: ArrayLike, inventory: ArrayLike, *, token_stock: ArrayLike = 0
) -> BoolResult:
    """Mark stockout days (脱销天): no sales and no stock at the end of the day.

    Parameters
    ----------
    sales : array_like
        Quantity sold each day [cartons]; finite, >= 0.
    inventory : array_like
        Closing stock at the end of each day [cartons]; finite, >= 0; same
        shape as ``sales``.
    token_stock : array_like, optional
        Stock at or below which a day without sales still counts as a
        stockout (刻意留有库存: a pack or two kept only to dodge the count)
        [cartons]; >= 0, broadcast against ``sales``. Default 0.

    Returns
    -------
    numpy.bool_ or ndarray of bool
        True on stockout days; the shape of ``sales``.

    Notes
    -----
    Day *d* is a stockout day iff ``sales[d] == 0 and inventory[d] <= token_stock``.
    A day that sold out part-way (sales > 0, closing stock 0) is *not* a
    stockout day: it sold.

    Examples
    --------
    >>> stockout_mask([3, 0, 0, 2], [5, 0, 1, 0]).tolist()
    [False, True, False, False]
    >>> stockout_mask([3, 0, 0, 2], [5, 0, 1, 0], token_stock=1).tolist()
    [False, True, True, False]
    """
    sales, inventory, token_stock = aligned(
        ("sales", sales), ("inventory", inventory), ("token_stock", token_stock)
    )
    sales_array = quantities(sales, "sales")
    inventory_array = quantities(inventory, "inventory")
    same_shape(sales_array, inventory_array, ("sales", "inventory"))
    token = broadcast_to_shape(
        quantities(token_stock, "token_stock"), sales_array.shape, "token_stock"
    )
    flags: NDArray[np.bool_] = (sales_array == 0) & (inventory_array <= token)
    return as_result(flags)


@keeps_labels(day_dim="date")
def stockout_days(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    axis: int | None = None,
) -> IntResult:
    """Count stockout days (脱销天数) per cycle.

    Parameters
    ----------
    sales : array_like
        Quantity sold each day [cartons]; finite, >= 0.
    inventory : array_like
        Closing stock each day [cartons]; finite, >= 0; same shape as ``sales``.
    token_stock : array_like, optional
        Stock at or below which a day without sales counts as out [cartons]. Default 0.
    exclude : array_like of bool, optional
        True on days not counted at all (store closed, data hole); broadcast
        against ``sales``.
    axis : int, optional
        The day axis. Default: the last axis (a labelled input of two or more
        dimensions, such as a DataFrame, must name it).

    Returns
    -------
    numpy.int64 or ndarray of int64
        Stockout days over the counted days; the shape of ``sales`` without
        the day axis (a scalar for one cycle).

    Raises
    ------
    EmptyInputError
        The day axis is empty, or every day of a cycle is excluded.

    Notes
    -----
    ``S = Σ_d [sales[d] == 0 and inventory[d] <= token_stock and not exclude[d]]``;
    ``0 <= S <= D`` where D is the number of counted days.

    Examples
    --------
    The worked example: 30 cartons sold on 5 days, 2 days without sales or stock.

    >>> stockout_days([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    np.int64(2)
    """
    data = daily_data(sales, inventory, token_stock, exclude, axis)
    counted_days(data)
    return as_result(stockout_counts(data))


@keeps_labels(day_dim="date")
def effective_sales_days(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    axis: int | None = None,
) -> IntResult:
    """Count effective sales days (有效销售天数): counted days minus stockout days.

    Parameters are those of :func:`stockout_days`.

    Returns
    -------
    numpy.int64 or ndarray of int64
        ``E = D − S`` [days]; the shape of ``sales`` without the day axis.

    Raises
    ------
    EmptyInputError
        The day axis is empty, or every day of a cycle is excluded.

    Examples
    --------
    >>> effective_sales_days([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    np.int64(5)
    >>> effective_sales_days([[1, 0], [0, 0]], [[0, 0], [0, 3]]).tolist()
    [1, 1]
    """
    data = daily_data(sales, inventory, token_stock, exclude, axis)
    effective: IntArray = counted_days(data) - stockout_counts(data)
    return as_result(effective)


@keeps_labels
@overflow_guard
def projected_stockout_sales(
    actual_sales: ArrayLike,
    effective_days: ArrayLike,
    stockout_days: ArrayLike,
    *,
    fallback_daily_rate: ArrayLike | None = None,
) -> FloatResult:
    """Projected stockout (lost) sales, 预计脱销销售 = 实际销售 / 有效销售天数 × 脱销天数.

    Parameters
    ----------
    actual_sales : array_like
        Quantity sold in the cycle, A [cartons]; >= 0.
    effective_days : array_like
        Effective sales days, E [days]; whole numbers >= 0.
    stockout_days : array_like
        Stockout days, S [days]; whole numbers >= 0.
    fallback_daily_rate : array_like, optional
        Daily rate [cartons/day] used when a cycle had no effective day
        (E == 0), for example the store's reasonable quota per day.

    Returns
    -------
    numpy.float64 or ndarray of float64
        P [cartons], the inputs broadcast together.

    Raises
    ------
    InvalidValueError
        Negative or non-finite inputs, fractional days, or sales in a cycle
        with no effective day (A > 0 with E == 0 cannot happen: a day that
        sold is not a stockout day).
    EmptyInputError
        E == 0 and S == 0: a cycle without days.

    Notes
    -----
    ``P = A / E × S`` when ``E > 0``. When ``E == 0`` every counted day was a
    stockout day and no rate can be read from the cycle:
    ``P = fallback_daily_rate × S`` if a fallback was given, otherwise NaN
    ("cannot be estimated", which :func:`fulfilment_ratio` propagates).

    Examples
    --------
    >>> projected_stockout_sales(30, 5, 2)
    np.float64(12.0)
    >>> projected_stockout_sales([30, 0, 0], [5, 7, 0], [2, 0, 7]).tolist()
    [12.0, 0.0, nan]
    >>> projected_stockout_sales(0, 0, 7, fallback_daily_rate=4.0)
    np.float64(28.0)
    """
    actual_sales, effective_days, stockout_days, fallback_daily_rate = aligned(
        ("actual_sales", actual_sales),
        ("effective_days", effective_days),
        ("stockout_days", stockout_days),
        ("fallback_daily_rate", fallback_daily_rate),
    )
    actual, effective, stockout = broadcast_arrays(
        ("actual_sales", quantities(actual_sales, "actual_sales")),
        ("effective_days", _whole_days(effective_days, "effective_days")),
        ("stockout_days", _whole_days(stockout_days, "stockout_days")),
    )
    no_days = (effective == 0) & (stockout == 0)
    if no_days.any():
        raise EmptyInputError(
            "'effective_days' and 'stockout_days' are both 0"
            + (
                f" at index {format_position(tuple(np.argwhere(no_days)[0]))}"
                if no_days.ndim
                else ""
            )
            + ": a cycle needs at least one day"
        )
    impossible = (effective == 0) & (actual > 0)
    if impossible.any():
        raise InvalidValueError(
            "'actual_sales' must be 0 where 'effective_days' is 0 (a day that sold is not a "
            "stockout day): "
            + (
                f"index {format_position(tuple(np.argwhere(impossible)[0]))}"
                if impossible.ndim
                else ""
            )
            + f" sold {actual[impossible].flat[0]} with no effective day"
        )
    fallback = fallback_rates(fallback_daily_rate)
    if fallback is not None:
        fallback = broadcast_to_shape(fallback, actual.shape, "fallback_daily_rate")
    projected = projected_sales(
        actual.astype(np.float64),
        effective.astype(np.float64),
        stockout.astype(np.float64),
        fallback,
    )
    return as_result(projected)


def _sales_and_lost(
    actual_sales: ArrayLike, projected_stockout_sales: ArrayLike
) -> tuple[NDArray[Any], NDArray[Any]]:
    """A and P paired by label, checked (P may be NaN) and broadcast together."""
    actual_sales, projected_stockout_sales = aligned(
        ("actual_sales", actual_sales), ("projected_stockout_sales", projected_stockout_sales)
    )
    actual, projected = broadcast_arrays(
        ("actual_sales", quantities(actual_sales, "actual_sales")),
        (
            "projected_stockout_sales",
            quantities_or_nan(projected_stockout_sales, "projected_stockout_sales"),
        ),
    )
    return actual, projected


@keeps_labels
@overflow_guard
def fulfilment_ratio(actual_sales: ArrayLike, projected_stockout_sales: ArrayLike) -> FloatResult:
    """Fulfilment ratio, 销售满足度 = 实际销售 / (实际销售 + 预计脱销销售).

    Parameters
    ----------
    actual_sales : array_like
        Quantity sold in the cycle, A [cartons]; >= 0.
    projected_stockout_sales : array_like
        Projected lost sales, P [cartons]; >= 0 or NaN (not estimable).

    Returns
    -------
    numpy.float64 or ndarray of float64
        F, dimensionless in [0, 1]; the inputs broadcast together.

    Notes
    -----
    ``F = A / (A + P)``. By definition ``F = 1.0`` when ``P == 0`` — nothing
    was lost, even if nothing sold — and ``F`` is NaN where ``P`` is NaN.
    With the source's ``P`` and ``A > 0``, ``F`` equals ``E / D``, the share
    of counted days in stock.

    Examples
    --------
    >>> round(float(fulfilment_ratio(30, 12)), 3)
    0.714
    >>> fulfilment_ratio([0, 0, 5], [0, 3, float("nan")]).tolist()
    [1.0, 0.0, nan]
    """
    actual, projected = _sales_and_lost(actual_sales, projected_stockout_sales)
    return as_result(fulfilment(actual.astype(np.float64), projected.astype(np.float64)))


@keeps_labels
@overflow_guard
def stock_to_sales_ratio(inventory: ArrayLike, average_daily_sales: ArrayLike) -> FloatResult:
    """Stock-to-sales ratio (存销比), in days of cover.

    Parameters
    ----------
    inventory : array_like
        Stock [cartons], usually the closing stock of the cycle; >= 0.
    average_daily_sales : array_like
        Average daily sales in the cycle [cartons/day]; >= 0.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Days of cover [days]; the inputs broadcast together.

    Notes
    -----
    ``inventory / average_daily_sales``; ``0.0`` when the stock is 0 (even if
    nothing sold), ``+inf`` when there is stock and nothing sold. A ratio far
    above the target days is overstock (涨库).

    Examples
    --------
    >>> round(float(stock_to_sales_ratio(14, 30 / 7)), 2)
    3.27
    >>> stock_to_sales_ratio([0, 0, 5], [0, 2, 0]).tolist()
    [0.0, 0.0, inf]
    """
    stock, daily = paired_quantities(
        ("inventory", inventory), ("average_daily_sales", average_daily_sales)
    )
    return as_result(days_of_cover(stock.astype(np.float64), daily.astype(np.float64)))


@keeps_labels
@overflow_guard
def pooled_fulfilment_ratio(
    actual_sales: ArrayLike, projected_stockout_sales: ArrayLike, axis: int | None = None
) -> FloatResult:
    """Fulfilment ratio of many cycles together: ΣA / (ΣA + ΣP).

    Use this, never a mean of per-store ratios, to report a district's or a
    brand's 销售满足度: a mean of ratios weighs a store selling 2 cartons like
    one selling 200.

    Parameters
    ----------
    actual_sales : array_like
        A per cycle [cartons]; >= 0.
    projected_stockout_sales : array_like
        P per cycle [cartons]; >= 0 or NaN; broadcast against ``actual_sales``.
    axis : int, optional
        Axis to pool over; None (default) pools everything.

    Returns
    -------
    numpy.float64 or ndarray of float64
        Pooled F in [0, 1]; NaN if any pooled P is NaN (a loss that cannot be
        estimated makes the total unknown); 1.0 when ΣP == 0.

    Examples
    --------
    >>> round(float(pooled_fulfilment_ratio([30, 200], [12, 0])), 4)
    0.9504
    >>> pooled_fulfilment_ratio([[30, 200], [5, 5]], [[12, 0], [0, 5]], axis=1).round(3).tolist()
    [0.95, 0.667]
    """
    actual, projected = _sales_and_lost(actual_sales, projected_stockout_sales)
    if axis is not None:
        axis = normalize_axis(axis, actual.ndim)
    return as_result(pooled_fulfilment(actual, projected, axis))


@attrs.frozen(eq=False)
class CycleMetrics(MetricArrays[IntResult, FloatResult]):
    """The metrics of one or many delivery cycles, as :func:`cycle_metrics` returns them.

    Each field is a numpy scalar for one cycle, or a read-only array over the
    leading axes (stores, brands) for many.  The arrays stay read-only in every
    copy (``copy``, ``deepcopy``, ``pickle``); an array given to the
    constructor that its owner could still change is copied.

    Attributes
    ----------
    days : int64
        Counted days D (cycle days minus excluded days) [days].
    stockout_days : int64
        Stockout days S (脱销天数) [days].
    effective_days : int64
        Effective sales days E = D − S (有效销售天数) [days].
    actual_sales : float64
        Actual sales A (实际销售) over the counted days [cartons].
    projected_stockout_sales : float64
        Projected lost sales P (预计脱销销售) [cartons]; NaN when E == 0 and no
        fallback rate was given.
    fulfilment_ratio : float64
        F = A / (A + P) (销售满足度), in [0, 1]; 1.0 when P == 0.
    stock_to_sales_ratio : float64
        Closing stock / average daily sales (存销比) [days]; 0.0 with no stock,
        +inf with stock and no sales.
    closing_inventory : float64
        Stock at the end of the last counted day [cartons].
    average_daily_sales : float64
        A / D [cartons/day].
    """

    def pooled_fulfilment_ratio(self, axis: int | None = None) -> FloatResult:
        """ΣA / (ΣA + ΣP) over ``axis`` (default: all); see :func:`pooled_fulfilment_ratio`."""
        return pooled_fulfilment_ratio(self.actual_sales, self.projected_stockout_sales, axis=axis)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict of plain Python numbers (one cycle) or nested lists (many)."""
        return {name: np.asarray(getattr(self, name)).tolist() for name in CYCLE_METRIC_FIELDS}

    def to_frame(self, names: Sequence[str] | None = None) -> pd.DataFrame:
        """The metrics as a pandas DataFrame, one row per series (one row for one cycle).

        The leading axes become a MultiIndex whose levels are ``names`` (one
        per leading axis, default ``axis_0``, ``axis_1``, …). Needs pandas.

        Examples
        --------
        >>> m = cycle_metrics([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
        >>> m.to_frame()[["stockout_days", "projected_stockout_sales"]].to_dict("records")
        [{'stockout_days': 2, 'projected_stockout_sales': 12.0}]
        """
        return cycle_metrics_to_frame(self, names=names)

    _repr_html_ = notebook_table(cycle_metrics_html)


# The field names of CycleMetrics, in order: the columns every tabular output uses.
CYCLE_METRIC_FIELDS: tuple[str, ...] = FIELDS


@keeps_labels(day_dim="date")
def cycle_metrics(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    fallback_daily_rate: ArrayLike | None = None,
    axis: int | None = None,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
) -> CycleMetrics:
    """All stock metrics of delivery cycles in one pass.

    Parameters
    ----------
    sales : array_like
        Quantity sold each day [cartons]; finite, >= 0; the day axis is ``axis``.
    inventory : array_like
        Closing stock each day [cartons]; finite, >= 0; same shape as ``sales``.
    token_stock : array_like, optional
        Stock at or below which a day without sales counts as a stockout
        (刻意留有库存) [cartons]; >= 0. Default 0.
    exclude : array_like of bool, optional
        True on days not counted (closed, data hole); broadcast against ``sales``.
        The masked days of a masked ``sales`` or ``inventory`` are excluded too.
    fallback_daily_rate : array_like, optional
        Daily rate [cartons/day] valuing the stockout days of a cycle without
        any effective day; broadcast against the result. Without it such a
        cycle's P and F are NaN.
    axis : int, optional
        The day axis. Default: the last axis (a labelled input of two or more
        dimensions, such as a DataFrame, must name it).
    method : {"seed", "censored", "weekday"}, optional
        How the stockout days are valued (预计脱销销售). ``"seed"`` (default,
        the source's formula ``P = A / E × S``); ``"censored"``: the sum of
        the lost sales that the censored-demand model
        (:func:`~tobacco_metrics.fit_demand`) expects on the cycle's days —
        better whenever stores sell out during the day or demand moves from
        week to week (see the lost-sales page); F then follows from that P.
        A series the model cannot value (no in-stock day) keeps the counted
        P of a cycle without effective days: ``fallback_daily_rate`` × S, or
        NaN. ``"weekday"`` is a deprecated alias of ``"censored"``.
    start : datetime.date, ISO string or numpy.datetime64, optional
        The date of the first day; required by the model methods (weekday
        effects).

    Returns
    -------
    CycleMetrics
        Every metric, over the leading axes (scalars for one cycle).

    Raises
    ------
    InvalidValueError
        Negative or non-finite sales, stock, token stock or fallback rate.
    ShapeMismatchError
        ``sales`` and ``inventory`` differ in shape, or ``exclude`` /
        ``token_stock`` do not broadcast to it.
    EmptyInputError
        No days, or every day of a cycle excluded.

    Notes
    -----
    With D counted days, S stockout days, E = D − S, A = Σ sales:
    ``P = A / E × S`` (E > 0), ``F = A / (A + P)`` (1.0 when P == 0),
    ``stock_to_sales_ratio = closing_inventory / (A / D)``.

    Examples
    --------
    The worked example of the stock formulas page: 7 days, 30 cartons sold on 5 of them, 2
    days with neither sales nor stock.

    >>> m = cycle_metrics([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    >>> int(m.stockout_days), int(m.effective_days), float(m.projected_stockout_sales)
    (2, 5, 12.0)
    >>> round(float(m.fulfilment_ratio), 3), round(float(m.stock_to_sales_ratio), 2)
    (0.714, 3.27)
    """
    if method != "seed":
        counted = _cycle_metrics(sales, inventory, token_stock, exclude, fallback_daily_rate, axis)
        daily = model_daily_lost(
            sales, inventory, method, start, token_stock=token_stock, exclude=exclude, axis=axis
        )
        days_last = np.moveaxis(daily, -1 if axis is None else axis, -1)
        return with_projected(counted, day_sums(days_last))  # each series summed alike
    if (
        exclude is None
        and fallback_daily_rate is None
        and (axis is None or (type(axis) is int and axis in (-1, 0)))
    ):
        fast = _one_small_cycle(sales, inventory, token_stock)
        if fast is not None:
            return fast
    chunked = panel_metrics(
        Inputs(sales, inventory, token_stock, exclude, fallback_daily_rate, axis)
    )
    if chunked is not None:  # a large panel: through the chunked kernel, the same results
        return CycleMetrics(**chunked)
    return _cycle_metrics(sales, inventory, token_stock, exclude, fallback_daily_rate, axis)


# One cycle of a few days given as Python numbers (an ERP calling per row): the rules
# in Python floats, identical to the array path, which takes over for anything else.
_SMALL_DAYS = 64
_EXACT_WHOLE = 2**53  # whole numbers below this add up exactly in float64, in any order


def _plain_number(value: Any, whole: bool) -> bool:
    """A Python int or float, finite, >= 0, not -0.0, below 2**53 (and whole if asked)."""
    kind = type(value)
    if kind is int:
        return bool(0 <= value < _EXACT_WHOLE)
    if kind is not float:
        return False  # bool, numpy scalars, anything else: the array path decides
    if value == 0.0:
        return math.copysign(1.0, value) > 0
    return 0.0 < value < _EXACT_WHOLE and (not whole or value.is_integer())


def _plain_values(values: Any, *, whole: bool) -> list[Any] | None:
    """A short 1-D list of plain numbers (see _plain_number), or None."""
    if isinstance(values, np.ndarray):
        if values.ndim != 1 or values.dtype not in (np.int64, np.float64):
            return None
        values = values.tolist()
    elif type(values) not in (list, tuple):
        return None
    if not 0 < len(values) <= _SMALL_DAYS:
        return None
    if not all(_plain_number(value, whole) for value in values):
        return None
    return list(values)


def _one_small_cycle(sales: Any, inventory: Any, token_stock: Any) -> CycleMetrics | None:
    """cycle_metrics of one short cycle of whole numbers, or None to take the array path."""
    if type(token_stock) is not int or token_stock != 0:
        return None
    sales_values = _plain_values(sales, whole=True)
    inventory_values = _plain_values(inventory, whole=False)
    if (
        sales_values is None
        or inventory_values is None
        or len(sales_values) != len(inventory_values)
    ):
        return None
    actual = float(sum(sales_values))
    if actual >= _EXACT_WHOLE:
        return None
    days = len(sales_values)
    stockouts = sum(
        1
        for sold, stock in zip(sales_values, inventory_values, strict=True)
        if not sold and not stock
    )
    closing = float(inventory_values[-1])
    rules = scalar_finish(days, stockouts, actual, closing)
    if rules is None:
        return None
    projected, ratio, cover = rules
    return CycleMetrics(
        days=np.int64(days),
        stockout_days=np.int64(stockouts),
        effective_days=np.int64(days - stockouts),
        actual_sales=np.float64(actual),
        projected_stockout_sales=np.float64(projected),
        fulfilment_ratio=np.float64(ratio),
        stock_to_sales_ratio=np.float64(cover),
        closing_inventory=np.float64(closing),
        average_daily_sales=np.float64(actual / days),
    )


@overflow_guard
def _cycle_metrics(
    sales: ArrayLike,
    inventory: ArrayLike,
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    fallback_daily_rate: ArrayLike | None,
    axis: int | None,
) -> CycleMetrics:
    data = daily_data(sales, inventory, token_stock, exclude, axis)
    fallback_daily_rate = aligned_off_axis(
        fallback_daily_rate, "fallback_daily_rate", sales, "sales", data.day_axis
    )
    days = counted_days(data)
    stockouts = stockout_counts(data)
    actual = day_sums(data.sales, data.counted)
    if data.counted is None:
        closing = data.inventory[..., -1].astype(np.float64)
    else:
        last_counted = data.counted.shape[-1] - 1 - np.argmax(data.counted[..., ::-1], axis=-1)
        closing = np.take_along_axis(data.inventory, last_counted[..., np.newaxis], axis=-1)[
            ..., 0
        ].astype(np.float64)
    actual = np.asarray(actual)
    closing = np.asarray(closing)
    fallback = fallback_rates(fallback_daily_rate)
    if fallback is not None:
        fallback = broadcast_to_shape(fallback, actual.shape, "fallback_daily_rate")
    values: dict[str, Any] = {
        "days": days,
        "stockout_days": stockouts,
        "actual_sales": actual,
        "closing_inventory": closing,
    }
    values.update({name: np.empty(actual.shape, dtype=np.float64) for name in RULE_FIELDS})
    finish(values, fallback, _Scratch.allocate(max(actual.size, 1)))
    values = derived(values)
    return CycleMetrics(**{name: unwrap(seal(np.asarray(value))) for name, value in values.items()})
