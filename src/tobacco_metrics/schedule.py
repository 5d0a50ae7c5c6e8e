"""The month's visit schedule (月度拜访计划 / 拜访日程表): which stores to visit on which day.

Source 篇6: "每月最后一个工作日填制次月月度拜访计划" (next month's plan is
made on the month's last working day), "根据客户拜访频率和拜访内容,认真填制完成
拜访日程表" (the day's schedule follows each customer's visit frequency),
"拜访户数:城区不得少于30户,农村不得少于25户" (the daily minimum of
:class:`~tobacco_metrics.VisitStandard`) and "每月6日至10日,正常拜访,侧重拜访
波动大、企业级客户" (the 6th–10th favour the fluctuating customers).
:func:`visit_schedule` lays those rules out over a month's working days
(:func:`~tobacco_metrics.working_days`); the rules are in its Notes and in
``docs/formulas/schedule.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics._labelled import keeps_labels
from tobacco_metrics._results import ReadOnlyCopies, read_only_fields
from tobacco_metrics._typing import BoolArray, FloatArray, IntArray
from tobacco_metrics._validation import (
    aligned_to_axes,
    as_date,
    as_real_array,
    check_finite,
    refuse_where,
)
from tobacco_metrics.domain import AreaType
from tobacco_metrics.errors import DuplicateEntryError, InvalidValueError, ShapeMismatchError
from tobacco_metrics.visits import VisitStandard
from tobacco_metrics.workcalendar import WorkTask, monthly_work_calendar, working_days

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["VisitSchedule", "visit_schedule"]


@attrs.frozen(eq=False, field_transformer=read_only_fields)
class VisitSchedule(ReadOnlyCopies):
    """A month's visit plan, as :func:`visit_schedule` returns it.

    Attributes
    ----------
    stores : tuple
        Store ids, in input order.
    days : tuple of datetime.date
        The month's working days, in order.
    visits : ndarray of bool
        ``visits[i, d]``: store *i* is visited on ``days[d]``; read-only,
        shaped (stores, days).
    frequency : ndarray of int64
        The visits each store asked for [visits/month].
    min_visits : int
        The daily minimum that applied [stores/day].
    focus_days : tuple of datetime.date
        The working days of the 6th–10th window (store forecast), where focus
        stores got a visit; when holidays leave that window no working day,
        those of the five days from the first working day after it.
    """

    stores: tuple[str, ...]
    days: tuple[dt.date, ...]
    visits: BoolArray
    frequency: IntArray
    min_visits: int
    focus_days: tuple[dt.date, ...]

    @property
    def daily_counts(self) -> IntArray:
        """Stores visited each working day [stores/day]."""
        counts: IntArray = np.count_nonzero(self.visits, axis=0).astype(np.int64)
        return counts

    @property
    def visit_counts(self) -> IntArray:
        """Visits each store gets in the month [visits]; ``>= frequency``."""
        counts: IntArray = np.count_nonzero(self.visits, axis=1).astype(np.int64)
        return counts

    def store_days(self, store: str) -> tuple[dt.date, ...]:
        """The days ``store`` is visited."""
        if store not in self.stores:
            raise InvalidValueError(f"'store' is not in the schedule: {store!r}")
        row = self.visits[self.stores.index(store)]
        return tuple(day for day, visited in zip(self.days, row, strict=True) if visited)

    def planned_store_ids(self, day: dt.date | str) -> tuple[str, ...]:
        """The stores on ``day``'s schedule (拜访日程表), for ``daily_visit_report``."""
        date = as_date(day, "day")
        if date not in self.days:
            raise InvalidValueError(f"'day' is not a working day of the schedule: {date}")
        column = self.visits[:, self.days.index(date)]
        return tuple(store for store, visited in zip(self.stores, column, strict=True) if visited)

    def to_frame(self) -> pd.DataFrame:
        """One row per visit, columns ``date`` and ``store``, by date then input order."""
        import pandas as pd

        days, stores = np.nonzero(self.visits.T)
        frame: pd.DataFrame = pd.DataFrame(
            {
                "date": [self.days[int(d)] for d in days],
                "store": [self.stores[int(s)] for s in stores],
            }
        )
        return frame


def _store_labels(stores: Any) -> tuple[str, ...]:
    if isinstance(stores, (str, bytes)) or not isinstance(stores, Iterable):
        raise TypeError(f"'stores' must be a sequence of store ids, got {type(stores).__name__}")
    labels = tuple(stores)
    seen: set[str] = set()
    for label in labels:
        if not isinstance(label, str):
            raise TypeError(f"'stores' must hold str store ids, got {type(label).__name__}")
        if not label.strip():
            raise InvalidValueError(f"'stores' must not hold an empty store id: {label!r}")
        if label in seen:
            raise DuplicateEntryError(f"'stores' lists store {label!r} more than once")
        seen.add(label)
    return labels


def _per_store(value: ArrayLike, name: str, labels: tuple[str, ...]) -> np.ndarray[Any, Any]:
    """One number per store; a labelled value (a Series by store id) is paired by label."""
    n_stores = len(labels)
    array = as_real_array(aligned_to_axes(value, name, (labels,), "stores"), name)
    check_finite(array, name)
    if array.ndim == 0:
        array = np.full(n_stores, array[()])
    if array.shape != (n_stores,):
        raise ShapeMismatchError(
            f"{name!r} must give one value per store ({n_stores}): shape {array.shape}"
        )
    return array


def _frequencies(value: ArrayLike, labels: tuple[str, ...], n_days: int) -> IntArray:
    array = _per_store(value, "frequency", labels)
    refuse_where(
        (array != np.floor(array)) | (array < 0) | (array > n_days),
        array,
        f"'frequency' must be whole numbers of visits from 0 to the month's {n_days} working days",
    )
    return array.astype(np.int64)


def _standard(standard: VisitStandard | None) -> VisitStandard:
    rule = VisitStandard() if standard is None else standard
    if not isinstance(rule, VisitStandard):
        raise TypeError(f"'standard' must be a VisitStandard, got {type(rule).__name__}")
    return rule


def _ranks(priority: ArrayLike | None, wanted: IntArray, labels: tuple[str, ...]) -> FloatArray:
    if priority is None:
        return wanted.astype(np.float64)
    return _per_store(priority, "priority", labels).astype(np.float64)


def _focus_mask(focus: Collection[str], labels: tuple[str, ...]) -> BoolArray:
    if isinstance(focus, (str, bytes)) or not isinstance(focus, Collection):
        raise TypeError(f"'focus' must be a collection of store ids, got {type(focus).__name__}")
    unknown = [store for store in focus if store not in labels]
    if unknown:
        raise InvalidValueError(f"'focus' names stores not in 'stores': {unknown[:5]!r}")
    return np.array([store in focus for store in labels], dtype=bool)


def _days_within(days: Sequence[dt.date], first: dt.date, last: dt.date) -> BoolArray:
    """Which of ``days`` fall from ``first`` to ``last`` (both included)."""
    return np.array([first <= day <= last for day in days], dtype=bool)


def _focus_window(
    year_month: Sequence[WorkTask], days: Sequence[dt.date], *, needed: bool
) -> BoolArray:
    """Which working days fall in the 6th–10th store forecast window.

    A holiday over the whole window (the Spring Festival of 2019, or of 2027)
    moves it: the focus visits then go to the five days from the first working
    day after it, when the forecast can be adjusted again.
    """
    window = next(task for task in year_month if task.kind == "store_forecast")
    in_window = _days_within(days, window.date, window.end)
    after = [day for day in days if day > window.end]
    if not in_window.any() and after:
        in_window = _days_within(days, after[0], after[0] + (window.end - window.date))
    if needed and not in_window.any():
        raise InvalidValueError(
            f"'focus' stores need a working day from {window.date} to the month's end: "
            "there is none"
        )
    return in_window


def _place(visits: BoolArray, load: IntArray, store: int, candidates: IntArray) -> None:
    """Visit ``store`` on the least loaded of ``candidates`` it is not yet visited on."""
    free = candidates[~visits[store, candidates]]
    day = int(free[np.argmin(load[free])])  # argmin: the earliest of the least loaded
    visits[store, day] = True
    load[day] += 1


def _place_by_frequency(
    visits: BoolArray,
    load: IntArray,
    wanted: IntArray,
    rank: FloatArray,
    focused: BoolArray,
    in_window: BoolArray,
) -> None:
    """Rules 1–3 of :func:`visit_schedule`: spacing, balance and focus."""
    n_stores, n_days = visits.shape
    order = sorted(range(n_stores), key=lambda i: (-wanted[i], -rank[i], i))
    for store in order:
        count = int(wanted[store])
        focus_pending = bool(focused[store])
        for slot in range(count):
            candidates = np.arange(slot * n_days // count, (slot + 1) * n_days // count)
            if focus_pending and in_window[candidates].any():
                candidates = candidates[in_window[candidates]]
                focus_pending = False
            _place(visits, load, store, candidates)
        if focus_pending:
            # a focus store whose slots all miss the window (frequency 0) gets one visit there
            _place(visits, load, store, np.flatnonzero(in_window))


def _top_up_to_minimum(visits: BoolArray, load: IntArray, minimum: int, rank: FloatArray) -> None:
    """Rule 4 of :func:`visit_schedule`: fill each short day, fewest visits so far first."""
    for day in range(visits.shape[1]):
        short = minimum - int(load[day])
        if short <= 0:
            continue
        free = np.flatnonzero(~visits[:, day])
        made = np.count_nonzero(visits, axis=1)
        chosen = sorted(free.tolist(), key=lambda i: (made[i], -rank[i], i))[:short]
        visits[chosen, day] = True
        load[day] += len(chosen)


@keeps_labels
def visit_schedule(
    stores: Sequence[str],
    frequency: ArrayLike,
    year: int,
    month: int,
    *,
    area: AreaType | str,
    holidays: Collection[dt.date | str] = (),
    standard: VisitStandard | None = None,
    priority: ArrayLike | None = None,
    focus: Collection[str] = (),
    makeup_workdays: Collection[dt.date | str] = (),
) -> VisitSchedule:
    """Lay out a month's visits: each store's frequency, the daily minimum, the 6th–10th focus.

    Parameters
    ----------
    stores : sequence of str
        The manager's stores (store ids), unique, non-empty str.
    frequency : array_like of int
        Visits each store must get in the month [visits/month], one per store
        (or one number for all); whole, from 0 to the number of working days.
        E.g. 4 for a weekly visit, 2 for a fortnightly one.  A pandas Series
        indexed by store id is paired with ``stores`` by label, never by
        position (other labels are refused); so is ``priority``.
    year, month : int
        The month.
    area : AreaType or str
        Urban or rural: which daily minimum of ``standard`` applies.
    holidays : collection of datetime.date
        Public holidays (dates or ISO strings): no visits on them.
    standard : VisitStandard, optional
        Default ``VisitStandard()`` (urban ≥ 30, rural ≥ 25 stores a day).
    priority : array_like, optional
        One real number per store; higher is placed first, and among stores
        with as many visits so far, served first when extra visits are needed
        to reach the daily minimum.  Default ``frequency``.
    focus : collection of str
        Stores that must be visited on a working day of the 6th–10th (the
        fluctuating and enterprise-level customers, e.g. the first of
        :func:`~tobacco_metrics.volatile_customers`' ranking).
    makeup_workdays : collection of datetime.date
        Make-up working days (调休上班日, Saturdays or Sundays worked),
        visited like any working day; read as by
        :func:`~tobacco_metrics.working_days`.

    Returns
    -------
    VisitSchedule

    Raises
    ------
    InvalidValueError
        A frequency that is not whole or not within 0 … working days; a
        daily minimum above the number of stores (it cannot be met); a focus
        store that is not among ``stores``, or a focus without a working day
        from the 6th to the month's end; a month without a working day.
    DuplicateEntryError
        A store listed twice.
    TypeError
        ``stores`` a bare string or holding a store id that is not a str.
    ShapeMismatchError
        ``frequency`` or ``priority`` not one per store.

    Notes
    -----
    With *n* working days (Monday–Friday minus holidays, plus make-up days,
    :func:`~tobacco_metrics.working_days`), the rules, in order:

    1. **Spacing.** A store of frequency *f* gets one visit in each of *f*
       equal slots of the working days, slot *k* holding days
       ``⌊k·n/f⌋ … ⌊(k+1)·n/f⌋ − 1``; so its visits are about *n/f* working
       days apart.  Stores are placed by frequency, then priority, highest
       first, then input order.
    2. **Balance.** Within its slot a visit goes to the day with the fewest
       visits so far (the earliest of equals).
    3. **Focus.** A focus store's visit in the first slot that meets the
       6th–10th window (the store forecast window of
       :func:`~tobacco_metrics.monthly_work_calendar`) goes to a working day
       inside the window; a focus store of frequency 0 gets one visit there.
       When holidays cover the whole window (a Spring Festival from the 6th
       to the 10th), the window is the five days from the first working day
       after it: the per-store forecast is adjusted then, so the visits that
       inform it come first.
    4. **Daily minimum.** Every working day with fewer than ``min_visits``
       stores is topped up with stores not yet visited that day: fewest
       visits so far first (extra visits are spread), then highest priority,
       then input order.

    So every store gets at least its frequency, every working day meets the
    daily minimum, no store is visited twice on a day, and nothing falls on
    a weekend or a holiday.  Extra visits come only from rule 3 (frequency 0)
    and rule 4.

    Examples
    --------
    Four stores, a daily minimum of 1 (a toy standard: a real urban day
    needs 30), April 2026 with the Qingming holiday on Monday the 6th (21
    working days), C4 to be seen on the 6th–10th:

    >>> import datetime as dt
    >>> from tobacco_metrics import VisitStandard
    >>> toy = VisitStandard(min_visits_urban=1)
    >>> plan = visit_schedule(["C1", "C2", "C3", "C4"], [8, 6, 4, 2], 2026, 4, area="urban",
    ...                       holidays=[dt.date(2026, 4, 6)], standard=toy, focus={"C4"})
    >>> len(plan.days), int(plan.daily_counts.min()), plan.visit_counts.tolist()
    (21, 1, [8, 6, 4, 4])
    >>> [day.day for day in plan.store_days("C1")]
    [1, 3, 9, 13, 16, 21, 23, 28]
    >>> [day.day for day in plan.store_days("C4")]   # 7th in the window; 2 top-ups
    [7, 15, 29, 30]
    >>> plan.planned_store_ids("2026-04-07")
    ('C2', 'C4')
    """
    labels = _store_labels(stores)
    year_month = monthly_work_calendar(
        year, month, holidays=holidays, makeup_workdays=makeup_workdays
    )
    days = working_days(year, month, holidays=holidays, makeup_workdays=makeup_workdays)
    n_stores, n_days = len(labels), len(days)
    minimum = _standard(standard).min_visits(area)
    wanted = _frequencies(frequency, labels, n_days)
    rank = _ranks(priority, wanted, labels)
    if minimum > n_stores:
        raise InvalidValueError(
            f"the daily minimum of {minimum} stores cannot be met with {n_stores} store(s)"
        )
    focused = _focus_mask(focus, labels)
    in_window = _focus_window(year_month, days, needed=bool(focus))

    visits = np.zeros((n_stores, n_days), dtype=bool)
    load = np.zeros(n_days, dtype=np.int64)
    _place_by_frequency(visits, load, wanted, rank, focused, in_window)
    _top_up_to_minimum(visits, load, minimum, rank)

    return VisitSchedule(
        stores=labels,
        days=days,
        visits=visits,
        frequency=wanted,
        min_visits=minimum,
        focus_days=tuple(day for day, inside in zip(days, in_window, strict=True) if inside),
    )
