"""The month's visit schedule and working days: worked examples and laws."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import (
    DuplicateEntryError,
    InvalidValueError,
    ShapeMismatchError,
    VisitStandard,
    visit_schedule,
    working_days,
)


def test_working_days_worked_example() -> None:
    # May 2026: 21 weekdays; Labour Day (Fri 1st) and the Dragon Boat holiday are not worked.
    days = working_days(2026, 5, holidays=["2026-05-01", "2026-06-19", dt.date(2026, 5, 4)])
    assert len(days) == 19
    assert days[0] == dt.date(2026, 5, 5)
    assert days[-1] == dt.date(2026, 5, 29)
    assert all(day.weekday() < 5 for day in days)
    assert working_days(2026, 2)[-1] == dt.date(2026, 2, 27)


def test_working_days_agree_with_the_calendar() -> None:
    holidays = [dt.date(2026, 4, 30)]
    plan = list(tm.monthly_work_calendar(2026, 4, holidays=holidays))
    last = next(t.date for t in plan if t.kind == "next_month_plan")
    assert working_days(2026, 4, holidays=holidays)[-1] == last


def test_schedule_worked_example() -> None:
    # 5 stores, 3 a day, March 2026 (22 working days): frequencies sum to 22 + 22 + 11 + 4 + 4 = 63,
    # just short of 66, so three visits are topped up.
    standard = VisitStandard(min_visits_rural=3)
    plan = visit_schedule(
        ["A", "B", "C", "D", "E"], [22, 22, 11, 4, 4], 2026, 3, area="rural", standard=standard
    )
    assert len(plan.days) == 22
    assert plan.min_visits == 3
    assert plan.daily_counts.tolist() == [3] * 22
    assert plan.visit_counts.sum() == 66
    assert plan.visit_counts[:3].tolist() == [22, 22, 11]
    # C every other working day
    c_days = [plan.days.index(day) for day in plan.store_days("C")]
    assert np.diff(c_days).tolist() == [2] * 10
    # D's four visits are spread: one in each quarter of the month
    d_days = [plan.days.index(day) for day in plan.store_days("D")]
    assert [index * 4 // 22 for index in d_days][:4] == [0, 1, 2, 3] or len(d_days) > 4
    frame = plan.to_frame()
    assert len(frame) == 66
    assert list(frame.columns) == ["date", "store"]


def test_a_makeup_saturday_is_a_visiting_day() -> None:
    standard = VisitStandard(min_visits_rural=1)
    holidays = [dt.date(2026, 2, day) for day in range(16, 21)]
    plan = visit_schedule(
        ["A", "B"],
        [15, 17],
        2026,
        2,
        area="rural",
        standard=standard,
        holidays=holidays,
        makeup_workdays=["2026-02-14", "2026-02-28"],
    )
    assert len(plan.days) == 17
    assert plan.store_days("B")[-1] == dt.date(2026, 2, 28)
    assert dt.date(2026, 2, 14) in plan.store_days("B")


def test_focus_stores_are_seen_on_the_6th_to_10th() -> None:
    stores = [f"S{i}" for i in range(10)]
    plan = visit_schedule(
        stores,
        [2] * 10,
        2026,
        3,
        area="urban",
        standard=VisitStandard(min_visits_urban=1),
        focus={"S8", "S9"},
    )
    # March 2026: the 6th is a Friday, the 9th and 10th Monday and Tuesday
    assert plan.focus_days == (dt.date(2026, 3, 6), dt.date(2026, 3, 9), dt.date(2026, 3, 10))
    for store in ("S8", "S9"):
        assert set(plan.store_days(store)) & set(plan.focus_days)
    zero = visit_schedule(
        ["X", "Y"],
        [0, 22],
        2026,
        3,
        area="urban",
        standard=VisitStandard(min_visits_urban=1),
        focus=["X"],
    )
    assert len(zero.store_days("X")) == 1
    assert zero.store_days("X")[0] in zero.focus_days


def test_holidays_get_no_visit() -> None:
    holiday = dt.date(2026, 4, 6)
    plan = visit_schedule(
        ["A"],
        [21],
        2026,
        4,
        area="urban",
        holidays=[holiday],
        standard=VisitStandard(min_visits_urban=0),
    )
    assert holiday not in plan.days
    assert plan.visit_counts.tolist() == [21]


def test_schedule_feeds_the_daily_report() -> None:
    plan = visit_schedule(
        ["A", "B"], [4, 4], 2026, 3, area="urban", standard=VisitStandard(min_visits_urban=1)
    )
    day = plan.days[0]
    planned = plan.planned_store_ids(day)
    report = tm.daily_visit_report([], planned_store_ids=planned, area="urban")
    assert report.planned_visits == len(planned) >= 1


def test_schedule_errors() -> None:
    with pytest.raises(InvalidValueError, match="cannot be met with 2 store"):
        visit_schedule(["A", "B"], [4, 4], 2026, 3, area="urban")
    with pytest.raises(InvalidValueError, match="'frequency' must be whole numbers"):
        visit_schedule(
            ["A"], [23], 2026, 3, area="urban", standard=VisitStandard(min_visits_urban=1)
        )
    with pytest.raises(InvalidValueError, match="'frequency' must be whole numbers"):
        visit_schedule(
            ["A"], [1.5], 2026, 3, area="urban", standard=VisitStandard(min_visits_urban=1)
        )
    with pytest.raises(ShapeMismatchError, match="one value per store"):
        visit_schedule(["A", "B"], [1, 2, 3], 2026, 3, area="urban")
    with pytest.raises(DuplicateEntryError, match="'A' more than once"):
        visit_schedule(["A", "A"], [1, 1], 2026, 3, area="urban")
    with pytest.raises(InvalidValueError, match="'focus' names stores not in 'stores'"):
        visit_schedule(
            ["A"],
            [1],
            2026,
            3,
            area="urban",
            focus={"Z"},
            standard=VisitStandard(min_visits_urban=1),
        )
    # No working day from the 6th to the month's end: the focus visits have no place.
    every_day = [day for day in tm.working_days(2026, 3) if day.day >= 6]
    with pytest.raises(InvalidValueError, match="need a working day from 2026-03-06 to the"):
        visit_schedule(
            ["A"],
            [1],
            2026,
            3,
            area="urban",
            focus={"A"},
            holidays=every_day,
            standard=VisitStandard(min_visits_urban=1),
        )


def test_a_holiday_over_the_focus_window_moves_it_after_the_holiday() -> None:
    # The Spring Festival of 2019 ran from 4 to 10 February (make-up days 2 and 3 Feb):
    # the 6th-10th had no working day, and visit_schedule refused a month with focus
    # stores. The window is now the five days from the first working day after it.
    holidays = [dt.date(2019, 2, d) for d in range(4, 11)]
    makeup = [dt.date(2019, 2, 2), dt.date(2019, 2, 3)]
    plan = visit_schedule(
        ["A", "B", "C"],
        [1, 2, 0],
        2019,
        2,
        area="urban",
        focus={"A", "C"},
        holidays=holidays,
        makeup_workdays=makeup,
        standard=VisitStandard(min_visits_urban=1),
    )
    assert plan.focus_days == tuple(dt.date(2019, 2, d) for d in range(11, 16))
    for store in ("A", "C"):
        assert set(plan.store_days(store)) & set(plan.focus_days)
    # A holiday over part of the window leaves it where it is (its other working days).
    partial = visit_schedule(
        ["A"],
        [1],
        2026,
        3,
        area="urban",
        focus={"A"},
        holidays=[dt.date(2026, 3, 6), dt.date(2026, 3, 9)],
        standard=VisitStandard(min_visits_urban=1),
    )
    assert partial.focus_days == (dt.date(2026, 3, 10),)
    with pytest.raises(TypeError, match="'standard' must be a VisitStandard"):
        visit_schedule(["A"], [1], 2026, 3, area="urban", standard="strict")  # type: ignore[arg-type]
    plan = visit_schedule(
        ["A"], [1], 2026, 3, area="urban", standard=VisitStandard(min_visits_urban=1)
    )
    with pytest.raises(InvalidValueError, match="not in the schedule"):
        plan.store_days("Z")
    with pytest.raises(InvalidValueError, match="not a working day"):
        plan.planned_store_ids("2026-03-07")


@st.composite
def schedule_inputs(draw: st.DrawFn) -> dict[str, object]:
    year = draw(st.integers(2024, 2027))
    month = draw(st.integers(1, 12))
    holidays = draw(st.sets(st.integers(1, 28), max_size=4))
    holiday_dates = [dt.date(year, month, d) for d in holidays]
    n_days = len(working_days(year, month, holidays=holiday_dates))
    n_stores = draw(st.integers(1, 12))
    frequency = draw(st.lists(st.integers(0, n_days), min_size=n_stores, max_size=n_stores))
    minimum = draw(st.integers(0, n_stores))
    stores = [f"S{i}" for i in range(n_stores)]
    focus = draw(st.sets(st.sampled_from(stores), max_size=3))
    return {
        "stores": stores,
        "frequency": frequency,
        "year": year,
        "month": month,
        "holidays": holiday_dates,
        "standard": VisitStandard(min_visits_rural=minimum),
        "focus": focus,
        "priority": draw(st.none() | st.just([float(i % 3) for i in range(n_stores)])),
    }


@given(schedule_inputs())
def test_schedule_meets_the_minimum_and_every_frequency(kwargs: dict[str, object]) -> None:
    year, month, holidays = kwargs["year"], kwargs["month"], kwargs["holidays"]
    assert isinstance(year, int)
    assert isinstance(month, int)
    assert isinstance(holidays, list)
    workdays = working_days(year, month, holidays=holidays)
    window = [d for d in workdays if 6 <= d.day <= 10]
    after = [d for d in workdays if d.day > 10]
    if not window and after:  # a holiday over the window: the five days after it
        window = [d for d in after if d <= after[0] + dt.timedelta(days=4)]
    if kwargs["focus"] and not window:
        with pytest.raises(InvalidValueError, match="need a working day"):
            tm.visit_schedule(area="rural", **kwargs)  # type: ignore[arg-type]
        return
    plan = tm.visit_schedule(area="rural", **kwargs)  # type: ignore[arg-type]
    assert plan.focus_days == tuple(window)
    visits = np.asarray(plan.visits)
    standard = kwargs["standard"]
    assert isinstance(standard, VisitStandard)
    assert np.all(plan.daily_counts >= standard.min_visits_rural)
    assert np.all(plan.visit_counts >= np.asarray(kwargs["frequency"]))
    assert visits.shape == (len(plan.stores), len(plan.days))
    assert all(day.weekday() < 5 and day not in holidays for day in plan.days)
    focus = kwargs["focus"]
    assert isinstance(focus, set)
    for store in focus:
        assert set(plan.store_days(store)) & set(plan.focus_days)
    # extra visits only where the minimum or a focus asked for them
    extra = plan.visit_counts - np.asarray(kwargs["frequency"])
    if standard.min_visits_rural == 0 and not focus:
        assert np.all(extra == 0)


@given(schedule_inputs())
def test_visits_are_spaced_by_slot(kwargs: dict[str, object]) -> None:
    kwargs = {**kwargs, "standard": VisitStandard(min_visits_rural=0), "focus": set()}
    plan = tm.visit_schedule(area="rural", **kwargs)  # type: ignore[arg-type]
    n = len(plan.days)
    for row, count in zip(np.asarray(plan.visits), np.asarray(kwargs["frequency"]), strict=True):
        days = np.flatnonzero(row)
        assert len(days) == count
        # one visit in each of the `count` equal slots
        slots = [
            next(k for k in range(count) if k * n // count <= d < (k + 1) * n // count)
            for d in days
        ]
        assert slots == list(range(count))


def test_frequency_and_priority_series_are_paired_with_stores_by_label() -> None:
    pd = pytest.importorskip("pandas")
    none = tm.VisitStandard(min_visits_urban=0)
    by_id = pd.Series([2, 8], index=["C2", "C1"])  # C1 weekly-twice, C2 fortnightly
    plan = tm.visit_schedule(["C1", "C2"], by_id, 2026, 4, area="urban", standard=none)
    assert plan.visit_counts.tolist() == [8, 2]
    assert plan.frequency.tolist() == [8, 2]
    # Frequency 0 and a minimum of one store a day: the first day's top-up goes to the
    # store of highest priority, here C1.
    ranked = tm.visit_schedule(
        ["C1", "C2"],
        0,
        2026,
        4,
        area="urban",
        standard=tm.VisitStandard(min_visits_urban=1),
        priority=pd.Series([0.0, 1.0], index=["C2", "C1"]),
    )
    assert ranked.planned_store_ids("2026-04-01") == ("C1",)
    with pytest.raises(tm.ShapeMismatchError, match="different labels"):
        tm.visit_schedule(
            ["C1", "C2"], pd.Series([2, 8], index=["C1", "C9"]), 2026, 4, area="urban"
        )
