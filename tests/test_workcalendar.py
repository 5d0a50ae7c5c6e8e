"""Tests of the customer manager's monthly work calendar (月度工作要点)."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from dateutil.relativedelta import TH as RD_TH
from dateutil.rrule import FR, MO, WE
from hypothesis import given
from hypothesis import strategies as st

from tobacco_metrics import InvalidValueError, WorkTask, monthly_work_calendar, working_days

KINDS = (
    "month_summary",
    "week_summary",
    "data_collection",
    "total_forecast",
    "store_forecast",
    "next_month_plan",
)


def of_kind(tasks: tuple[WorkTask, ...], kind: str) -> list[tuple[int, int]]:
    return [(task.date.day, task.end.day) for task in tasks if task.kind == kind]


def test_worked_month_march_2026() -> None:
    # March 2026: the 1st is a Sunday, the 31st a Tuesday.
    tasks = monthly_work_calendar(2026, 3)
    assert of_kind(tasks, "month_summary") == [(1, 1)]
    assert of_kind(tasks, "total_forecast") == [(1, 5)]
    assert of_kind(tasks, "store_forecast") == [(6, 10)]
    assert of_kind(tasks, "week_summary") == [(2, 2), (9, 9), (16, 16), (23, 23), (30, 30)]
    assert of_kind(tasks, "data_collection") == [
        (1, 1),
        (2, 8),
        (9, 15),
        (16, 22),
        (23, 29),
        (30, 31),
    ]
    assert of_kind(tasks, "next_month_plan") == [(31, 31)]
    assert [task.kind for task in tasks[:3]] == [
        "month_summary",
        "data_collection",
        "total_forecast",
    ]
    assert len(tasks) == 1 + 1 + 1 + 5 + 6 + 1


def test_last_working_day_skips_weekends_and_holidays() -> None:
    # February 2026 ends on a Saturday.
    assert of_kind(monthly_work_calendar(2026, 2), "next_month_plan") == [(27, 27)]
    # September 2026 ends on a Wednesday; with the 29th and 30th off, the plan is on the 28th.
    holidays: list[dt.date | str] = [dt.date(2026, 9, 29), "2026-09-30", dt.date(2026, 10, 1)]
    assert of_kind(monthly_work_calendar(2026, 9, holidays=holidays), "next_month_plan") == [
        (28, 28)
    ]
    # A holiday in another month changes nothing.
    assert of_kind(
        monthly_work_calendar(2026, 9, holidays=[dt.date(2026, 10, 1)]), "next_month_plan"
    ) == [(30, 30)]


# The 2026 Spring Festival: 16–20 February off, Saturday 14 and Saturday 28 worked (调休).
SPRING_FESTIVAL = [dt.date(2026, 2, day) for day in range(16, 21)]
WORKED_SATURDAYS: list[dt.date | str] = ["2026-02-14", dt.date(2026, 2, 28)]


def test_makeup_workdays_are_working_days() -> None:
    """Before: 调休 was not modelled; the month's plan was due on the 27th, a day off."""
    days = working_days(
        2026, 2, holidays=SPRING_FESTIVAL, makeup_workdays=[*WORKED_SATURDAYS, "2026-10-10"]
    )
    assert len(days) == 20 - 5 + 2  # the other month's make-up day is ignored
    assert dt.date(2026, 2, 14) in days
    assert days[-1] == dt.date(2026, 2, 28)
    tasks = monthly_work_calendar(
        2026, 2, holidays=SPRING_FESTIVAL, makeup_workdays=WORKED_SATURDAYS
    )
    assert of_kind(tasks, "next_month_plan") == [(28, 28)]


@pytest.mark.parametrize(
    ("makeup", "match"),
    [
        (["2026-02-17"], "must be Saturdays or Sundays .*: 2026-02-17 is a Tuesday"),
        (["2026-02-14", "2026-02-15"], "2026-02-15 is both in 'holidays' and in 'makeup_workdays'"),
        (["2026-02-30"], "'makeup_workdays': "),
    ],
)
def test_makeup_workdays_refusals(makeup: list[str], match: str) -> None:
    with pytest.raises(InvalidValueError, match=match):
        working_days(2026, 2, holidays=[dt.date(2026, 2, 15)], makeup_workdays=makeup)


def test_holidays_do_not_move_the_other_tasks() -> None:
    plain = monthly_work_calendar(2026, 10)
    holidays = [dt.date(2026, 10, day) for day in range(1, 9)]
    with_holidays = monthly_work_calendar(2026, 10, holidays=holidays)
    assert [t for t in plain if t.kind != "next_month_plan"] == [
        t for t in with_holidays if t.kind != "next_month_plan"
    ]


def test_weekday_rules() -> None:
    tasks = monthly_work_calendar(
        2026, 3, weekday_rules={"data_collection": [WE, 4], "week_summary": FR(-1)}
    )
    assert of_kind(tasks, "week_summary") == [(27, 27)]
    assert [day for day, _ in of_kind(tasks, "data_collection")] == [4, 6, 11, 13, 18, 20, 25, 27]
    # relativedelta's weekdays work too, and keys not given keep their defaults.
    tasks = monthly_work_calendar(2026, 3, weekday_rules={"data_collection": RD_TH})
    assert [day for day, _ in of_kind(tasks, "data_collection")] == [5, 12, 19, 26]
    assert of_kind(tasks, "week_summary") == [(2, 2), (9, 9), (16, 16), (23, 23), (30, 30)]
    # None turns a weekly task into Monday–Sunday windows.
    windows = monthly_work_calendar(2026, 3, weekday_rules={"week_summary": None})
    assert of_kind(windows, "week_summary") == of_kind(windows, "data_collection")


def test_weekday_rules_monday_default_matches_explicit() -> None:
    assert monthly_work_calendar(2026, 6) == monthly_work_calendar(
        2026, 6, weekday_rules={"week_summary": MO, "data_collection": None}
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"weekday_rules": {"lunch": MO}}, InvalidValueError, r"keys must be some of .*: lunch"),
        (
            {"weekday_rules": {"week_summary": 7}},
            InvalidValueError,
            r"0 \(Monday\) … 6 \(Sunday\): 7",
        ),
        ({"weekday_rules": {"week_summary": []}}, InvalidValueError, r"at least one weekday"),
        ({"weekday_rules": {"week_summary": "MO"}}, TypeError, r"must be a dateutil weekday"),
        (
            {"weekday_rules": [("week_summary", MO)]},
            TypeError,
            r"'weekday_rules' must be a mapping",
        ),
        ({"holidays": "2026-03-02"}, TypeError, r"'holidays' must be a collection"),
        ({"holidays": ["March 2"]}, InvalidValueError, r"expected an ISO date"),
    ],
)
def test_bad_options(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        monthly_work_calendar(2026, 3, **kwargs)  # type: ignore[arg-type]


def test_bad_months() -> None:
    with pytest.raises(InvalidValueError, match=r"'month' must be in 1..12: 13"):
        monthly_work_calendar(2026, 13)
    with pytest.raises(InvalidValueError, match=r"'year' must be in 1..9999: 0"):
        monthly_work_calendar(0, 1)
    with pytest.raises(TypeError, match=r"'month' must be an int, got str"):
        monthly_work_calendar(2026, "3")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"'year' must be an int, got bool"):
        monthly_work_calendar(True, 3)


def test_month_without_a_working_day() -> None:
    every_day = [dt.date(2026, 2, day) for day in range(1, 29)]
    with pytest.raises(InvalidValueError, match=r"2026-02 has no working day"):
        monthly_work_calendar(2026, 2, holidays=every_day)


def test_work_task_validation_and_round_trip() -> None:
    task = WorkTask(dt.date(2026, 3, 6), kind="store_forecast", description="x", end="2026-03-10")
    assert task.days == 5
    assert WorkTask.from_dict(task.to_dict()) == task
    one_day = WorkTask("2026-03-31", kind="next_month_plan", description="plan")
    assert (one_day.end, one_day.days) == (dt.date(2026, 3, 31), 1)
    with pytest.raises(
        InvalidValueError, match=r"'end' must be >= 'date' \(2026-03-06\): 2026-03-05"
    ):
        WorkTask(
            dt.date(2026, 3, 6), kind="store_forecast", description="x", end=dt.date(2026, 3, 5)
        )
    with pytest.raises(InvalidValueError, match=r"'kind' must be one of month_summary"):
        WorkTask(dt.date(2026, 3, 6), kind="nap", description="x")  # type: ignore[arg-type]


@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    length=st.integers(0, 30),
    shift=st.integers(-400, 400),
)
def test_a_moved_task_keeps_its_days(start: dt.date, length: int, shift: int) -> None:
    # attrs.evolve(task, date=later) keeps the old end, so a one-day task could not be
    # moved a day later; moved_to keeps the task's length.
    task = WorkTask(
        start, kind="store_forecast", description="x", end=start + dt.timedelta(days=length)
    )
    moved = task.moved_to(start + dt.timedelta(days=shift))
    assert moved.date == start + dt.timedelta(days=shift)
    assert moved.days == task.days
    assert (moved.kind, moved.description) == (task.kind, task.description)
    assert moved.moved_to(task.date.isoformat()) == task


@given(
    year=st.integers(1990, 2060),
    month=st.integers(1, 12),
    offsets=st.frozensets(st.integers(0, 30), max_size=25),
)
def test_calendar_laws(year: int, month: int, offsets: frozenset[int]) -> None:
    days_in_month = calendar.monthrange(year, month)[1]
    first = dt.date(year, month, 1)
    holidays = {
        first + dt.timedelta(days=offset) for offset in offsets
    }  # may spill into next month
    working = [
        first + dt.timedelta(days=offset)
        for offset in range(days_in_month)
        if (first + dt.timedelta(days=offset)).weekday() < 5
        and first + dt.timedelta(days=offset) not in holidays
    ]
    if not working:
        with pytest.raises(InvalidValueError, match="no working day"):
            monthly_work_calendar(year, month, holidays=holidays)
        return
    tasks = monthly_work_calendar(year, month, holidays=holidays)
    (plan,) = [task for task in tasks if task.kind == "next_month_plan"]
    assert plan.date.weekday() < 5
    assert plan.date not in holidays
    assert plan.date == working[-1]
    assert [task.date for task in tasks] == sorted(task.date for task in tasks)
    assert all(task.kind in KINDS for task in tasks)
    assert all(
        first <= task.date <= task.end <= dt.date(year, month, days_in_month) for task in tasks
    )
    mondays = [task.date for task in tasks if task.kind == "week_summary"]
    assert mondays == [
        first + dt.timedelta(days=offset)
        for offset in range(days_in_month)
        if (first + dt.timedelta(days=offset)).weekday() == 0
    ]
    # The weekly data-collection windows tile the month, one per week.
    windows = [task for task in tasks if task.kind == "data_collection"]
    assert windows[0].date == first
    assert windows[-1].end == dt.date(year, month, days_in_month)
    assert all(a.end + dt.timedelta(days=1) == b.date for a, b in itertools.pairwise(windows))
    assert all(window.end.weekday() == 6 for window in windows[:-1])


def test_task_and_holiday_refusals_name_the_argument() -> None:
    import numpy as np

    with pytest.raises(TypeError, match=r"^'description' must be a str, got NoneType$"):
        WorkTask(dt.date(2026, 1, 1), kind="month_summary", description=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'kind' must be one of"):
        WorkTask(dt.date(2026, 1, 1), kind=np.array(["month_summary", "x"]), description="")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'holidays' must be a collection, got NoneType"):
        monthly_work_calendar(2026, 2, holidays=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^'holidays': expected a date, got a datetime"):
        monthly_work_calendar(2026, 2, holidays=[dt.datetime(2026, 2, 3)])
    # A pandas calendar of holidays (a DatetimeIndex of Timestamps): the message says how
    # to pass its dates; it said ".date()", which a DatetimeIndex does not have.
    pd = pytest.importorskip("pandas")
    festival = pd.date_range("2026-02-15", "2026-02-23")
    with pytest.raises(TypeError, match=r"DatetimeIndex or Series: \.date or \.dt\.date\)$"):
        monthly_work_calendar(2026, 2, holidays=festival)
    assert monthly_work_calendar(2026, 2, holidays=festival.date) == monthly_work_calendar(
        2026, 2, holidays=[day.date() for day in festival]
    )
