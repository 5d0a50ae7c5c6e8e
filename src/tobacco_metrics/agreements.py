"""What follows a visit (拜访后的跟进): order follow-up, agreement progress, promotion tiers.

The rules are those of the source's work flow for customer managers (source
篇1 and 篇6):

- 订单跟进 (order follow-up): did the store order the brands recommended to it
  within its order cycle (:func:`recommendation_adoption`);
- 计算协议量进度 (agreement progress): ordered so far against the agreed
  monthly volume, compared with the share of the month gone
  (:func:`agreement_progress`);
- 累计订购量 … 促销品 (promotion gift tiers): which tier a store's cumulative
  order has reached and what is left to the next (:func:`promotion_tier`).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import math
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _convert as cv
from tobacco_metrics._calendar import calendar_sets, window_end
from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._record import _Record
from tobacco_metrics._results import ReadOnlyCopies, read_only_fields
from tobacco_metrics._typing import FloatResult
from tobacco_metrics._validation import (
    aligned,
    as_date,
    as_real_array,
    broadcast_arrays,
    check_finite,
    check_positive,
    integer,
    non_negative_scalar,
    overflow_guard,
    quantities,
    refuse_where,
    unwrap,
)
from tobacco_metrics._visit_inputs import require_one_kind, visit_tuple
from tobacco_metrics.domain import Visit
from tobacco_metrics.errors import DuplicateEntryError, EmptyInputError, InvalidValueError

if TYPE_CHECKING:
    from tobacco_metrics.supply import CycleLimit, WeeklyLimits

_TUPLE = cv.instance_of(tuple, "a tuple")
_REAL = cv.instance_of((int, float, np.integer, np.floating), "a real number")
_FLOATS = cv.instance_of((np.ndarray, np.floating, float), "a float64 number or array")

__all__ = [
    "Adoption",
    "AgreementProgress",
    "PromotionTier",
    "agreement_progress",
    "promotion_tier",
    "recommendation_adoption",
]


# --------------------------------------------------------------------------- follow-up


@attrs.frozen
class Adoption:
    """Order follow-up (订单跟进) of recommended brands, from :func:`recommendation_adoption`.

    Attributes
    ----------
    rate : float
        ``len(adopted) / recommended``, in [0, 1]; NaN when nothing was recommended.
    recommended : int
        Distinct (store, brand) pairs recommended.
    adopted : tuple of (str, str)
        ``(store_id, brand_code)`` pairs ordered in time, sorted.
    pending : tuple of (str, str)
        Pairs not ordered in time, sorted: the stores to phone (电话拜访).
    """

    rate: float = attrs.field(validator=_REAL)
    recommended: int = attrs.field(validator=cv.non_negative_int)
    adopted: tuple[tuple[str, str], ...] = attrs.field(validator=_TUPLE)
    pending: tuple[tuple[str, str], ...] = attrs.field(validator=_TUPLE)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-friendly dict (pairs as two-item lists)."""
        return cv.record_to_dict(self)


def _order_row(row: Any, index: int) -> tuple[str, str, dt.date]:
    if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
        raise TypeError(
            f"'orders' row {index} must be (store_id, brand_code, date), got {type(row).__name__}"
        )
    items = tuple(row)
    if len(items) != 3:
        raise InvalidValueError(
            f"'orders' row {index} must have 3 items (store_id, brand_code, date): {items!r}"
        )
    store, brand, day = items
    if not isinstance(store, str):
        raise TypeError(
            f"'orders' row {index} must have a str store id, got {type(store).__name__}: {store!r}"
        )
    if not store.strip():
        raise InvalidValueError(f"'orders' row {index} must have a non-empty store id: {store!r}")
    try:
        return store, cv.brand_code(brand), cv.to_date(day)
    except (TypeError, InvalidValueError) as error:
        raise type(error)(f"'orders' row {index}: {error}") from None


def _order_dates(
    orders: Iterable[tuple[str, str, dt.date | str]],
) -> dict[tuple[str, str], list[dt.date]]:
    """The sorted order dates of each (store, brand) of the checked order rows."""
    if isinstance(orders, (str, bytes)) or not isinstance(orders, Iterable):
        raise TypeError(f"'orders' must be an iterable of rows, got {type(orders).__name__}")
    ordered_on: dict[tuple[str, str], list[dt.date]] = {}
    for index, row in enumerate(orders):
        store, brand, day = _order_row(row, index)
        ordered_on.setdefault((store, brand), []).append(day)
    for days in ordered_on.values():
        days.sort()
    return ordered_on


def _ordered_between(dates: list[dt.date] | None, first: dt.date, last: dt.date) -> bool:
    """Whether one of the sorted ``dates`` (None: no order) falls in ``[first, last]``."""
    if not dates:
        return False
    position = bisect.bisect_left(dates, first)
    return position < len(dates) and dates[position] <= last


def recommendation_adoption(
    visits: Iterable[Visit],
    orders: Iterable[tuple[str, str, dt.date | str]],
    *,
    within_days: int = 7,
    holidays: Collection[dt.date | str] = (),
    makeup_workdays: Collection[dt.date | str] = (),
) -> Adoption:
    """Order follow-up (订单跟进): the share of recommended brands the stores then ordered.

    Source 篇1 §4: the brands a manager urges a store to stock are marked in
    the visit record (《日拜访记录表》), and "在客户本轮订货周期内通过 … '订单跟进'
    功能,对客户的订单进行监控,确认所推荐品牌是否已被客户订购,如若客户没有订购,
    可对客户进行电话拜访". The default window of 7 days is one weekly order cycle.

    Parameters
    ----------
    visits : iterable of Visit
        Visits of any managers and days; their ``recommended_brands`` are the
        recommendations. Naive and aware visits are not mixed.
    orders : iterable of (str, str, datetime.date)
        Order rows ``(store_id, brand_code, date)`` (a ``DataFrame`` works via
        ``df.itertuples(index=False)``); the date is a ``date`` or ISO string,
        not a datetime. Repeated rows are fine.
    within_days : int
        The window after the visit's date [days], inclusive; default 7.
        0 counts only orders on the visit's date.  Holidays are not counted
        (see Notes).
    holidays : collection of datetime.date, optional
        Public holidays (dates or ISO strings), read as by
        :func:`~tobacco_metrics.working_days` (a whole year's list can be
        passed): days of the window that do not count, so a window over the
        Spring Festival reaches the first order after it.
    makeup_workdays : collection of datetime.date, optional
        Make-up working days (调休上班日), read and checked as by
        :func:`~tobacco_metrics.working_days`; they are not holidays, so they
        count as every other day does (accepted so that one calendar can be
        passed to every function).

    Returns
    -------
    Adoption

    Raises
    ------
    InvalidValueError
        ``within_days < 0``; a malformed order row; naive and aware visits mixed;
        a make-up day that is a weekday or also a holiday.
    TypeError
        ``holidays`` or ``makeup_workdays`` not a collection of dates.

    Notes
    -----
    A pair (store s, brand b) is *adopted* when, for at least one visit to s
    that recommended b on local date d, s ordered b on a day in
    ``[d, d + within_days]``. An order dated before the visit never counts; an
    order on the visit's own date does (orders carry dates, not times).

    The source follows the order "在客户本轮订货周期内" — within the store's
    current order cycle.  A holiday stretches that cycle without giving the
    store time to order (a Monday store visited on Monday 9 February 2026
    next orders on Tuesday 24, after the Spring Festival of 15–23 February),
    so the days in ``holidays`` are not counted: the window ends on the
    ``within_days``-th day after ``d`` that is not a holiday (10–14 and 24–25
    February, so the 25th, with the default 7).  Without holidays the window
    is ``[d, d + within_days]`` as before.
    ``rate = adopted / recommended``, NaN when nothing was recommended. Runs
    in O((V + O) log O) with a sorted list of order dates per pair.

    Examples
    --------
    >>> import datetime as dt
    >>> from tobacco_metrics import Visit
    >>> monday = dt.datetime(2026, 3, 2, 10, 0)
    >>> visits = [Visit("C001", "M07", monday, monday + dt.timedelta(minutes=10),
    ...                 recommended_brands={"YUNYAN", "TAISHAN"}),
    ...           Visit("C002", "M07", monday, monday + dt.timedelta(minutes=10),
    ...                 recommended_brands={"YUNYAN"})]
    >>> orders = [("C001", "YUNYAN", dt.date(2026, 3, 4)),
    ...           ("C002", "YUNYAN", dt.date(2026, 2, 27))]   # before the visit: not counted
    >>> result = recommendation_adoption(visits, orders)
    >>> result.rate, result.adopted
    (0.3333333333333333, (('C001', 'YUNYAN'),))
    >>> result.pending
    (('C001', 'TAISHAN'), ('C002', 'YUNYAN'))

    Across the 2026 Spring Festival the next order comes 15 days after the
    visit; the holidays do not count:

    >>> festival = [dt.date(2026, 2, 15) + dt.timedelta(days=k) for k in range(9)]
    >>> nine = dt.datetime(2026, 2, 9, 10, 0)
    >>> visit = Visit("C001", "M07", nine, nine + dt.timedelta(minutes=10),
    ...               recommended_brands={"YUNYAN"})
    >>> after = [("C001", "YUNYAN", dt.date(2026, 2, 24))]
    >>> recommendation_adoption([visit], after).rate
    0.0
    >>> recommendation_adoption([visit], after, holidays=festival).rate
    1.0
    """
    records = visit_tuple(visits)
    window = integer(within_days, "within_days", 0)
    closed = sorted(day.toordinal() for day in calendar_sets(holidays, makeup_workdays)[0])
    require_one_kind(records)
    ordered_on = _order_dates(orders)

    recommended: set[tuple[str, str]] = set()
    adopted: set[tuple[str, str]] = set()
    for visit in records:
        day = visit.date
        # The window's last day, holidays not counted; past the calendar's end it ends there.
        last = dt.date.fromordinal(window_end(day.toordinal(), window, closed))
        for brand in visit.recommended_brands:
            pair = (visit.store_id, brand)
            recommended.add(pair)
            if pair in adopted:
                continue
            if _ordered_between(ordered_on.get(pair), day, last):
                adopted.add(pair)
    return Adoption(
        rate=len(adopted) / len(recommended) if recommended else math.nan,
        recommended=len(recommended),
        adopted=tuple(sorted(adopted)),
        pending=tuple(sorted(recommended - adopted)),
    )


# --------------------------------------------------------------------------- the month's volume


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class AgreementProgress(ReadOnlyCopies):
    """Agreement progress (协议量进度), as :func:`agreement_progress` returns it.

    Each field is a numpy float64 scalar for one store, or a read-only array
    over the stores for many (``elapsed`` is a scalar, or with a ``plan`` of
    many rows an array over them).

    Attributes
    ----------
    progress : float64
        Ordered so far / agreed monthly volume; 1.0 = the agreement is used up;
        may exceed 1.
    elapsed : float64
        The share of the month due by ``as_of``: ``as_of.day / days in the
        month``, in (0, 1]; with a ``plan``, the share of its weekly limits
        whose order day is on or before ``as_of``, in [0, 1].
    gap : float64
        ``progress − elapsed``: positive = ahead of the month, negative = behind.
    """

    progress: FloatResult = attrs.field(validator=_FLOATS)
    elapsed: FloatResult = attrs.field(validator=_FLOATS)
    gap: FloatResult = attrs.field(validator=_FLOATS)

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain Python numbers (one store) or lists (many)."""
        return {
            field.name: np.asarray(getattr(self, field.name)).tolist()
            for field in attrs.fields(AgreementProgress)
        }


@keeps_labels
@overflow_guard
def agreement_progress(
    ordered: ArrayLike,
    agreed: ArrayLike,
    as_of: dt.date | str,
    *,
    plan: WeeklyLimits | Sequence[CycleLimit] | None = None,
) -> AgreementProgress:
    """Agreement progress (协议量进度): ordered so far vs the agreed monthly volume.

    Source 篇6 二(九): "准备明日需拜访的客户资料 … 本周、本月业绩完成数据,计算协议量进度";
    the agreed volume is the 商定总量 of 篇7 ("以零售户前三月平均销售数据为基数 …
    与零售进行商定总量").

    Parameters
    ----------
    ordered : array_like
        What each store has ordered this month up to and including ``as_of``
        [cartons]; finite, >= 0.
    agreed : array_like
        The agreed monthly volume (商定总量) [cartons]; finite, > 0.
        Broadcasts with ``ordered``.
    as_of : datetime.date
        The day the orders are counted to (ISO string accepted).
    plan : WeeklyLimits or sequence of CycleLimit, optional
        The month's weekly limits (周限量) of the stores, from
        :func:`~tobacco_metrics.weekly_limits`: one store's cycles, or a
        :class:`~tobacco_metrics.WeeklyLimits` of one row per store (or one
        for all).  ``elapsed`` is then what the plan has due by ``as_of``
        (:meth:`WeeklyLimits.due_share <tobacco_metrics.WeeklyLimits.due_share>`)
        instead of the calendar's share: a store that orders weekly, over a
        month whose holidays move or drop order days, is on plan at gap 0.

    Returns
    -------
    AgreementProgress
        ``progress`` and ``gap`` are float64, a scalar for scalar inputs.

    Raises
    ------
    InvalidValueError
        ``agreed <= 0`` or not finite, ``ordered < 0`` or not finite; a
        ``plan`` row of no cartons (nothing is due by any day).
    TypeError
        ``plan`` neither a :class:`~tobacco_metrics.WeeklyLimits` nor a
        sequence of :class:`~tobacco_metrics.CycleLimit`.
    ShapeMismatchError
        ``plan``'s rows do not broadcast with ``ordered`` and ``agreed``.

    Notes
    -----
    ``progress = ordered / agreed``, ``elapsed = as_of.day / days_in_month``,
    ``gap = progress − elapsed``. A store that orders evenly through the month
    has ``gap ≈ 0``; with a ``plan``, ``elapsed = Σ limits due by as_of / Σ
    limits``, so a store that orders exactly its limits has ``gap = 0``
    whatever the holidays.

    Examples
    --------
    >>> import datetime as dt
    >>> p = agreement_progress(120, 300, dt.date(2026, 3, 15))
    >>> round(float(p.progress), 3), round(float(p.elapsed), 3), round(float(p.gap), 3)
    (0.4, 0.484, -0.084)
    >>> agreement_progress([150, 90], [300, 300], "2026-03-15").gap.round(3).tolist()
    [0.016, -0.184]

    A Tuesday store over the 2026 Spring Festival (15–23 February): its
    10 February order covers two weeks, so with its 3 February order 75 of
    its 100 cartons are due by the 13th, when the calendar says 46 %:

    >>> from tobacco_metrics import weekly_limits
    >>> festival = [dt.date(2026, 2, d) for d in range(15, 24)]
    >>> plan = weekly_limits(100, 2026, 2, order_weekday=1, holidays=festival)
    >>> [(cycle.order_day.day, cycle.limit) for cycle in plan]
    [(3, 25), (10, 50), (24, 25)]
    >>> float(agreement_progress(75, 100, "2026-02-13", plan=plan).gap)
    0.0
    >>> round(float(agreement_progress(75, 100, "2026-02-13").gap), 3)  # by the calendar
    0.286
    """
    ordered, agreed = aligned(("ordered", ordered), ("agreed", agreed))
    day = as_date(as_of, "as_of")
    ordered_array = quantities(ordered, "ordered")
    agreed_array = as_real_array(agreed, "agreed")
    check_finite(agreed_array, "agreed")
    check_positive(agreed_array, "agreed")
    ordered_b, agreed_b = broadcast_arrays(("ordered", ordered_array), ("agreed", agreed_array))
    progress = np.divide(ordered_b, agreed_b, dtype=np.float64)
    if plan is None:
        elapsed = np.asarray(day.day / calendar.monthrange(day.year, day.month)[1])
    else:
        elapsed = _due_share(plan, day)
        progress, elapsed = broadcast_arrays(("ordered", progress), ("plan", elapsed))
    gap = progress - elapsed
    return AgreementProgress(progress=unwrap(progress), elapsed=unwrap(elapsed), gap=unwrap(gap))


def _due_share(plan: object, day: dt.date) -> NDArray[np.float64]:
    """The plan's share due by ``day``, each row; a row of no cartons is refused."""
    # Imported here: agreements and supply are subjects side by side (docs/layout.md).
    from tobacco_metrics.supply import CycleLimit, WeeklyLimits

    if isinstance(plan, (tuple, list)) and all(isinstance(c, CycleLimit) for c in plan):
        plan = WeeklyLimits(  # one store's limits, as weekly_limits gives a scalar total
            order_days=tuple(cycle.order_day for cycle in plan),
            days_covered=tuple(cycle.days_covered for cycle in plan),
            limits=np.array([cycle.limit for cycle in plan], dtype=np.int64),
        )
    if not isinstance(plan, WeeklyLimits):
        raise TypeError(
            f"'plan' must be a WeeklyLimits or a sequence of CycleLimit (weekly_limits' "
            f"result), got {type(plan).__name__}"
        )
    share = np.asarray(plan.due_share(day), dtype=np.float64)
    refuse_where(np.isnan(share), share, "'plan' has a row of no cartons: nothing is due")
    return share


# --------------------------------------------------------------------------- promotions


@attrs.frozen
class PromotionTier(_Record):
    """A gift tier of a promotion (促销活动 / 促销品等级), source 篇1 §7.

    "重点对如何获得不同等级促销品向客户进行讲解 …
    分阶段向客户告知当前该品牌的累计订购量和相对应的促销品":
    a store's cumulative order of the brand unlocks the gift of each tier it
    reaches.

    Parameters
    ----------
    threshold : float
        Cumulative order that unlocks the tier [cartons]; finite, > 0.
    reward : str
        The gift, e.g. "食用油 1 桶".

    Examples
    --------
    >>> tier = PromotionTier(20, "毛巾 2 条")
    >>> PromotionTier.from_dict(tier.to_dict()) == tier
    True
    """

    threshold: float = attrs.field(validator=cv.positive_number)
    reward: str = attrs.field(validator=cv.non_empty_str)


def promotion_tier(
    cumulative: float, tiers: Iterable[PromotionTier]
) -> tuple[PromotionTier | None, float | None]:
    """The gift tier a cumulative order reaches (累计订购量 → 促销品), and what is left to the next.

    Parameters
    ----------
    cumulative : float
        The store's cumulative order of the promoted brand [cartons]; finite, >= 0.
    tiers : iterable of PromotionTier
        The promotion's tiers, in any order; at least one; no two with the
        same threshold.

    Returns
    -------
    reached : PromotionTier or None
        The highest tier with ``threshold <= cumulative``; None below the first.
    to_next : float or None
        ``next.threshold − cumulative`` [cartons] for the lowest tier not yet
        reached (> 0); None when the top tier is reached.  Its type is decided
        by the input *types*, never by their values: a Python ``int`` (exact)
        when ``cumulative`` and every tier's ``threshold`` are integers
        (Python or numpy ints), a Python ``float`` otherwise (``20.0`` and
        ``20`` are different types, so ``promotion_tier(12.0, …)`` gives
        ``8.0``).

    Raises
    ------
    EmptyInputError
        No tiers.
    DuplicateEntryError
        Two tiers with the same threshold.

    Examples
    --------
    >>> tiers = [PromotionTier(50, "食用油 2 桶"), PromotionTier(20, "食用油 1 桶")]
    >>> reached, to_next = promotion_tier(32, tiers)
    >>> reached.reward, to_next
    ('食用油 1 桶', 18)
    >>> promotion_tier(12, tiers)
    (None, 8)
    >>> promotion_tier(50, tiers)[1] is None
    True
    >>> promotion_tier(12.0, tiers)   # a float in: a float out
    (None, 8.0)
    """
    number = non_negative_scalar(cumulative, "cumulative")
    ordered = _sorted_tiers(tiers)
    whole = _is_int(cumulative) and all(_is_int(tier.threshold) for tier in ordered)
    value: int | float = int(cumulative) if whole else number
    thresholds = [int(t.threshold) if whole else float(t.threshold) for t in ordered]
    position = bisect.bisect_right(thresholds, value)
    reached = ordered[position - 1] if position else None
    to_next = thresholds[position] - value if position < len(ordered) else None
    return reached, to_next


def _sorted_tiers(tiers: object) -> list[PromotionTier]:
    """The tiers sorted by threshold; TypeError, EmptyInputError or DuplicateEntryError."""
    if isinstance(tiers, PromotionTier) or not isinstance(tiers, Iterable):
        raise TypeError(
            f"'tiers' must be a collection of PromotionTier, got {type(tiers).__name__}"
        )
    ordered = list(tiers)
    for index, tier in enumerate(ordered):
        if not isinstance(tier, PromotionTier):
            raise TypeError(
                "'tiers' must hold PromotionTier objects, "
                f"got {type(tier).__name__} at index {index}"
            )
    if not ordered:
        raise EmptyInputError("'tiers' must hold at least one PromotionTier")
    ordered.sort(key=lambda tier: tier.threshold)
    for lower, upper in itertools.pairwise(ordered):
        if lower.threshold == upper.threshold:
            raise DuplicateEntryError(
                f"'tiers' has two tiers with threshold {lower.threshold}: "
                f"{lower.reward!r} and {upper.reward!r}"
            )
    return ordered


def _is_int(value: object) -> bool:
    """Whether ``value`` is an integer *type* (Python or numpy int, not bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
