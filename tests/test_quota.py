"""Tests of the quota and supply formulas (tobacco_metrics.quota)."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import itertools
import math
from collections import Counter
from fractions import Fraction
from random import Random
from typing import Any

import attrs
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from dateutil import relativedelta, rrule
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import (
    CycleLimit,
    EmptyInputError,
    InvalidValueError,
    MissingDataError,
    QuotaAdjustment,
    ShapeMismatchError,
    adjusted_quotas,
    agreed_monthly_total,
    allocate_supply,
    base_daily_rate,
    history_window,
    holiday_mask,
    order_days,
    reasonable_quota,
    replenishment_order,
    split_total,
    weekly_limits,
)

# Ten days of one store × brand: day 0 a holiday, days 3 and 4 out of stock (no
# sales, no stock), day 9 no sales with 2 cartons left (a token stock at 2).
# Valid days with token 0: 1, 2, 5, 6, 7, 8, 9 → 30 cartons / 7 days.
TEN_SALES = [9, 4, 5, 0, 0, 6, 5, 4, 6, 0]
TEN_STOCK = [8, 6, 1, 0, 0, 9, 4, 1, 5, 2]
TEN_HOLIDAY = np.array([True] + [False] * 9)


def reference_rate(
    sales: list[float],
    stock: list[float],
    excluded: list[bool] | None = None,
    token: float = 0.0,
    fallback: float | None = None,
) -> float:
    """The base daily rate of docs/formulas/quota.md for one series, in plain Python."""
    valid = [
        i
        for i in range(len(sales))
        if not (excluded and excluded[i]) and not (sales[i] == 0 and stock[i] <= token)
    ]
    if valid:
        return sum(sales[i] for i in valid) / len(valid)
    return math.nan if fallback is None else fallback


def exact_shares(total: int, weights: list[Any]) -> list[Fraction]:
    fractions = [Fraction(w) for w in weights]
    whole = sum(fractions)
    return [Fraction(total) * f / whole for f in fractions]


# --------------------------------------------------------------------------- history window


@pytest.mark.parametrize(
    ("end", "months", "start"),
    [
        (dt.date(2026, 3, 31), 3, dt.date(2026, 1, 1)),  # quarter end
        (dt.date(2026, 4, 30), 3, dt.date(2026, 2, 1)),  # not 31 January
        (dt.date(2026, 2, 28), 3, dt.date(2025, 12, 1)),  # not 29 November
        (dt.date(2024, 2, 29), 3, dt.date(2023, 12, 1)),  # leap day as the end
        (dt.date(2024, 5, 31), 3, dt.date(2024, 3, 1)),
        (dt.date(2026, 3, 15), 3, dt.date(2025, 12, 16)),  # mid-month: end − 3 months + 1 day
        (dt.date(2026, 3, 15), 1, dt.date(2026, 2, 16)),
        (dt.date(2026, 12, 31), 12, dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 1), 1, dt.date(2025, 12, 2)),
    ],
)
def test_history_window(end: dt.date, months: int, start: dt.date) -> None:
    assert history_window(end, months) == (start, end)


def test_history_window_default_is_three_months_and_accepts_iso() -> None:
    assert history_window("2026-03-31") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))  # type: ignore[arg-type]


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.integers(1, 24))
def test_history_window_laws(end: dt.date, months: int) -> None:
    start, last = history_window(end, months)
    assert last == end
    assert 28 * months <= (end - start).days + 1 <= 31 * months
    if (end + dt.timedelta(days=1)).day == 1:  # a month end: exactly `months` whole months
        assert start.day == 1
        assert start + relativedelta.relativedelta(months=months) == end + dt.timedelta(days=1)
    if end.day <= 27:  # no day-of-month clipping: the end − months + 1 day
        assert start == end - relativedelta.relativedelta(months=months) + dt.timedelta(days=1)
    assert start <= end
    if (end + dt.timedelta(days=1)).day == 1:  # whole calendar months, counted
        assert (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1 == months


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"end": dt.datetime(2026, 3, 31, 12)}, TypeError, "'end' must be a date, not a datetime"),
        ({"end": 20260331}, TypeError, "'end' must be a datetime.date, got int"),
        ({"end": "31/03/2026"}, InvalidValueError, "'end' must be an ISO date"),
        ({"end": dt.date(2026, 3, 31), "months": 0}, InvalidValueError, "'months' must be >= 1: 0"),
        ({"end": dt.date(2026, 3, 31), "months": 2.0}, TypeError, "'months' must be an int"),
        ({"end": dt.date(2026, 3, 31), "months": True}, TypeError, "'months' must be an int"),
    ],
)
def test_history_window_bad_inputs(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        history_window(**kwargs)


# --------------------------------------------------------------------------- holiday mask


def test_holiday_mask() -> None:
    mask = holiday_mask(
        dt.date(2026, 1, 30),
        5,
        [dt.date(2026, 1, 1), dt.date(2026, 1, 31), "2026-02-03", dt.date(2026, 2, 4)],  # type: ignore[list-item]
    )
    assert mask.dtype == np.bool_
    assert mask.tolist() == [False, True, False, False, True]  # 1 Jan and 4 Feb are outside


def test_holiday_mask_duplicates_sets_and_empty() -> None:
    day = dt.date(2026, 10, 1)
    assert holiday_mask(day, 3, {day, day}).tolist() == [True, False, False]
    assert holiday_mask(day, 3, []).tolist() == [False, False, False]
    assert holiday_mask(day, 0, [day]).shape == (0,)


def test_holiday_mask_generator_of_a_national_calendar() -> None:
    # 国庆节: 1-7 October, passed as a generator
    golden_week = (dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(7))
    mask = holiday_mask(dt.date(2026, 9, 28), 14, golden_week)
    assert np.flatnonzero(mask).tolist() == [3, 4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((dt.date(2026, 1, 1), 3, [dt.datetime(2026, 1, 1)]), TypeError, r"'holidays\[0\]'"),
        ((dt.date(2026, 1, 1), 3, "2026-01-01"), TypeError, "'holidays' must be an iterable"),
        ((dt.date(2026, 1, 1), 3, None), TypeError, "'holidays' must be an iterable"),
        ((dt.date(2026, 1, 1), -1, []), InvalidValueError, "'days' must be >= 0: -1"),
        ((dt.datetime(2026, 1, 1), 3, []), TypeError, "'start' must be a date"),
    ],
)
def test_holiday_mask_bad_inputs(args: tuple[Any, ...], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        holiday_mask(*args)


# --------------------------------------------------------------------------- order days


def test_order_days() -> None:
    assert order_days(2026, 4, 1) == [dt.date(2026, 4, d) for d in (7, 14, 21, 28)]
    assert order_days(2026, 4, 2) == [dt.date(2026, 4, d) for d in (1, 8, 15, 22, 29)]
    assert order_days(2024, 2, 3) == [dt.date(2024, 2, d) for d in (1, 8, 15, 22, 29)]  # leap


@pytest.mark.parametrize("constant", [rrule.TU, relativedelta.TU])
def test_order_days_accepts_dateutil_weekdays(constant: relativedelta.weekday) -> None:
    assert order_days(2026, 4, constant) == order_days(2026, 4, 1)


@given(st.integers(1900, 2200), st.integers(1, 12), st.integers(0, 6))
def test_order_days_laws(year: int, month: int, weekday: int) -> None:
    days = order_days(year, month, weekday)
    assert 4 <= len(days) <= 5
    assert all(day.weekday() == weekday and day.month == month for day in days)
    assert days[0].day <= 7
    assert (days[-1] + dt.timedelta(days=7)).month != month
    assert all((b - a).days == 7 for a, b in itertools.pairwise(days))
    every = [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    assert days == [d for d in every if d.weekday() == weekday]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((2026, 13, 0), InvalidValueError, r"'month' must be in 1\.\.12: 13"),
        ((2026, 0, 0), InvalidValueError, r"'month' must be in 1\.\.12: 0"),
        ((2026, 4, 7), InvalidValueError, r"'weekday' must be in 0 \(Monday\) … 6 \(Sunday\): 7"),
        ((2026, 4, -1), InvalidValueError, r"'weekday' must be in 0 \(Monday\) … 6 \(Sunday\): -1"),
        ((2026, 4, "TU"), TypeError, "'weekday' must be an int"),
        ((2026, 4, True), TypeError, "'weekday' must be an int"),
        ((2026, 4, rrule.TU(+1)), InvalidValueError, "plain weekday such as MO"),
        ((2026.0, 4, 1), TypeError, "'year' must be an int"),
        ((0, 4, 1), InvalidValueError, r"'year' must be in 1\.\.9999: 0"),
    ],
)
def test_order_days_bad_inputs(args: tuple[Any, ...], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        order_days(*args)


# --------------------------------------------------------------------------- base daily rate


def test_base_daily_rate_worked_example() -> None:
    assert base_daily_rate(TEN_SALES, TEN_STOCK, exclude=TEN_HOLIDAY) == pytest.approx(30 / 7)
    # token stock 2: day 9 (no sales, 2 left) is a stockout day too → 30 / 6
    assert base_daily_rate(TEN_SALES, TEN_STOCK, exclude=TEN_HOLIDAY, token_stock=2) == 5.0
    # without the holiday left out: 39 cartons / 8 days
    assert base_daily_rate(TEN_SALES, TEN_STOCK) == pytest.approx(39 / 8)


def test_base_daily_rate_is_a_float64_scalar_for_one_series() -> None:
    rate = base_daily_rate([2, 4], [1, 1])
    assert isinstance(rate, np.float64)
    assert rate == 3.0


def test_base_daily_rate_sold_out_part_way_is_a_valid_day() -> None:
    # day 1 sold 3 and ended with no stock: it sold, so it counts
    assert base_daily_rate([1, 3, 0], [2, 0, 0]) == 2.0


def test_base_daily_rate_no_valid_day_gives_nan_or_fallback() -> None:
    sales = [[0, 0, 0], [3, 0, 1], [5, 5, 5]]
    stock = [[0, 0, 0], [2, 0, 0], [1, 1, 1]]
    exclude = np.array([[False] * 3, [False] * 3, [True] * 3])  # store 2 closed throughout
    rate = base_daily_rate(sales, stock, exclude=exclude)
    assert rate.dtype == np.float64
    assert np.isnan(rate[0])
    assert np.isnan(rate[2])
    assert rate[1] == 2.0
    filled = base_daily_rate(sales, stock, exclude=exclude, fallback_daily_rate=[1.5, 9.0, 2.5])
    assert filled.tolist() == [1.5, 2.0, 2.5]  # the fallback only fills what has no rate


def test_base_daily_rate_stores_by_brands_with_shared_holidays() -> None:
    rng = np.random.default_rng(7)
    sales = rng.integers(0, 4, size=(3, 2, 12))
    stock = rng.integers(0, 3, size=(3, 2, 12))
    holidays = np.zeros(12, dtype=bool)
    holidays[[0, 5]] = True
    rates = base_daily_rate(sales, stock, exclude=holidays, fallback_daily_rate=0.25)
    assert rates.shape == (3, 2)
    for store in range(3):
        for brand in range(2):
            expected = reference_rate(
                sales[store, brand].tolist(),
                stock[store, brand].tolist(),
                holidays.tolist(),
                fallback=0.25,
            )
            assert rates[store, brand] == pytest.approx(expected)


def test_base_daily_rate_axis() -> None:
    sales = np.array([[1, 0], [3, 0], [0, 0]])  # days along axis 0, two series
    stock = np.array([[0, 0], [0, 4], [0, 0]])
    assert base_daily_rate(sales, stock, axis=0).tolist() == [2.0, 0.0]
    assert base_daily_rate(sales.T, stock.T).tolist() == [2.0, 0.0]


def test_base_daily_rate_does_not_modify_inputs() -> None:
    sales = np.array([3.0, 0.0, 2.0])
    stock = np.array([1.0, 0.0, 0.0])
    exclude = np.array([False, False, True])
    base_daily_rate(sales, stock, exclude=exclude, fallback_daily_rate=1.0)
    assert sales.tolist() == [3.0, 0.0, 2.0]
    assert stock.tolist() == [1.0, 0.0, 0.0]
    assert exclude.tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"sales": [1, -2], "inventory": [0, 0]}, InvalidValueError, "'sales' must be >= 0: -2"),
        ({"sales": [1, 2], "inventory": [0]}, ShapeMismatchError, "same shape"),
        ({"sales": [], "inventory": []}, EmptyInputError, "no days"),
        ({"sales": ["1", "2"], "inventory": [0, 0]}, TypeError, "'sales'"),
        (
            {"sales": [1, 2], "inventory": [0, 0], "exclude": [0, 1]},
            TypeError,
            "'exclude' must be a boolean mask",
        ),
        (
            {"sales": [1, 2], "inventory": [0, 0], "fallback_daily_rate": -1},
            InvalidValueError,
            "'fallback_daily_rate' must be >= 0: -1",
        ),
        (
            {"sales": [1, 2], "inventory": [0, 0], "fallback_daily_rate": math.nan},
            InvalidValueError,
            "'fallback_daily_rate' must be finite",
        ),
        (
            {"sales": [[1, 2]], "inventory": [[0, 0]], "fallback_daily_rate": [1, 2]},
            ShapeMismatchError,
            "'fallback_daily_rate'",
        ),
        (
            {"sales": [1e308, 1e308], "inventory": [0, 0]},
            InvalidValueError,
            "too large to compute with in float64",
        ),
    ],
)
def test_base_daily_rate_bad_inputs(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        base_daily_rate(**kwargs)


series = st.integers(1, 10).flatmap(
    lambda days: st.tuples(
        hnp.arrays(np.int64, days, elements=st.integers(0, 5)),
        hnp.arrays(np.int64, days, elements=st.integers(0, 3)),
        hnp.arrays(np.bool_, days, elements=st.booleans()),
    )
)


@given(series, st.integers(0, 2), st.none() | st.floats(0, 10))
def test_base_daily_rate_matches_the_reference(
    data: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]],
    token: int,
    fallback: float | None,
) -> None:
    sales, stock, exclude = data
    rate = base_daily_rate(
        sales, stock, exclude=exclude, token_stock=token, fallback_daily_rate=fallback
    )
    expected = reference_rate(sales.tolist(), stock.tolist(), exclude.tolist(), token, fallback)
    if math.isnan(expected):
        assert np.isnan(rate)
    else:
        assert rate == pytest.approx(expected)


@given(series, st.integers(0, 2), st.data())
def test_excluding_a_stockout_day_changes_nothing(
    data: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]],
    token: int,
    draw: st.DataObject,
) -> None:
    sales, stock, exclude = data
    out = tm.stockout_mask(sales, stock, token_stock=token)
    assume(bool(out.any()))
    day = draw.draw(st.sampled_from(np.flatnonzero(out).tolist()))
    more = exclude.copy()
    more[day] = True
    assert np.array_equal(
        base_daily_rate(sales, stock, exclude=exclude, token_stock=token),
        base_daily_rate(sales, stock, exclude=more, token_stock=token),
        equal_nan=True,
    )
    assert np.array_equal(
        reasonable_quota(sales, stock, exclude=exclude, token_stock=token),
        reasonable_quota(sales, stock, exclude=more, token_stock=token),
        equal_nan=True,
    )


@given(series, st.integers(0, 2))
def test_base_daily_rate_lies_between_valid_days_and_rises_with_token_stock(
    data: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]], token: int
) -> None:
    sales, stock, exclude = data
    rate = base_daily_rate(sales, stock, exclude=exclude, token_stock=token)
    valid = ~exclude & ~tm.stockout_mask(sales, stock, token_stock=token)
    if valid.any():
        assert sales[valid].min() <= rate <= sales[valid].max()
    else:
        assert np.isnan(rate)
    higher = base_daily_rate(sales, stock, exclude=exclude, token_stock=token + 1)
    if not np.isnan(higher):
        assert higher >= rate - 1e-12


# --------------------------------------------------------------------------- reasonable quota


def test_reasonable_quota_worked_example() -> None:
    quota = reasonable_quota(TEN_SALES, TEN_STOCK, exclude=TEN_HOLIDAY)
    assert isinstance(quota, np.float64)  # whole cartons in float64, whatever the values
    assert quota == 30  # 30 / 7 × 7
    # 10-day cycles: 300 / 7 = 42.857…
    assert reasonable_quota(TEN_SALES, TEN_STOCK, exclude=TEN_HOLIDAY, cycle_days=10) == 43
    assert (
        reasonable_quota(TEN_SALES, TEN_STOCK, exclude=TEN_HOLIDAY, cycle_days=10, rounding="floor")
        == 42
    )
    exact = reasonable_quota(
        TEN_SALES, TEN_STOCK, exclude=TEN_HOLIDAY, cycle_days=10, rounding=None
    )
    assert isinstance(exact, np.float64)
    assert exact == pytest.approx(300 / 7)


@pytest.mark.parametrize(
    ("rounding", "expected"), [("half_up", 23), ("ceil", 23), ("floor", 22), (None, 22.5)]
)
def test_reasonable_quota_rounding_of_a_half(rounding: Any, expected: float) -> None:
    # rate 30 / 7, a road closure cuts the weekly quota by a quarter: 22.5 cartons
    quota = reasonable_quota(
        TEN_SALES, TEN_STOCK, exclude=TEN_HOLIDAY, adjustment=0.75, rounding=rounding
    )
    assert quota == expected


@pytest.mark.parametrize(
    ("total", "days", "rounding", "noisy", "expected"),
    [
        (61, 14, "half_up", 30.499999999999996, 31),  # exactly 30.5
        (29, 7, "ceil", 29.000000000000004, 29),  # exactly 29
        (61, 7, "floor", 60.99999999999999, 61),  # exactly 61
    ],
)
def test_reasonable_quota_floating_point_noise_never_moves_a_carton(
    total: int, days: int, rounding: Any, noisy: float, expected: int
) -> None:
    sales = [total] + [0] * (days - 1)
    stock = [1] * days  # no stockout: every day is valid
    assert total / days * 7 == noisy  # what plain float arithmetic gives
    assert reasonable_quota(sales, stock, rounding=rounding) == expected
    assert reasonable_quota(sales, stock, rounding=None) == pytest.approx(
        expected - 0.5 * (rounding == "half_up")
    )


def test_reasonable_quota_is_float64_with_and_without_a_rate() -> None:
    sales = [[0, 0], [3, 1]]
    stock = [[0, 0], [2, 0]]
    with_nan = reasonable_quota(sales, stock)
    assert with_nan.dtype == np.float64
    assert np.isnan(with_nan[0])
    assert with_nan[1] == 14.0
    filled = reasonable_quota(sales, stock, fallback_daily_rate=0.5)
    assert filled.dtype == np.float64  # the same dtype once every series has a rate
    assert filled.tolist() == [4, 14]  # 3.5 → 4 half up
    assert reasonable_quota(sales, stock, rounding=None).dtype == np.float64


def test_reasonable_quota_per_store_cycle_days_and_adjustment() -> None:
    sales = np.array([[[2, 2]], [[4, 4]]])  # 2 stores × 1 brand × 2 days
    stock = np.ones_like(sales)
    quota = reasonable_quota(sales, stock, cycle_days=[[7], [3]], adjustment=[[1.0], [0.5]])
    assert quota.tolist() == [[14], [6]]


def test_reasonable_quota_zero_adjustment_suspends_supply() -> None:
    assert reasonable_quota([5, 5], [1, 1], adjustment=0) == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"rounding": "round"}, InvalidValueError, "'rounding' must be one of"),
        ({"rounding": 0}, TypeError, "'rounding' must be one of"),
        ({"cycle_days": 0}, InvalidValueError, "'cycle_days' must be > 0: 0"),
        ({"cycle_days": 3.5}, InvalidValueError, "'cycle_days' must be whole days: 3.5"),
        ({"cycle_days": -7}, InvalidValueError, "'cycle_days' must be > 0: -7"),
        ({"cycle_days": [7, 7, 7]}, ShapeMismatchError, "'cycle_days'"),
        ({"adjustment": -0.5}, InvalidValueError, "'adjustment' must be >= 0: -0.5"),
        ({"adjustment": math.inf}, InvalidValueError, "'adjustment' must be finite"),
        ({"token_stock": -1}, InvalidValueError, "'token_stock' must be >= 0"),
        ({"axis": 2}, InvalidValueError, "'axis' must be in"),
    ],
)
def test_reasonable_quota_bad_inputs(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        reasonable_quota([[1, 2], [3, 4]], [[0, 0], [0, 0]], **kwargs)


def test_reasonable_quota_too_large_for_int64() -> None:
    with pytest.raises(InvalidValueError, match="too large for whole cartons in int64"):
        reasonable_quota([1e300, 1e300], [1, 1])


panels = st.tuples(st.integers(1, 3), st.integers(1, 8)).flatmap(
    lambda shape: st.tuples(
        hnp.arrays(np.int64, shape, elements=st.integers(0, 6)),
        hnp.arrays(np.int64, shape, elements=st.integers(0, 3)),
    )
)


@given(panels, st.floats(0, 3), st.floats(0.1, 4), st.integers(1, 14), st.integers(1, 4))
def test_quota_is_linear_in_adjustment_and_cycle_days_before_rounding(
    data: tuple[NDArray[np.int64], NDArray[np.int64]],
    adjustment: float,
    scale: float,
    cycle_days: int,
    multiple: int,
) -> None:
    sales, stock = data
    kwargs: dict[str, Any] = {"rounding": None, "fallback_daily_rate": 1.0}
    base = reasonable_quota(sales, stock, adjustment=adjustment, cycle_days=cycle_days, **kwargs)
    scaled = reasonable_quota(
        sales, stock, adjustment=adjustment * scale, cycle_days=cycle_days, **kwargs
    )
    longer = reasonable_quota(
        sales, stock, adjustment=adjustment, cycle_days=cycle_days * multiple, **kwargs
    )
    np.testing.assert_allclose(scaled, base * scale, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(longer, base * multiple, rtol=1e-12, atol=1e-12)
    rate = base_daily_rate(sales, stock, fallback_daily_rate=1.0)
    np.testing.assert_allclose(base, rate * cycle_days * adjustment, rtol=1e-12, atol=1e-12)


@given(panels, st.floats(0, 3), st.integers(1, 14))
def test_rounded_quota_is_within_one_carton_of_the_exact_one(
    data: tuple[NDArray[np.int64], NDArray[np.int64]], adjustment: float, cycle_days: int
) -> None:
    sales, stock = data
    kwargs: dict[str, Any] = {"adjustment": adjustment, "cycle_days": cycle_days}
    exact = reasonable_quota(sales, stock, rounding=None, **kwargs)
    for mode in ("half_up", "ceil", "floor"):
        rounded = reasonable_quota(sales, stock, rounding=mode, **kwargs)
        known = ~np.isnan(exact)
        assert np.all(np.abs(rounded[known] - exact[known]) <= 1 + 1e-9)
        assert np.all(rounded[known] == np.round(rounded[known]))
    floor = reasonable_quota(sales, stock, rounding="floor", **kwargs)
    ceil = reasonable_quota(sales, stock, rounding="ceil", **kwargs)
    half = reasonable_quota(sales, stock, rounding="half_up", **kwargs)
    known = ~np.isnan(exact)
    assert np.all(floor[known] <= half[known])
    assert np.all(half[known] <= ceil[known])


# --------------------------------------------------------------------------- adjustments

APRIL_TO_JUNE = QuotaAdjustment(dt.date(2026, 4, 1), dt.date(2026, 6, 30), 0.6, "道路施工")


def test_quota_adjustment_record() -> None:
    assert APRIL_TO_JUNE.covers(dt.date(2026, 4, 1))
    assert APRIL_TO_JUNE.covers(dt.date(2026, 6, 30))
    assert not APRIL_TO_JUNE.covers(dt.date(2026, 3, 31))
    assert not APRIL_TO_JUNE.covers(dt.date(2026, 7, 1))
    data = APRIL_TO_JUNE.to_dict()
    assert data == {"start": "2026-04-01", "end": "2026-06-30", "factor": 0.6, "reason": "道路施工"}
    assert QuotaAdjustment.from_dict(data) == APRIL_TO_JUNE
    assert QuotaAdjustment(dt.date(2026, 4, 1), dt.date(2026, 4, 1), 0).reason == ""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        APRIL_TO_JUNE.factor = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            (dt.date(2026, 4, 1), dt.date(2026, 5, 1), -1),
            InvalidValueError,
            "'factor' must be >= 0: -1",
        ),
        (
            (dt.date(2026, 4, 1), dt.date(2026, 5, 1), math.nan),
            InvalidValueError,
            "'factor' must be finite",
        ),
        (
            (dt.date(2026, 4, 1), dt.date(2026, 5, 1), "0.6"),
            TypeError,
            "'factor' must be a real number",
        ),
        (
            (dt.date(2026, 4, 1), dt.date(2026, 5, 1), True),
            TypeError,
            "'factor' must be a real number",
        ),
        (
            (dt.date(2026, 4, 2), dt.date(2026, 4, 1), 0.5),
            InvalidValueError,
            r"'end' must be >= 'start' \(2026-04-02\): 2026-04-01",
        ),
        (
            (dt.datetime(2026, 4, 1), dt.date(2026, 5, 1), 0.5),
            TypeError,
            "'start' must be a date, not a datetime",
        ),
        ((dt.date(2026, 4, 1), "May", 0.5), InvalidValueError, "'end' must be an ISO date"),
        ((dt.date(2026, 4, 1), dt.date(2026, 5, 1), 0.5, 7), TypeError, "'reason' must be a str"),
    ],
)
def test_quota_adjustment_bad_inputs(args: tuple[Any, ...], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        QuotaAdjustment(*args)


def test_quota_adjustment_evolve_is_validated() -> None:
    with pytest.raises(InvalidValueError, match="'factor' must be >= 0"):
        attrs.evolve(APRIL_TO_JUNE, factor=-0.1)
    with pytest.raises(InvalidValueError, match="unknown field"):
        QuotaAdjustment.from_dict({**APRIL_TO_JUNE.to_dict(), "store": "C001"})


def test_adjusted_quotas_worked_example() -> None:
    starts = [dt.date(2026, 3, 30), dt.date(2026, 4, 6), dt.date(2026, 6, 29), dt.date(2026, 7, 6)]
    assert adjusted_quotas(25, starts, [APRIL_TO_JUNE]).tolist() == [25, 15, 15, 25]
    # the cycle starting 30 March runs into April but starts before the works: not cut
    one_week = QuotaAdjustment(dt.date(2026, 4, 6), dt.date(2026, 4, 12), 0.5)
    # overlapping adjustments multiply: 25 × 0.6 × 0.5 = 7.5 → 8 (half up); 13 × 0.3 = 3.9 → 4
    result = adjusted_quotas([25, 13], starts, [APRIL_TO_JUNE, one_week])
    assert result.dtype == np.float64
    assert result.tolist() == [[25, 8, 15, 25], [13, 4, 8, 13]]
    assert adjusted_quotas([25, 13], starts, [one_week, APRIL_TO_JUNE]).tolist() == result.tolist()


def test_adjusted_quotas_edge_rules() -> None:
    starts = [dt.date(2026, 4, 6)]
    assert adjusted_quotas(10, starts, []).tolist() == [10]
    assert adjusted_quotas(10.5, starts, []).tolist() == [11]  # whole cartons, half up
    assert adjusted_quotas([1, 2], [], [APRIL_TO_JUNE]).shape == (2, 0)
    with_nan = adjusted_quotas([10, math.nan], starts, [APRIL_TO_JUNE])
    assert with_nan.dtype == np.float64
    assert with_nan[0].tolist() == [6.0]
    assert np.isnan(with_nan[1, 0])
    # 0.7 × 10 is 7.000000000000001 in floating point: still 7
    seven = QuotaAdjustment(dt.date(2026, 4, 1), dt.date(2026, 4, 30), 0.7)
    assert adjusted_quotas(10, starts, [seven]).tolist() == [7]
    assert adjusted_quotas(10, ["2026-04-06"], [seven]).tolist() == [7]  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            (10, [dt.date(2026, 4, 6)], [0.5]),
            TypeError,
            r"'adjustments\[0\]' must be a QuotaAdjustment",
        ),
        ((10, [dt.datetime(2026, 4, 6)], []), TypeError, r"'cycle_starts\[0\]' must be a date"),
        ((10, "2026-04-06", []), TypeError, "'cycle_starts' must be an iterable"),
        ((-1, [dt.date(2026, 4, 6)], []), InvalidValueError, "'base_quota' must be >= 0: -1"),
        (
            (math.inf, [dt.date(2026, 4, 6)], []),
            InvalidValueError,
            "'base_quota' must be finite or NaN",
        ),
    ],
)
def test_adjusted_quotas_bad_inputs(args: tuple[Any, ...], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        adjusted_quotas(*args)


adjustments = st.builds(
    lambda start, length, factor: QuotaAdjustment(start, start + dt.timedelta(days=length), factor),
    st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    st.integers(0, 120),
    st.sampled_from([0.0, 0.5, 0.6, 0.8, 1.0, 1.25, 2.0]),
)


@given(
    st.integers(0, 500),
    st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), max_size=8),
    st.lists(adjustments, max_size=4),
    st.randoms(use_true_random=False),
)
def test_adjusted_quotas_laws(
    base: int, starts: list[dt.date], changes: list[QuotaAdjustment], random: Random
) -> None:
    result = adjusted_quotas(base, starts, changes)
    assert result.shape == (len(starts),)
    shuffled = list(changes)
    random.shuffle(shuffled)
    assert adjusted_quotas(base, starts, shuffled).tolist() == result.tolist()
    for start, quota in zip(starts, result.tolist(), strict=True):
        factor = Fraction(1)
        for change in changes:
            if change.start <= start <= change.end:
                factor *= Fraction(repr(change.factor))  # the decimal factor meant
        # half up of the exact product (floating-point noise does not move a carton)
        assert quota == math.floor(base * factor + Fraction(1, 2))
        if not any(change.covers(start) for change in changes):
            assert quota == base
    # several bases: one row each; a factor of 1 changes nothing, 0 stops the supply
    bases = [base, base + 1]
    plain = adjusted_quotas(bases, starts, [])
    assert plain.tolist() == [[b] * len(starts) for b in bases]
    if starts:
        first, last = min(starts), max(starts)
        kept = adjusted_quotas(bases, starts, [QuotaAdjustment(first, last, 1.0)])
        assert kept.tolist() == plain.tolist()
        stopped = adjusted_quotas(bases, starts, [QuotaAdjustment(first, first, 0.0)])
        covered = np.array([s == first for s in starts])
        assert np.all(stopped[:, covered] == 0)
        assert np.array_equal(stopped[:, ~covered], plain[:, ~covered])


# --------------------------------------------------------------------------- agreed monthly total


def test_agreed_monthly_total_worked_example() -> None:
    # the previous three months (前三月): (120 + 130 + 140) / 3 = 130; the oldest is ignored
    total = agreed_monthly_total([150, 120, 130, 140])
    assert isinstance(total, np.int64)
    assert total == 130
    assert agreed_monthly_total([120, 130, 141]) == 130  # 130.33 → 130
    assert agreed_monthly_total([120, 130, 142]) == 131  # 130.67 → 131
    assert agreed_monthly_total([31, 30, 32], adjustment=0.5) == 16  # 15.5 → 16, half up
    assert agreed_monthly_total([10, 20, 30, 41], months=1) == 41
    assert agreed_monthly_total([10.5, 20.5, 30.5], months=3) == 21  # 20.5 → 21


def test_agreed_monthly_total_vectorised_and_axis() -> None:
    monthly = np.array([[120, 130, 140], [30, 31, 32]])
    assert agreed_monthly_total(monthly, adjustment=[1.0, 0.5]).tolist() == [130, 16]
    assert agreed_monthly_total(monthly.T, axis=0).tolist() == [130, 31]
    assert agreed_monthly_total(monthly, months=2).tolist() == [135, 32]  # 31.5 → 32


@given(
    st.lists(st.integers(0, 500), min_size=3, max_size=6),
    st.integers(1, 3),
    st.sampled_from([0.0, 0.5, 0.8, 1.0, 1.1, 1.5]),
    st.integers(0, 2),
)
def test_agreed_monthly_total_laws(
    monthly: list[int], months: int, adjustment: float, bump: int
) -> None:
    total = agreed_monthly_total(monthly, months=months, adjustment=adjustment)
    exact = Fraction(repr(adjustment)) * Fraction(sum(monthly[-months:]), months)
    assert total == math.floor(exact + Fraction(1, 2))  # half up of the exact adjusted mean
    older = [999, *monthly]  # only the last months matter
    assert agreed_monthly_total(older, months=months, adjustment=adjustment) == total
    more = list(monthly)
    more[-1 - bump % months] += 7
    assert agreed_monthly_total(more, months=months, adjustment=adjustment) >= total
    assert agreed_monthly_total(monthly, months=months, adjustment=adjustment + 0.5) >= total
    if adjustment == 1.0:  # the plain mean lies between the months
        assert min(monthly[-months:]) <= total <= max(monthly[-months:])


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (([120, 130],), {}, MissingDataError, "has 2 month"),
        (([],), {}, EmptyInputError, "no months"),
        (([1, 2, 3],), {"months": 0}, InvalidValueError, "'months' must be >= 1: 0"),
        (([1, 2, 3],), {"months": 3.0}, TypeError, "'months' must be an int"),
        (([1, -2, 3],), {}, InvalidValueError, "'monthly_sales' must be >= 0: -2 at index 1"),
        (([1, 2, 3],), {"adjustment": -1}, InvalidValueError, "'adjustment' must be >= 0"),
        (([[1, 2, 3]],), {"adjustment": [1, 2]}, ShapeMismatchError, "'adjustment'"),
        ((5,), {}, ShapeMismatchError, "at least one dimension"),
    ],
)
def test_agreed_monthly_total_bad_inputs(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        agreed_monthly_total(*args, **kwargs)


# --------------------------------------------------------------------------- split_total


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (10, [1, 1, 1], [4, 3, 3]),  # 3⅓ each: ties to the earlier position
        (11, [1, 1, 1], [4, 4, 3]),
        (100, [7, 7, 7, 7, 3], [23, 23, 22, 22, 10]),  # 22.58 ×4, 9.68
        (2, [1, 3], [1, 1]),  # 0.5 and 1.5: equal remainders, the earlier wins
        (7, [0, 2, 0, 5], [0, 2, 0, 5]),  # exact shares, zero weights get zero
        (0, [3, 4], [0, 0]),
        (0, [0, 0], [0, 0]),  # nothing to split and nothing to split by
        (5, [1], [5]),
        (10, [0.1, 0.2, 0.3], [2, 3, 5]),  # 0.3 as a float is just under 3 × 0.1's share
        (13, [2.5, 2.5, 5.0], [3, 3, 7]),  # 3.25, 3.25, 6.5: the largest remainder wins
        (10.0, [1, 1], [5, 5]),  # a whole-valued float total
    ],
)
def test_split_total_worked_examples(total: Any, weights: list[Any], parts: list[int]) -> None:
    result = split_total(total, weights)
    assert result.dtype == np.int64
    assert result.tolist() == parts


def test_split_total_rows_and_broadcast_total() -> None:
    result = split_total([5, 0, 4], [[2, 0, 1], [0, 0, 0], [1, 1, 2]])
    assert result.tolist() == [[3, 0, 2], [0, 0, 0], [1, 1, 2]]
    assert split_total(3, [[1, 1], [1, 2]]).tolist() == [[2, 1], [1, 2]]


def test_split_total_stays_exact_beyond_int64_products() -> None:
    total = 2**62
    parts = split_total(total, [3, 1, 1])
    assert int(parts.sum()) == total
    assert parts.tolist() == [2767011611056432742, 922337203685477581, 922337203685477581]
    huge = split_total(7, [1e300, 1e300, 0.5])
    assert huge.tolist() == [4, 3, 0]


def test_split_total_does_not_modify_weights() -> None:
    weights = np.array([3.0, 1.0])
    split_total(5, weights)
    assert weights.tolist() == [3.0, 1.0]


@pytest.mark.parametrize(
    ("total", "weights", "error", "message"),
    [
        (5, [0, 0], InvalidValueError, "'weights' must not all be 0 where 'total' is > 0"),
        ([0, 5], [[1, 1], [0, 0]], InvalidValueError, "total 5 at index 1"),
        (2.5, [1, 1], InvalidValueError, "'total' must be whole cartons: 2.5"),
        (-1, [1, 1], InvalidValueError, "'total' must be >= 0: -1"),
        (math.nan, [1, 1], InvalidValueError, "'total' must be finite"),
        (2.0**60, [1, 1], InvalidValueError, "'total' must be <= 2\\*\\*53"),
        (5, [1, -1], InvalidValueError, "'weights' must be >= 0: -1 at index 1"),
        (5, [1, math.inf], InvalidValueError, "'weights' must be finite"),
        (5, 3, ShapeMismatchError, "'weights' must have at least one dimension"),
        (5, [], EmptyInputError, "'weights' has no parts"),
        ([1, 2, 3], [[1, 1], [1, 1]], ShapeMismatchError, "'total'"),
        ("5", [1, 1], TypeError, "'total'"),
        (5, [True, False], TypeError, "'weights'"),
    ],
)
def test_split_total_bad_inputs(total: Any, weights: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        split_total(total, weights)


int_weights = st.lists(st.integers(0, 30), min_size=1, max_size=8)
float_weights = st.lists(
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    min_size=1,
    max_size=8,
)
any_weights = int_weights | float_weights


def _check_split(total: int, weights: list[Any], parts: list[int]) -> None:
    assert sum(parts) == total
    for part, weight, share in zip(parts, weights, exact_shares(total, weights), strict=True):
        assert math.floor(share) <= part <= math.ceil(share)  # within one of its share
        if weight == 0:
            assert part == 0


@given(st.integers(0, 10_000), any_weights)
def test_split_total_sums_exactly_and_each_part_is_within_one_of_its_share(
    total: int, weights: list[Any]
) -> None:
    assume(sum(weights) > 0)
    _check_split(total, weights, split_total(total, weights).tolist())


@given(st.integers(0, 10_000), any_weights)
def test_split_total_is_monotone_in_weight(total: int, weights: list[Any]) -> None:
    assume(sum(weights) > 0)
    parts = split_total(total, weights).tolist()
    for i, (wi, pi) in enumerate(zip(weights, parts, strict=True)):
        for j, (wj, pj) in enumerate(zip(weights, parts, strict=True)):
            if wi > wj or (wi == wj and i < j):
                assert pi >= pj


@given(st.integers(0, 500), int_weights, st.data())
def test_split_total_part_does_not_fall_when_its_own_weight_rises(
    total: int, weights: list[int], data: st.DataObject
) -> None:
    assume(sum(weights) > 0)
    index = data.draw(st.integers(0, len(weights) - 1))
    heavier = list(weights)
    heavier[index] += data.draw(st.integers(1, 20))
    assert split_total(total, heavier)[index] >= split_total(total, weights)[index]


@given(st.integers(0, 10_000), any_weights, st.randoms(use_true_random=False))
def test_split_total_is_permutation_equivariant_up_to_ties(
    total: int, weights: list[Any], random: Random
) -> None:
    assume(sum(weights) > 0)
    order = list(range(len(weights)))
    random.shuffle(order)
    parts = split_total(total, weights).tolist()
    permuted = split_total(total, [weights[k] for k in order]).tolist()
    remainders = [share - math.floor(share) for share in exact_shares(total, weights)]
    ties = Counter(remainders)
    extras: dict[Fraction, list[int]] = {}
    for position, k in enumerate(order):
        if ties[remainders[k]] == 1:
            assert permuted[position] == parts[k]  # a part without a tie does not move
        extras.setdefault(remainders[k], []).append(permuted[position] - parts[k])
    for group in extras.values():
        assert sum(group) == 0  # within a tie the spare cartons only change hands


# --------------------------------------------------------------------------- weekly limits


def test_weekly_limits_worked_example() -> None:
    # March 2026, Tuesday orders on 3, 10, 17, 24, 31: each opens a whole 7-day cycle (the
    # 31 March one runs to 6 April, the day before April's first order), so 124 splits
    # 24.8 each; the four spare cartons go to the earliest cycles.
    limits = weekly_limits(124, 2026, 3, order_weekday=rrule.TU)
    assert limits == tuple(
        CycleLimit(dt.date(2026, 3, day), 7, limit)
        for day, limit in zip((3, 10, 17, 24, 31), (25, 25, 25, 25, 24), strict=True)
    )
    assert limits[-1].last_day == dt.date(2026, 4, 6)
    assert weekly_limits(124, 2026, 4, order_weekday=1)[0].order_day == dt.date(2026, 4, 7)
    # April 2024, Thursdays 4, 11, 18, 25: 100 → 25 each, each covering 7 days
    april = weekly_limits(100, 2024, 4, order_weekday=3)
    assert [(c.days_covered, c.limit) for c in april] == [(7, 25)] * 4
    assert april[-1].last_day == dt.date(2024, 5, 1)  # the day before 2 May's order


def test_weekly_limits_the_month_end_order_is_not_starved() -> None:
    # The first rule weighed only the days inside the month: April 2026's 28 April order
    # got 16 of 120 (3 days of 24); now it carries the store to 4 May like any other.
    limits = weekly_limits(120, 2026, 4, order_weekday=1)
    assert [c.limit for c in limits] == [30, 30, 30, 30]
    assert [c.days_covered for c in limits] == [7, 7, 7, 7]
    assert limits[-1].last_day == dt.date(2026, 5, 4)


def test_weekly_limits_array_of_totals() -> None:
    totals = np.array([[124, 62], [0, 5]])  # 2 stores × 2 brands
    result = weekly_limits(totals, 2026, 3, order_weekday=rrule.TU)
    assert isinstance(result, tm.WeeklyLimits)
    assert result.order_days == tuple(dt.date(2026, 3, d) for d in (3, 10, 17, 24, 31))
    assert result.days_covered == (7,) * 5
    assert result.limits.dtype == np.int64
    assert result.limits.shape == (2, 2, 5)
    assert result.limits.tolist() == [
        [[25, 25, 25, 25, 24], [13, 13, 12, 12, 12]],
        [[0, 0, 0, 0, 0], [1, 1, 1, 1, 1]],
    ]
    assert (result.limits.sum(axis=-1) == totals).all()
    assert not result.limits.flags.writeable
    assert result.cycles(0, 1) == tuple(
        CycleLimit(day, 7, limit)
        for day, limit in zip(result.order_days, [13, 13, 12, 12, 12], strict=True)
    )
    assert result.last_days[-1] == dt.date(2026, 4, 6)
    # one row per total, as a scalar total gives
    for index in np.ndindex(totals.shape):
        assert result.cycles(*index) == weekly_limits(int(totals[index]), 2026, 3, order_weekday=1)
    with pytest.raises(ShapeMismatchError, match="one row"):
        result.cycles(0)


@given(
    hnp.arrays(np.int64, hnp.array_shapes(max_dims=2, max_side=4), elements=st.integers(0, 10**6)),
    st.integers(1990, 2100),
    st.integers(1, 12),
    st.integers(0, 6),
)
def test_weekly_limits_sum_exactly_per_row_and_split_equally(
    totals: NDArray[np.int64], year: int, month: int, weekday: int
) -> None:
    result = weekly_limits(totals, year, month, order_weekday=weekday)
    assert isinstance(result, tm.WeeklyLimits)
    limits = result.limits
    assert limits.shape == (*totals.shape, len(result.order_days))
    assert (limits.sum(axis=-1) == totals).all()
    # one order a week: every cycle is 7 days, so the split is equal within one carton,
    # the spare cartons on the earliest cycles
    assert result.days_covered == (7,) * len(result.order_days)
    assert (limits.max(axis=-1) - limits.min(axis=-1) <= 1).all()
    assert (np.diff(limits, axis=-1) <= 0).all()
    n = limits.shape[-1]
    assert (
        limits == (totals // n)[..., np.newaxis] + (np.arange(n) < (totals % n)[..., np.newaxis])
    ).all()


def test_weekly_limits_equal_and_custom_weights() -> None:
    assert [c.limit for c in weekly_limits(130, 2026, 4, order_weekday=1, weights="equal")] == [
        33,
        33,
        32,
        32,
    ]
    # heavier before a holiday week
    custom = weekly_limits(100, 2026, 4, order_weekday=1, weights=[1, 1, 2, 0])
    assert [c.limit for c in custom] == [25, 25, 50, 0]
    assert [c.limit for c in weekly_limits(0, 2026, 4, order_weekday=1)] == [0, 0, 0, 0]
    assert [c.limit for c in weekly_limits(np.int64(7), 2026, 4, order_weekday=1)] == [2, 2, 2, 1]


def test_cycle_limit_record() -> None:
    limit = CycleLimit(dt.date(2026, 4, 28), 3, 15)
    assert limit.to_dict() == {"order_day": "2026-04-28", "days_covered": 3, "limit": 15}
    assert CycleLimit.from_dict(limit.to_dict()) == limit


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((dt.date(2026, 4, 1), 0, 5), InvalidValueError, "'days_covered' must be >= 1: 0"),
        ((dt.date(2026, 4, 1), 7, -1), InvalidValueError, "'limit' must be >= 0: -1"),
        ((dt.date(2026, 4, 1), 7, 2.5), TypeError, "'limit' must be an int"),
        ((dt.datetime(2026, 4, 1), 7, 2), TypeError, "'order_day' must be a date"),
    ],
)
def test_cycle_limit_bad_inputs(args: tuple[Any, ...], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        CycleLimit(*args)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((10.5, 2026, 4), {}, InvalidValueError, "'monthly_total' must be whole cartons: 10.5"),
        ((-1, 2026, 4), {}, InvalidValueError, "'monthly_total' must be >= 0: -1"),
        (
            ([10, -20], 2026, 4),
            {},
            InvalidValueError,
            "'monthly_total' must be >= 0: -20 at index 1",
        ),
        (
            (10, 2026, 4),
            {"weights": "weekly"},
            InvalidValueError,
            "'weights' must be 'days', 'equal'",
        ),
        ((10, 2026, 4), {"weights": [1, 1]}, ShapeMismatchError, r"one weight per order day \(4\)"),
        (
            (10, 2026, 4),
            {"weights": [0, 0, 0, 0]},
            InvalidValueError,
            "'weights' must not all be 0",
        ),
        ((10, 2026, 4), {"weights": [1, 1, -1, 1]}, InvalidValueError, "'weights' must be >= 0"),
        ((10, 2026, 13), {}, InvalidValueError, r"'month' must be in 1\.\.12: 13"),
    ],
)
def test_weekly_limits_bad_inputs(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        weekly_limits(*args, order_weekday=1, **kwargs)


@given(st.integers(0, 5000), st.integers(1990, 2100), st.integers(1, 12), st.integers(0, 6))
def test_weekly_limits_laws(total: int, year: int, month: int, weekday: int) -> None:
    limits = weekly_limits(total, year, month, order_weekday=weekday)
    days = order_days(year, month, weekday)
    assert [c.order_day for c in limits] == days
    # whole cycles: each runs to the day before the next order day, the last one to the
    # day before the next month's first order day
    next_month = days[0] + relativedelta.relativedelta(months=1, day=1)
    assert (
        limits[-1].last_day + dt.timedelta(days=1)
        == order_days(next_month.year, next_month.month, weekday)[0]
    )
    assert all(
        a.last_day + dt.timedelta(days=1) == b.order_day for a, b in itertools.pairwise(limits)
    )
    _check_split(total, [c.days_covered for c in limits], [c.limit for c in limits])
    equal = weekly_limits(total, year, month, order_weekday=weekday, weights="equal")
    assert max(c.limit for c in equal) - min(c.limit for c in equal) <= 1
    assert sum(c.limit for c in equal) == total
    assert equal == limits  # one order a week: every cycle weighs 7 days
    # the cycles cover whole weeks from the first order day, past the month's end
    covered = sum(c.days_covered for c in limits)
    assert covered == 7 * len(days)
    assert covered >= calendar.monthrange(year, month)[1] - days[0].day + 1
    assert sum(c.limit for c in limits) == total
    for c in limits:
        share = total * c.days_covered / covered
        assert math.floor(share) <= c.limit <= math.ceil(share)


def test_weekly_limits_at_the_end_of_the_calendar() -> None:
    # December 9999's last Friday is the 31st: its cycle stops at the calendar's end
    limits = weekly_limits(100, 9999, 12, order_weekday=4)
    assert limits[-1].order_day == dt.date(9999, 12, 31)
    assert limits[-1].days_covered == 1
    assert sum(c.limit for c in limits) == 100


# --------------------------------------------------------------------------- allocate supply


def test_allocate_supply_worked_examples() -> None:
    # 打折配货: 40 cartons for requests of 50, a uniform 0.8 cut
    assert allocate_supply([20, 15, 10, 5], 40).tolist() == [16, 12, 8, 4]
    # 统一打6折: 30 for 50 → 12, 9, 6, 3
    assert allocate_supply([20, 15, 10, 5], 30).tolist() == [12, 9, 6, 3]
    # 20 for three requests of 10: 6⅔ each, the spare carton to the earlier stores
    assert allocate_supply([10, 10, 10], 20).tolist() == [7, 7, 6]
    # 7 for 3, 0, 5: shares 2.625 and 4.375
    assert allocate_supply([3, 0, 5], 7).tolist() == [3, 0, 4]
    # exact and long supply without increase: everyone gets the request
    assert allocate_supply([3, 0, 5], 8).tolist() == [3, 0, 5]
    assert allocate_supply([3, 0, 5], 100).tolist() == [3, 0, 5]
    assert allocate_supply([3, 0, 5], 0).tolist() == [0, 0, 0]
    # 统一增量: 40 for requests of 10 and 5 → 26⅔ and 13⅓
    assert allocate_supply([10, 5], 40, allow_increase=True).tolist() == [27, 13]
    # a short supply is rationed the same way with or without allow_increase
    assert allocate_supply([10, 10, 10], 20, allow_increase=True).tolist() == [7, 7, 6]
    # nobody asked: nothing is spread, even with allow_increase
    assert allocate_supply([0, 0], 10, allow_increase=True).tolist() == [0, 0]


def test_allocate_supply_brands_by_stores() -> None:
    requests = np.array([[20, 15, 10, 5], [1, 1, 1, 1]])
    result = allocate_supply(requests, [40, 2])
    assert result.dtype == np.int64
    assert result.tolist() == [[16, 12, 8, 4], [1, 1, 0, 0]]
    assert allocate_supply([[2.0, 2.0]], 3).tolist() == [[2, 1]]  # whole-valued floats


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (([2.5, 1], 2), {}, InvalidValueError, "'requests' must be whole cartons: 2.5 at index 0"),
        (([2, -1], 2), {}, InvalidValueError, "'requests' must be >= 0: -1 at index 1"),
        (([2, 1], -2), {}, InvalidValueError, "'available' must be >= 0: -2"),
        (([2, 1], 1.5), {}, InvalidValueError, "'available' must be whole cartons: 1.5"),
        (([2, 1], [1, 2]), {}, ShapeMismatchError, "'available'"),
        ((5, 2), {}, ShapeMismatchError, "'requests' must have at least one dimension"),
        (([], 2), {}, EmptyInputError, "'requests' has no stores"),
        (([2, 1], 2), {"allow_increase": 1}, TypeError, "'allow_increase' must be a bool"),
    ],
)
def test_allocate_supply_bad_inputs(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        allocate_supply(*args, **kwargs)


@given(st.lists(st.integers(0, 200), min_size=1, max_size=10), st.integers(0, 2500), st.booleans())
def test_allocate_supply_laws(requests: list[int], available: int, increase: bool) -> None:
    result = allocate_supply(requests, available, allow_increase=increase).tolist()
    asked = sum(requests)
    short = available <= asked
    if short or not increase:
        # never exceeds a request, never invents supply
        assert sum(result) == min(available, asked)
        assert all(0 <= got <= want for got, want in zip(result, requests, strict=True))
    elif asked == 0:
        assert result == [0] * len(requests)
    else:
        assert sum(result) == available
        assert all(got >= want for got, want in zip(result, requests, strict=True))
    if asked > 0:
        _check_split(sum(result), requests, result)
    assert all(got == 0 for got, want in zip(result, requests, strict=True) if want == 0)


@given(
    st.lists(st.integers(0, 200), min_size=1, max_size=10), st.integers(0, 2500), st.integers(0, 50)
)
def test_allocate_supply_more_supply_never_cuts_the_total(
    requests: list[int], available: int, extra: int
) -> None:
    assert sum(allocate_supply(requests, available + extra).tolist()) >= sum(
        allocate_supply(requests, available).tolist()
    )


# --------------------------------------------------------------------------- replenishment


def test_replenishment_order() -> None:
    order = replenishment_order(30, 12)
    assert isinstance(order, np.int64)
    assert order == 18
    assert replenishment_order(30, 35) == 0  # above the quota: nothing, nothing taken back
    result = replenishment_order([30, 30, 30, 10.0], [35, 0, 4.5, 9.9])
    assert result.dtype == np.int64
    assert result.tolist() == [0, 30, 25, 0]  # up to, never beyond, the quota
    assert replenishment_order([[30], [10]], [5, 20]).tolist() == [[25, 10], [5, 0]]
    assert replenishment_order(1.5, 0.3) == 1  # 1.2 → 1
    assert 4.35 - 0.35 < 4
    assert replenishment_order(4.35, 0.35) == 4  # 3.9999999999999996 is 4 cartons, not 3


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((math.nan, 3), InvalidValueError, "'quota' must be finite"),
        ((-1, 3), InvalidValueError, "'quota' must be >= 0: -1"),
        ((10, -3), InvalidValueError, "'inventory' must be >= 0: -3"),
        (([1, 2], [1, 2, 3]), ShapeMismatchError, "do not broadcast"),
        (("10", 3), TypeError, "'quota'"),
    ],
)
def test_replenishment_order_bad_inputs(args: tuple[Any, ...], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        replenishment_order(*args)


@given(
    hnp.arrays(np.float64, 5, elements=st.floats(0, 1000)),
    hnp.arrays(np.float64, 5, elements=st.floats(0, 1000)),
)
def test_replenishment_order_laws(quota: NDArray[np.float64], stock: NDArray[np.float64]) -> None:
    order = replenishment_order(quota, stock)
    assert order.dtype == np.int64
    assert np.all(order >= 0)
    ordered = order > 0
    # up to, never beyond, the quota, and one more carton would pass it
    assert np.all(stock[ordered] + order[ordered] <= quota[ordered] + 1e-6)
    assert np.all(stock + order + 1 > quota - 1e-6)
    # floor(quota − stock), a difference within 1e-9 (relative) of a whole carton taken as it
    # (the documented rule: 1 − 1e-8 cartons missing orders nothing)
    missing = np.maximum(0.0, quota - stock)
    noise = np.ceil(missing) - missing <= 1e-9 * np.maximum(1.0, missing)
    assert np.all((order == np.floor(missing)) | (noise & (order == np.ceil(missing))))
    assert np.array_equal(ordered, np.where(noise, np.ceil(missing), np.floor(missing)) >= 1)
    assert np.all(replenishment_order(quota, stock + 1) <= order)  # more stock, no larger order
    # on exact (dyadic) values the law is exact
    q8, s8 = np.round(quota * 8) / 8, np.round(stock * 8) / 8
    expected = np.maximum(0, np.floor(q8 - s8)).astype(np.int64)
    assert np.array_equal(replenishment_order(q8, s8), expected)


# --------------------------------------------------------------------------- the package


def test_quota_public_names() -> None:
    for name in tm.quota.__all__:
        assert getattr(tm, name) is getattr(tm.quota, name)
        assert name in tm.__all__


# ----------------------------------------------------------------------------- method= (issue 8)

WEEKEND_SELLER_SALES = [[4, 4, 4, 4, 4, 8, 8] * 2, [2, 2, 2, 2, 2, 0, 0] * 2]
WEEKEND_SELLER_STOCK = [[9] * 14, [9, 7, 5, 3, 1, 0, 0] * 2]


@pytest.mark.parametrize("method", ["seed", "weekday", "censored"])
def test_base_daily_rate_methods_are_the_demand_estimators(method: tm.LostSalesMethod) -> None:
    # "weekday" is a deprecated alias of "censored": each call warns.
    deprecated = method == "weekday"
    results = []
    for function in (tm.base_daily_rate, tm.estimate_daily_demand):
        with (
            pytest.warns(DeprecationWarning, match="'weekday' is deprecated")
            if deprecated
            else contextlib.nullcontext()
        ):
            results.append(
                function(
                    WEEKEND_SELLER_SALES, WEEKEND_SELLER_STOCK, method=method, start="2026-03-02"
                )
            )
    rate, expected = results
    assert np.array_equal(rate, expected)


def test_model_methods_value_the_sold_out_weekend_above_the_seed_rate() -> None:
    seed = tm.reasonable_quota(WEEKEND_SELLER_SALES, WEEKEND_SELLER_STOCK)
    with pytest.warns(DeprecationWarning, match="method='weekday' is deprecated"):
        weekday = tm.reasonable_quota(
            WEEKEND_SELLER_SALES, WEEKEND_SELLER_STOCK, method="weekday", start="2026-03-02"
        )
    assert seed.tolist() == [36, 14]  # 5.14 × 7 and 2 × 7: the empty weekend is not valued
    assert weekday[0] == seed[0]
    assert weekday[1] > seed[1]


def test_model_methods_need_the_first_date() -> None:
    with pytest.raises(tm.MissingDataError, match="'start'"):
        tm.reasonable_quota(WEEKEND_SELLER_SALES, WEEKEND_SELLER_STOCK, method="censored")
    with pytest.raises(tm.InvalidValueError, match="'method' must be one of"):
        tm.base_daily_rate(WEEKEND_SELLER_SALES, WEEKEND_SELLER_STOCK, method="mean")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- module layout


def test_supply_names_are_public_and_the_old_quota_aliases_warn() -> None:
    for name in tm.supply.__all__:
        assert getattr(tm, name) is getattr(tm.supply, name)
    for name in ("split_total", "weekly_limits", "CycleLimit", "allocate_supply", "WeekdayLike"):
        with pytest.warns(DeprecationWarning, match=f"quota.{name} has moved"):
            assert getattr(tm.quota, name) is getattr(tm.supply, name)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        tm.quota.nothing  # noqa: B018


# --------------------------------------------------------------------------- exact integers


def test_replenishment_order_never_wraps_past_int64() -> None:
    with pytest.raises(InvalidValueError, match="'quota' must fit in int64: 9223372036854775818"):
        replenishment_order(2**63 + 10, 0)
    with pytest.raises(InvalidValueError, match="'inventory' must fit in int64"):
        replenishment_order(5, np.array([2**63], dtype=np.uint64))
    top = np.iinfo(np.int64).max
    assert replenishment_order(top, 0) == top  # exact at the top of int64
    assert replenishment_order(np.array([top], dtype=np.uint64), 1).tolist() == [top - 1]
    with pytest.raises(InvalidValueError, match="too large for whole cartons"):
        replenishment_order(2.0**60, 0.5)  # a float difference past 2**53 is not exact


@pytest.mark.parametrize("big", [2**53 + 1, 2**62, np.iinfo(np.int64).max])
def test_integers_past_2_53_are_refused_where_float64_would_round_them(big: int) -> None:
    with pytest.raises(InvalidValueError, match=r"'monthly_sales' must be <= 2\*\*53"):
        agreed_monthly_total([big, big, big])
    with pytest.raises(InvalidValueError, match=r"'sales' must be <= 2\*\*53"):
        reasonable_quota([big, 1], [1, 1])
    with pytest.raises(InvalidValueError, match=r"'inventory' must be <= 2\*\*53"):
        base_daily_rate([1, 1], np.array([0, big], dtype=np.uint64))


@pytest.mark.parametrize("big", [2.0**53 + 2, 2.0**62, 1e300])
def test_floats_past_2_53_are_refused_as_results(big: float) -> None:
    with pytest.raises(InvalidValueError, match="too large for whole cartons"):
        agreed_monthly_total([big, big, big])
    with pytest.raises(InvalidValueError, match="too large for whole cartons"):
        reasonable_quota([big, big], [1, 1], cycle_days=1)


def test_integers_up_to_2_53_stay_exact() -> None:
    top = 2**53
    assert agreed_monthly_total([top, top, top]) == top
    assert reasonable_quota([top, top], [1, 1], cycle_days=1) == float(top)
    assert split_total(2**62, [1, 1]).tolist() == [2**61, 2**61]  # integer arithmetic


# --------------------------------------------------------------------------- labelled and masked


def test_two_series_are_paired_by_date_not_by_position() -> None:
    pd = pytest.importorskip("pandas")
    days = pd.date_range("2026-03-02", periods=4)
    sales = pd.Series([3, 0, 2, 4], index=days)
    stock = pd.Series([1, 0, 5, 2], index=days)
    # day 2 is out (no sales, no stock): 9 cartons / 3 days; by position the reversed
    # stock would leave no stockout day and give 9 / 4
    assert base_daily_rate(sales, stock) == 3.0
    assert base_daily_rate(sales, stock.iloc[::-1]) == 3.0
    assert reasonable_quota(sales, stock.iloc[[2, 0, 3, 1]]) == 21.0
    with pytest.raises(ShapeMismatchError, match="'inventory' and 'sales' carry different labels"):
        base_daily_rate(sales, stock.iloc[:3])
    with pytest.raises(ShapeMismatchError, match="paired by label, never by position"):
        reasonable_quota(sales, stock.set_axis(pd.date_range("2026-04-01", periods=4)))


def test_a_dataframe_needs_an_axis() -> None:
    pd = pytest.importorskip("pandas")
    days = pd.date_range("2026-03-02", periods=4)
    sales = pd.DataFrame({"A": [3, 0, 2, 4], "B": [1, 1, 1, 1]}, index=days)
    stock = pd.DataFrame({"A": [1, 0, 5, 2], "B": [1, 1, 1, 1]}, index=days)
    with pytest.raises(
        ShapeMismatchError,
        match=r"'sales' is a 2-D DataFrame .* axis=0 has 4 labels: 2026-03-02.*"
        r"axis=1 has 2 labels: 'A', 'B'\. Pass axis=",
    ):
        reasonable_quota(sales, stock)
    assert base_daily_rate(sales, stock, axis=0).tolist() == [3.0, 1.0]
    assert base_daily_rate(sales.T, stock.T, axis=1).tolist() == [3.0, 1.0]
    # columns in another order are aligned too
    assert base_daily_rate(sales, stock[["B", "A"]], axis=0).tolist() == [3.0, 1.0]
    monthly = pd.DataFrame({"Jan": [120, 30], "Feb": [130, 31], "Mar": [140, 32]})
    with pytest.raises(ShapeMismatchError, match="axis holds the months"):
        agreed_monthly_total(monthly)
    assert agreed_monthly_total(monthly, axis=1).tolist() == [130, 31]


def test_xarray_coords_are_aligned() -> None:
    xr = pytest.importorskip("xarray")
    sales = xr.DataArray([3, 0, 2, 4], coords={"day": [1, 2, 3, 4]}, dims="day")
    stock = xr.DataArray([2, 5, 0, 1], coords={"day": [4, 3, 2, 1]}, dims="day")
    assert base_daily_rate(sales, stock) == 3.0
    other = xr.DataArray([1, 0, 5, 2], coords={"day": [5, 6, 7, 8]}, dims="day")
    with pytest.raises(ShapeMismatchError, match="different labels"):
        base_daily_rate(sales, other)


def test_replenishment_orders_by_store_label() -> None:
    pd = pytest.importorskip("pandas")
    quota = pd.Series([10, 20], index=["C001", "C002"])
    stock = pd.Series([5, 1], index=["C002", "C001"])
    assert replenishment_order(quota, stock).tolist() == [9, 15]


def test_quota_masked_days_are_excluded_days() -> None:
    sales = np.ma.masked_array([3, 9, 2, 4], mask=[False, True, False, False])
    stock = [1, 0, 5, 2]
    # the masked day is left out, as if it had been excluded: 9 cartons / 3 days
    assert base_daily_rate(sales, stock) == 3.0
    assert base_daily_rate(sales, stock) == base_daily_rate(
        [3, 9, 2, 4], stock, exclude=np.array([False, True, False, False])
    )
    masked_stock = np.ma.masked_array(stock, mask=[False, False, False, True])
    both = base_daily_rate(sales, masked_stock)
    assert both == 2.5  # days 1 and 3 left out: (3 + 2) / 2
    assert reasonable_quota(sales, stock) == 21.0
    # nothing masked: the data as they are
    assert base_daily_rate(np.ma.masked_array([3, 0, 2, 4]), stock) == 3.0


def test_masked_values_are_refused_where_nothing_is_skipped() -> None:
    hidden = np.ma.masked_array([10, 20], mask=[False, True])
    with pytest.raises(InvalidValueError, match="'quota' is a masked array with masked values"):
        replenishment_order(hidden, 0)
    with pytest.raises(InvalidValueError, match="'total' is a masked array"):
        split_total(hidden, [1, 1])
    with pytest.raises(InvalidValueError, match="'requests' is a masked array"):
        allocate_supply(hidden, 5)


def test_allocation_and_split_align_the_supply_with_the_rows() -> None:
    pd = pytest.importorskip("pandas")
    requests = pd.DataFrame(
        [[20, 15, 10, 5], [10, 10, 0, 0]], index=["红塔山", "云烟"], columns=list("ABCD")
    )
    available = pd.Series([20, 40], index=["云烟", "红塔山"])  # brands in another order
    assert allocate_supply(requests, available).tolist() == [[16, 12, 8, 4], [10, 10, 0, 0]]
    with pytest.raises(ShapeMismatchError, match="'available' and 'requests' carry different"):
        allocate_supply(requests, pd.Series([20, 40], index=["中华", "红塔山"]))
    weights = pd.DataFrame([[1, 1], [1, 3]], index=["s1", "s2"])
    totals = pd.Series([8, 10], index=["s2", "s1"])
    assert split_total(totals, weights).tolist() == [[5, 5], [2, 6]]


@given(
    hnp.arrays(np.int64, st.integers(1, 12), elements=st.integers(0, 9)),
    st.data(),
)
def test_label_order_never_changes_a_rate(sales: NDArray[np.int64], data: st.DataObject) -> None:
    pd = pytest.importorskip("pandas")
    stock = data.draw(hnp.arrays(np.int64, sales.shape, elements=st.integers(0, 3)))
    order = data.draw(st.permutations(range(sales.size)))
    days = pd.date_range("2026-03-02", periods=sales.size)
    shuffled = pd.Series(stock, index=days).iloc[list(order)]
    expected = base_daily_rate(sales, stock)
    got = base_daily_rate(pd.Series(sales, index=days), shuffled)
    assert (np.isnan(expected) and np.isnan(got)) or got == expected


@given(
    hnp.arrays(np.int64, st.integers(1, 12), elements=st.integers(0, 9)),
    st.data(),
)
def test_a_masked_day_is_an_excluded_day(sales: NDArray[np.int64], data: st.DataObject) -> None:
    stock = data.draw(hnp.arrays(np.int64, sales.shape, elements=st.integers(0, 3)))
    mask = data.draw(hnp.arrays(np.bool_, sales.shape))
    masked = base_daily_rate(np.ma.masked_array(sales, mask=mask), stock)
    excluded = base_daily_rate(sales, stock, exclude=mask)
    assert (np.isnan(masked) and np.isnan(excluded)) or masked == excluded


# --------------------------------------------------------------------------- adversarial sweep


@pytest.mark.parametrize("requests", [[2**62] * 3, [[2**62] * 3, [1, 2, 3]]])
def test_allocate_supply_sums_exactly_when_the_requests_overflow_int64(
    requests: list[Any],
) -> None:
    """Σ requests = 3 × 2**62 > int64: it was a uint64 and 2**62 came back as float64 (−256)."""
    allocation = allocate_supply(requests, 2**62)
    rows = np.atleast_2d(allocation)
    assert rows.dtype == np.int64
    asked = np.atleast_2d(requests)
    for row, wanted in zip(rows, asked, strict=True):
        assert sum(int(part) for part in row) == min(2**62, sum(int(w) for w in wanted))
    assert [int(p) for p in rows[0]] == [
        1537228672809129302,
        1537228672809129301,
        1537228672809129301,
    ]


@pytest.mark.parametrize("method", ["weekday", "censored"])
def test_model_methods_with_no_series_give_empty_quotas(method: str) -> None:
    """No series to fit (a leading axis of length 0): an empty float64 result, not a ValueError."""
    empty = np.zeros((0, 14))
    context = (
        pytest.warns(DeprecationWarning, match="'weekday' is deprecated")
        if method == "weekday"
        else contextlib.nullcontext()
    )
    with context:
        quota = reasonable_quota(empty, empty, method=method, start="2026-03-02")  # type: ignore[arg-type]
    assert quota.shape == (0,)
    assert quota.dtype == np.float64
    with pytest.raises(tm.MissingDataError, match="needs 'start'"):
        base_daily_rate(empty, empty, method="censored")
    with pytest.raises(InvalidValueError, match="'start'"):
        base_daily_rate(empty, empty, method="censored", start="2026-02-30")


@pytest.mark.parametrize(
    ("index", "error", "message"),
    [
        ((2,), tm.InvalidValueError, r"'index' must name one series of the shape \(2,\)"),
        ((0, 5), tm.ShapeMismatchError, r"'index' must pick one row of the limits \(2,\)"),
        (("a",), TypeError, "'index' must be an int or a tuple of ints"),
        ((1.0,), TypeError, "'index' must be an int or a tuple of ints"),
        ((True,), TypeError, "'index' must be an int or a tuple of ints"),
    ],
)
def test_weekly_limits_cycles_refuses_an_index_that_is_not_one_row(
    index: tuple[Any, ...], error: type[Exception], message: str
) -> None:
    """Out of range, text or a float was numpy's raw IndexError (the rule of DistortionFlags)."""
    limits = tm.weekly_limits(np.array([100, 50]), 2026, 3, order_weekday=0)
    assert isinstance(limits, tm.WeeklyLimits)
    with pytest.raises(error, match=message):
        limits.cycles(*index)
    assert limits.cycles(-1) == limits.cycles(1)
