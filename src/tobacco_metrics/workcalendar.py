"""The customer manager's monthly work calendar (月度工作要点), source 篇6 一(一).

The source's "七项工作要点" as dated tasks:

1. "每月1日下午填写月总结与分析" → ``"month_summary"`` on the 1st;
2. "每周一下午填写周总结与分析" → ``"week_summary"`` every Monday;
3. "每周对信息采集点进行数据采集,填写数据采集表" → ``"data_collection"`` every week;
4. "每月1日至5日 … 为总量预测调整做准备" → ``"total_forecast"``, days 1–5;
5. "每月6日至10日 … 为个体预测调整提供依据" → ``"store_forecast"``, days 6–10;
6. "每月11日至月末,正常拜访" → normal visits, no task of its own;
7. "每月最后一个工作日填制次月月度拜访计划" → ``"next_month_plan"`` on the last
   working day.

Dates are built with :mod:`dateutil.rrule`; weekly tasks follow
``weekday_rules`` (see :func:`monthly_work_calendar`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Literal, get_args

import attrs
import dateutil.rrule
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MO, MONTHLY, rrule

from tobacco_metrics import _convert as cv
from tobacco_metrics._calendar import Calendar, calendar_sets, midnight, working_days_between
from tobacco_metrics._record import _Record
from tobacco_metrics._validation import integer, weekday
from tobacco_metrics.errors import InvalidValueError

__all__ = ["WorkTask", "monthly_work_calendar", "working_days"]

TaskKind = Literal[
    "month_summary",
    "week_summary",
    "data_collection",
    "total_forecast",
    "store_forecast",
    "next_month_plan",
]
# The order of kinds on one date (the order of the source's list).
_KINDS: tuple[TaskKind, ...] = get_args(TaskKind)
_WEEKLY_KINDS: tuple[TaskKind, ...] = ("week_summary", "data_collection")

_DESCRIPTIONS: dict[str, str] = {
    "month_summary": (
        "Month summary and analysis (月总结与分析) of last month, "
        "handed to the market manager in the afternoon"
    ),
    "week_summary": (
        "Week summary and analysis (周总结与分析), handed to the market manager in the afternoon"
    ),
    "data_collection": (
        "Collect data at the information points (信息采集点) "
        "and fill in the data sheet (数据采集表)"
    ),
    "total_forecast": (
        "Normal visits, gathering information for the total-volume forecast (总量预测调整): "
        "customer screening"
    ),
    "store_forecast": (
        "Normal visits, mainly fluctuating and enterprise-level customers, "
        "for the per-store forecast (个体预测调整)"
    ),
    "next_month_plan": "Fill in next month's visit plan (次月月度拜访计划)",
}


def _kind(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or value not in _KINDS:
        raise InvalidValueError(f"'kind' must be one of {', '.join(_KINDS)}: {value!r}")


def _task_date(value: Any) -> dt.date:
    return cv.naming(cv.to_date, value, "date")


def _task_end(value: Any) -> dt.date:
    return cv.naming(cv.to_date, value, "end")


@attrs.frozen
class WorkTask(_Record):
    """One dated task of the manager's month.

    Parameters
    ----------
    date : datetime.date
        The (first) day of the task.
    end : datetime.date
        The last day, inclusive; the same as ``date`` for a one-day task
        (the default); ``>= date``.
    kind : str
        ``"month_summary"``, ``"week_summary"``, ``"data_collection"``,
        ``"total_forecast"``, ``"store_forecast"`` or ``"next_month_plan"``.
    description : str
        What to do, with the source's term.

    Examples
    --------
    >>> task = WorkTask(dt.date(2026, 3, 1), kind="total_forecast", description="…",
    ...                 end=dt.date(2026, 3, 5))
    >>> task.days
    5
    >>> WorkTask.from_dict(task.to_dict()) == task
    True
    """

    date: dt.date = attrs.field(converter=_task_date)
    kind: TaskKind = attrs.field(kw_only=True, validator=_kind)
    description: str = attrs.field(kw_only=True, validator=cv.instance_of(str, "a str"))
    end: dt.date = attrs.field(
        kw_only=True, converter=_task_end, default=attrs.Factory(lambda self: self.date, True)
    )

    def __attrs_post_init__(self) -> None:
        if self.end < self.date:
            raise InvalidValueError(
                f"'end' must be >= 'date' ({self.date.isoformat()}): {self.end.isoformat()} "
                "(to move a task, keeping its days, use task.moved_to(date))"
            )

    def moved_to(self, date: dt.date | str) -> WorkTask:
        """The same task starting on ``date``, over as many days.

        ``attrs.evolve(task, date=...)`` keeps the old ``end``, so it cannot
        move a task later than its end.

        >>> task = WorkTask(dt.date(2026, 3, 6), kind="store_forecast", description="…",
        ...                 end=dt.date(2026, 3, 10))
        >>> moved = task.moved_to(dt.date(2026, 3, 11))
        >>> (moved.date.isoformat(), moved.end.isoformat(), moved.days)
        ('2026-03-11', '2026-03-15', 5)
        """
        start = _task_date(date)
        return attrs.evolve(self, date=start, end=start + (self.end - self.date))

    @property
    def days(self) -> int:
        """Calendar days the task spans, both ends included."""
        return (self.end - self.date).days + 1


def _weekday(value: Any, kind: str) -> dateutil.rrule.weekday:
    return weekday(
        value,
        f"'weekday_rules' for {kind!r}",
        nth=True,
        expected="a dateutil weekday (MO … SU), an int 0–6, a collection of them, or None",
    )


def _weekday_rules(
    rules: Mapping[str, Any] | None,
) -> dict[str, tuple[dateutil.rrule.weekday, ...] | None]:
    merged: dict[str, tuple[dateutil.rrule.weekday, ...] | None] = {
        "week_summary": (MO,),
        "data_collection": None,
    }
    if rules is None:
        return merged
    if not isinstance(rules, Mapping):
        raise TypeError(f"'weekday_rules' must be a mapping, got {type(rules).__name__}")
    unknown = sorted(str(key) for key in rules if key not in _WEEKLY_KINDS)
    if unknown:
        raise InvalidValueError(
            f"'weekday_rules' keys must be some of {', '.join(_WEEKLY_KINDS)}: {', '.join(unknown)}"
        )
    merged.update({kind: _rule_days(kind, value) for kind, value in rules.items()})
    return merged


def _rule_days(kind: str, value: Any) -> tuple[dateutil.rrule.weekday, ...] | None:
    """The weekdays of one ``weekday_rules`` entry: None, one weekday or a collection."""
    if value is None:
        return None
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        days = tuple(_weekday(item, kind) for item in value)
        if not days:
            raise InvalidValueError(
                f"'weekday_rules' for {kind!r} must name at least one weekday (or be None)"
            )
        return days
    return (_weekday(value, kind),)


def _month_and_holidays(
    year: int,
    month: int,
    holidays: Collection[dt.date | str],
    makeup_workdays: Collection[dt.date | str],
) -> tuple[dt.date, dt.date, Calendar]:
    """The month's first and last day (year and month checked), and the holidays and
    make-up working days (调休) as :func:`~tobacco_metrics._calendar.calendar_sets` reads
    them."""
    year, month = integer(year, "year", 1, 9999), integer(month, "month", 1, 12)
    first = dt.date(year, month, 1)
    calendar = calendar_sets(holidays, makeup_workdays)
    return first, first + relativedelta(day=31), calendar


def working_days(
    year: int,
    month: int,
    *,
    holidays: Collection[dt.date | str] = (),
    makeup_workdays: Collection[dt.date | str] = (),
) -> tuple[dt.date, ...]:
    """The month's working days: Monday to Friday, holidays left out, make-up days put in.

    Parameters
    ----------
    year, month : int
        The month.
    holidays : collection of datetime.date
        Public holidays (dates or ISO strings); those outside the month are
        ignored, so a whole year's list can be passed.
    makeup_workdays : collection of datetime.date
        Make-up working days (调休上班日): Saturdays or Sundays worked in
        exchange for a holiday, read like ``holidays`` (a whole year's list
        can be passed).  A weekday, or a date also in ``holidays``, is an
        InvalidValueError.

    Returns
    -------
    tuple of datetime.date
        In date order; empty when every weekday of the month is a holiday
        and no make-up day falls in it.

    Notes
    -----
    The same rule decides the last working day of
    :func:`monthly_work_calendar` (next month's visit plan) and the days of
    :func:`~tobacco_metrics.visit_schedule`.

    Examples
    --------
    >>> days = working_days(2026, 4, holidays=["2026-04-06"])
    >>> len(days), days[0].day, days[3].day, days[-1].day
    (21, 1, 7, 30)
    >>> days = working_days(2026, 2, holidays=["2026-02-16", "2026-02-17", "2026-02-18",
    ...                     "2026-02-19", "2026-02-20"], makeup_workdays=["2026-02-28"])
    >>> len(days), days[-1].isoformat()
    (16, '2026-02-28')
    """
    return tuple(working_days_between(*_month_and_holidays(year, month, holidays, makeup_workdays)))


def monthly_work_calendar(
    year: int,
    month: int,
    *,
    holidays: Collection[dt.date | str] = (),
    weekday_rules: Mapping[str, Any] | None = None,
    makeup_workdays: Collection[dt.date | str] = (),
) -> tuple[WorkTask, ...]:
    """The month's work rhythm (月度工作要点) as dated tasks.

    Parameters
    ----------
    year, month : int
        The month.
    holidays : collection of datetime.date
        Public holidays, read as by :func:`working_days` (a whole year's list
        can be passed). They move only the ``"next_month_plan"`` task.
    weekday_rules : mapping, optional
        When the weekly tasks fall, by kind: ``"week_summary"`` (default
        Monday, ``MO``: "每周一下午") and ``"data_collection"`` (default
        ``None``). A value is a dateutil weekday (``MO`` … ``SU`` from
        :mod:`dateutil.rrule` or :mod:`dateutil.relativedelta`), an int
        0 (Monday) … 6 (Sunday), or a collection of them: a one-day task on
        every such day of the month. A weekday with an index counts within
        the month, as in an rrule: ``FR(-1)`` is the last Friday only. ``None``
        makes the task a window over each Monday–Sunday week, clipped to the
        month (the source gives no day for the weekly data collection, "每周").
        Keys not given keep their defaults.
    makeup_workdays : collection of datetime.date
        Make-up working days (调休上班日), read as by :func:`working_days`;
        like ``holidays``, they move only the ``"next_month_plan"`` task (a
        month may end on a worked Saturday).

    Returns
    -------
    tuple of WorkTask
        Sorted by date, then in the order of the source's list
        (month_summary, week_summary, data_collection, total_forecast,
        store_forecast, next_month_plan).

    Raises
    ------
    InvalidValueError
        A month out of 1..12; an unknown ``weekday_rules`` key; a month
        without a working day (every weekday a holiday); a make-up day that
        is a weekday or a holiday.

    Notes
    -----
    The last working day is the last day of the month that is Monday to
    Friday and not in ``holidays``, or in ``makeup_workdays`` (an
    ``rruleset`` of the month's weekdays minus the holidays plus the make-up
    days). The month summary (day 1), the forecast windows (days 1–5,
    6–10) and the weekly tasks keep their dates on holidays, as the source
    gives them.

    Examples
    --------
    >>> from dateutil.rrule import TH
    >>> tasks = monthly_work_calendar(2026, 4, holidays=[dt.date(2026, 4, 30)])
    >>> [(t.date.day, t.kind) for t in tasks if t.kind != "data_collection"]
    [(1, 'month_summary'), (1, 'total_forecast'), (6, 'week_summary'), (6, 'store_forecast'),
     (13, 'week_summary'), (20, 'week_summary'), (27, 'week_summary'), (29, 'next_month_plan')]
    >>> [(t.date.day, t.end.day) for t in tasks if t.kind == "data_collection"]
    [(1, 5), (6, 12), (13, 19), (20, 26), (27, 30)]
    >>> thursdays = monthly_work_calendar(2026, 4, weekday_rules={"data_collection": TH})
    >>> [t.date.day for t in thursdays if t.kind == "data_collection"]
    [2, 9, 16, 23, 30]
    """
    first, last, calendar = _month_and_holidays(year, month, holidays, makeup_workdays)
    rules = _weekday_rules(weekday_rules)

    tasks: list[WorkTask] = [
        WorkTask(first, kind="month_summary", description=_DESCRIPTIONS["month_summary"]),
        WorkTask(
            first,
            end=first.replace(day=5),
            kind="total_forecast",
            description=_DESCRIPTIONS["total_forecast"],
        ),
        WorkTask(
            first.replace(day=6),
            end=first.replace(day=10),
            kind="store_forecast",
            description=_DESCRIPTIONS["store_forecast"],
        ),
    ]

    start, until = midnight(first), midnight(last)
    for kind in _WEEKLY_KINDS:
        days = rules[kind]
        if days is None:
            mondays = rrule(MONTHLY, dtstart=start, until=until, byweekday=MO)
            starts = sorted({first} | {moment.date() for moment in mondays})
            for week_start in starts:
                # Ordinals: the Sunday after the last week of 9999 is not a date.
                sunday = week_start.toordinal() + 6 - week_start.weekday()
                week_end = dt.date.fromordinal(min(sunday, last.toordinal()))
                tasks.append(
                    WorkTask(week_start, end=week_end, kind=kind, description=_DESCRIPTIONS[kind])
                )
        else:
            for moment in rrule(MONTHLY, dtstart=start, until=until, byweekday=days):
                tasks.append(WorkTask(moment.date(), kind=kind, description=_DESCRIPTIONS[kind]))

    workdays = working_days_between(first, last, calendar)
    if not workdays:
        raise InvalidValueError(
            f"{first.year}-{first.month:02d} has no working day (Monday–Friday, not a holiday, "
            "or a make-up day): next month's visit plan has no date"
        )
    tasks.append(
        WorkTask(
            workdays[-1],
            kind="next_month_plan",
            description=_DESCRIPTIONS["next_month_plan"],
        )
    )
    tasks.sort(key=lambda task: (task.date, _KINDS.index(task.kind), task.end))
    return tuple(tasks)
