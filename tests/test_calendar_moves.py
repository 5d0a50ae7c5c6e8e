"""Where a holiday moved an order (``moved_from``), order follow-up across a holiday, and
the CLI's ``--makeup-workdays``, on the 2026 calendar of tests/test_order_calendar.py.

The State Council's 2026 schedule: Spring Festival Sunday 15 – Monday 23 February
(Saturdays 14 and 28 February worked); Mid-Autumn 25–27 September; National Day 1–7
October (Sunday 20 September and Saturday 10 October worked).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from test_order_calendar import CAL, HOLIDAYS_2026, MAKEUP_2026
from tobacco_metrics import InvalidValueError, _html, cli

D = dt.date
FESTIVAL = [D(2026, 2, 15) + dt.timedelta(days=k) for k in range(9)]  # 15–23 February
WORKED = [D(2026, 2, 14), D(2026, 2, 28)]
NATIONAL_DAY = [D(2026, 10, d) for d in range(1, 8)]


def _moves(total: Any, year: int, month: int, weekday: int) -> list[tuple[int, D | None]]:
    return [
        (c.order_day.day, c.moved_from)
        for c in tm.weekly_limits(total, year, month, order_weekday=weekday, **CAL)
    ]


# --------------------------------------------------------------------------- moved_from


def test_spring_festival_moves_are_recorded() -> None:
    # Monday store: 2, 9, 24 February; the 24th is Monday 23 moved (16 dropped).
    assert _moves(100, 2026, 2, 0) == [(2, None), (9, None), (24, D(2026, 2, 23))]
    # Sunday store: Sunday 15 placed on the worked Saturday 14.
    assert _moves(0, 2026, 2, 6) == [(1, None), (8, None), (14, D(2026, 2, 15))]
    # Tuesday store: nothing moved (17 dropped, not moved).
    assert [moved for _, moved in _moves(112, 2026, 2, 1)] == [None, None, None]


def test_national_day_moves_are_recorded() -> None:
    # Thursday store: Thursday 1 October placed on Wednesday 30 September (a September order).
    assert _moves(140, 2026, 9, 3)[-1] == (30, D(2026, 10, 1))
    assert [moved for _, moved in _moves(140, 2026, 9, 3)[:-1]] == [None] * 4
    # Friday store: Mid-Autumn Friday 25 → Thursday 24; Friday 2 October → 30 September.
    assert _moves(35, 2026, 9, 4) == [
        (4, None),
        (11, None),
        (18, None),
        (24, D(2026, 9, 25)),
        (30, D(2026, 10, 2)),
    ]
    # Monday store: Monday 5 October forward to Thursday 8.
    assert _moves(0, 2026, 10, 0) == [(8, D(2026, 10, 5)), (12, None), (19, None), (26, None)]


def test_array_forms_carry_the_moves() -> None:
    many = tm.weekly_limits([100, 7], 2026, 2, order_weekday=0, **CAL)
    assert isinstance(many, tm.WeeklyLimits)
    assert many.moved_from == (None, None, D(2026, 2, 23))
    assert [c.moved_from for c in many.cycles(1)] == [None, None, D(2026, 2, 23)]
    by_class = tm.class_limits([0, 0, 0, 100, 28], 2026, 2, order_weekday=0, **CAL)
    assert by_class.moved_from == (None, None, D(2026, 2, 23))
    plain = tm.weekly_limits([124, 62], 2026, 3, order_weekday=1)
    assert isinstance(plain, tm.WeeklyLimits)
    assert plain.moved_from == (None,) * 5


def test_cycle_limit_record() -> None:
    moved = tm.CycleLimit(D(2026, 2, 24), 6, 21, moved_from=D(2026, 2, 23))
    assert "moved_from=datetime.date(2026, 2, 23)" in repr(moved)
    assert moved.to_dict() == {
        "order_day": "2026-02-24",
        "days_covered": 6,
        "limit": 21,
        "moved_from": "2026-02-23",
    }
    assert tm.CycleLimit.from_dict(moved.to_dict()) == moved
    assert tm.CycleLimit(D(2026, 2, 24), 6, 21, moved_from="2026-02-23") == moved
    # Not moved: the dict is as before (no key), and round-trips.
    plain = tm.CycleLimit(D(2026, 3, 31), 7, 24)
    assert plain.moved_from is None
    assert plain.to_dict() == {"order_day": "2026-03-31", "days_covered": 7, "limit": 24}
    assert tm.CycleLimit.from_dict(plain.to_dict()) == plain
    with pytest.raises(InvalidValueError, match="'moved_from' must differ from 'order_day'"):
        tm.CycleLimit(D(2026, 2, 24), 6, 21, moved_from=D(2026, 2, 24))
    with pytest.raises(InvalidValueError, match="'moved_from'"):
        tm.CycleLimit(D(2026, 2, 24), 6, 21, moved_from="2026-02-30")


def test_weekly_limits_record_checks_its_moves() -> None:
    limits = tm.WeeklyLimits((D(2026, 2, 24),), (6,), [[21]], moved_from=(D(2026, 2, 23),))
    assert limits.cycles(0)[0].moved_from == D(2026, 2, 23)
    assert tm.WeeklyLimits((D(2026, 2, 24),), (6,), [[21]]).moved_from == (None,)
    with pytest.raises(tm.ShapeMismatchError, match="'moved_from' must have one entry per"):
        tm.WeeklyLimits((D(2026, 2, 24),), (6,), [[21]], moved_from=(None, None))
    with pytest.raises(InvalidValueError, match=r"'moved_from\[0\]' must differ"):
        tm.WeeklyLimits((D(2026, 2, 24),), (6,), [[21]], moved_from=(D(2026, 2, 24),))


def test_weekly_limits_html_shows_moves_only_when_there_are_some() -> None:
    moved = _html.weekly_limits_html(tm.weekly_limits([100], 2026, 2, order_weekday=0, **CAL))
    assert "moved from" in moved
    assert "2026-02-24 ← 2026-02-23" in moved
    plain = _html.weekly_limits_html(tm.weekly_limits([124, 62], 2026, 3, order_weekday=1))
    assert "moved from" not in plain


_DAY = st.dates(D(2025, 11, 1), D(2027, 2, 28))


@given(
    st.lists(_DAY, max_size=40),
    st.lists(_DAY.filter(lambda day: day.weekday() >= 5), max_size=6),
    st.integers(0, 6),
    st.integers(1, 12),
)
def test_moved_from_laws(holidays: list[D], makeup: list[D], weekday: int, month: int) -> None:
    makeup = [day for day in makeup if day not in holidays]
    calendar: dict[str, Any] = {"holidays": holidays, "makeup_workdays": makeup}
    cycles = tm.weekly_limits(0, 2026, month, order_weekday=weekday, **calendar)
    assert [c.order_day for c in cycles] == tm.order_days(2026, month, weekday, **calendar)
    many = tm.weekly_limits([0], 2026, month, order_weekday=weekday, **calendar)
    assert isinstance(many, tm.WeeklyLimits)
    assert many.moved_from == tuple(c.moved_from for c in cycles)
    working = set(tm.working_days(2026, month, **calendar))
    for c in cycles:
        # an order day is never a holiday
        assert c.order_day not in set(holidays)
        if c.moved_from is None:
            # not moved: on the store's weekday, its slot
            assert c.order_day.weekday() == weekday
        else:
            # moved: from a holiday on the store's weekday, to a working day of its week
            assert c.moved_from in set(holidays)
            assert c.moved_from.weekday() == weekday
            assert c.moved_from.isocalendar()[:2] == c.order_day.isocalendar()[:2]
            assert c.order_day.month != month or c.order_day in working
    # moved_from is None iff the slot was not a holiday
    slots = [c.moved_from or c.order_day for c in cycles]
    assert [slot in set(holidays) for slot in slots] == [c.moved_from is not None for c in cycles]
    assert all(a < b for a, b in itertools.pairwise(slots))


# --------------------------------------------------------------------------- order follow-up


def _visit(day: D, store: str = "C001", brands: frozenset[str] = frozenset({"B1"})) -> tm.Visit:
    start = dt.datetime.combine(day, dt.time(10))
    return tm.Visit(
        store, "M07", start, start + dt.timedelta(minutes=12), recommended_brands=brands
    )


def test_adoption_across_the_spring_festival() -> None:
    # A Monday store visited on Monday 9 February 2026; its next order is Tuesday 24
    # (the 16th dropped, the 23rd moved), 15 days later. Holidays do not count in the
    # window: 7 counted days after the visit are 10–14 and 24–25 February.
    visits = [_visit(D(2026, 2, 9)), _visit(D(2026, 2, 9), "C002")]
    orders = [("C001", "B1", D(2026, 2, 24)), ("C002", "B1", D(2026, 2, 26))]
    assert tm.recommendation_adoption(visits, orders).adopted == ()
    festival = tm.recommendation_adoption(visits, orders, holidays=FESTIVAL)
    assert festival.adopted == (("C001", "B1"),)
    assert festival.pending == (("C002", "B1"),)
    # the 25th is the window's last day
    last = tm.recommendation_adoption(
        [_visit(D(2026, 2, 9))], [("C001", "B1", "2026-02-25")], holidays=FESTIVAL
    )
    assert last.rate == 1.0
    # the whole year's calendar, make-up days included, gives the same
    assert tm.recommendation_adoption(visits, orders, **CAL) == festival


def test_adoption_across_national_day() -> None:
    # A Thursday store's order of 1 October was placed on Wednesday 30 September; a
    # visit that day is followed by the 8 October order: 8 days, 1 counted day.
    visits = [_visit(D(2026, 9, 30))]
    orders = [("C001", "B1", D(2026, 10, 8))]
    assert tm.recommendation_adoption(visits, orders).rate == 0.0
    assert tm.recommendation_adoption(visits, orders, holidays=NATIONAL_DAY).rate == 1.0
    assert tm.recommendation_adoption(visits, orders, within_days=1, **CAL).rate == 1.0
    assert tm.recommendation_adoption(visits, orders, within_days=0, **CAL).rate == 0.0


def test_adoption_calendar_is_checked() -> None:
    with pytest.raises(InvalidValueError, match="'makeup_workdays' must be Saturdays or Sundays"):
        tm.recommendation_adoption([], [], makeup_workdays=["2026-02-16"])
    with pytest.raises(TypeError, match="'holidays' must be a collection"):
        tm.recommendation_adoption([], [], holidays="2026-02-16")


_ORDER_DAY = st.dates(D(2026, 1, 1), D(2026, 3, 31))


@given(
    st.lists(_ORDER_DAY, max_size=30),
    st.lists(st.tuples(st.sampled_from(["C1", "C2"]), _ORDER_DAY), min_size=1, max_size=6),
    st.lists(st.tuples(st.sampled_from(["C1", "C2"]), _ORDER_DAY), max_size=12),
    st.integers(0, 20),
)
def test_adoption_window_laws(
    holidays: list[D],
    visit_days: list[tuple[str, D]],
    order_days: list[tuple[str, D]],
    window: int,
) -> None:
    visits = [_visit(day, store) for store, day in visit_days]
    orders = [(store, "B1", day) for store, day in order_days]
    plain = tm.recommendation_adoption(visits, orders, within_days=window)
    assert tm.recommendation_adoption(visits, orders, within_days=window, holidays=()) == plain
    with_calendar = tm.recommendation_adoption(
        visits, orders, within_days=window, holidays=holidays
    )
    # holidays only widen the window: what was adopted stays adopted
    assert set(plain.adopted) <= set(with_calendar.adopted)
    # the rule by brute force: `window` non-holiday days after the visit's date
    closed = set(holidays)
    for store, day in visit_days:
        counted = [
            day + dt.timedelta(days=k)
            for k in range(1, 400)
            if day + dt.timedelta(days=k) not in closed
        ]
        last = counted[window - 1] if window else day
        hit = any(s == store and day <= d <= last for s, d in order_days)
        if hit:
            assert (store, "B1") in with_calendar.adopted


# --------------------------------------------------------------------------- the CLI


def _export(path: Path) -> None:
    """Four January weeks of one store and two brands, selling every day."""
    rows = ["store,brand,date,sales,inventory"]
    for brand, rate in (("B1", 3), ("B2", 1)):
        for k in range(28):
            day = D(2026, 1, 5) + dt.timedelta(days=k)
            rows.append(f"C1,{brand},{day.isoformat()},{rate},{rate + 2}")
    path.write_text("\n".join(rows) + "\n")


def _calendar_files(tmp_path: Path) -> tuple[Path, Path]:
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("# Spring Festival 2026\n" + "".join(f"{d}\n" for d in FESTIVAL))
    makeup = tmp_path / "makeup.txt"
    makeup.write_text("# worked Saturdays\n2026-02-14\n2026/2/28\n")
    return holidays, makeup


def _quota_rows(tmp_path: Path, *options: str | Path) -> list[dict[str, str]]:
    source, out = tmp_path / "export.csv", tmp_path / "quota.csv"
    _export(source)
    args = ["quota", source, "--out", out, "--month", "2026-02", *options]
    assert cli.main([str(arg) for arg in args]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("weekday", [("SU", 6), ("MO", 0), ("SA", 5)])
def test_cli_and_library_give_the_same_order_days(tmp_path: Path, weekday: tuple[str, int]) -> None:
    holidays, makeup = _calendar_files(tmp_path)
    name, number = weekday
    rows = _quota_rows(
        tmp_path,
        "--order-weekday",
        name,
        "--holidays",
        holidays,
        "--makeup-workdays",
        makeup,
    )
    for brand in ("B1", "B2"):
        mine = [r for r in rows if r["brand"] == brand]
        total = int(float(mine[0]["monthly_quota"]))
        expected = tm.weekly_limits(
            total, 2026, 2, order_weekday=number, holidays=FESTIVAL, makeup_workdays=WORKED
        )
        assert [r["order_day"] for r in mine] == [c.order_day.isoformat() for c in expected]
        assert [int(r["days_covered"]) for r in mine] == [c.days_covered for c in expected]
        assert [int(float(r["weekly_limit"])) for r in mine] == [c.limit for c in expected]
        assert [r["moved_from"] for r in mine] == [
            c.moved_from.isoformat() if c.moved_from else "" for c in expected
        ]


def test_cli_sunday_store_orders_on_the_makeup_saturday(tmp_path: Path) -> None:
    holidays, makeup = _calendar_files(tmp_path)
    with_makeup = _quota_rows(
        tmp_path, "--order-weekday", "SU", "--holidays", holidays, "--makeup-workdays", makeup
    )
    assert [(r["order_day"], r["moved_from"]) for r in with_makeup if r["brand"] == "B1"] == [
        ("2026-02-01", ""),
        ("2026-02-08", ""),
        ("2026-02-14", "2026-02-15"),
    ]
    # without the make-up file, Sunday 15 goes to Friday 13
    without = _quota_rows(tmp_path, "--order-weekday", "SU", "--holidays", holidays)
    assert [r["order_day"] for r in without if r["brand"] == "B1"][-1] == "2026-02-13"


def test_cli_quota_columns_keep_their_order_and_end_with_moved_from(tmp_path: Path) -> None:
    rows = _quota_rows(tmp_path, "--order-weekday", "TU")
    assert list(rows[0]) == [*cli.QUOTA_COLUMNS[:8], "moved_from"]
    # the columns of the report before moved_from was added, in their order
    old = "store,brand,month,cycle_quota,monthly_quota,order_day,days_covered,weekly_limit"
    assert ",".join(cli.QUOTA_COLUMNS[:8]) == old
    assert {r["moved_from"] for r in rows} == {""}


@pytest.mark.parametrize(
    ("holiday_text", "makeup_text", "message"),
    [
        (
            "2026-02-15\n",
            "2026-02-14\n# a Monday\n2026-02-16\n",
            "makeup.txt: line 3: --makeup-workdays must be Saturdays or Sundays "
            "(Monday to Friday are working days already): 2026-02-16 is a Monday",
        ),
        (
            "2026-02-14\n2026-02-15\n",
            "2026-02-28\n2026-02-14\n",
            "makeup.txt: line 2: 2026-02-14 is both in --holidays and in --makeup-workdays "
            "(*holidays.txt: line 1)",
        ),
    ],
)
def test_cli_refuses_a_bad_makeup_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    holiday_text: str,
    makeup_text: str,
    message: str,
) -> None:
    source, out = tmp_path / "export.csv", tmp_path / "quota.csv"
    _export(source)
    holidays, makeup = tmp_path / "holidays.txt", tmp_path / "makeup.txt"
    holidays.write_text(holiday_text)
    makeup.write_text(makeup_text)
    for command in ("quota", "cycle"):
        args = [command, source, "--out", out, "--holidays", holidays, "--makeup-workdays", makeup]
        assert cli.main([str(arg) for arg in args]) == 2
        before, _, after = message.partition("*")  # * stands for the holidays file's folder
        err = capsys.readouterr().err
        assert before in err
        assert after in err.split(before, 1)[1]
        assert not out.exists()


def test_cli_makeup_file_alone_and_bad_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # make-up days without holidays: a Saturday store's Saturdays stay (not holidays)
    makeup = tmp_path / "makeup.txt"
    makeup.write_text("2026-02-14\n")
    rows = _quota_rows(tmp_path, "--order-weekday", "SA", "--makeup-workdays", makeup)
    assert [r["order_day"] for r in rows if r["brand"] == "B1"] == [
        "2026-02-07",
        "2026-02-14",
        "2026-02-21",
        "2026-02-28",
    ]
    makeup.write_text("2026-02-14\nnext Saturday\n")
    source, out = tmp_path / "export.csv", tmp_path / "bad.csv"
    assert (
        cli.main(["quota", str(source), "--out", str(out), "--makeup-workdays", str(makeup)]) == 2
    )
    assert "makeup.txt: line 2: 'next Saturday' is not a date" in capsys.readouterr().err


def test_the_whole_2026_calendar_is_accepted() -> None:
    # the fixtures this file relies on are the 2026 schedule
    assert D(2026, 2, 15) in HOLIDAYS_2026
    assert D(2026, 2, 23) in HOLIDAYS_2026
    assert D(2026, 2, 24) not in HOLIDAYS_2026
    assert set(WORKED) <= set(MAKEUP_2026)
    assert set(NATIONAL_DAY) <= set(HOLIDAYS_2026)
    assert D(2026, 10, 8) not in HOLIDAYS_2026
