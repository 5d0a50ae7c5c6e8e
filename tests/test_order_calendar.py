"""Order days and weekly limits on a real Chinese calendar: holidays and make-up workdays.

The dates are the State Council's 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知):
New Year 1–3 January (Sunday 4 January worked); Spring Festival Sunday 15 – Monday 23
February (Saturdays 14 and 28 February worked); Qingming 4–6 April; Labour Day
1–5 May (Saturday 9 May worked); Dragon Boat 19–21 June; Mid-Autumn 25–27
September; National Day 1–7 October (Sunday 20 September and Saturday 10 October
worked).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import EmptyInputError, InvalidValueError


def _run(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


HOLIDAYS_2026 = [
    *_run(dt.date(2026, 1, 1), dt.date(2026, 1, 3)),
    *_run(dt.date(2026, 2, 15), dt.date(2026, 2, 23)),
    *_run(dt.date(2026, 4, 4), dt.date(2026, 4, 6)),
    *_run(dt.date(2026, 5, 1), dt.date(2026, 5, 5)),
    *_run(dt.date(2026, 6, 19), dt.date(2026, 6, 21)),
    *_run(dt.date(2026, 9, 25), dt.date(2026, 9, 27)),
    *_run(dt.date(2026, 10, 1), dt.date(2026, 10, 7)),
]
MAKEUP_2026 = [
    dt.date(2026, 1, 4),
    dt.date(2026, 2, 14),
    dt.date(2026, 2, 28),
    dt.date(2026, 5, 9),
    dt.date(2026, 9, 20),
    dt.date(2026, 10, 10),
]
CAL: dict[str, Any] = {"holidays": HOLIDAYS_2026, "makeup_workdays": MAKEUP_2026}


def _days(year: int, month: int, weekday: int, **calendar: Any) -> list[int]:
    return [day.day for day in tm.order_days(year, month, weekday, **calendar)]


def _cycles(total: int, year: int, month: int, weekday: int) -> list[tuple[int, int, int]]:
    return [
        (c.order_day.day, c.days_covered, c.limit)
        for c in tm.weekly_limits(total, year, month, order_weekday=weekday, **CAL)
    ]


# --------------------------------------------------------------------------- Spring Festival


def test_spring_festival_monday_store() -> None:
    # Mondays 2, 9, 16, 23 February. The week of the 16th (16–22) is all holiday: no
    # order, the 9 February order carries the store to the next one. Monday 23 is a
    # holiday with no working day before it in its week: Tuesday 24.
    assert _days(2026, 2, 0) == [2, 9, 16, 23]
    assert _days(2026, 2, 0, **CAL) == [2, 9, 24]
    # Cycles 2→9 (7 days), 9→24 (15), 24 February → 2 March (6): 28 days.
    # 100 cartons: 25, 53.57…, 21.43… → 25, 54, 21.
    assert _cycles(100, 2026, 2, 0) == [(2, 7, 25), (9, 15, 54), (24, 6, 21)]


def test_spring_festival_tuesday_store_stocks_up_before_the_holiday() -> None:
    # Tuesday 17 February falls in the all-holiday week: the 10 February order
    # covers 14 days and takes two weeks' share.
    assert _cycles(112, 2026, 2, 1) == [(3, 7, 28), (10, 14, 56), (24, 7, 28)]
    equal = tm.weekly_limits(112, 2026, 2, order_weekday=1, weights="equal", **CAL)
    assert [c.limit for c in equal] == [38, 37, 37]  # the dropped week spread evenly


def test_spring_festival_sunday_store_uses_the_makeup_saturday() -> None:
    # Sunday 15 February (holiday) moves back to the worked Saturday 14; without the
    # make-up day to Friday 13. Sunday 22 is in the all-holiday week: dropped.
    assert _days(2026, 2, 6, **CAL) == [1, 8, 14]
    assert _days(2026, 2, 6, holidays=HOLIDAYS_2026) == [1, 8, 13]
    # 14 February → 1 March (a Sunday, no holiday): 15 days.
    assert [c.days_covered for c in tm.weekly_limits(0, 2026, 2, order_weekday=6, **CAL)] == [
        7,
        6,
        15,
    ]


# --------------------------------------------------------------------------- National Day


def test_national_day_thursday_store_orders_on_30_september() -> None:
    # Thursday 1 October is a holiday; its week's last working day before it is
    # Wednesday 30 September: a September order (orders belong to the month they are
    # placed in). October's first order is Thursday 8 October.
    assert _days(2026, 9, 3, **CAL) == [3, 10, 17, 24, 30]
    assert _days(2026, 10, 3, **CAL) == [8, 15, 22, 29]
    assert _cycles(140, 2026, 9, 3) == [
        (3, 7, 28),
        (10, 7, 28),
        (17, 7, 28),
        (24, 6, 24),
        (30, 8, 32),
    ]


def test_mid_autumn_and_national_day_friday_store() -> None:
    # Friday 25 September (Mid-Autumn) → Thursday 24; Friday 2 October → Wednesday 30
    # September; next order Friday 9 October.
    assert _days(2026, 9, 4, **CAL) == [4, 11, 18, 24, 30]
    assert [c.days_covered for c in tm.weekly_limits(35, 2026, 9, order_weekday=4, **CAL)] == [
        7,
        7,
        6,
        6,
        9,
    ]
    assert _days(2026, 10, 4, **CAL) == [9, 16, 23, 30]


def test_monday_after_national_day_moves_forward() -> None:
    # Monday 5 October: no working day before it in its week; the first after is
    # Thursday 8 (5–7 are holidays).
    assert _days(2026, 10, 0, **CAL) == [8, 12, 19, 26]
    # September's last Monday (28) runs to 8 October: 10 days.
    assert tm.weekly_limits(0, 2026, 9, order_weekday=0, **CAL)[-1].days_covered == 10


# --------------------------------------------------------------------------- other months


def test_labour_day_and_qingming() -> None:
    # Friday 1 May → Thursday 30 April (an April order); Tuesday 5 May → Wednesday 6.
    assert _days(2026, 4, 4, **CAL) == [3, 10, 17, 24, 30]
    assert _days(2026, 5, 4, **CAL) == [8, 15, 22, 29]
    assert _days(2026, 5, 1, **CAL) == [6, 12, 19, 26]
    # Qingming Monday 6 April → Tuesday 7.
    assert _days(2026, 4, 0, **CAL) == [7, 13, 20, 27]


def test_month_starting_on_a_holiday_moves_its_order_into_the_previous_month() -> None:
    # New Year: Thursday 1 January 2026 → Wednesday 31 December 2025.
    assert tm.order_days(2025, 12, 3, **CAL)[-1] == dt.date(2025, 12, 31)
    assert _days(2026, 1, 3, **CAL) == [8, 15, 22, 29]


def test_weekday_a_holiday_every_week() -> None:
    # Every Wednesday of April 2026 a holiday: each order goes to the Tuesday before;
    # 1 April goes to 31 March, so April keeps four orders and its last runs to
    # Wednesday 6 May.
    wednesdays = tm.order_days(2026, 4, 2)
    assert _days(2026, 4, 2, holidays=wednesdays) == [7, 14, 21, 28]
    assert tm.order_days(2026, 3, 2, holidays=wednesdays)[-1] == dt.date(2026, 3, 31)
    limits = tm.weekly_limits(100, 2026, 4, order_weekday=2, holidays=wednesdays)
    assert [(c.days_covered, c.limit) for c in limits] == [(7, 24), (7, 24), (7, 24), (8, 28)]


def test_leap_day() -> None:
    # Tuesday 29 February 2028, say a holiday: Monday 28.
    assert _days(2028, 2, 1) == [1, 8, 15, 22, 29]
    assert _days(2028, 2, 1, holidays=[dt.date(2028, 2, 29)]) == [1, 8, 15, 22, 28]
    limits = tm.weekly_limits(29, 2028, 2, order_weekday=1, holidays=["2028-02-29"])
    assert [c.days_covered for c in limits] == [7, 7, 7, 6, 8]  # 28 Feb → 7 March
    assert sum(c.limit for c in limits) == 29


def test_month_without_an_order_day() -> None:
    # Every day from 26 January to 8 March a holiday: February has no order day.
    holidays = _run(dt.date(2026, 1, 26), dt.date(2026, 3, 8))
    assert tm.order_days(2026, 2, 1, holidays=holidays) == []
    assert tm.weekly_limits(0, 2026, 2, order_weekday=1, holidays=holidays) == ()
    many = tm.weekly_limits([0, 0], 2026, 2, order_weekday=1, holidays=holidays)
    assert isinstance(many, tm.WeeklyLimits)
    assert many.limits.shape == (2, 0)
    with pytest.raises(EmptyInputError, match="2026-02 has no order day for weekday 1"):
        tm.weekly_limits(5, 2026, 2, order_weekday=1, holidays=holidays)
    # January's last order (Tuesday 20) carries the store to Tuesday 10 March.
    assert tm.weekly_limits(0, 2026, 1, order_weekday=1, holidays=holidays)[-1].days_covered == 49


def test_class_limits_follow_the_same_orders() -> None:
    limits = tm.class_limits([0, 0, 0, 100, 28], 2026, 2, order_weekday=0, **CAL)
    assert [day.day for day in limits.order_days] == [2, 9, 24]
    assert limits.days_covered == (7, 15, 6)
    assert limits.limits.tolist() == [[25, 54, 21], [7, 15, 6]]


def test_no_calendar_keeps_the_old_days() -> None:
    assert tm.order_days(2026, 2, 0, holidays=(), makeup_workdays=()) == tm.order_days(2026, 2, 0)
    assert tm.weekly_limits(124, 2026, 3, order_weekday=1, holidays=[dt.date(2026, 3, 5)]) == (
        tm.weekly_limits(124, 2026, 3, order_weekday=1)
    )


def test_end_of_the_calendar_with_holidays() -> None:
    # Friday 31 December 9999 a holiday: Thursday 30; its cycle stops at the calendar's end.
    limits = tm.weekly_limits(10, 9999, 12, order_weekday=4, holidays=[dt.date(9999, 12, 31)])
    assert limits[-1].order_day == dt.date(9999, 12, 30)
    assert limits[-1].days_covered == 2
    # Monday 1 January of year 1 a holiday: Tuesday 2.
    assert _days(1, 1, 0, holidays=[dt.date(1, 1, 1)]) == [2, 8, 15, 22, 29]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"holidays": "2026-02-16"}, TypeError, "'holidays' must be a collection"),
        ({"holidays": ["2026-02-30"]}, InvalidValueError, "'holidays'"),
        (
            {"makeup_workdays": ["2026-02-16"]},
            InvalidValueError,
            "'makeup_workdays' must be Saturdays or Sundays",
        ),
        (
            {"holidays": ["2026-02-14"], "makeup_workdays": ["2026-02-14"]},
            InvalidValueError,
            "2026-02-14 is both in 'holidays' and in 'makeup_workdays'",
        ),
    ],
)
def test_calendar_bad_inputs(kwargs: dict[str, Any], error: type, message: str) -> None:
    for call in (
        lambda: tm.order_days(2026, 2, 0, **kwargs),
        lambda: tm.weekly_limits(10, 2026, 2, order_weekday=0, **kwargs),
        lambda: tm.working_days(2026, 2, **kwargs),
    ):
        with pytest.raises(error, match=message):
            call()


# --------------------------------------------------------------------------- laws

_DAY = st.dates(dt.date(2025, 11, 1), dt.date(2027, 2, 28))


@given(
    st.lists(_DAY, max_size=40),
    st.lists(_DAY.filter(lambda day: day.weekday() >= 5), max_size=6),
    st.integers(0, 6),
    st.integers(1, 12),
    st.integers(0, 2000),
)
def test_order_day_laws(
    holidays: list[dt.date], makeup: list[dt.date], weekday: int, month: int, total: int
) -> None:
    makeup = [day for day in makeup if day not in holidays]
    calendar: dict[str, Any] = {"holidays": holidays, "makeup_workdays": makeup}
    first = dt.date(2026, month, 1)
    after = first + relativedelta(months=1)
    days = tm.order_days(2026, month, weekday, **calendar)
    following = tm.order_days(after.year, after.month, weekday, **calendar)
    working = set(tm.working_days(2026, month, **calendar))
    for day in days:
        assert day.month == month
        assert day not in set(holidays)
        # on its weekday, or moved to a working day of the same Monday–Sunday week
        assert day.weekday() == weekday or day in working
    assert all((b - a).days >= 1 for a, b in itertools.pairwise(days))
    # each slot of the weekday gives at most one order, in its own week
    weeks = [day.isocalendar()[:2] for day in days]
    assert len(set(weeks)) == len(weeks)
    # a holiday-free weekday of the month is an order day
    plain = [d for d in tm.order_days(2026, month, weekday) if d not in set(holidays)]
    assert set(plain) <= set(days)
    # the cycles tile the days from the first order to the next month's first order
    if days:
        limits = tm.weekly_limits(total, 2026, month, order_weekday=weekday, **calendar)
        assert [c.order_day for c in limits] == days
        assert all(
            a.last_day + dt.timedelta(days=1) == b.order_day for a, b in itertools.pairwise(limits)
        )
        if following:
            assert limits[-1].last_day + dt.timedelta(days=1) == following[0]
        assert sum(c.limit for c in limits) == total
        covered = sum(c.days_covered for c in limits)
        for c in limits:
            share = total * c.days_covered / covered
            assert int(share) <= c.limit <= int(share) + 1


def test_new_year_crosses_the_year() -> None:
    # Friday 1 January 2027 (New Year's Day) is placed on Thursday 31 December 2026: a
    # December order, and December's limits need January's holidays to know it.
    assert _days(2026, 12, 4, holidays=["2027-01-01"]) == [4, 11, 18, 25, 31]
    assert _days(2027, 1, 4, holidays=["2027-01-01"]) == [8, 15, 22, 29]
    cycles = tm.weekly_limits(31, 2026, 12, order_weekday=4, holidays=["2027-01-01"])
    # 31 over 35 days: 6.2, 6.2, 6.2, 5.31, 7.09 → floors 6, 6, 6, 5, 7 (30) and the spare
    # carton to the largest remainder, 0.31
    assert [(c.days_covered, c.limit) for c in cycles] == [(7, 6), (7, 6), (7, 6), (6, 6), (8, 7)]


def test_weekly_limits_names_its_own_weekday_argument() -> None:
    with pytest.raises(InvalidValueError, match=r"'order_weekday' must be in 0 \(Monday\)"):
        tm.weekly_limits(10, 2026, 2, order_weekday=7)
    with pytest.raises(TypeError, match="'order_weekday' must be an int"):
        tm.class_limits([0] * 5, 2026, 2, order_weekday="TU")  # type: ignore[arg-type]
