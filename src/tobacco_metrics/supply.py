"""Supply: splitting totals into whole cartons, weekly limits, rationing, replenishment.

How a store's quota reaches it (source 篇1 §5, 篇3, 篇7):

- 周限量 (weekly limit): "合理的将客户当月供货总量分配到每个订货周期" — the agreed
  monthly total split over the month's order cycles, and, per price class,
  "以周限量来平衡客户对中低档卷烟的进购量" — hold the easy-selling classes IV/V
  to weekly limits so that a store's orders are not mostly class IV;
- 统一增量 / 打折配货 (uniform increase / rationing): a supply that is long or
  short is shared out in proportion to the stores' requests;
- 供应商管理库存 (vendor-managed inventory): the supplier orders the store up
  to its quota.

Results handed to an ordering system are whole cartons (条) that add up
exactly: every split goes through one largest-remainder splitter
(:func:`split_total`) whose parts sum to the total and lie within one carton
of their exact proportional share.  Dates are :class:`datetime.date`;
calendar arithmetic is dateutil's (``relativedelta``, ``rrule``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._calendar import month_order_days
from tobacco_metrics._cartons import round_cartons, row_sums, split, to_int64
from tobacco_metrics._html import notebook_table, weekly_limits_html
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._order_cycles import (
    CycleWeights,
    WeekdayLike,
    check_moved,
    check_moved_tuple,
    day_tuple,
    int_tuple,
    limit_array,
    split_over_order_days,
    to_moved_from,
    to_moved_tuple,
    to_order_day,
)
from tobacco_metrics._ratios import ratio_or_nan
from tobacco_metrics._record import _Record
from tobacco_metrics._results import ReadOnlyCopies, as_result
from tobacco_metrics._series_labels import series_position
from tobacco_metrics._typing import FloatResult, IntArray, IntResult
from tobacco_metrics._validation import (
    aligned,
    as_date,
    broadcast_arrays,
    broadcast_to_shape,
    flag,
    int_at_least,
    integer,
    items,
    overflow_guard,
    quantities,
    require_dimension,
    result,
    whole_quantities,
)
from tobacco_metrics.errors import EmptyInputError, InvalidValueError, ShapeMismatchError
from tobacco_metrics.pricing import PriceClass

__all__ = [
    "ClassLimits",
    "CycleLimit",
    "WeeklyLimits",
    "allocate_supply",
    "class_limits",
    "order_days",
    "replenishment_order",
    "split_total",
    "weekly_limits",
]

# --------------------------------------------------------------------------- splitting


@keeps_labels
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
        The parts, the shape of ``weights`` (with ``total``'s leading axes).

    Raises
    ------
    InvalidValueError
        A negative, non-finite or fractional total, a negative or non-finite
        weight, or all weights 0 with a total > 0.
    ShapeMismatchError
        ``weights`` is a scalar, or ``total`` does not broadcast, or a labelled
        ``total`` (pandas, xarray) whose labels differ from the weights' rows
        (labels in another order are aligned).
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
    >>> split_total([124, 100], [1, 1, 1, 1, 1]).tolist()  # one weight row for every total
    [[25, 25, 25, 25, 24], [20, 20, 20, 20, 20]]
    """
    weights, total = aligned(("weights", weights), ("total", total, 1))
    parts = quantities(weights, "weights")
    require_dimension(parts, "weights", "the parts")
    if parts.shape[-1] == 0:
        raise EmptyInputError("'weights' has no parts: nothing to split the total into")
    totals = whole_quantities(total, "total")
    try:
        shape = np.broadcast_shapes(totals.shape, parts.shape[:-1])
    except ValueError:
        raise ShapeMismatchError(
            f"'total' with shape {totals.shape} does not broadcast to the weights' rows "
            f"{parts.shape[:-1]}"
        ) from None
    return split(
        np.broadcast_to(totals, shape),
        broadcast_to_shape(parts, (*shape, parts.shape[-1]), "weights"),
    )


# --------------------------------------------------------------------------- order days


def order_days(
    year: int,
    month: int,
    weekday: WeekdayLike,
    *,
    holidays: Collection[dt.date | str] = (),
    makeup_workdays: Collection[dt.date | str] = (),
) -> list[dt.date]:
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
    holidays : collection of datetime.date, optional
        Public holidays (dates or ISO strings), read as by
        :func:`~tobacco_metrics.working_days` (a whole year's list can be
        passed). An order day on a holiday is moved (see Notes).
    makeup_workdays : collection of datetime.date, optional
        Make-up working days (调休上班日): Saturdays or Sundays worked in
        exchange for a holiday, read as by :func:`~tobacco_metrics.working_days`;
        a moved order may land on one.

    Returns
    -------
    list of datetime.date
        The month's order days, in order: every such weekday of the month
        (4 or 5 of them) when no holiday falls on one; with holidays, 3 to 6.

    Raises
    ------
    TypeError
        A non-int year, month or weekday (bools included); holidays that are
        not a collection of dates.
    InvalidValueError
        A year, month or weekday out of range, or an nth weekday such as
        ``MO(+1)``; a make-up day that is a weekday or also a holiday.

    Notes
    -----
    Built with ``rrule(WEEKLY, byweekday=weekday, dtstart=first day, until=last day)``
    when no holiday is given.  An order day in ``holidays`` is placed on the
    latest working day of its Monday–Sunday week before it (the store stocks
    up before the holiday, its peak), else on the earliest working day of that
    week after it; a week without a working day (the Spring Festival week)
    has no order: the order before it carries the store through it.  Working
    days are :func:`~tobacco_metrics.working_days`' rule: Monday to Friday
    not in ``holidays``, plus ``makeup_workdays``.  An order belongs to the
    month it is *placed* in, so a moved order may cross the month's edge
    (Thursday 1 October 2026, a holiday, is placed on Wednesday 30
    September: a September order day).  An order day that is not a holiday
    stays, even on a weekend.

    Examples
    --------
    >>> from dateutil.rrule import TU
    >>> [day.day for day in order_days(2026, 4, TU)]
    [7, 14, 21, 28]
    >>> [day.day for day in order_days(2026, 4, 2)]  # Wednesdays
    [1, 8, 15, 22, 29]

    February 2026: the Spring Festival holiday runs from Sunday 15 to Monday
    23 February, Saturdays 14 and 28 are worked.  A Monday store's order of
    the 16th has no working day in its week (dropped); the 23rd moves to
    Tuesday 24:

    >>> spring = [dt.date(2026, 2, 15) + dt.timedelta(days=k) for k in range(9)]
    >>> [day.day for day in order_days(2026, 2, 0, holidays=spring,
    ...                               makeup_workdays=["2026-02-14", "2026-02-28"])]
    [2, 9, 24]
    """
    days, _, _, _ = month_order_days(year, month, weekday, "weekday", holidays, makeup_workdays)
    return days


# --------------------------------------------------------------------------- weekly limits


@attrs.frozen
class CycleLimit(_Record):
    """One order cycle's weekly limit (周限量), as :func:`weekly_limits` returns it.

    Parameters
    ----------
    order_day : datetime.date
        The order day that opens the cycle.
    days_covered : int
        Days the cycle covers, from its order day to the day before the next
        order day (for the month's last order, the next month's first) [days];
        >= 1.
    limit : int
        Whole cartons the store may order in the cycle [cartons]; >= 0.
    moved_from : datetime.date or None, optional
        The holiday the order was moved from (its weekday's date, see
        :func:`order_days`); None (default) when the order is on its weekday.
        Left out of :meth:`to_dict` when None.

    Examples
    --------
    >>> import datetime as dt
    >>> cycle = CycleLimit(dt.date(2026, 3, 31), 7, 24)
    >>> cycle.last_day  # the 31 March order carries the store to the first April order
    datetime.date(2026, 4, 6)
    >>> cycle.to_dict()
    {'order_day': '2026-03-31', 'days_covered': 7, 'limit': 24}
    >>> CycleLimit(dt.date(2026, 9, 30), 8, 32, moved_from=dt.date(2026, 10, 1)).to_dict()
    {'order_day': '2026-09-30', 'days_covered': 8, 'limit': 32, 'moved_from': '2026-10-01'}
    """

    order_day: dt.date = attrs.field(converter=to_order_day)
    days_covered: int = attrs.field(validator=int_at_least(1))
    limit: int = attrs.field(validator=int_at_least(0))
    moved_from: dt.date | None = attrs.field(default=None, converter=to_moved_from)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-friendly dict; ``moved_from`` only when the order was moved."""
        data = super().to_dict()
        if self.moved_from is None:
            del data["moved_from"]
        return data

    def __attrs_post_init__(self) -> None:
        check_moved(self.order_day, self.moved_from)
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


@attrs.frozen
class WeeklyLimits(ReadOnlyCopies):
    """Weekly limits of many totals over the same order days, as :func:`weekly_limits` returns.

    Parameters
    ----------
    order_days : tuple of datetime.date
        The order days of the month, once for every row.
    days_covered : tuple of int
        The whole cycle each order day opens [days], as in :class:`CycleLimit`.
    limits : ndarray of int64
        Whole cartons per cycle [cartons], the cycle axis last
        (``total.shape + (len(order_days),)``); read-only; each row sums
        exactly to its total.
    moved_from : tuple of (datetime.date or None), optional, keyword-only
        For each order day, the holiday it was moved from, or None, as in
        :class:`CycleLimit`; default: none moved.

    Examples
    --------
    >>> limits = weekly_limits([124, 62], 2026, 3, order_weekday=1)
    >>> [day.day for day in limits.order_days], limits.days_covered
    ([3, 10, 17, 24, 31], (7, 7, 7, 7, 7))
    >>> limits.limits.tolist()
    [[25, 25, 25, 25, 24], [13, 13, 12, 12, 12]]
    >>> [c.limit for c in limits.cycles(1)]
    [13, 13, 12, 12, 12]
    """

    order_days: tuple[dt.date, ...] = attrs.field(converter=day_tuple)
    days_covered: tuple[int, ...] = attrs.field(converter=int_tuple)
    # Compared by value; left out of the hash (an array has none): equal limits still
    # hash alike, by their order days.
    limits: IntArray = attrs.field(
        converter=limit_array, eq=attrs.cmp_using(np.array_equal), hash=False
    )
    moved_from: tuple[dt.date | None, ...] = attrs.field(
        kw_only=True,
        default=attrs.Factory(lambda self: (None,) * len(self.order_days), takes_self=True),
        converter=to_moved_tuple,
    )

    def __attrs_post_init__(self) -> None:
        check_moved_tuple(self.order_days, self.moved_from)
        if len(self.days_covered) != len(self.order_days):
            raise ShapeMismatchError(
                f"'days_covered' must have one entry per order day ({len(self.order_days)}): "
                f"{len(self.days_covered)}"
            )
        if self.limits.ndim == 0 or self.limits.shape[-1] != len(self.order_days):
            raise ShapeMismatchError(
                f"'limits' must end with the cycle axis ({len(self.order_days)} cycles): "
                f"shape {self.limits.shape}"
            )

    _repr_html_ = notebook_table(weekly_limits_html)

    @property
    def last_days(self) -> tuple[dt.date, ...]:
        """The last day of each cycle (inclusive)."""
        return tuple(
            day + dt.timedelta(days=span - 1)
            for day, span in zip(self.order_days, self.days_covered, strict=True)
        )

    def due_share(self, as_of: dt.date | str) -> FloatResult:
        """Share of each row's cartons whose order day is on or before ``as_of`` [1].

        What a store ordering exactly its limits has ordered by ``as_of``, as a share of
        its month (``elapsed`` of :func:`~tobacco_metrics.agreement_progress` with
        ``plan=``); NaN for a row of no cartons.

        >>> limits = weekly_limits([124, 62], 2026, 3, order_weekday=1)
        >>> limits.due_share("2026-03-10").round(3).tolist()  # the 3 and 10 March orders
        [0.403, 0.419]
        """
        day = as_date(as_of, "as_of")
        placed = np.array([order <= day for order in self.order_days], dtype=bool)
        total = np.sum(self.limits, axis=-1)
        due = np.sum(self.limits, axis=-1, where=placed)
        return as_result(ratio_or_nan(due, total))

    def cycles(self, *index: int) -> tuple[CycleLimit, ...]:
        """The cycles of one row (``index`` into the leading axes) as :class:`CycleLimit`."""
        rows = self.limits.shape[:-1]
        if len(index) != len(rows):  # a block of rows, or past the last axis
            raise ShapeMismatchError(f"'index' must pick one row of the limits {rows}: {index}")
        row = self.limits[series_position(index, rows)]
        return tuple(
            CycleLimit(day, span, int(limit), moved)
            for day, span, limit, moved in zip(
                self.order_days, self.days_covered, row.tolist(), self.moved_from, strict=True
            )
        )


@overload
def weekly_limits(
    monthly_total: int | np.integer[Any],
    year: int,
    month: int,
    *,
    order_weekday: WeekdayLike,
    weights: CycleWeights = ...,
    holidays: Collection[dt.date | str] = ...,
    makeup_workdays: Collection[dt.date | str] = ...,
) -> tuple[CycleLimit, ...]: ...
@overload
def weekly_limits(
    monthly_total: ArrayLike,
    year: int,
    month: int,
    *,
    order_weekday: WeekdayLike,
    weights: CycleWeights = ...,
    holidays: Collection[dt.date | str] = ...,
    makeup_workdays: Collection[dt.date | str] = ...,
) -> tuple[CycleLimit, ...] | WeeklyLimits: ...
@keeps_labels
def weekly_limits(
    monthly_total: ArrayLike,
    year: int,
    month: int,
    *,
    order_weekday: WeekdayLike,
    weights: CycleWeights = "days",
    holidays: Collection[dt.date | str] = (),
    makeup_workdays: Collection[dt.date | str] = (),
) -> tuple[CycleLimit, ...] | WeeklyLimits:
    """Split a month's agreed total (商定总量) into weekly limits (周限量), one per order cycle.

    The source: "为客户制定合理的周限量, 是避免客户在使用商定量时发生不足情况的有效措施。
    合理的将客户当月供货总量分配到每个订货周期 …" — spreading the month's total over
    its order cycles keeps a store from running through it early.

    Parameters
    ----------
    monthly_total : int or array_like
        The agreed total for the month [cartons]; whole, >= 0.  One number, or
        an array of them (one per store, store × brand …).
    year, month : int
        The month.
    order_weekday : int or dateutil weekday
        The store's order weekday (Monday = 0, or ``MO`` … ``SU``).
    weights : {"days", "equal"} or sequence of float, optional
        "days" (default): each order weighs the whole cycle it opens; "equal":
        every order weighs the same; or one non-negative weight per order day
        (e.g. heavier before a holiday).
    holidays, makeup_workdays : collection of datetime.date, optional
        Public holidays and make-up working days (调休上班日), read as by
        :func:`~tobacco_metrics.working_days`: an order day on a holiday is
        moved within its week or dropped, as :func:`order_days` says, and the
        cycles follow the orders as placed.

    Returns
    -------
    tuple of CycleLimit, or WeeklyLimits
        For one total: one :class:`CycleLimit` per order day of the month, in
        order.  For an array of totals: a :class:`WeeklyLimits` holding the
        order days once and the limits as an int64 array of shape
        ``monthly_total.shape + (cycles,)``.  The limits of each total sum
        exactly to it.

    Raises
    ------
    InvalidValueError
        A negative or fractional total, an unknown weights name, negative
        weights, or all-zero weights with a total > 0; a make-up day that is
        a weekday or a holiday.
    ShapeMismatchError
        Custom weights whose length is not the number of order days.
    EmptyInputError
        A total > 0 in a month without an order day (every order falls on a
        holiday in a week without a working day).
    TypeError
        Wrong argument types (see :func:`order_days`).

    Notes
    -----
    An order's cycle runs from its order day to the day before the next order
    day; the month's last order runs to the day before the next month's first
    order day (a week later), because it must carry the store until then, and
    the days before the month's first order day belong to the previous month's
    last cycle.  With "days" each order weighs the days of its whole cycle, so
    with one order a week every weight is 7 and the split is equal.  The split
    is :func:`split_total`: whole cartons, each within one carton of its exact
    share, ties to the earlier cycle.  (In December 9999 the last cycle stops
    at the calendar's end.)

    With holidays the orders are those :func:`order_days` places in the
    month (a holiday order brought forward within its week, or dropped when
    the week has no working day), and each cycle still runs to the next order
    as placed — the next month's first included.  So the order before a
    dropped one covers two weeks and, with "days", gets two weeks' share (the
    store stocks up for the holiday, its peak); with "equal" the dropped
    week's share is spread over the remaining orders.

    Examples
    --------
    March 2026, Tuesday orders on 3, 10, 17, 24 and 31: every order opens a
    7-day cycle (the 31 March one runs to 6 April), so 124 cartons split
    24.8 each — 25, 25, 25, 25 and 24.

    >>> from dateutil.rrule import TH, TU
    >>> limits = weekly_limits(124, 2026, 3, order_weekday=TU)
    >>> [(c.order_day.day, c.days_covered, c.limit) for c in limits]
    [(3, 7, 25), (10, 7, 25), (17, 7, 25), (24, 7, 25), (31, 7, 24)]
    >>> [(c.days_covered, c.limit) for c in weekly_limits(100, 2024, 4, order_weekday=TH)]
    [(7, 25), (7, 25), (7, 25), (7, 25)]
    >>> weekly_limits([100, 7], 2024, 4, order_weekday=TH).limits.tolist()
    [[25, 25, 25, 25], [2, 2, 2, 1]]

    The 2026 National Day holiday runs 1–7 October.  A Thursday store's
    order of Thursday 1 October is placed on Wednesday 30 September, a
    September order: September's 140 cartons go over five cycles of 7, 7, 7,
    6 and 8 days (30 September to 7 October, the day before the 8 October
    order), 28 cartons a week of cover each — 28, 28, 28, 24 and 32.

    >>> national_day = [dt.date(2026, 10, d) for d in range(1, 8)]
    >>> september = weekly_limits(140, 2026, 9, order_weekday=TH, holidays=national_day)
    >>> [(c.order_day.day, c.days_covered, c.limit) for c in september]
    [(3, 7, 28), (10, 7, 28), (17, 7, 28), (24, 6, 24), (30, 8, 32)]
    """
    total = whole_quantities(monthly_total, "monthly_total")
    cycles = split_over_order_days(
        total, "monthly_total", year, month, order_weekday, weights, holidays, makeup_workdays
    )
    if total.ndim == 0:
        return tuple(
            CycleLimit(*cycle)
            for cycle in zip(
                cycles.days, cycles.spans, cycles.limits.tolist(), cycles.moved, strict=True
            )
        )
    return WeeklyLimits(cycles.days, cycles.spans, cycles.limits, moved_from=cycles.moved)


def _classes(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not all(isinstance(item, PriceClass) for item in value):
        raise TypeError("'held' must hold PriceClass members")


def _class_tuple(values: Any) -> tuple[PriceClass, ...]:
    return tuple(
        PriceClass(integer(value, f"held[{i}]", 1, 5))
        for i, value in enumerate(items(values, "held", "price classes"))
    )


@attrs.frozen
class ClassLimits(WeeklyLimits):
    """Weekly limits per price class, as :func:`class_limits` returns them.

    Parameters
    ----------
    order_days, days_covered, limits
        As :class:`WeeklyLimits`; ``limits`` has shape
        ``totals.shape[:-1] + (len(classes), cycles)``.
    held : tuple of PriceClass
        The classes held to weekly limits, in the order of the limits' class
        axis (class I first); the other classes are free.

    Examples
    --------
    >>> limits = class_limits([5, 10, 40, 62, 20], 2026, 3, order_weekday=1)
    >>> [c.name for c in limits.held], [c.name for c in limits.free]
    (['IV', 'V'], ['I', 'II', 'III'])
    """

    held: tuple[PriceClass, ...] = attrs.field(
        kw_only=True, converter=_class_tuple, validator=_classes
    )

    @property
    def free(self) -> tuple[PriceClass, ...]:
        """The price classes without a weekly limit."""
        return tuple(member for member in PriceClass if member not in self.held)

    def of(self, price_class: PriceClass | int) -> IntArray:
        """The limits of one held class: shape ``totals.shape[:-1] + (cycles,)``."""
        code = PriceClass(integer(price_class, "price_class", 1, 5))
        if code not in self.held:
            raise InvalidValueError(
                f"'price_class' {code.name} is free (no weekly limit); held: "
                f"{', '.join(member.name for member in self.held) or 'none'}"
            )
        return self.limits[..., self.held.index(code), :]


@keeps_labels
def class_limits(
    totals_by_class: ArrayLike,
    year: int,
    month: int,
    *,
    order_weekday: WeekdayLike,
    held: Iterable[PriceClass | int] = (PriceClass.IV, PriceClass.V),
    weights: CycleWeights = "days",
    holidays: Collection[dt.date | str] = (),
    makeup_workdays: Collection[dt.date | str] = (),
) -> ClassLimits:
    """Weekly limits (周限量) per price class: hold some classes to limits, free the others.

    The source uses weekly limits to lift a store's structure: "以周限量来平衡客户
    对中低档卷烟的进购量, 避免发生订购卷烟时以顺销的四类卷烟为主的情况" — the
    month's total of the easy-selling low classes (IV, V) is spread over the
    order cycles so that no order is mostly class IV, while class III and above
    may be ordered freely.

    Parameters
    ----------
    totals_by_class : array_like
        The month's agreed total per price class [cartons], classes I … V
        along the last axis (5 entries; leading axes for stores …); whole,
        >= 0.  The totals of the free classes are not used.
    year, month : int
        The month.
    order_weekday : int or dateutil weekday
        The store's order weekday.
    held : iterable of PriceClass or int, optional
        The classes held to weekly limits. Default classes IV and V.
    weights : {"days", "equal"} or sequence of float, optional
        As for :func:`weekly_limits`.
    holidays, makeup_workdays : collection of datetime.date, optional
        As for :func:`weekly_limits`: orders on holidays moved or dropped as
        :func:`order_days` says.

    Returns
    -------
    ClassLimits
        The order days once, the ``held`` classes (class I first) and the
        limits, shape ``totals_by_class.shape[:-1] + (len(held), cycles)``;
        each class's limits sum exactly to its total.

    Raises
    ------
    ShapeMismatchError
        ``totals_by_class`` does not end with an axis of 5 classes.
    InvalidValueError
        Totals that are negative or fractional, a class outside 1 … 5, a class
        held twice.
    TypeError
        A class that is not an int or PriceClass.

    Notes
    -----
    Each held class's total is split by :func:`weekly_limits` (the same
    cycles and weights for every class): ``limits[..., k, :] =
    weekly_limits(totals_by_class[..., held_k])``.

    Examples
    --------
    A store agreed 62 cartons of class IV and 20 of class V for March 2026 and
    orders on Tuesdays (five orders): class IV at most 13, 13, 12, 12, 12 a
    week, class V 4 a week; classes I–III are not limited.

    >>> limits = class_limits([5, 10, 40, 62, 20], 2026, 3, order_weekday=1)
    >>> limits.limits.tolist()
    [[13, 13, 12, 12, 12], [4, 4, 4, 4, 4]]
    >>> limits.of(4).tolist()
    [13, 13, 12, 12, 12]
    """
    totals = whole_quantities(totals_by_class, "totals_by_class")
    if totals.ndim == 0 or totals.shape[-1] != len(PriceClass):
        raise ShapeMismatchError(
            "'totals_by_class' must end with an axis of the 5 price classes (I … V): "
            f"shape {totals.shape}"
        )
    codes = _class_tuple(held)
    if len(set(codes)) != len(codes):
        raise InvalidValueError(
            f"'held' must name each class once: {', '.join(code.name for code in codes)}"
        )
    ordered = tuple(sorted(codes))
    chosen = totals[..., [code - 1 for code in ordered]]
    cycles = split_over_order_days(
        chosen, "totals_by_class", year, month, order_weekday, weights, holidays, makeup_workdays
    )
    return ClassLimits(
        cycles.days, cycles.spans, cycles.limits, held=ordered, moved_from=cycles.moved
    )


# --------------------------------------------------------------------------- rationing


@keeps_labels
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
        ``requests`` is a scalar, or ``available`` does not broadcast, or a
        labelled ``available`` whose labels differ from the requests' leading
        axes (labels in another order are aligned).
    EmptyInputError
        No stores (the last axis is empty).
    TypeError
        ``allow_increase`` is not a bool (``numpy.bool_`` is one).

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
    requests, available = aligned(("requests", requests), ("available", available, 1))
    wanted = whole_quantities(requests, "requests")
    increase = flag(allow_increase, "allow_increase")
    require_dimension(wanted, "requests", "the stores")
    if wanted.shape[-1] == 0:
        raise EmptyInputError("'requests' has no stores: nothing to allocate to")
    supply = broadcast_to_shape(
        whole_quantities(available, "available"), wanted.shape[:-1], "available"
    )
    asked = row_sums(wanted)
    # 统一增量 spreads all of a long supply; nobody asked → nothing to spread.
    target = np.where(asked > 0, supply, 0) if increase else np.minimum(supply, asked)
    return split(np.asarray(target), wanted, ("available", "requests"))


# --------------------------------------------------------------------------- replenishment


def _exact_levels(array: NDArray[Any], name: str) -> NDArray[Any]:
    """Integer quantities as int64, refusing those int64 cannot hold (never wrapping)."""
    if array.dtype.kind == "u" and array.size and array.max() > np.iinfo(np.int64).max:
        return whole_quantities(array, name)  # raises "must fit in int64"
    return array.astype(np.int64, copy=False)


@keeps_labels
@overflow_guard
def replenishment_order(quota: ArrayLike, inventory: ArrayLike) -> IntResult:
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
        Negative or non-finite (NaN included) quota or stock; an integer
        beyond int64, or a float difference beyond 2**53 (no longer exact).
    ShapeMismatchError
        The inputs do not broadcast, or labelled inputs (pandas, xarray) carry
        different labels (the same labels in another order are aligned).

    Notes
    -----
    ``order = max(0, floor(quota − inventory))``: never below zero (a store
    above its quota gets nothing, nothing is taken back), and with a
    fractional stock (open packs) up to but not beyond the quota.  A
    difference within 1e-9 (relative) of a whole carton is taken as that
    carton, so floating-point noise never costs one.  Integer inputs are
    subtracted exactly in int64 (an unsigned quota beyond int64 is refused,
    never wrapped).

    Examples
    --------
    >>> replenishment_order(30, 12)
    np.int64(18)
    >>> replenishment_order([30, 30, 30], [35, 0, 4.5]).tolist()
    [0, 30, 25]
    """
    quota, inventory = aligned(("quota", quota), ("inventory", inventory))
    level, stock = broadcast_arrays(
        ("quota", quantities(quota, "quota")),
        ("inventory", quantities(inventory, "inventory")),
    )
    if level.dtype.kind in "iu" and stock.dtype.kind in "iu":
        difference = _exact_levels(level, "quota") - _exact_levels(stock, "inventory")
        return result(np.maximum(difference, 0))
    # |quota − stock| <= max(quota, stock): the difference of two finite values >= 0 is finite.
    missing = np.maximum(level.astype(np.float64) - stock.astype(np.float64), 0.0)
    return result(to_int64(round_cartons(missing, "floor")))
