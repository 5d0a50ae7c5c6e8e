"""Quotas: history window, base daily rate, reasonable quota, adjustments, agreed monthly total.

What a store should be supplied (source 篇3, 篇1 §5):

- 合理定量 (reasonable quota): "根据零售客户历史销量、客观销售能力等要素而确定的该客户货源供应基数"
  — the supply base of a store per delivery cycle, read from about three
  months of history with holidays and stockout days (token stock included)
  left out, and cut for the months a road closure or station rebuild lasts;
- 商定总量 (agreed monthly total): "以零售户前三月平均销售数据为基数" — the
  mean of the previous three months' sales, adjusted for changes around the
  store.

How the supply then reaches the store (weekly limits, rationing,
replenishment, the whole-carton splitter) is :mod:`tobacco_metrics.supply`;
its names stay importable from here for one release, with a
DeprecationWarning.

A quota is **float64** holding whole cartons, NaN where a series has no rate
(no valid day and no fallback): the dtype depends on the arguments' types
only, never on the values.  Dates are :class:`datetime.date` (a ``datetime``
where a date is meant is a :class:`TypeError`), calendar arithmetic is
dateutil's (``relativedelta``).
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
from dateutil import relativedelta as rd
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import supply as _supply
from tobacco_metrics._cartons import (
    Rounding,
    factor,
    quota_of_rate,
    round_cartons,
    rounding_mode,
    to_int64,
)
from tobacco_metrics._chunked import Inputs, seed_rate
from tobacco_metrics._daily import paired_daily
from tobacco_metrics._dataframes import aligned_off_axis
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._record import _Record
from tobacco_metrics._typing import BoolArray, FloatArray, FloatResult, IntResult
from tobacco_metrics._validation import (
    as_date,
    as_real_array,
    check_calendar_run,
    check_exact,
    day_axis,
    integer,
    items,
    non_negative_scalar,
    normalize_axis,
    overflow_guard,
    quantities,
    quantities_or_nan,
    require_dimension,
    result,
)
from tobacco_metrics.demand import LostSalesMethod, estimate_daily_demand
from tobacco_metrics.errors import EmptyInputError, InvalidValueError, MissingDataError

__all__ = [
    "QuotaAdjustment",
    "adjusted_quotas",
    "agreed_monthly_total",
    "base_daily_rate",
    "history_window",
    "holiday_mask",
    "reasonable_quota",
]

_MOVED_TO_SUPPLY: tuple[str, ...] = (
    "CycleLimit",
    "WeekdayLike",
    "allocate_supply",
    "order_days",
    "replenishment_order",
    "split_total",
    "weekly_limits",
)


def __getattr__(name: str) -> Any:
    """The names moved to :mod:`tobacco_metrics.supply`, with a DeprecationWarning."""
    if name in _MOVED_TO_SUPPLY:
        warnings.warn(
            f"tobacco_metrics.quota.{name} has moved to tobacco_metrics.supply "
            f"(and stays available as tobacco_metrics.{name}); "
            "the alias in tobacco_metrics.quota will be removed in the next minor release",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_supply, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- helpers


def _daily_rate(
    sales: ArrayLike,
    inventory: ArrayLike,
    exclude: ArrayLike | None,
    token_stock: ArrayLike,
    fallback_daily_rate: ArrayLike | None,
    method: LostSalesMethod,
    start: dt.date | str | np.datetime64 | None,
    axis: int | None,
) -> FloatArray:
    if method == "seed":  # a large panel: through the chunked kernel, the same results
        chunked = seed_rate(
            Inputs(sales, inventory, token_stock, exclude, fallback_daily_rate, axis)
        )
        if chunked is not None:
            return chunked
    day, sold, stock, token_stock, exclude = paired_daily(
        sales, inventory, token_stock, exclude, axis
    )
    fallback_daily_rate = aligned_off_axis(
        fallback_daily_rate, "fallback_daily_rate", sales, "sales", day
    )
    sold = as_real_array(sold, "sales")
    stock = as_real_array(stock, "inventory")
    rate = estimate_daily_demand(
        sold,
        stock,
        method=method,
        start=start,
        token_stock=token_stock,
        exclude=exclude,
        fallback_daily_rate=fallback_daily_rate,
        axis=day,
    )
    _exact_integers(sold, "sales")
    _exact_integers(stock, "inventory")
    return np.asarray(rate, dtype=np.float64)


def _exact_integers(array: NDArray[Any], name: str) -> None:
    """Integers above 2**53 would be rounded on their way into float64: refuse them.

    A float input is taken as given; a whole-carton result above 2**53 is
    refused by the rounding, whatever the inputs' type.
    """
    if array.dtype.kind in "iu":
        check_exact(array, name)


# --------------------------------------------------------------------------- windows and days


def history_window(end: dt.date, months: int = 3) -> tuple[dt.date, dt.date]:
    """The history window for a quota (合理定量): ``months`` calendar months ending on ``end``.

    The source takes about three months, "一般以3个月为限, 因为按我国节假日放假制度性质,
    每3个月必定有长假或小长假" — long enough that every window holds one long
    holiday, so it is neither a peak nor a slack season.

    Parameters
    ----------
    end : datetime.date
        The last day of the window (inclusive), e.g. the last day of last month.
    months : int, optional
        Calendar months in the window; >= 1. Default 3.

    Returns
    -------
    (datetime.date, datetime.date)
        ``(start, end)``, both inclusive.

    Raises
    ------
    TypeError
        ``end`` is not a date (a ``datetime`` is refused), ``months`` is not an int.
    InvalidValueError
        ``months`` < 1, or a window that would start before 0001-01-01.

    Notes
    -----
    ``start = (end + 1 day) − relativedelta(months=months)``: the window is the
    half-open ``[start, end + 1 day)`` of whole calendar months.  When ``end`` is
    the last day of a month the window is exactly the ``months`` months ending
    with it (ending 30 April: 1 February – 30 April, never from 31 January);
    otherwise it equals ``end − relativedelta(months=months) + 1 day`` except
    where dateutil clips a day-of-month that the start month lacks.

    Examples
    --------
    >>> import datetime as dt
    >>> history_window(dt.date(2026, 3, 31))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    >>> history_window(dt.date(2024, 4, 30))  # leap year: February has 29 days
    (datetime.date(2024, 2, 1), datetime.date(2024, 4, 30))
    >>> history_window(dt.date(2026, 3, 15), months=1)
    (datetime.date(2026, 2, 16), datetime.date(2026, 3, 15))
    """
    last = as_date(end, "end")
    count = integer(months, "months", 1)
    try:
        if last == dt.date.max:  # no day after it: the window is the months up to December 9999
            start = last.replace(day=1) - rd.relativedelta(months=count - 1)
        else:
            start = last + dt.timedelta(days=1) - rd.relativedelta(months=count)
    except (OverflowError, ValueError):  # before year 1, or a count dateutil cannot hold
        raise InvalidValueError(
            f"'months' {count} ending {last.isoformat()} reaches before 0001-01-01"
        ) from None
    return start, last


def holiday_mask(start: dt.date, days: int, holidays: Iterable[dt.date]) -> BoolArray:
    """A day mask that is True on holidays (节假日), for the ``exclude`` of the quota formulas.

    The source leaves holidays out of a quota's history: "在合理定量时会剔除这些节假日因素".
    No national calendar is built in: pass the dates your province observes
    (and combine the mask with closures or data holes with ``|``).

    Parameters
    ----------
    start : datetime.date
        The first day of the run.
    days : int
        Number of days in the run; >= 0.
    holidays : iterable of datetime.date
        Holiday dates (ISO strings accepted); dates outside the run are ignored,
        so a whole year's calendar can be passed.

    Returns
    -------
    ndarray of bool
        Shape ``(days,)``; True on the days that are holidays.

    Raises
    ------
    TypeError
        A date that is not a date (a ``datetime`` is refused), ``days`` not an
        int, ``holidays`` not an iterable.
    InvalidValueError
        ``days`` < 0, or a run that ends after 9999-12-31.

    Examples
    --------
    >>> import datetime as dt
    >>> holiday_mask(dt.date(2026, 1, 1), 5, [dt.date(2026, 1, 1), dt.date(2026, 1, 3)]).tolist()
    [True, False, True, False, False]
    """
    first = as_date(start, "start")
    count = integer(days, "days", 0)
    check_calendar_run(first, count, "the run of days")
    mask = np.zeros(count, dtype=np.bool_)
    for index, day in enumerate(items(holidays, "holidays", "dates")):
        offset = (as_date(day, f"holidays[{index}]") - first).days
        if 0 <= offset < count:
            mask[offset] = True
    return mask


# --------------------------------------------------------------------------- rate and quota


@keeps_labels(day_dim="date")
@overflow_guard
def base_daily_rate(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    exclude: ArrayLike | None = None,
    token_stock: ArrayLike = 0,
    fallback_daily_rate: ArrayLike | None = None,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
    axis: int | None = None,
) -> FloatResult:
    """Base daily sales rate of a store × brand, the ground of its reasonable quota (合理定量).

    The source counts only the days that show true demand: holidays are left
    out ("剔除这些节假日因素"), and so are stockout days, including those on which
    a store kept a token stock to dodge the count ("在统计有效天数时应当剔除部分门店刻意留有
    卷烟库存的天数, 一般某卷烟当天没有销量, 实际库存很小就应当视为脱销").

    Parameters
    ----------
    sales : array_like
        Quantity sold each day [cartons]; finite, >= 0; the day axis is ``axis``.
    inventory : array_like
        Closing stock each day [cartons]; finite, >= 0; the shape of ``sales``.
    exclude : array_like of bool, optional
        True on days left out (holidays from :func:`holiday_mask`, closures,
        data holes); broadcast against ``sales``.
    token_stock : array_like, optional
        Stock at or below which a day without sales is a stockout day
        (刻意留有库存) [cartons]; >= 0. Default 0.
    fallback_daily_rate : array_like, optional
        Rate [cartons/day] used where no day is valid (a new store, a brand out
        of stock the whole window); finite, >= 0; broadcast against the result.
    method : {"seed", "weekday", "censored"}, optional
        ``"seed"`` (default) is the source's rate below.  ``"weekday"`` and
        ``"censored"`` estimate the mean daily demand with the models of
        :func:`~tobacco_metrics.lost_sales`, which do not under-value the days
        that sold out (see :func:`~tobacco_metrics.estimate_daily_demand`);
        estimate a whole district in one call, the weekday profile is shared.
    start : datetime.date, ISO string or numpy.datetime64, optional
        The date of the first day; required by ``"weekday"`` and ``"censored"``.
    axis : int, optional
        The day axis. Default: the last one (-1); required for a labelled
        input of two or more dimensions (a DataFrame, a DataArray), whose
        orientation cannot be assumed.

    Returns
    -------
    numpy.float64 or ndarray of float64
        The rate [cartons/day]; the shape of ``sales`` without the day axis
        (a scalar for one series).  NaN where no day is valid and no fallback
        was given — the only case in which the rate cannot be estimated.

    Raises
    ------
    InvalidValueError
        Negative or non-finite sales, stock, token stock or fallback.
    ShapeMismatchError
        ``sales`` and ``inventory`` differ in shape, or ``exclude``,
        ``token_stock`` or the fallback do not broadcast.
    EmptyInputError
        The day axis is empty.

    Notes
    -----
    A day is *valid* iff it is not excluded and not a stockout day
    (``sales == 0 and inventory <= token_stock``).  With V the valid days,
    ``rate = Σ_{d ∈ V} sales[d] / |V|``; when ``|V| == 0`` (every day excluded
    or out) the rate is ``fallback_daily_rate``, or NaN.  Stockout days sell
    nothing, so excluding one changes nothing; a day that sold out part-way
    (sales > 0, closing stock 0) is valid: it sold.

    Examples
    --------
    Ten days: two stockout days, one holiday (day 0) left out.

    >>> import numpy as np
    >>> sales = [9, 4, 5, 0, 0, 6, 5, 4, 6, 0]
    >>> stock = [8, 6, 1, 0, 0, 9, 4, 1, 5, 2]
    >>> holiday = np.zeros(10, dtype=bool); holiday[0] = True
    >>> float(base_daily_rate(sales, stock, exclude=holiday))  # 30 cartons / 7 valid days
    4.285714285714286
    >>> float(base_daily_rate(sales, stock, exclude=holiday, token_stock=2))  # day 9 is out too
    5.0
    >>> base_daily_rate([[0, 0], [3, 1]], [[0, 0], [2, 0]]).tolist()
    [nan, 2.0]
    >>> base_daily_rate([[0, 0], [3, 1]], [[0, 0], [2, 0]], fallback_daily_rate=1.5).tolist()
    [1.5, 2.0]
    """
    rate = _daily_rate(
        sales, inventory, exclude, token_stock, fallback_daily_rate, method, start, axis
    )
    return result(rate)


@keeps_labels(day_dim="date")
@overflow_guard
def reasonable_quota(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    cycle_days: ArrayLike = 7,
    exclude: ArrayLike | None = None,
    token_stock: ArrayLike = 0,
    adjustment: ArrayLike = 1.0,
    rounding: Rounding | None = "half_up",
    fallback_daily_rate: ArrayLike | None = None,
    method: LostSalesMethod = "seed",
    start: dt.date | str | np.datetime64 | None = None,
    axis: int | None = None,
) -> FloatResult:
    """Reasonable quota (合理定量) per delivery cycle: the store's supply base (货源供应基数).

    "合理定量——是指根据零售客户历史销量、客观销售能力等要素而确定的该客户货源供应基数。"
    The history is the base daily rate of :func:`base_daily_rate` (holidays and
    stockout days left out); ``adjustment`` is the manager's market forecast
    (市场预测) for a short-term change:
    "1类客户碰到地铁维修、主要道路施工等就应考虑短期适当降低定量".

    Parameters
    ----------
    sales, inventory : array_like
        Daily sales and closing stock [cartons], as for :func:`base_daily_rate`;
        any leading axes (stores, brands) are carried through.
    cycle_days : array_like, optional
        Days in a delivery cycle (配送周期) [days]; whole numbers > 0, broadcast
        against the result. Default 7.
    exclude : array_like of bool, optional
        True on days left out (holidays, closures, data holes).
    token_stock : array_like, optional
        Stock at or below which a day without sales is out [cartons]. Default 0.
    adjustment : array_like, optional
        Factor for a short-term change (roadworks, a new competitor); finite,
        >= 0, broadcast against the result. Default 1.0.
    rounding : {"half_up", "ceil", "floor"} or None, optional
        How the quota becomes whole cartons; None keeps the exact float.
        Default "half_up".
    fallback_daily_rate : array_like, optional
        Rate [cartons/day] used where no day is valid.
    method, start, axis
        How the daily rate is estimated, the date of the first day and the
        day axis: as in :func:`base_daily_rate`. Default ``"seed"``, no
        start, the last axis.

    Returns
    -------
    numpy.float64 or ndarray of float64
        The quota per cycle [cartons]; the shape of ``sales`` without the day
        axis.  Always float64: whole cartons when ``rounding`` is given, the
        exact value when it is None, NaN where a series has no rate (no valid
        day, no fallback).  (Up to 0.1 the dtype was int64 when every series
        had a rate.)

    Raises
    ------
    InvalidValueError
        Negative or non-finite inputs, ``cycle_days`` not whole or 0, an unknown
        ``rounding``; integer sales or stock above 2**53 (float64, in which the
        rate is computed, would round them), or a rounded quota above 2**53.
    TypeError
        ``rounding`` is not a str or None.
    ShapeMismatchError
        Inputs that do not line up or broadcast.
    EmptyInputError
        The day axis is empty.

    Notes
    -----
    ``quota = rate × cycle_days × adjustment``, then rounded: half up
    (``floor(x + 0.5)``), up or down.  Before rounding, a value within 1e-9
    (relative) of a whole or half carton is taken as that value, so
    floating-point noise (``61 / 14 × 7 = 30.499999999999996``) never moves a
    carton.  Before rounding the quota is linear in ``adjustment`` and in
    ``cycle_days``.

    Examples
    --------
    >>> import numpy as np
    >>> sales = [9, 4, 5, 0, 0, 6, 5, 4, 6, 0]
    >>> stock = [8, 6, 1, 0, 0, 9, 4, 1, 5, 2]
    >>> holiday = np.zeros(10, dtype=bool); holiday[0] = True
    >>> reasonable_quota(sales, stock, exclude=holiday)  # 30 / 7 × 7 = 30
    np.float64(30.0)
    >>> reasonable_quota(sales, stock, exclude=holiday, adjustment=0.75)  # 22.5 → 23
    np.float64(23.0)
    >>> float(reasonable_quota(sales, stock, exclude=holiday, adjustment=0.75, rounding=None))
    22.5
    >>> reasonable_quota([[0, 0], [3, 1]], [[0, 0], [2, 0]]).tolist()  # no rate: NaN
    [nan, 14.0]
    """
    mode = rounding_mode(rounding)
    rate = _daily_rate(
        sales, inventory, exclude, token_stock, fallback_daily_rate, method, start, axis
    )
    day = -1 if axis is None else axis  # checked by _daily_rate
    cycle_days, adjustment = (
        aligned_off_axis(value, name, sales, "sales", day)
        for name, value in (("cycle_days", cycle_days), ("adjustment", adjustment))
    )
    return result(quota_of_rate(rate, cycle_days, adjustment, mode))


# --------------------------------------------------------------------------- adjustments


def _factor_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    non_negative_scalar(value, attribute.name)


def _reason(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name!r} must be a str, got {type(value).__name__}")


def _start_date(value: Any) -> dt.date:
    return as_date(value, "start")


def _end_date(value: Any) -> dt.date:
    return as_date(value, "end")


@attrs.frozen
class QuotaAdjustment(_Record):
    """A short-term change to a store's quota: market forecast (市场预测) in the source.

    The source's examples: a metro station rebuilt and the road widened for
    half a year ("地铁站改造, 同时周围马路扩修 … 工期预计半年"), a main road closed
    for works — the manager cuts the store's quota for the months it lasts
    and restores it after.

    Parameters
    ----------
    start, end : datetime.date
        The first and last day of the change (inclusive; ISO strings accepted);
        ``end >= start``.
    factor : float
        Multiplier of the quota while the change lasts; finite, >= 0 (0.6 cuts
        by 40 %, 0 suspends supply, 1.2 raises it).
    reason : str, optional
        Why, for the record (e.g. "地铁站改造"). Default "".

    Raises
    ------
    InvalidValueError
        ``factor`` < 0 or not finite, ``end`` before ``start``.
    TypeError
        A field of the wrong type (a ``datetime`` for a date, a str factor).

    Examples
    --------
    >>> import datetime as dt
    >>> works = QuotaAdjustment(dt.date(2026, 4, 1), dt.date(2026, 6, 30), 0.6, "道路施工")
    >>> works.covers(dt.date(2026, 6, 30)), works.covers(dt.date(2026, 7, 1))
    (True, False)
    >>> QuotaAdjustment.from_dict(works.to_dict()) == works
    True
    """

    start: dt.date = attrs.field(converter=_start_date)
    end: dt.date = attrs.field(converter=_end_date)
    factor: float = attrs.field(validator=_factor_value)
    reason: str = attrs.field(default="", validator=_reason)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                f"'end' must be >= 'start' ({self.start.isoformat()}): {self.end.isoformat()}"
            )

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls within ``start`` … ``end`` (inclusive)."""
        return self.start <= as_date(day, "day") <= self.end


@keeps_labels
@overflow_guard
def adjusted_quotas(
    base_quota: ArrayLike,
    cycle_starts: Iterable[dt.date],
    adjustments: Iterable[QuotaAdjustment],
) -> FloatArray:
    """A store's quota for each of a run of cycles, with short-term adjustments applied.

    The source's market forecast in practice: a road closure or a station
    rebuild cuts a store's quota (合理定量) by a factor for the months it lasts.

    Parameters
    ----------
    base_quota : array_like
        The quota per cycle without adjustment [cartons], e.g. from
        :func:`reasonable_quota` (per brand, per store …); finite, >= 0; NaN
        (no rate) is carried through.
    cycle_starts : iterable of datetime.date
        The first day (order day) of each cycle.
    adjustments : iterable of QuotaAdjustment
        The changes in force for these stores; may be empty.

    Returns
    -------
    ndarray of float64
        Shape ``np.shape(base_quota) + (len(cycle_starts),)`` (the cycle axis
        last) [cartons]: whole cartons, NaN where ``base_quota`` is NaN.
        (Up to 0.1 the dtype was int64 when no base quota was NaN.)

    Raises
    ------
    TypeError
        An adjustment that is not a QuotaAdjustment, a start that is not a date.
    InvalidValueError
        A negative or infinite base quota.

    Notes
    -----
    An adjustment applies to a cycle iff the cycle's start date falls within
    its ``start`` … ``end`` (inclusive); overlapping adjustments multiply.
    ``quota[..., k] = half_up(base_quota × Π_{a covers start_k} a.factor)``
    (values within 1e-9 of a half carton snap to it first).  The same
    adjustments apply to every element of ``base_quota``: call once per store
    when stores have different ones.

    Examples
    --------
    >>> import datetime as dt
    >>> starts = [dt.date(2026, 3, 30), dt.date(2026, 4, 6), dt.date(2026, 7, 6)]
    >>> works = QuotaAdjustment(dt.date(2026, 4, 1), dt.date(2026, 6, 30), 0.6, "道路施工")
    >>> adjusted_quotas(25, starts, [works]).tolist()  # 25 × 0.6 = 15
    [25.0, 15.0, 25.0]
    >>> extra = QuotaAdjustment(dt.date(2026, 4, 6), dt.date(2026, 4, 12), 0.5)
    >>> adjusted_quotas([25, 13], starts, [works, extra]).tolist()  # 25 × 0.3 = 7.5 → 8
    [[25.0, 8.0, 25.0], [13.0, 4.0, 13.0]]
    """
    base = quantities_or_nan(base_quota, "base_quota").astype(np.float64)
    starts = [
        as_date(day, f"cycle_starts[{i}]")
        for i, day in enumerate(items(cycle_starts, "cycle_starts", "dates"))
    ]
    changes = items(adjustments, "adjustments", "QuotaAdjustment")
    for index, change in enumerate(changes):
        if not isinstance(change, QuotaAdjustment):
            raise TypeError(
                f"'adjustments[{index}]' must be a QuotaAdjustment, got {type(change).__name__}"
            )
    factors = np.ones(len(starts), dtype=np.float64)
    for change in changes:
        factors[[change.covers(day) for day in starts]] *= change.factor
    quotas: FloatArray = base[..., np.newaxis] * factors
    return round_cartons(quotas, "half_up")


# --------------------------------------------------------------------------- monthly total


@keeps_labels
@overflow_guard
def agreed_monthly_total(
    monthly_sales: ArrayLike,
    *,
    months: int = 3,
    adjustment: ArrayLike = 1.0,
    axis: int | None = None,
) -> IntResult:
    """Agreed monthly total (商定总量): the mean of the last months' sales × adjustment.

    The source: "以零售户前三月平均销售数据为基数, 结合零售户周围商圈和业态变化情况,
    与零售进行商定总量" — the base is the mean of the previous three months'
    sales, adjusted for changes in the store's surroundings and format.

    Parameters
    ----------
    monthly_sales : array_like
        Monthly sales totals [cartons], oldest first along ``axis``; finite,
        >= 0.  Only the most recent ``months`` entries are used.
    months : int, optional
        How many months to average; >= 1. Default 3.
    adjustment : array_like, optional
        Factor for changes around the store; finite, >= 0, broadcast against
        the result. Default 1.0.
    axis : int, optional
        The month axis. Default: the last one (-1); required for a 2-D
        DataFrame or a DataArray (their orientation cannot be assumed).

    Returns
    -------
    numpy.int64 or ndarray of int64
        The agreed total [cartons] in whole cartons (half up); the shape of
        ``monthly_sales`` without the month axis.

    Raises
    ------
    EmptyInputError
        The month axis is empty.
    MissingDataError
        Fewer than ``months`` months along the axis.
    InvalidValueError
        Negative or non-finite values, ``months`` < 1; integer sales above
        2**53 (the mean is computed in float64, which would round them), or a
        total above 2**53.

    Notes
    -----
    ``total = half_up(adjustment × Σ_{last months} monthly_sales / months)``.

    Examples
    --------
    >>> agreed_monthly_total([150, 120, 130, 140])  # (120 + 130 + 140) / 3 = 130
    np.int64(130)
    >>> agreed_monthly_total([[120, 130, 140], [30, 31, 32]], adjustment=0.5).tolist()  # 65, 15.5
    [65, 16]
    """
    months_axis = day_axis(monthly_sales, "monthly_sales", axis, "months")
    adjustment = aligned_off_axis(
        adjustment, "adjustment", monthly_sales, "monthly_sales", months_axis
    )
    values = quantities(monthly_sales, "monthly_sales")
    _exact_integers(values, "monthly_sales")
    require_dimension(values, "monthly_sales", "the month axis")
    month_axis = normalize_axis(months_axis, values.ndim)
    count = integer(months, "months", 1)
    length = values.shape[month_axis]
    if length == 0:
        raise EmptyInputError("'monthly_sales' has no months: at least one is needed")
    if length < count:
        raise MissingDataError(
            f"'monthly_sales' has {length} month(s) along axis {months_axis}: "
            f"the mean of the last {count} needs at least {count}"
        )
    recent = np.moveaxis(values, month_axis, -1)[..., length - count :]
    mean = np.asarray(np.sum(recent, axis=-1, dtype=np.float64)) / count
    adjusted = mean * factor(adjustment, "adjustment", mean.shape)
    return result(to_int64(round_cartons(adjusted, "half_up")))
