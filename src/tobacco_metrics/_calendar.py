"""The working-day rule and the order-day rule on holidays (private).

One place for the calendar that :mod:`~tobacco_metrics.workcalendar` (working
days, the monthly work calendar), :mod:`~tobacco_metrics.supply` (order
days, weekly limits), :mod:`~tobacco_metrics.agreements` (order follow-up) and
the CLI's date files share:

- :func:`calendar_sets` reads and checks ``holidays`` and ``makeup_workdays``
  (调休上班日) once, with the messages every caller gives (:func:`calendar_problems`
  lists what it refuses; the CLI names each refused date's file and line);
- :func:`working_days_between` is *the* working-day rule: Monday to Friday,
  holidays left out, make-up days put in;
- :func:`store_order_days` moves an order day that falls on a holiday to a
  working day of the same Monday–Sunday week (the latest before it, else the
  earliest after it) and drops it when the week has no working day;
  :func:`month_order_days` gives a month's, its arguments checked, with the holiday
  each order was moved from;
- :func:`window_end` ends a window of days counted without the holidays (order
  follow-up across a holiday).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Collection, Sequence

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule, rruleset

from tobacco_metrics import _convert as cv
from tobacco_metrics._validation import integer, weekday
from tobacco_metrics.errors import InvalidValueError

_WORKDAYS = (MO, TU, WE, TH, FR)
_FIRST, _LAST = dt.date.min.toordinal(), dt.date.max.toordinal()

Calendar = tuple[frozenset[dt.date], frozenset[dt.date]]
"""The holidays and the make-up working days, as :func:`calendar_sets` returns them."""


def calendar_problems(
    holidays: frozenset[dt.date], makeup_workdays: frozenset[dt.date]
) -> list[tuple[dt.date, str]]:
    """The make-up days the calendar refuses, each with its message: the weekdays (Monday
    to Friday are working days already), then the days also in the holidays."""
    ordered = sorted(makeup_workdays)
    return [
        (
            day,
            "'makeup_workdays' must be Saturdays or Sundays (Monday to Friday are working "
            f"days already): {day.isoformat()} is a {day.strftime('%A')}",
        )
        for day in ordered
        if day.weekday() < 5
    ] + [
        (day, f"{day.isoformat()} is both in 'holidays' and in 'makeup_workdays'")
        for day in ordered
        if day.weekday() >= 5 and day in holidays
    ]


def calendar_sets(
    holidays: Collection[dt.date | str], makeup_workdays: Collection[dt.date | str]
) -> Calendar:
    """The holidays and the make-up working days (调休) as dates, checked by
    :func:`calendar_problems` (the first problem is raised)."""
    holiday_set = cv.frozenset_of(holidays, cv.to_date, "holidays")
    makeup = cv.frozenset_of(makeup_workdays, cv.to_date, "makeup_workdays")
    problems = calendar_problems(holiday_set, makeup)
    if problems:
        raise InvalidValueError(problems[0][1])
    return holiday_set, makeup


def midnight(day: dt.date) -> dt.datetime:
    """The day as a datetime at 00:00, as dateutil's rrules count."""
    return dt.datetime.combine(day, dt.time())


def working_days_between(first: dt.date, last: dt.date, calendar: Calendar) -> list[dt.date]:
    """Monday–Friday days from ``first`` to ``last`` not in the holidays, and the make-up
    working days among them (an rruleset), in date order."""
    holidays, makeup = calendar
    working = rruleset()
    working.rrule(rrule(DAILY, dtstart=midnight(first), until=midnight(last), byweekday=_WORKDAYS))
    for holiday in holidays:
        if first <= holiday <= last:
            working.exdate(midnight(holiday))
    for day in makeup:
        if first <= day <= last:
            working.rdate(midnight(day))
    return [moment.date() for moment in working]


@functools.lru_cache(maxsize=4096)  # a report asks the same weeks for every store
def _order_on(slot: int, calendar: Calendar) -> int | None:
    """The ordinal the order of weekday slot ``slot`` (an ordinal) is placed on: the slot
    itself unless a holiday; else the latest working day of its Monday–Sunday week before
    it, else the earliest after it; None when the week has no working day."""
    day = dt.date.fromordinal(slot)
    if day not in calendar[0]:
        return slot
    monday = slot - day.weekday()
    week = working_days_between(
        dt.date.fromordinal(max(monday, _FIRST)),
        dt.date.fromordinal(min(monday + 6, _LAST)),
        calendar,
    )
    before = [other.toordinal() for other in week if other < day]
    if before:
        return before[-1]
    after = [other.toordinal() for other in week if other > day]
    return after[0] if after else None


def weekday_number(value: object, name: str = "weekday") -> int:
    """Monday = 0 … Sunday = 6 from an int or a plain dateutil weekday (not ``MO(+1)``)."""
    return int(weekday(value, name).weekday)


def store_order_days(
    first: dt.date, last: dt.date, weekday: int, calendar: Calendar
) -> tuple[list[dt.date], list[dt.date | None], int]:
    """The order days from ``first`` to ``last`` of a store ordering on ``weekday`` (0–6),
    holidays moved or dropped by :func:`_order_on`; for each, the holiday it was moved
    from (None when it was not moved); and the ordinal of the next order after ``last``
    (``date.max`` + 1 when there is none before the calendar's end).

    An order belongs to the days it is *placed* on: a slot just outside the range may
    move into it (a Thursday 1 October holiday placed on Wednesday 30 September), and one
    inside may move out of it.
    """
    start, end = first.toordinal(), last.toordinal()
    # The first slot whose week can reach ``first``: at most 6 days before it.
    slot = start - 6 + (weekday - (start - 6 - 1) % 7) % 7
    days: list[dt.date] = []
    moved: list[dt.date | None] = []
    while slot <= _LAST:
        placed = _order_on(slot, calendar) if slot >= _FIRST else None
        if placed is not None and placed > end:
            return days, moved, placed
        if placed is not None and placed >= start:
            days.append(dt.date.fromordinal(placed))
            moved.append(None if placed == slot else dt.date.fromordinal(slot))
        slot += 7
    return days, moved, _LAST + 1


def month_order_days(
    year: object,
    month: object,
    order_weekday: object,
    weekday_name: str,
    holidays: Collection[dt.date | str],
    makeup_workdays: Collection[dt.date | str],
) -> tuple[list[dt.date], list[dt.date | None], int, int]:
    """A month's order days and the holidays they were moved from (:func:`store_order_days`),
    every argument checked, the ordinal of the next order after the month, and the weekday
    number (0–6; ``weekday_name`` is the argument's name in messages)."""
    first = dt.date(integer(year, "year", 1, 9999), integer(month, "month", 1, 12), 1)
    day_of_week = weekday_number(order_weekday, weekday_name)
    calendar = calendar_sets(holidays, makeup_workdays)
    last = first + relativedelta(day=31)
    return (*store_order_days(first, last, day_of_week, calendar), day_of_week)


def window_end(start: int, days: int, closed: Sequence[int]) -> int:
    """The ordinal of the last day of a window of ``days`` counted days after ``start``
    (an ordinal): the days in ``closed`` (sorted ordinals, the holidays) are not counted,
    so each one in the window pushes its end a day later; the calendar's end caps it."""
    end = start + days
    while end <= _LAST:
        later = start + days + bisect.bisect_right(closed, end) - bisect.bisect_right(closed, start)
        if later == end:
            break
        end = later
    return min(end, _LAST)
