"""Tests of visits: the visit standard, the daily report, order follow-up, progress, tiers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tobacco_metrics import (
    Adoption,
    AgreementProgress,
    AreaType,
    DailyVisitReport,
    DuplicateEntryError,
    EmptyInputError,
    InvalidValueError,
    KeyBrandShelf,
    MissingDataError,
    PromotionTier,
    ShapeMismatchError,
    Visit,
    VisitFindings,
    VisitIssue,
    VisitStandard,
    VisitStep,
    agreement_progress,
    check_visit,
    daily_visit_report,
    promotion_tier,
    recommendation_adoption,
)

DAY = dt.date(2026, 3, 2)  # a Monday
ALL_STEPS = frozenset(VisitStep)
CST = dt.timezone(dt.timedelta(hours=8))


def make_visit(
    store: str,
    start: str,
    minutes: float,
    *,
    steps: Iterable[VisitStep] = ALL_STEPS,
    manager: str = "M07",
    day: dt.date = DAY,
    tz: dt.tzinfo | None = None,
    findings: VisitFindings | None = None,
    recommended: Iterable[str] = (),
) -> Visit:
    begin = dt.datetime.combine(day, dt.time.fromisoformat(start), tzinfo=tz)
    return Visit(
        store,
        manager,
        begin,
        begin + dt.timedelta(minutes=minutes),
        steps=steps,
        findings=findings or VisitFindings(),
        recommended_brands=recommended,
    )


# --------------------------------------------------------------------------- VisitStandard


def test_standard_defaults_are_the_sources() -> None:
    standard = VisitStandard()
    assert standard.min_visits_urban == 30
    assert standard.min_visits_rural == 25
    assert standard.min_minutes == 8
    assert standard.first_visit_by == dt.time(9, 30)
    assert standard.field_work_ends == dt.time(15, 0)
    assert standard.required_steps == frozenset(VisitStep)
    assert standard.min_visits(AreaType.URBAN) == 30
    assert standard.min_visits("rural") == 25


def test_standard_dict_round_trip_accepts_strings() -> None:
    standard = VisitStandard(
        min_visits_urban=28, first_visit_by="09:00", required_steps=["ASK", "look"]
    )
    data = standard.to_dict()
    assert data["first_visit_by"] == "09:00:00"
    assert data["required_steps"] == ["ASK", "LOOK"]
    assert VisitStandard.from_dict(data) == standard
    assert standard.required_steps == {VisitStep.ASK, VisitStep.LOOK}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"min_minutes": -1}, InvalidValueError, r"'min_minutes' must be >= 0: -1"),
        ({"min_minutes": math.nan}, InvalidValueError, r"'min_minutes' must be finite"),
        ({"min_visits_urban": -3}, InvalidValueError, r"'min_visits_urban' must be >= 0: -3"),
        ({"min_visits_rural": 2.5}, TypeError, r"'min_visits_rural' must be an int"),
        ({"min_visits_rural": True}, TypeError, r"'min_visits_rural' must be an int"),
        ({"first_visit_by": "half past nine"}, InvalidValueError, r"ISO time"),
        ({"first_visit_by": 930}, TypeError, r"'first_visit_by' must be a datetime.time"),
        (
            {"field_work_ends": dt.time(15, tzinfo=CST)},
            InvalidValueError,
            r"'field_work_ends' must be a naive wall-clock time",
        ),
        (
            {"first_visit_by": dt.time(16)},
            InvalidValueError,
            r"'first_visit_by' must be <= 'field_work_ends' \(15:00:00\): 16:00:00",
        ),
        ({"required_steps": ["dance"]}, InvalidValueError, r"'required_steps' must be one of"),
        ({"required_steps": "ASK"}, TypeError, r"'required_steps' must be a collection"),
    ],
)
def test_standard_rejects_bad_values(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        VisitStandard(**kwargs)  # type: ignore[arg-type]


def test_standard_is_frozen_and_keyword_only() -> None:
    standard = VisitStandard()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        standard.min_minutes = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        VisitStandard(30)  # type: ignore[call-arg]
    with pytest.raises(InvalidValueError, match="unknown field"):
        VisitStandard.from_dict({"min_visit": 3})


# --------------------------------------------------------------------------- check_visit


def test_good_visit_has_no_issue() -> None:
    assert check_visit(make_visit("C001", "09:20", 12)) == ()


def test_exactly_the_minimum_minutes_is_enough() -> None:
    assert check_visit(make_visit("C001", "09:20", 8)) == ()
    issues = check_visit(make_visit("C001", "09:20", 7.5))
    assert [issue.code for issue in issues] == ["too_short"]
    assert issues[0].message == "visit to C001 lasted 7.5 min, less than the standard 8 min"
    assert issues[0].steps == frozenset()


def test_missing_steps_are_named_in_source_order() -> None:
    visit = make_visit("C003", "10:00", 10, steps=ALL_STEPS - {VisitStep.RECORD, VisitStep.ASK})
    (issue,) = check_visit(visit)
    assert issue.code == "missing_steps"
    assert issue.steps == {VisitStep.ASK, VisitStep.RECORD}
    assert issue.message == "visit to C003 missed 2 of the required steps: 问 ask, 记 record"


def test_required_steps_can_be_narrowed() -> None:
    visit = make_visit("C003", "10:00", 10, steps={VisitStep.LOOK, VisitStep.RECORD})
    lenient = VisitStandard(required_steps={VisitStep.LOOK, VisitStep.RECORD})
    assert check_visit(visit, lenient) == ()
    assert [issue.code for issue in check_visit(visit)] == ["missing_steps"]


def test_after_field_hours_is_strictly_after() -> None:
    assert check_visit(make_visit("C004", "14:50", 10)) == ()  # ends 15:00 sharp
    (issue,) = check_visit(make_visit("C004", "14:55", 10))
    assert issue.code == "after_field_hours"
    assert issue.message == "visit to C004 ended at 15:05, after field work ends (15:00)"


def test_all_three_issues_in_fixed_order() -> None:
    visit = make_visit("C009", "15:10", 3, steps=set())
    assert [issue.code for issue in check_visit(visit)] == [
        "too_short",
        "missing_steps",
        "after_field_hours",
    ]


def test_visit_past_midnight_is_after_hours() -> None:
    start = dt.datetime(2026, 3, 2, 23, 55)
    visit = Visit("C001", "M07", start, start + dt.timedelta(minutes=10), steps=ALL_STEPS)
    assert [issue.code for issue in check_visit(visit)] == ["after_field_hours"]


def test_aware_visit_is_checked_on_its_local_wall_clock() -> None:
    start = dt.datetime(2026, 3, 2, 14, 50, tzinfo=CST)
    # The end is written in UTC (06:58Z) but is 14:58 in the visit's zone: within hours.
    end = dt.datetime(2026, 3, 2, 6, 58, tzinfo=dt.timezone.utc)
    assert check_visit(Visit("C001", "M07", start, end, steps=ALL_STEPS)) == ()
    late_end = dt.datetime(2026, 3, 2, 7, 2, tzinfo=dt.timezone.utc)  # 15:02 local
    issues = check_visit(Visit("C001", "M07", start, late_end, steps=ALL_STEPS))
    assert [issue.code for issue in issues] == ["after_field_hours"]
    assert "15:02" in issues[0].message


def test_check_visit_rejects_wrong_types() -> None:
    with pytest.raises(TypeError, match=r"'visit' must be a Visit, got dict"):
        check_visit({"store_id": "C001"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"'standard' must be a VisitStandard"):
        check_visit(make_visit("C001", "09:20", 12), {"min_minutes": 8})  # type: ignore[arg-type]


def test_visit_issue_validates_its_code() -> None:
    with pytest.raises(InvalidValueError, match=r"'code' must be one of too_short"):
        VisitIssue("late", "x")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- daily report


def worked_day() -> list[Visit]:
    """The issue's day: one short visit (C002), one missing step (C003), C004 not visited."""
    return [
        make_visit(
            "C001",
            "09:20",
            12,
            findings=VisitFindings(stock_reasonable=True, display_tidy=True),
        ),
        make_visit(
            "C002",
            "09:45",
            5,
            findings=VisitFindings(display_tidy=False, price_tags_complete=False),
        ),
        make_visit(
            "C003",
            "10:05",
            10,
            steps=ALL_STEPS - {VisitStep.RECORD},
            findings=VisitFindings(
                illegal_cigarettes_seen=True, stock_reasonable=False, notes="wants more 云烟"
            ),
        ),
    ]


def test_worked_day() -> None:
    visits = worked_day()
    report = daily_visit_report(
        visits,
        planned_store_ids=["C001", "C002", "C003", "C004"],
        area=AreaType.RURAL,
        key_brands={"K1", "K2"},
        carried={"C001": {"K1", "K2"}, "C002": {"K1"}, "C003": set(), "C099": {"K2"}},
    )
    assert report.manager_id == "M07"
    assert report.date == DAY
    assert report.area is AreaType.RURAL
    assert (report.planned_visits, report.actual_visits) == (4, 3)
    assert report.completion_rate == 0.75
    assert report.unvisited_store_ids == ("C004",)
    assert report.unplanned_store_ids == ()
    assert report.min_visits == 25
    assert report.meets_daily_standard is False
    assert report.short_visits == (visits[1],)
    assert report.incomplete_visits == (visits[2],)
    assert report.after_hours_visits == ()
    assert report.first_visit_start == dt.datetime(2026, 3, 2, 9, 20)
    assert report.first_visit_late is False
    assert report.key_brand_shelf == (
        KeyBrandShelf("K1", should_carry=3, on_shelf=2),
        KeyBrandShelf("K2", should_carry=3, on_shelf=1),
    )
    assert report.key_brand_shelf[0].on_shelf_rate == pytest.approx(2 / 3)
    assert (report.illegal_cigarettes_seen, report.untidy_displays) == (1, 1)
    assert (report.unreasonable_stock, report.incomplete_price_tags) == (1, 1)
    assert report.mismatched_tags == 0
    assert report.notes == (("C003", "wants more 云烟"),)


def test_meeting_the_daily_minimum() -> None:
    standard = VisitStandard(min_visits_rural=3, min_visits_urban=4)
    plan = {"C001", "C002", "C003", "C004"}
    rural = daily_visit_report(
        worked_day(), planned_store_ids=plan, area="rural", standard=standard
    )
    urban = daily_visit_report(
        worked_day(), planned_store_ids=plan, area="URBAN", standard=standard
    )
    assert (rural.min_visits, rural.meets_daily_standard) == (3, True)
    assert (urban.min_visits, urban.meets_daily_standard) == (4, False)


def test_unplanned_store_is_counted_and_reported() -> None:
    visits = [*worked_day(), make_visit("C088", "11:00", 9)]
    report = daily_visit_report(visits, planned_store_ids={"C001", "C002", "C003"}, area="urban")
    assert report.actual_visits == 4
    assert report.unplanned_store_ids == ("C088",)
    assert report.completion_rate == 1.0
    assert report.unvisited_store_ids == ()


def test_planned_flag_does_not_override_the_plan() -> None:
    flagged = attrs.evolve(make_visit("C001", "09:20", 12), planned=False)
    report = daily_visit_report([flagged], planned_store_ids={"C001"}, area="urban")
    assert report.completion_rate == 1.0
    assert report.unplanned_store_ids == ()


def test_store_visited_twice_counts_once() -> None:
    visits = [make_visit("C001", "09:20", 12), make_visit("C001", "13:00", 3)]
    report = daily_visit_report(visits, planned_store_ids={"C001", "C002"}, area="urban")
    assert report.actual_visits == 1
    assert report.completion_rate == 0.5
    assert report.short_visits == (visits[1],)


def test_first_visit_late_uses_the_earliest_visit_in_any_order() -> None:
    visits = [make_visit("C002", "10:00", 10), make_visit("C001", "09:31", 10)]
    report = daily_visit_report(visits, planned_store_ids={"C001", "C002"}, area="urban")
    assert report.first_visit_start == dt.datetime(2026, 3, 2, 9, 31)
    assert report.first_visit_late is True
    on_time = daily_visit_report(
        [make_visit("C001", "09:30", 10)], planned_store_ids={"C001"}, area="urban"
    )
    assert on_time.first_visit_late is False


def test_after_hours_visits_are_listed_in_start_order() -> None:
    visits = [make_visit("C002", "15:30", 10), make_visit("C001", "14:58", 10)]
    report = daily_visit_report(visits, planned_store_ids={"C001", "C002"}, area="urban")
    assert report.after_hours_visits == (visits[1], visits[0])


def test_aware_day_uses_local_wall_clock() -> None:
    visits = [make_visit("C001", "09:10", 10, tz=CST), make_visit("C002", "09:40", 10, tz=CST)]
    report = daily_visit_report(visits, planned_store_ids={"C001", "C002"}, area="urban")
    assert report.first_visit_late is False
    assert report.date == DAY


def test_day_without_visits() -> None:
    report = daily_visit_report([], planned_store_ids={"C001", "C002"}, area="urban")
    assert (report.manager_id, report.date) == (None, None)
    assert (report.actual_visits, report.completion_rate) == (0, 0.0)
    assert report.unvisited_store_ids == ("C001", "C002")
    assert report.first_visit_start is None
    assert report.first_visit_late is None
    assert report.key_brand_shelf is None


def test_empty_plan_gives_nan_completion() -> None:
    report = daily_visit_report(worked_day(), planned_store_ids=set(), area="urban")
    assert math.isnan(report.completion_rate)
    assert report.unplanned_store_ids == ("C001", "C002", "C003")


def test_report_to_dict_is_plain() -> None:
    report = daily_visit_report(
        worked_day(),
        planned_store_ids={"C001", "C002", "C003", "C004"},
        area="rural",
        key_brands=["K1"],
        carried={"C001": ["K1"], "C002": [], "C003": []},
    )
    data = report.to_dict()
    assert data["area"] == "RURAL"
    assert data["date"] == "2026-03-02"
    assert data["short_visits"][0]["store_id"] == "C002"
    assert data["short_visits"][0]["findings"]["display_tidy"] is False
    assert data["key_brand_shelf"] == [{"brand_code": "K1", "should_carry": 3, "on_shelf": 1}]
    assert isinstance(report, DailyVisitReport)


def test_report_rejects_several_managers() -> None:
    visits = [make_visit("C001", "09:20", 12), make_visit("C002", "09:40", 12, manager="M08")]
    with pytest.raises(InvalidValueError, match=r"one manager's: found 2 managers \(M07, M08\)"):
        daily_visit_report(visits, planned_store_ids={"C001"}, area="urban")


def test_report_rejects_several_days() -> None:
    visits = [
        make_visit("C001", "09:20", 12),
        make_visit("C002", "09:40", 12, day=DAY.replace(day=3)),
    ]
    with pytest.raises(
        InvalidValueError, match=r"of one day: found 2 days \(2026-03-02, 2026-03-03\)"
    ):
        daily_visit_report(visits, planned_store_ids={"C001"}, area="urban")


def test_report_rejects_naive_and_aware_mixed() -> None:
    visits = [make_visit("C001", "09:20", 12), make_visit("C002", "09:40", 12, tz=CST)]
    with pytest.raises(
        InvalidValueError,
        match=r"all naive or all timezone-aware, not mixed: visit 0 \(C001\) is naive, "
        r"visit 1 \(C002\) is aware",
    ):
        daily_visit_report(visits, planned_store_ids={"C001"}, area="urban")


def test_report_rejects_bad_plans_and_visits() -> None:
    visits = worked_day()
    with pytest.raises(DuplicateEntryError, match=r"'planned_store_ids' lists store 'C001' more"):
        daily_visit_report(visits, planned_store_ids=["C001", "C002", "C001"], area="urban")
    with pytest.raises(TypeError, match=r"'planned_store_ids' must be a collection of store ids"):
        daily_visit_report(visits, planned_store_ids="C001", area="urban")
    with pytest.raises(TypeError, match=r"'planned_store_ids' must hold str store ids"):
        daily_visit_report(visits, planned_store_ids=[1, 2], area="urban")  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match=r"'planned_store_ids' must not hold an empty"):
        daily_visit_report(visits, planned_store_ids=[" "], area="urban")
    with pytest.raises(TypeError, match=r"'visits' must hold Visit objects, got dict at index 1"):
        daily_visit_report([visits[0], {}], planned_store_ids=[], area="urban")  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"'visits' must be a collection of Visit, got Visit"):
        daily_visit_report(visits[0], planned_store_ids=[], area="urban")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"'area' must be one of URBAN, RURAL"):
        daily_visit_report(visits, planned_store_ids=[], area="suburb")


def test_report_key_brand_inputs_go_together() -> None:
    plan = {"C001", "C002", "C003"}
    with pytest.raises(InvalidValueError, match=r"'key_brands' was given without 'carried'"):
        daily_visit_report(worked_day(), planned_store_ids=plan, area="urban", key_brands={"K1"})
    with pytest.raises(InvalidValueError, match=r"'carried' was given without 'key_brands'"):
        daily_visit_report(worked_day(), planned_store_ids=plan, area="urban", carried={})
    with pytest.raises(
        MissingDataError, match=r"'carried' has no entry for 2 visited store\(s\): C002, C003"
    ):
        daily_visit_report(
            worked_day(),
            planned_store_ids=plan,
            area="urban",
            key_brands={"K1"},
            carried={"C001": {"K1"}},
        )
    with pytest.raises(TypeError, match=r"'carried' must be a mapping"):
        daily_visit_report(
            worked_day(),
            planned_store_ids=plan,
            area="urban",
            key_brands={"K1"},
            carried=[("C001", "K1")],  # type: ignore[arg-type]
        )
    with pytest.raises(TypeError, match=r"'key_brands' must be a collection, got a string"):
        daily_visit_report(
            worked_day(), planned_store_ids=plan, area="urban", key_brands="K1", carried={}
        )


# Local strategies (the public ones are issue 7's).
STORES = [f"C{number:03d}" for number in range(12)]


@st.composite
def one_day_visits(draw: st.DrawFn) -> list[Visit]:
    count = draw(st.integers(0, 15))
    visits = []
    for _ in range(count):
        minute = draw(st.integers(7 * 60, 17 * 60))
        visits.append(
            make_visit(
                draw(st.sampled_from(STORES)),
                f"{minute // 60:02d}:{minute % 60:02d}",
                draw(st.integers(0, 30)),
                steps=draw(st.frozensets(st.sampled_from(list(VisitStep)))),
            )
        )
    return visits


@given(visits=one_day_visits(), plan=st.frozensets(st.sampled_from(STORES)))
def test_completion_rate_law(visits: list[Visit], plan: frozenset[str]) -> None:
    report = daily_visit_report(visits, planned_store_ids=plan, area="urban")
    visited = {visit.store_id for visit in visits}
    if plan:
        assert 0.0 <= report.completion_rate <= 1.0
        assert report.completion_rate == len(plan & visited) / len(plan)
    else:
        assert math.isnan(report.completion_rate)
    assert report.actual_visits == len(visited)
    assert report.planned_visits == len(plan)
    assert len(report.unvisited_store_ids) + len(plan & visited) == len(plan)
    assert set(report.unplanned_store_ids) == visited - plan
    for visit in report.short_visits:
        assert visit.duration < dt.timedelta(minutes=8)
    assert len(report.incomplete_visits) == sum(1 for v in visits if v.steps != ALL_STEPS)


# --------------------------------------------------------------------------- order follow-up


def test_adoption_worked_example() -> None:
    visits = [
        make_visit("C001", "09:20", 12, recommended={"YUNYAN", "TAISHAN"}),
        make_visit("C002", "09:40", 12, recommended={"YUNYAN"}),
        make_visit("C003", "10:00", 12),
    ]
    orders = [
        ("C001", "YUNYAN", dt.date(2026, 3, 9)),  # day + 7: inside, inclusive
        ("C001", "TAISHAN", dt.date(2026, 3, 10)),  # day + 8: too late
        ("C002", "YUNYAN", dt.date(2026, 3, 1)),  # the day before: never counts
        ("C003", "YUNYAN", dt.date(2026, 3, 2)),  # not recommended to C003
    ]
    result = recommendation_adoption(visits, orders)
    assert result == Adoption(
        rate=1 / 3,
        recommended=3,
        adopted=(("C001", "YUNYAN"),),
        pending=(("C001", "TAISHAN"), ("C002", "YUNYAN")),
    )
    assert result.to_dict()["pending"] == [["C001", "TAISHAN"], ["C002", "YUNYAN"]]
    wider = recommendation_adoption(visits, orders, within_days=8)
    assert wider.adopted == (("C001", "TAISHAN"), ("C001", "YUNYAN"))


def test_adoption_same_day_order_counts_and_zero_window() -> None:
    visits = [make_visit("C001", "16:00", 10, recommended={"B1", "B2"})]
    orders: list[tuple[str, str, dt.date | str]] = [
        ("C001", "B1", "2026-03-02"),
        ("C001", "B2", dt.date(2026, 3, 3)),
    ]
    result = recommendation_adoption(visits, orders, within_days=0)
    assert result.adopted == (("C001", "B1"),)
    assert result.pending == (("C001", "B2"),)


def test_adoption_pair_recommended_twice_counts_once() -> None:
    visits = [
        make_visit("C001", "09:20", 10, recommended={"B1"}),
        make_visit("C001", "09:20", 10, recommended={"B1"}, day=dt.date(2026, 3, 16)),
    ]
    orders = [
        ("C001", "B1", dt.date(2026, 3, 18))
    ]  # too late for the first, in time for the second
    result = recommendation_adoption(visits, orders)
    assert (result.recommended, result.rate, result.adopted) == (1, 1.0, (("C001", "B1"),))


def test_adoption_nothing_recommended_is_nan() -> None:
    result = recommendation_adoption([make_visit("C001", "09:20", 10)], [])
    assert math.isnan(result.rate)
    assert (result.recommended, result.adopted, result.pending) == (0, (), ())


def test_adoption_reads_a_dataframe() -> None:
    visits = [make_visit("C001", "09:20", 10, recommended={"B1"})]
    frame = pd.DataFrame(
        {"store_id": ["C001"], "brand_code": ["B1"], "date": [dt.date(2026, 3, 5)]}
    )
    assert recommendation_adoption(visits, frame.itertuples(index=False)).rate == 1.0


def test_adoption_rejects_bad_inputs() -> None:
    visits = [make_visit("C001", "09:20", 10, recommended={"B1"})]
    with pytest.raises(InvalidValueError, match=r"'within_days' must be >= 0: -1"):
        recommendation_adoption(visits, [], within_days=-1)
    with pytest.raises(TypeError, match=r"'within_days' must be an int, got float"):
        recommendation_adoption(visits, [], within_days=7.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"'orders' row 1 must have 3 items"):
        recommendation_adoption(visits, [("C001", "B1", DAY), ("C001", "B1")])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"'orders' row 0: expected a date, got a datetime"):
        recommendation_adoption(visits, [("C001", "B1", dt.datetime(2026, 3, 2, 9))])
    with pytest.raises(InvalidValueError, match=r"'orders' row 0: expected an ISO date"):
        recommendation_adoption(visits, [("C001", "B1", "2 March")])
    with pytest.raises(InvalidValueError, match=r"'orders' row 0 must have a non-empty store id"):
        recommendation_adoption(visits, [("", "B1", DAY)])
    with pytest.raises(TypeError, match=r"'orders' must be an iterable of rows"):
        recommendation_adoption(visits, 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"not mixed"):
        recommendation_adoption([*visits, make_visit("C002", "09:20", 10, tz=CST)], [])


@st.composite
def follow_up(draw: st.DrawFn) -> tuple[list[Visit], list[tuple[str, str, dt.date]], int]:
    stores, brands = STORES[:3], ["B1", "B2", "B3"]
    visits = [
        make_visit(
            draw(st.sampled_from(stores)),
            "10:00",
            10,
            day=DAY + dt.timedelta(days=draw(st.integers(0, 20))),
            recommended=draw(st.frozensets(st.sampled_from(brands))),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    orders = [
        (
            draw(st.sampled_from(stores)),
            draw(st.sampled_from(brands)),
            DAY + dt.timedelta(days=draw(st.integers(-10, 35))),
        )
        for _ in range(draw(st.integers(0, 12)))
    ]
    return visits, orders, draw(st.integers(0, 10))


@given(follow_up())
def test_adoption_matches_a_brute_force_oracle(
    case: tuple[list[Visit], list[tuple[str, str, dt.date]], int],
) -> None:
    visits, orders, within = case
    result = recommendation_adoption(visits, orders, within_days=within)
    pairs = {(v.store_id, b) for v in visits for b in v.recommended_brands}
    adopted = {
        (v.store_id, b)
        for v in visits
        for b in v.recommended_brands
        for store, brand, day in orders
        if (store, brand) == (v.store_id, b) and v.date <= day <= v.date + dt.timedelta(days=within)
    }
    assert set(result.adopted) == adopted
    assert set(result.pending) == pairs - adopted
    assert result.recommended == len(pairs)
    if pairs:
        assert 0.0 <= result.rate <= 1.0
        wider = recommendation_adoption(visits, orders, within_days=within + 3)
        assert wider.rate >= result.rate
    else:
        assert math.isnan(result.rate)


@given(follow_up())
def test_adoption_never_counts_an_order_before_the_visit(
    case: tuple[list[Visit], list[tuple[str, str, dt.date]], int],
) -> None:
    visits, orders, within = case
    # Orders all dated before the earliest visit: nothing may count.
    earliest = min((v.date for v in visits), default=DAY)
    before = [(s, b, earliest - dt.timedelta(days=1 + i)) for i, (s, b, _) in enumerate(orders)]
    assert recommendation_adoption(visits, before, within_days=within).adopted == ()
    # Dropping every order dated before all visits of its pair never changes the result.
    first_visit: dict[tuple[str, str], dt.date] = {}
    for v in visits:
        for b in v.recommended_brands:
            key = (v.store_id, b)
            first_visit[key] = min(first_visit.get(key, v.date), v.date)
    kept = [(s, b, d) for s, b, d in orders if (s, b) in first_visit and d >= first_visit[(s, b)]]
    full = recommendation_adoption(visits, orders, within_days=within)
    trimmed = recommendation_adoption(visits, kept, within_days=within)
    assert (trimmed.adopted, trimmed.pending) == (full.adopted, full.pending)


# --------------------------------------------------------------------------- agreement progress


def test_agreement_progress_worked_example() -> None:
    progress = agreement_progress(120, 300, dt.date(2026, 3, 15))
    assert isinstance(progress, AgreementProgress)
    assert progress.progress == pytest.approx(0.4)
    assert progress.elapsed == pytest.approx(15 / 31)
    assert progress.gap == pytest.approx(0.4 - 15 / 31)
    assert isinstance(progress.progress, np.float64)
    assert progress.to_dict() == {
        "progress": pytest.approx(0.4),
        "elapsed": pytest.approx(15 / 31),
        "gap": pytest.approx(0.4 - 15 / 31),
    }


def test_agreement_progress_over_stores_and_month_lengths() -> None:
    progress = agreement_progress([150, 90, 330], 300, "2024-02-29")
    assert progress.elapsed == 1.0
    np.testing.assert_allclose(progress.progress, [0.5, 0.3, 1.1])
    np.testing.assert_allclose(progress.gap, [-0.5, -0.7, 0.1])
    assert not progress.gap.flags.writeable
    assert agreement_progress(0, 100, dt.date(2026, 2, 14)).elapsed == 0.5


def test_agreement_progress_rejects_bad_inputs() -> None:
    day = dt.date(2026, 3, 15)
    with pytest.raises(InvalidValueError, match=r"'agreed' must be > 0: 0"):
        agreement_progress(10, 0, day)
    with pytest.raises(InvalidValueError, match=r"'agreed' must be > 0: -5.0 at index 1"):
        agreement_progress(10, [300, -5.0], day)
    with pytest.raises(InvalidValueError, match=r"'agreed' must be finite: nan"):
        agreement_progress(10, math.nan, day)
    with pytest.raises(InvalidValueError, match=r"'ordered' must be >= 0: -1"):
        agreement_progress(-1, 300, day)
    with pytest.raises(ShapeMismatchError, match=r"do not broadcast"):
        agreement_progress([1, 2, 3], [300, 300], day)
    with pytest.raises(TypeError, match=r"'as_of' must be a date, not a datetime"):
        agreement_progress(10, 300, dt.datetime(2026, 3, 15, 12))


# --------------------------------------------------------------------------- promotion tiers

TIERS = [
    PromotionTier(50, "食用油 2 桶"),
    PromotionTier(20, "食用油 1 桶"),
    PromotionTier(100, "毛毯"),
]


@pytest.mark.parametrize(
    ("cumulative", "reward", "to_next"),
    [
        (0, None, 20),
        (19.5, None, 0.5),
        (20, "食用油 1 桶", 30),
        (49, "食用油 1 桶", 1),
        (50, "食用油 2 桶", 50),
        (100, "毛毯", None),
        (250, "毛毯", None),
    ],
)
def test_promotion_tier_examples(
    cumulative: float, reward: str | None, to_next: float | None
) -> None:
    reached, remaining = promotion_tier(cumulative, TIERS)
    assert (None if reached is None else reached.reward) == reward
    assert remaining == to_next


def test_promotion_tier_keeps_ints_whole() -> None:
    _, remaining = promotion_tier(np.int64(12), TIERS)
    assert remaining == 8
    assert isinstance(remaining, int)


def test_promotion_tier_rejects_bad_inputs() -> None:
    with pytest.raises(
        DuplicateEntryError, match=r"two tiers with threshold 20: '食用油 1 桶' and 'x'"
    ):
        promotion_tier(5, [*TIERS, PromotionTier(20, "x")])
    with pytest.raises(EmptyInputError, match=r"'tiers' must hold at least one"):
        promotion_tier(5, [])
    with pytest.raises(InvalidValueError, match=r"'cumulative' must be >= 0: -1"):
        promotion_tier(-1, TIERS)
    with pytest.raises(InvalidValueError, match=r"'cumulative' must be finite"):
        promotion_tier(math.inf, TIERS)
    with pytest.raises(
        TypeError, match=r"'tiers' must hold PromotionTier objects, got tuple at index 0"
    ):
        promotion_tier(5, [(20, "x")])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"'tiers' must be a collection of PromotionTier"):
        promotion_tier(5, TIERS[0])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"'threshold' must be > 0: 0"):
        PromotionTier(0, "x")
    with pytest.raises(InvalidValueError, match=r"'reward' must not be empty"):
        PromotionTier(10, " ")


@given(
    cumulative=st.floats(0, 500, allow_nan=False),
    thresholds=st.lists(st.integers(1, 400), min_size=1, max_size=6, unique=True),
)
def test_promotion_tier_law(cumulative: float, thresholds: list[int]) -> None:
    tiers = [PromotionTier(t, f"gift {t}") for t in thresholds]
    reached, to_next = promotion_tier(cumulative, tiers)
    below = [t for t in thresholds if t <= cumulative]
    above = [t for t in thresholds if t > cumulative]
    assert (reached is None) == (not below)
    if reached is not None:
        assert reached.threshold == max(below)
    if above:
        assert to_next is not None  # a tier above: the distance to it is given
        assert to_next == pytest.approx(min(above) - cumulative)
        assert to_next > 0
    else:
        assert to_next is None
    assert promotion_tier(cumulative, list(reversed(tiers))) == (reached, to_next)


# ---------------------------------------------------------------- 0.2: one rule, one layer


@given(st.integers(0, 50), st.integers(0, 50))
def test_key_brand_shelf_rate_is_the_on_shelf_rule(should: int, on: int) -> None:
    import tobacco_metrics as tm

    on = min(on, should)
    rate = KeyBrandShelf("B1", should_carry=should, on_shelf=on).on_shelf_rate
    # The same stores as boolean columns: `on` carrying, `should` in all.
    carried = np.arange(should) < on
    expected = tm.on_shelf_rate(carried) if should else math.nan
    assert type(rate) is float
    assert rate == expected or (math.isnan(rate) and math.isnan(expected))


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"brand_code": None}, TypeError, "'brand_code' must be a str, got NoneType"),
        ({"brand_code": " "}, InvalidValueError, "'brand_code' must not be empty"),
        ({"should_carry": None}, TypeError, "'should_carry' must be an int, got NoneType"),
        ({"should_carry": 2.0}, TypeError, "'should_carry' must be an int, got float"),
        ({"on_shelf": -1}, InvalidValueError, "'on_shelf' must be >= 0: -1"),
        ({"on_shelf": True}, TypeError, "'on_shelf' must be an int, got bool"),
    ],
)
def test_key_brand_shelf_validates(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    fields: dict[str, object] = {"brand_code": "B1", "should_carry": 4, "on_shelf": 3}
    with pytest.raises(error, match=message):
        KeyBrandShelf(**{**fields, **changes})  # type: ignore[arg-type]


def test_result_classes_refuse_wrong_types_with_a_clear_message() -> None:
    with pytest.raises(TypeError, match="'rate' must be a real number, got NoneType"):
        Adoption(None, 0, (), ())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'adopted' must be a tuple, got list"):
        Adoption(0.5, 2, [], ())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'progress' must be a float64 number or array, got str"):
        AgreementProgress(progress="x", elapsed=np.float64(0.5), gap=np.float64(0))  # type: ignore[arg-type]
    report = daily_visit_report([], planned_store_ids=[], area="urban")
    with pytest.raises(TypeError, match="'area' must be an AreaType, got str"):
        attrs.evolve(report, area="urban")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'meets_daily_standard' must be a bool"):
        attrs.evolve(report, meets_daily_standard=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "Adoption",
        "AgreementProgress",
        "PromotionTier",
        "agreement_progress",
        "promotion_tier",
        "recommendation_adoption",
    ],
)
def test_moved_names_still_import_from_visits_with_a_warning(name: str) -> None:
    import tobacco_metrics as tm
    from tobacco_metrics import agreements, visits

    assert name in agreements.__all__
    assert name not in visits.__all__
    with pytest.warns(DeprecationWarning, match=f"visits.{name} moved to .*agreements"):
        old = getattr(visits, name)
    assert old is getattr(tm, name) is getattr(agreements, name)


def test_a_brand_code_that_is_not_a_str_is_a_type_error_everywhere() -> None:
    monday = dt.datetime(2026, 3, 2, 10)
    visit = Visit("C1", "M1", monday, monday, recommended_brands={"B1"})
    with pytest.raises(TypeError, match="'orders' row 0: a brand code must be a str, got int"):
        recommendation_adoption([visit], [("C1", 7, dt.date(2026, 3, 3))])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="a brand code must be a str, got int"):
        daily_visit_report(
            [visit],
            planned_store_ids=["C1"],
            area="urban",
            key_brands=[7],  # type: ignore[list-item]
            carried={"C1": []},
        )


@pytest.mark.parametrize(
    ("cumulative", "thresholds", "expected"),
    [
        (12, (20, 50), int),
        (np.int64(12), (np.int32(20), 50), int),
        (12.0, (20, 50), float),
        (np.float32(12), (20, 50), float),
        (12, (20.0, 50), float),
        (12, (np.float64(20), 50), float),
        (2**60, (2**60 + 1,), int),  # exact beyond 2**53
    ],
)
def test_promotion_tier_dtype_is_decided_by_input_types(
    cumulative: float, thresholds: tuple[float, ...], expected: type
) -> None:
    tiers = [PromotionTier(t, f"gift {t}") for t in thresholds]
    _, to_next = promotion_tier(cumulative, tiers)
    assert type(to_next) is expected
    if expected is int:
        assert to_next == int(thresholds[0]) - int(cumulative)


def test_an_order_row_with_a_non_str_store_id_is_a_type_error() -> None:
    monday = dt.datetime(2026, 3, 2, 10)
    visit = Visit("C1", "M1", monday, monday, recommended_brands={"B1"})
    with pytest.raises(TypeError, match="'orders' row 0 must have a str store id, got int: 7"):
        recommendation_adoption([visit], [(7, "B1", dt.date(2026, 3, 3))])  # type: ignore[list-item]
