"""Quotas and supply: reasonable quota, agreed monthly total, weekly limits, rationed supply.

The second half of a customer manager's arithmetic (source 篇3, 篇1 §5, 篇7):

- 合理定量 (reasonable quota): "根据零售客户历史销量、客观销售能力等要素而确定的该客户货源供应基数"
  — the supply base of a store per delivery cycle, read from about three
  months of history with holidays and stockout days (token stock included)
  left out, and cut for the months a road closure or station rebuild lasts;
- 商定总量 (agreed monthly total): "以零售户前三月平均销售数据为基数" — the
  mean of the previous three months' sales, adjusted for changes around the
  store;
- 周限量 (weekly limit): "合理的将客户当月供货总量分配到每个订货周期" — the agreed
  monthly total split over the month's order cycles;
- 统一增量 / 打折配货 (uniform increase / rationing): a supply that is long or
  short is shared out in proportion to the stores' requests;
- 供应商管理库存 (vendor-managed inventory): the supplier orders the store up
  to its quota.

Results handed to an ordering system are whole cartons (条) that add up
exactly: every split goes through one largest-remainder splitter
(:func:`split_total`) whose parts sum to the total and lie within one carton
of their exact proportional share.  Dates are :class:`datetime.date` (a
``datetime`` where a date is meant is a :class:`TypeError`), calendar
arithmetic is dateutil's (``relativedelta``, ``rrule``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TypeAlias, overload

import attrs
import numpy as np
from dateutil import relativedelta as rd
from dateutil import rrule
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _convert as cv
from tobacco_metrics._typing import (
    BoolArray,
    FloatArray,
    FloatResult,
    IntArray,
    IntResult,
    Scalar,
)
from tobacco_metrics._validation import (
    as_real_array,
    broadcast_arrays,
    broadcast_to_shape,
    check_finite,
    check_positive,
    format_position,
    non_negative_scalar,
    normalize_axis,
    overflow_guard,
    quantities,
    quantities_or_nan,
    unwrap,
)
from tobacco_metrics.demand import LostSalesMethod, estimate_daily_demand
from tobacco_metrics.domain import _Record
from tobacco_metrics.errors import (
    EmptyInputError,
    InvalidValueError,
    MissingDataError,
    ShapeMismatchError,
)

__all__ = [
    "CycleLimit",
    "QuotaAdjustment",
    "adjusted_quotas",
    "agreed_monthly_total",
    "allocate_supply",
    "base_daily_rate",
    "history_window",
    "holiday_mask",
    "order_days",
    "reasonable_quota",
    "replenishment_order",
    "split_total",
    "weekly_limits",
]

Rounding: TypeAlias = Literal["half_up", "ceil", "floor"]
"""How a quota is rounded to whole cartons; ``None`` keeps the float."""

WeekdayLike: TypeAlias = int | rd.weekday
"""An order weekday: Monday = 0 … Sunday = 6, or dateutil's ``MO`` … ``SU``."""

_ROUNDING_MODES: tuple[str, ...] = ("half_up", "ceil", "floor")
_SNAP = 1e-9  # relative distance within which a value is taken as a whole or half carton
_EXACT_FLOAT_INT = 2**53  # floats are exact integers up to here
_INT64_SAFE = 2**62  # products below this cannot overflow int64


# --------------------------------------------------------------------------- helpers: scalars


def _date(value: object, name: str) -> dt.date:
    """A ``datetime.date`` (an ISO 'YYYY-MM-DD' string or numpy datetime64 is accepted)."""
    if isinstance(value, dt.datetime):
        raise TypeError(
            f"{name!r} must be a date, not a datetime: {value!r}; use .date() if that is meant"
        )
    try:
        return cv.to_date(value)
    except TypeError:
        raise TypeError(f"{name!r} must be a datetime.date, got {type(value).__name__}") from None
    except InvalidValueError:
        raise InvalidValueError(f"{name!r} must be an ISO date 'YYYY-MM-DD': {value!r}") from None


def _integer(value: object, name: str, minimum: int, maximum: int | None = None) -> int:
    """A Python int in [minimum, maximum]; bools and floats are TypeErrors."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name!r} must be an int, got {type(value).__name__}")
    number = int(value)
    if number < minimum:
        raise InvalidValueError(f"{name!r} must be >= {minimum}: {number}")
    if maximum is not None and number > maximum:
        raise InvalidValueError(f"{name!r} must be <= {maximum}: {number}")
    return number


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name!r} must be a bool, got {type(value).__name__}")
    return bool(value)


def _weekday(value: object, name: str) -> int:
    """Monday = 0 … Sunday = 6, from an int or a plain dateutil weekday (MO, not MO(+1))."""
    if isinstance(value, rd.weekday):
        if value.n is not None:
            raise InvalidValueError(
                f"{name!r} must be a plain weekday such as MO, not an nth weekday: {value!r}"
            )
        return value.weekday
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{name!r} must be an int (Monday = 0 … Sunday = 6) or a dateutil weekday, "
            f"got {type(value).__name__}"
        )
    return _integer(value, name, 0, 6)


def _items(values: object, name: str) -> list[Any]:
    """Any iterable but a bare string, as a list."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name!r} must be an iterable of dates, got {type(values).__name__}")
    return list(values)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1) + rd.relativedelta(day=31)


# --------------------------------------------------------------------------- helpers: arrays


def _first_offender(bad: NDArray[np.bool_], values: NDArray[Any]) -> str:
    """'VALUE at index I' (or just 'VALUE' for a 0-d array) for the first True of ``bad``."""
    if values.ndim == 0:
        return f"{values[()].item()}"
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    return f"{values[first].item()} at index {format_position(first)}"


def _whole_quantities(value: ArrayLike, name: str) -> IntArray:
    """Whole, finite numbers >= 0 (cartons), as int64; whole-valued floats are accepted."""
    array = quantities(value, name)
    if array.dtype.kind == "f":
        fractional = array != np.floor(array)
        if fractional.any():
            raise InvalidValueError(
                f"{name!r} must be whole cartons: {_first_offender(fractional, array)}"
            )
        # Compared in float64: a float16 array cannot even hold the bound (a cast warning).
        too_large = array.astype(np.float64, copy=False) > _EXACT_FLOAT_INT
        if too_large.any():
            raise InvalidValueError(
                f"{name!r} must be <= 2**53 to be held exactly: {_first_offender(too_large, array)}"
            )
    elif array.dtype.kind == "u":
        too_large = array > np.iinfo(np.int64).max
        if too_large.any():
            raise InvalidValueError(
                f"{name!r} must fit in int64: {_first_offender(too_large, array)}"
            )
    return array.astype(np.int64, copy=False)


def _snap(values: FloatArray) -> FloatArray:
    """Take values within 1e-9 (relative) of a multiple of 0.5 as that multiple.

    ``61 / 14 * 7`` is 30.499999999999996 in floating point; without this a
    half-up rounding would give 30 cartons where the exact quota 30.5 gives 31,
    and ``ceil`` would turn ``29 / 7 * 7 == 29.000000000000004`` into 30.
    """
    halves = np.round(values * 2.0) / 2.0
    close = np.abs(values - halves) <= _SNAP * np.maximum(1.0, np.abs(values))
    snapped: FloatArray = np.where(close, halves, values)
    return snapped


def _round(values: FloatArray, mode: str) -> FloatArray:
    """Round to whole cartons (NaN stays NaN), after :func:`_snap`."""
    snapped = _snap(values)
    rounded: FloatArray
    if mode == "half_up":
        rounded = np.floor(snapped + 0.5)
    elif mode == "ceil":
        rounded = np.ceil(snapped)
    else:
        rounded = np.floor(snapped)
    return rounded


def _to_int64(values: FloatArray) -> IntArray:
    """Whole-valued finite floats as int64, or InvalidValueError if int64 cannot hold them."""
    too_large = np.abs(values) >= 2.0**63
    if too_large.any():
        raise InvalidValueError(
            "the result is too large for whole cartons in int64: "
            f"{_first_offender(too_large, values)}"
        )
    return values.astype(np.int64)


def _cartons(values: FloatArray) -> IntArray | FloatArray:
    """int64 when every value is known; float64 with its NaNs kept otherwise."""
    if np.isnan(values).any():
        return values
    return _to_int64(values)


def _rounding_mode(rounding: object) -> str | None:
    if rounding is None:
        return None
    if not isinstance(rounding, str):
        raise TypeError(
            f"'rounding' must be one of 'half_up', 'ceil', 'floor' or None, "
            f"got {type(rounding).__name__}"
        )
    if rounding not in _ROUNDING_MODES:
        raise InvalidValueError(
            f"'rounding' must be one of 'half_up', 'ceil', 'floor' or None: {rounding!r}"
        )
    return rounding


def _factor(value: ArrayLike, name: str, shape: tuple[int, ...]) -> FloatArray:
    """A finite array >= 0 broadcast (as a view) to ``shape``, as float64."""
    return broadcast_to_shape(quantities(value, name).astype(np.float64), shape, name)


def _cycle_days(value: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    days = as_real_array(value, "cycle_days")
    check_finite(days, "cycle_days")
    check_positive(days, "cycle_days")
    if days.dtype.kind == "f":
        fractional = days != np.floor(days)
        if fractional.any():
            raise InvalidValueError(
                f"'cycle_days' must be whole days: {_first_offender(fractional, days)}"
            )
    return broadcast_to_shape(days.astype(np.float64), shape, "cycle_days")


# --------------------------------------------------------------------------- helpers: rate


def _daily_rate(
    sales: ArrayLike,
    inventory: ArrayLike,
    exclude: ArrayLike | None,
    token_stock: ArrayLike,
    fallback_daily_rate: ArrayLike | None,
    method: LostSalesMethod,
    start: dt.date | str | np.datetime64 | None,
    axis: int,
) -> FloatArray:
    rate = estimate_daily_demand(
        sales,
        inventory,
        method=method,
        start=start,
        token_stock=token_stock,
        exclude=exclude,
        fallback_daily_rate=fallback_daily_rate,
        axis=axis,
    )
    return np.asarray(rate, dtype=np.float64)


# --------------------------------------------------------------------------- helpers: splitting


def _exact_integer_weights(weights: NDArray[Any]) -> NDArray[Any]:
    """Weights as exact integers in the same proportions (Python ints for fractional floats)."""
    if weights.dtype.kind in "iu":
        if weights.dtype.kind == "u" and weights.size and weights.max() > np.iinfo(np.int64).max:
            return weights.astype(object)
        return weights.astype(np.int64, copy=False)
    whole = bool((weights == np.floor(weights)).all())
    if whole and (weights.size == 0 or float(weights.max()) <= _EXACT_FLOAT_INT):
        return weights.astype(np.int64)
    # A float is m / 2**k exactly: scale every weight by the largest 2**k.
    ratios = [value.as_integer_ratio() for value in weights.ravel().tolist()]
    denominator = max(den for _, den in ratios)
    scaled = np.empty(len(ratios), dtype=object)
    scaled[:] = [num * (denominator // den) for num, den in ratios]
    return scaled.reshape(weights.shape)


def _split(
    total: IntArray, weights: NDArray[Any], names: tuple[str, str] = ("total", "weights")
) -> IntArray:
    """Largest-remainder split of ``total`` (shape S) by ``weights`` (shape S + (n,)).

    Exact integer arithmetic throughout, so ties are exact and go to the
    earlier position (a stable sort on the remainders).
    """
    exact = _exact_integer_weights(weights)
    n = exact.shape[-1]
    big = exact.dtype == object or (
        exact.size > 0
        and (
            int(exact.max()) * n >= _INT64_SAFE
            or int(exact.max()) * int(total.max(initial=0)) >= _INT64_SAFE
        )
    )
    totals: NDArray[Any] = total.astype(object) if big else total
    if big:
        exact = exact.astype(object)
    weight_sum = np.asarray(exact.sum(axis=-1), dtype=exact.dtype)
    impossible = (weight_sum == 0) & (totals > 0)
    if np.any(impossible):
        raise InvalidValueError(
            f"{names[1]!r} must not all be 0 where {names[0]!r} is > 0 (nothing to split it by): "
            f"{names[0]} {_first_offender(np.asarray(impossible), np.asarray(totals))}"
        )
    divisor = np.where(weight_sum == 0, 1, weight_sum)[..., np.newaxis]
    products = totals[..., np.newaxis] * exact
    floors = products // divisor
    remainders = products % divisor
    deficit = totals - floors.sum(axis=-1)  # in [0, n): Σ remainders / divisor
    order = np.argsort(-remainders, axis=-1, kind="stable")
    ranks = np.argsort(order, axis=-1, kind="stable")
    parts = floors + (ranks < np.asarray(deficit)[..., np.newaxis])
    return np.asarray(parts).astype(np.int64)


def _row_sums(values: IntArray) -> NDArray[Any]:
    """Sums over the last axis, exact (Python ints) when int64 could overflow."""
    if values.size and int(values.max()) * values.shape[-1] >= _INT64_SAFE:
        return np.asarray(values.astype(object).sum(axis=-1))
    return np.asarray(values.sum(axis=-1, dtype=np.int64))


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
    last = _date(end, "end")
    count = _integer(months, "months", 1)
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
        ``days`` < 0.

    Examples
    --------
    >>> import datetime as dt
    >>> holiday_mask(dt.date(2026, 1, 1), 5, [dt.date(2026, 1, 1), dt.date(2026, 1, 3)]).tolist()
    [True, False, True, False, False]
    """
    first = _date(start, "start")
    count = _integer(days, "days", 0)
    mask = np.zeros(count, dtype=np.bool_)
    for index, day in enumerate(_items(holidays, "holidays")):
        offset = (_date(day, f"holidays[{index}]") - first).days
        if 0 <= offset < count:
            mask[offset] = True
    return mask


def order_days(year: int, month: int, weekday: WeekdayLike) -> list[dt.date]:
    """The order dates (订货日) of a month for a store that orders on one weekday.

    Parameters
    ----------
    year : int
        1 … 9999.
    month : int
        1 … 12.
    weekday : int or dateutil weekday
        The store's order weekday: an int as :meth:`datetime.date.weekday`
        (Monday = 0 … Sunday = 6) or a plain dateutil constant (``MO`` … ``SU``).

    Returns
    -------
    list of datetime.date
        Every such weekday of the month, in order (4 or 5 of them).

    Raises
    ------
    TypeError
        A non-int year, month or weekday (bools included).
    InvalidValueError
        A year, month or weekday out of range, or an nth weekday such as ``MO(+1)``.

    Notes
    -----
    Built with ``rrule(WEEKLY, byweekday=weekday, dtstart=first day, until=last day)``.

    Examples
    --------
    >>> from dateutil.rrule import TU
    >>> [day.day for day in order_days(2026, 4, TU)]
    [7, 14, 21, 28]
    >>> [day.day for day in order_days(2026, 4, 2)]  # Wednesdays
    [1, 8, 15, 22, 29]
    """
    number = _integer(year, "year", 1, 9999)
    month_number = _integer(month, "month", 1, 12)
    day_of_week = _weekday(weekday, "weekday")
    first = dt.datetime(number, month_number, 1)
    last = first + rd.relativedelta(day=31)
    rule = rrule.rrule(rrule.WEEKLY, dtstart=first, until=last, byweekday=day_of_week)
    days: list[dt.date] = []
    try:
        for moment in rule:
            days.append(moment.date())
    except ValueError:  # dateutil looks a week past 9999-12-31 before it stops
        if number != dt.MAXYEAR:
            raise
    return days


# --------------------------------------------------------------------------- rate and quota


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
    axis: int = -1,
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
        The day axis. Default -1.

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
    return unwrap(rate)  # type: ignore[no-any-return]


@overload
def reasonable_quota(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    cycle_days: ArrayLike = ...,
    exclude: ArrayLike | None = ...,
    token_stock: ArrayLike = ...,
    adjustment: ArrayLike = ...,
    rounding: None,
    fallback_daily_rate: ArrayLike | None = ...,
    method: LostSalesMethod = ...,
    start: dt.date | str | np.datetime64 | None = ...,
    axis: int = ...,
) -> FloatResult: ...
@overload
def reasonable_quota(
    sales: ArrayLike,
    inventory: ArrayLike,
    *,
    cycle_days: ArrayLike = ...,
    exclude: ArrayLike | None = ...,
    token_stock: ArrayLike = ...,
    adjustment: ArrayLike = ...,
    rounding: Rounding = ...,
    fallback_daily_rate: ArrayLike | None = ...,
    method: LostSalesMethod = ...,
    start: dt.date | str | np.datetime64 | None = ...,
    axis: int = ...,
) -> IntResult | FloatResult: ...
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
    axis: int = -1,
) -> IntResult | FloatResult:
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
    method : {"seed", "weekday", "censored"}, optional
        How the daily rate is estimated; see :func:`base_daily_rate`. Default "seed".
    start : datetime.date, ISO string or numpy.datetime64, optional
        The date of the first day; required by ``"weekday"`` and ``"censored"``.
    axis : int, optional
        The day axis. Default -1.

    Returns
    -------
    numpy scalar or ndarray
        The quota per cycle [cartons]; the shape of ``sales`` without the day
        axis.  **dtype**: int64 when ``rounding`` is given and every element has
        a rate; float64 when ``rounding`` is None, and also when some element
        has no rate (no valid day, no fallback): that element is NaN and the
        others are whole-valued floats.

    Raises
    ------
    InvalidValueError
        Negative or non-finite inputs, ``cycle_days`` not whole or 0, an unknown
        ``rounding``.
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
    np.int64(30)
    >>> reasonable_quota(sales, stock, exclude=holiday, adjustment=0.75)  # 22.5 → 23
    np.int64(23)
    >>> float(reasonable_quota(sales, stock, exclude=holiday, adjustment=0.75, rounding=None))
    22.5
    >>> reasonable_quota([[0, 0], [3, 1]], [[0, 0], [2, 0]]).tolist()  # no rate: NaN, float
    [nan, 14.0]
    """
    mode = _rounding_mode(rounding)
    rate = _daily_rate(
        sales, inventory, exclude, token_stock, fallback_daily_rate, method, start, axis
    )
    days = _cycle_days(cycle_days, rate.shape)
    factor = _factor(adjustment, "adjustment", rate.shape)
    quota = rate * days * factor
    if mode is None:
        return unwrap(quota)  # type: ignore[no-any-return]
    return unwrap(_cartons(_round(quota, mode)))  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- adjustments


def _factor_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    non_negative_scalar(value, attribute.name)


def _reason(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name!r} must be a str, got {type(value).__name__}")


def _start_date(value: Any) -> dt.date:
    return _date(value, "start")


def _end_date(value: Any) -> dt.date:
    return _date(value, "end")


def _order_date(value: Any) -> dt.date:
    return _date(value, "order_day")


def _positive_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _integer(value, attribute.name, 1)


def _non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _integer(value, attribute.name, 0)


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
        return self.start <= _date(day, "day") <= self.end


@overflow_guard
def adjusted_quotas(
    base_quota: ArrayLike,
    cycle_starts: Iterable[dt.date],
    adjustments: Iterable[QuotaAdjustment],
) -> IntArray | FloatArray:
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
    ndarray
        Shape ``np.shape(base_quota) + (len(cycle_starts),)`` (the cycle axis
        last) [cartons].  **dtype**: int64, or float64 with NaN where
        ``base_quota`` is NaN (the others whole-valued).

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
    [25, 15, 25]
    >>> extra = QuotaAdjustment(dt.date(2026, 4, 6), dt.date(2026, 4, 12), 0.5)
    >>> adjusted_quotas([25, 13], starts, [works, extra]).tolist()  # 25 × 0.3 = 7.5 → 8
    [[25, 8, 25], [13, 4, 13]]
    """
    base = quantities_or_nan(base_quota, "base_quota").astype(np.float64)
    starts = [
        _date(day, f"cycle_starts[{i}]")
        for i, day in enumerate(_items(cycle_starts, "cycle_starts"))
    ]
    changes = _items(adjustments, "adjustments")
    for index, change in enumerate(changes):
        if not isinstance(change, QuotaAdjustment):
            raise TypeError(
                f"'adjustments[{index}]' must be a QuotaAdjustment, got {type(change).__name__}"
            )
    factors = np.ones(len(starts), dtype=np.float64)
    for change in changes:
        factors[[change.covers(day) for day in starts]] *= change.factor
    quotas: FloatArray = base[..., np.newaxis] * factors
    return _cartons(_round(quotas, "half_up"))


# --------------------------------------------------------------------------- monthly total


@overflow_guard
def agreed_monthly_total(
    monthly_sales: ArrayLike,
    *,
    months: int = 3,
    adjustment: ArrayLike = 1.0,
    axis: int = -1,
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
        The month axis. Default -1.

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
        Negative or non-finite values, ``months`` < 1.

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
    values = quantities(monthly_sales, "monthly_sales")
    month_axis = normalize_axis(axis, values.ndim)
    count = _integer(months, "months", 1)
    length = values.shape[month_axis]
    if length == 0:
        raise EmptyInputError("'monthly_sales' has no months: at least one is needed")
    if length < count:
        raise MissingDataError(
            f"'monthly_sales' has {length} month(s) along axis {axis}: "
            f"the mean of the last {count} needs at least {count}"
        )
    recent = np.moveaxis(values, month_axis, -1)[..., length - count :]
    mean = np.asarray(np.sum(recent, axis=-1, dtype=np.float64)) / count
    factor = _factor(adjustment, "adjustment", mean.shape)
    return unwrap(_to_int64(_round(mean * factor, "half_up")))  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- splitting


def split_total(total: ArrayLike, weights: ArrayLike) -> IntArray:
    """Split whole cartons in proportion to weights, exactly (largest remainder).

    The one splitter behind :func:`weekly_limits` (周限量) and
    :func:`allocate_supply` (打折配货 / 统一增量): a total handed to an ordering
    system must come back as whole parts that neither lose nor invent a carton.

    Parameters
    ----------
    total : array_like
        Whole cartons to split; >= 0 (whole-valued floats accepted); broadcast
        against ``weights`` without its last axis.
    weights : array_like
        Non-negative finite weights, the parts along the last axis (int or
        float; only their proportions matter).

    Returns
    -------
    ndarray of int64
        The parts, the shape of ``weights``.

    Raises
    ------
    InvalidValueError
        A negative, non-finite or fractional total, a negative or non-finite
        weight, or all weights 0 with a total > 0.
    ShapeMismatchError
        ``weights`` is a scalar, or ``total`` does not broadcast.
    EmptyInputError
        No parts (the last axis of ``weights`` is empty).

    Notes
    -----
    With share ``s_i = total × w_i / Σw``, each part is ``floor(s_i)`` plus one
    for the ``total − Σ floor(s_i)`` positions with the largest fractional
    parts; ties go to the earlier position.  Hence ``Σ parts == total`` and
    ``floor(s_i) <= part_i <= ceil(s_i)``; a zero weight gets 0; a larger
    weight never gets less.  The arithmetic is exact integer arithmetic (a
    float weight is an exact binary fraction), so ties are real ties.

    Examples
    --------
    >>> split_total(10, [1, 1, 1]).tolist()  # 3⅓ each: the first gets the spare carton
    [4, 3, 3]
    >>> split_total(100, [7, 7, 7, 7, 3]).tolist()  # shares 22.58… and 9.68
    [23, 23, 22, 22, 10]
    >>> split_total([5, 0], [[2, 0, 1], [0, 0, 0]]).tolist()
    [[3, 0, 2], [0, 0, 0]]
    """
    parts = quantities(weights, "weights")
    if parts.ndim == 0:
        raise ShapeMismatchError(
            "'weights' must have at least one dimension (the parts), got a scalar"
        )
    if parts.shape[-1] == 0:
        raise EmptyInputError("'weights' has no parts: nothing to split the total into")
    totals = broadcast_to_shape(_whole_quantities(total, "total"), parts.shape[:-1], "total")
    return _split(totals, parts)


@attrs.frozen
class CycleLimit(_Record):
    """One order cycle's weekly limit (周限量), as :func:`weekly_limits` returns it.

    Parameters
    ----------
    order_day : datetime.date
        The order day that opens the cycle.
    days_covered : int
        Days of the month the cycle covers, from its order day to the day
        before the next (cut at the month's end) [days]; >= 1.
    limit : int
        Whole cartons the store may order in the cycle [cartons]; >= 0.

    Examples
    --------
    >>> import datetime as dt
    >>> cycle = CycleLimit(dt.date(2026, 4, 28), 3, 12)
    >>> cycle.last_day
    datetime.date(2026, 4, 30)
    >>> cycle.to_dict()
    {'order_day': '2026-04-28', 'days_covered': 3, 'limit': 12}
    """

    order_day: dt.date = attrs.field(converter=_order_date)
    days_covered: int = attrs.field(validator=_positive_int)
    limit: int = attrs.field(validator=_non_negative_int)

    def __attrs_post_init__(self) -> None:
        # In Python ints: a numpy integer would wrap around instead of exceeding the bound.
        if self.order_day.toordinal() + int(self.days_covered) - 1 > dt.date.max.toordinal():
            raise InvalidValueError(
                f"'days_covered' {self.days_covered} from {self.order_day.isoformat()} "
                f"runs past {dt.date.max.isoformat()}"
            )

    @property
    def last_day(self) -> dt.date:
        """The last day the cycle covers (inclusive)."""
        return self.order_day + dt.timedelta(days=self.days_covered - 1)


def weekly_limits(
    monthly_total: int,
    year: int,
    month: int,
    *,
    order_weekday: WeekdayLike,
    weights: Literal["days", "equal"] | Sequence[float] | ArrayLike = "days",
) -> tuple[CycleLimit, ...]:
    """Split a month's agreed total (商定总量) into weekly limits (周限量), one per order cycle.

    The source: "为客户制定合理的周限量, 是避免客户在使用商定量时发生不足情况的有效措施。
    合理的将客户当月供货总量分配到每个订货周期 …" — spreading the month's total over
    its order cycles keeps a store from running through it early.

    Parameters
    ----------
    monthly_total : int
        The agreed total for the month [cartons]; whole, >= 0.
    year, month : int
        The month.
    order_weekday : int or dateutil weekday
        The store's order weekday (Monday = 0, or ``MO`` … ``SU``).
    weights : {"days", "equal"} or sequence of float, optional
        "days" (default): each cycle weighs the days of the month it covers;
        "equal": every cycle weighs the same; or one non-negative weight per
        order day (e.g. heavier before a holiday).

    Returns
    -------
    tuple of CycleLimit
        One per order day of the month, in order; the limits sum exactly to
        ``monthly_total``.

    Raises
    ------
    InvalidValueError
        A negative or fractional total, an unknown weights name, negative
        weights, or all-zero weights with a total > 0.
    ShapeMismatchError
        Custom weights whose length is not the number of order days.
    TypeError
        Wrong argument types (see :func:`order_days`).

    Notes
    -----
    A cycle covers its order day up to the day before the next order day, the
    last one up to the month's end; the days before the first order day were
    covered by the previous month's last cycle and weigh nothing here.  The
    split is :func:`split_total`: whole cartons, each within one carton of its
    exact share, ties to the earlier cycle.

    Examples
    --------
    April 2026, a store ordering on Tuesdays (7, 14, 21, 28): the cycles cover
    7, 7, 7 and 3 days of the 24 from the first order day; shares 35, 35, 35, 15.

    >>> from dateutil.rrule import TU
    >>> limits = weekly_limits(120, 2026, 4, order_weekday=TU)
    >>> [(c.order_day.day, c.days_covered, c.limit) for c in limits]
    [(7, 7, 35), (14, 7, 35), (21, 7, 35), (28, 3, 15)]
    >>> sum(c.limit for c in limits)
    120
    >>> [c.limit for c in weekly_limits(130, 2026, 4, order_weekday=TU, weights="equal")]
    [33, 33, 32, 32]
    """
    total = _whole_quantities(monthly_total, "monthly_total")
    if total.ndim != 0:
        raise ShapeMismatchError(
            f"'monthly_total' must be a single number, got an array of shape {total.shape}"
        )
    days = order_days(year, month, order_weekday)
    # Ordinals, not dates: the day after 9999-12-31 is not a date.
    after_month = _last_day(days[0].year, days[0].month).toordinal() + 1
    covered = [
        following - day.toordinal()
        for day, following in zip(
            days, [*(day.toordinal() for day in days[1:]), after_month], strict=True
        )
    ]
    weight_array: NDArray[Any]
    if isinstance(weights, str):
        if weights == "days":
            weight_array = np.asarray(covered, dtype=np.int64)
        elif weights == "equal":
            weight_array = np.ones(len(days), dtype=np.int64)
        else:
            raise InvalidValueError(
                f"'weights' must be 'days', 'equal' or one weight per order day: {weights!r}"
            )
    else:
        weight_array = quantities(weights, "weights")
        if weight_array.shape != (len(days),):
            raise ShapeMismatchError(
                f"'weights' must hold one weight per order day ({len(days)}): "
                f"shape {weight_array.shape}"
            )
    limits = _split(total, weight_array, ("monthly_total", "weights"))
    return tuple(
        CycleLimit(day, span, int(limit))
        for day, span, limit in zip(days, covered, limits.tolist(), strict=True)
    )


def allocate_supply(
    requests: ArrayLike, available: ArrayLike, *, allow_increase: bool = False
) -> IntArray:
    """Share a supply out over store requests: rationing (打折配货) or uniform increase (统一增量).

    The source: "供应商根据本公司货源情况, 再实行统一增量或者打折配货" — when a brand
    is short every store's order is cut by the same ratio (e.g. "统一打6折投放"),
    when it is long the supplier may add to every order in proportion.

    Parameters
    ----------
    requests : array_like
        What each store asked for [cartons], the stores along the last axis;
        whole, >= 0 (leading axes, e.g. brands, are carried through).
    available : array_like
        The supply [cartons]; whole, >= 0; broadcast against ``requests``
        without its last axis.
    allow_increase : bool, optional
        Spread a long supply over the requests too (统一增量). Default False.

    Returns
    -------
    ndarray of int64
        The allocation, the shape of ``requests``.

    Raises
    ------
    InvalidValueError
        Negative, non-finite or fractional requests or supply.
    ShapeMismatchError
        ``requests`` is a scalar, or ``available`` does not broadcast.
    EmptyInputError
        No stores (the last axis is empty).
    TypeError
        ``allow_increase`` is not a bool.

    Notes
    -----
    The target is ``min(available, Σ requests)``, or ``available`` with
    ``allow_increase`` (0 when nobody asked for anything); it is split in
    proportion to the requests by :func:`split_total`.  So the allocation sums
    exactly to the target, a store that asked for nothing gets nothing, and
    each store gets within one carton of ``request × target / Σ requests`` —
    never more than its request when supply is short, never less when it is
    long.

    Examples
    --------
    40 cartons for requests of 20, 15, 10 and 5 (a 0.8 cut: 16, 12, 8, 4):

    >>> allocate_supply([20, 15, 10, 5], 40).tolist()
    [16, 12, 8, 4]
    >>> allocate_supply([10, 10, 10], 20).tolist()  # 6⅔ each
    [7, 7, 6]

    A long supply: without ``allow_increase`` every store gets its request;
    with it the 40 cartons are spread 2 : 1 (26⅔ and 13⅓).

    >>> allocate_supply([10, 5], 40).tolist()
    [10, 5]
    >>> allocate_supply([10, 5], 40, allow_increase=True).tolist()
    [27, 13]
    """
    wanted = _whole_quantities(requests, "requests")
    increase = _flag(allow_increase, "allow_increase")
    if wanted.ndim == 0:
        raise ShapeMismatchError(
            "'requests' must have at least one dimension (the stores), got a scalar"
        )
    if wanted.shape[-1] == 0:
        raise EmptyInputError("'requests' has no stores: nothing to allocate to")
    supply = broadcast_to_shape(
        _whole_quantities(available, "available"), wanted.shape[:-1], "available"
    )
    asked = _row_sums(wanted)
    # 统一增量 spreads all of a long supply; nobody asked → nothing to spread.
    target = np.where(asked > 0, supply, 0) if increase else np.minimum(supply, asked)
    return _split(np.asarray(target), wanted, ("available", "requests"))


@overload
def replenishment_order(quota: Scalar, inventory: Scalar) -> np.int64: ...
@overload
def replenishment_order(quota: ArrayLike, inventory: ArrayLike) -> IntResult: ...
@overflow_guard
def replenishment_order(quota: ArrayLike, inventory: ArrayLike) -> np.int64 | IntResult:
    """Order up to the quota from the store's stock (订单供货 / 供应商管理库存).

    "供应商管理库存——是指供应商等上游企业基于其下游客户的生产经营、库存信息,
    对下游客户的库存进行管理与控制" — under vendor-managed inventory the
    supplier fills the store up to its reasonable quota (the supply base,
    供应基数) from the stock it reports.

    Parameters
    ----------
    quota : array_like
        The order-up-to level [cartons], e.g. from :func:`reasonable_quota`;
        finite, >= 0 (a NaN quota must be filled, e.g. with a fallback rate,
        before ordering).
    inventory : array_like
        The store's stock [cartons]; finite, >= 0; broadcast against ``quota``.

    Returns
    -------
    numpy.int64 or ndarray of int64
        Whole cartons to order; the inputs broadcast together.

    Raises
    ------
    InvalidValueError
        Negative or non-finite (NaN included) quota or stock.
    ShapeMismatchError
        The inputs do not broadcast.

    Notes
    -----
    ``order = max(0, floor(quota − inventory))``: never below zero (a store
    above its quota gets nothing, nothing is taken back), and with a
    fractional stock (open packs) up to but not beyond the quota.  A
    difference within 1e-9 (relative) of a whole carton is taken as that
    carton, so floating-point noise never costs one.

    Examples
    --------
    >>> replenishment_order(30, 12)
    np.int64(18)
    >>> replenishment_order([30, 30, 30], [35, 0, 4.5]).tolist()
    [0, 30, 25]
    """
    level, stock = broadcast_arrays(
        ("quota", quantities(quota, "quota")),
        ("inventory", quantities(inventory, "inventory")),
    )
    if level.dtype.kind in "iu" and stock.dtype.kind in "iu":
        whole = np.maximum(level.astype(np.int64) - stock.astype(np.int64), 0)
        return unwrap(whole)  # type: ignore[no-any-return]
    missing = np.maximum(level.astype(np.float64) - stock.astype(np.float64), 0.0)
    return unwrap(_to_int64(_round(missing, "floor")))  # type: ignore[no-any-return]
