"""Tests of the demand simulator (tobacco_metrics.simulate)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import (
    DEFAULT_WEEKDAY_PROFILE,
    InvalidValueError,
    ShapeMismatchError,
    SimulatedDistrict,
    simulate_district,
    simulate_sales,
)

MONDAY = dt.date(2026, 3, 2)


def _previous_stock(run: SimulatedDistrict) -> NDArray[np.int64]:
    """Stock at the start of each day, before its delivery."""
    previous = np.concatenate([run.opening_inventory[..., None], run.inventory[..., :-1]], axis=-1)
    return np.asarray(previous, dtype=np.int64)


def assert_bookkeeping(run: SimulatedDistrict) -> None:
    previous = _previous_stock(run)
    token = run.token_stock[..., None]
    on_hand = previous + run.deliveries
    np.testing.assert_array_equal(run.inventory, on_hand - run.sales)
    assert (run.sales >= 0).all()
    assert (run.inventory >= 0).all()
    np.testing.assert_array_equal(run.sales, np.minimum(run.demand, np.maximum(on_hand - token, 0)))
    assert (run.demand >= run.sales).all()
    np.testing.assert_array_equal(run.lost_sales, run.demand - run.sales)
    assert (run.lost_sales[run.inventory > token] == 0).all()
    delivery_day = np.arange(run.n_days) % run.cycle_days == 0
    assert (run.deliveries[..., ~delivery_day] == 0).all()
    np.testing.assert_array_equal(
        on_hand[..., delivery_day],
        np.maximum(previous[..., delivery_day], run.quota[..., None]),
    )


# --------------------------------------------------------------------------- simulate_sales


@st.composite
def sales_runs(draw: st.DrawFn) -> SimulatedDistrict:
    series = draw(st.integers(1, 4))
    days = draw(st.integers(1, 15))
    mean = draw(
        hnp.arrays(np.float64, (series, days), elements=st.floats(0, 12, allow_subnormal=False))
    )
    quota = draw(hnp.arrays(np.int64, (series,), elements=st.integers(0, 40)))
    token = draw(hnp.arrays(np.int64, (series,), elements=st.integers(0, 2)))
    opening = draw(hnp.arrays(np.int64, (series,), elements=st.integers(0, 10)))
    dispersion = draw(st.sampled_from([0.5, 3.0, math.inf]))
    return simulate_sales(
        mean,
        quota,
        start=MONDAY,
        seed=draw(st.integers(0, 2**32)),
        cycle_days=draw(st.integers(1, 8)),
        dispersion=dispersion,
        token_stock=token,
        opening_inventory=opening,
    )


@given(sales_runs())
def test_simulated_bookkeeping_holds(run: SimulatedDistrict) -> None:
    assert_bookkeeping(run)


def test_worked_cycle_sells_out_and_loses() -> None:
    run = simulate_sales([[4.0] * 7], [20], start="2026-03-02", seed=1)
    assert int(run.deliveries.sum()) == 20
    assert int(run.sales.sum()) + int(run.inventory[0, -1]) == 20
    assert int(run.lost_sales.sum()) > 0
    assert run.end == dt.date(2026, 3, 8)
    assert run.n_days == 7
    assert run.dates == tuple(dt.date(2026, 3, 2) + dt.timedelta(days=d) for d in range(7))
    with pytest.warns(DeprecationWarning, match="use n_days"):
        assert run.days == 7  # the 0.1 name, until 0.3
    assert_bookkeeping(run)


def test_simulate_sales_is_deterministic_for_a_seed() -> None:
    mean = np.full((3, 14), 5.0)
    first = simulate_sales(mean, 30, start=MONDAY, seed=11, dispersion=2.0)
    second = simulate_sales(mean, 30, start=MONDAY, seed=11, dispersion=2.0)
    other = simulate_sales(mean, 30, start=MONDAY, seed=12, dispersion=2.0)
    for name in ("sales", "inventory", "deliveries", "demand", "lost_sales"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    assert not np.array_equal(first.demand, other.demand)


def test_same_seed_same_demand_whatever_the_quota() -> None:
    mean = np.full((4, 21), 6.0)
    low = simulate_sales(mean, 10, start=MONDAY, seed=5, dispersion=4.0)
    high = simulate_sales(mean, 80, start=MONDAY, seed=5, dispersion=4.0)
    np.testing.assert_array_equal(low.demand, high.demand)
    assert low.lost_sales.sum() > high.lost_sales.sum()


def test_generator_is_used_as_given() -> None:
    generator = np.random.default_rng(3)
    first = simulate_sales([[3.0] * 7], 50, start=MONDAY, seed=generator)
    second = simulate_sales([[3.0] * 7], 50, start=MONDAY, seed=generator)
    reference = np.random.default_rng(3)
    np.testing.assert_array_equal(first.demand, reference.poisson([[3.0] * 7]))
    np.testing.assert_array_equal(second.demand, reference.poisson([[3.0] * 7]))


def test_no_stockouts_when_supply_is_ample() -> None:
    run = simulate_sales(np.full((5, 14), 2.0), 1000, start=MONDAY, seed=0)
    assert run.lost_sales.sum() == 0
    np.testing.assert_array_equal(run.sales, run.demand)


def test_token_stock_is_never_sold() -> None:
    run = simulate_sales(np.full((3, 14), 20.0), 10, start=MONDAY, seed=0, token_stock=[0, 1, 2])
    assert (run.inventory.min(axis=-1) == [0, 1, 2]).all()
    assert_bookkeeping(run)


def test_negative_binomial_moments() -> None:
    mean = np.full((200, 100), 5.0)
    negative_binomial = simulate_sales(mean, 10**6, start=MONDAY, seed=9, dispersion=2.0).demand
    poisson = simulate_sales(mean, 10**6, start=MONDAY, seed=9).demand
    assert negative_binomial.mean() == pytest.approx(5.0, rel=0.02)
    assert negative_binomial.var() == pytest.approx(5.0 + 25.0 / 2.0, rel=0.05)
    assert poisson.mean() == pytest.approx(5.0, rel=0.02)
    assert poisson.var() == pytest.approx(5.0, rel=0.05)


def test_results_are_read_only() -> None:
    run = simulate_sales([[1.0, 2.0]], 3, start=MONDAY, seed=0)
    for name in ("sales", "inventory", "deliveries", "demand", "lost_sales", "mean_demand"):
        assert not getattr(run, name).flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        run.sales[0, 0] = 5


def test_inputs_are_not_modified() -> None:
    mean = np.full((2, 7), 3.0)
    quota = np.array([5, 6])
    simulate_sales(mean, quota, start=MONDAY, seed=0)
    assert mean.flags.writeable
    assert (mean == 3.0).all()
    np.testing.assert_array_equal(quota, [5, 6])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"mean_demand": [[-1.0, 2.0]]}, InvalidValueError, "'mean_demand' must be >= 0"),
        ({"mean_demand": [[math.nan]]}, InvalidValueError, "'mean_demand' must be finite"),
        ({"mean_demand": 3.0}, ShapeMismatchError, "must have a day axis"),
        ({"quota": [1.5]}, InvalidValueError, "'quota' must be whole cartons: 1.5"),
        ({"quota": [1, 2]}, ShapeMismatchError, "'quota' with shape"),
        ({"token_stock": -1}, InvalidValueError, "'token_stock' must be >= 0"),
        ({"cycle_days": 0}, InvalidValueError, "'cycle_days' must be >= 1"),
        ({"cycle_days": 7.0}, TypeError, "'cycle_days' must be an int"),
        ({"dispersion": 0.0}, InvalidValueError, "'dispersion' must be > 0"),
        ({"dispersion": "2"}, TypeError, "'dispersion' must be a real number"),
        ({"seed": -1}, InvalidValueError, "'seed' must be >= 0"),
        ({"seed": 1.5}, TypeError, "'seed' must be an int or a numpy.random.Generator"),
        ({"start": "2026-13-01"}, InvalidValueError, "ISO date"),
    ],
)
def test_simulate_sales_rejects_bad_input(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    arguments: dict[str, object] = {
        "mean_demand": [[2.0] * 7],
        "quota": [10],
        "start": MONDAY,
        "seed": 0,
    }
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        simulate_sales(**arguments)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- simulate_district


def test_district_shapes_and_bookkeeping() -> None:
    district = simulate_district(6, 4, 3, seed=2)
    assert district.sales.shape == (6, 4, 21)
    assert district.quota.shape == district.token_stock.shape == (6, 4)
    assert district.start == dt.date(2026, 1, 5)
    assert district.cycle_days == 7
    assert district.dispersion == 4.0
    assert (district.opening_inventory == 0).all()
    np.testing.assert_array_equal(district.deliveries[..., 0], district.quota)
    assert_bookkeeping(district)


def test_district_is_deterministic_for_a_seed() -> None:
    first, second = simulate_district(5, 3, 2, seed=4), simulate_district(5, 3, 2, seed=4)
    np.testing.assert_array_equal(first.sales, second.sales)
    np.testing.assert_array_equal(first.mean_demand, second.mean_demand)
    assert not np.array_equal(first.demand, simulate_district(5, 3, 2, seed=5).demand)


def test_district_follows_the_weekday_profile() -> None:
    district = simulate_district(3, 2, 2, seed=0, start=dt.date(2026, 3, 4))  # a Wednesday
    profile = np.array(DEFAULT_WEEKDAY_PROFILE) / np.mean(DEFAULT_WEEKDAY_PROFILE)
    weekdays = (2 + np.arange(14)) % 7
    ratio = district.mean_demand / district.mean_demand[..., :1]
    np.testing.assert_allclose(ratio, np.broadcast_to(profile[weekdays] / profile[2], ratio.shape))


def test_district_holiday_lift_and_quota_share() -> None:
    holidays = np.zeros(14, dtype=np.bool_)
    holidays[7:] = True
    plain = simulate_district(4, 3, 2, seed=1, quota_share=(0.5, 0.5))
    lifted = simulate_district(
        4, 3, 2, seed=1, quota_share=(0.5, 0.5), holidays=holidays, holiday_lift=1.5
    )
    np.testing.assert_allclose(lifted.mean_demand[..., :7], plain.mean_demand[..., :7])
    np.testing.assert_allclose(lifted.mean_demand[..., 7:], 1.5 * plain.mean_demand[..., 7:])
    weekly = plain.mean_demand[..., :7].sum(axis=-1)
    np.testing.assert_array_equal(plain.quota, np.maximum(np.rint(0.5 * weekly), 1))


def test_district_token_stock_gaming() -> None:
    district = simulate_district(10, 3, 2, seed=3, token_stock=2, token_share=1.0)
    assert (district.token_stock == 2).all()
    assert (district.quota >= 3).all()
    assert (district.inventory >= 2).all()
    none = simulate_district(10, 3, 2, seed=3, token_stock=2, token_share=0.0)
    assert (none.token_stock == 0).all()


def test_district_sells_out_below_quota() -> None:
    district = simulate_district(10, 5, 4, seed=0, quota_share=(0.5, 0.6), dispersion=math.inf)
    assert district.lost_sales.sum() > 0.2 * district.demand.sum()
    ample = simulate_district(10, 5, 4, seed=0, quota_share=(3.0, 3.0), dispersion=math.inf)
    assert ample.lost_sales.sum() < 0.01 * ample.demand.sum()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_stores": 0}, InvalidValueError, "'n_stores' must be >= 1"),
        ({"n_brands": 2.0}, TypeError, "'n_brands' must be an int"),
        ({"median_daily_demand": 0.0}, InvalidValueError, "'median_daily_demand' must be > 0"),
        ({"demand_spread": -1.0}, InvalidValueError, "'demand_spread' must be >= 0"),
        ({"weekday_profile": [1.0] * 6}, ShapeMismatchError, "must hold 7 values"),
        ({"weekday_profile": [-1.0] + [1.0] * 6}, InvalidValueError, "'weekday_profile' must be"),
        ({"weekday_profile": ["a"] * 7}, TypeError, "'weekday_profile' must hold real numbers"),
        ({"quota_share": (1.2, 0.8)}, InvalidValueError, "0 < low <= high"),
        ({"quota_share": [0.8, 1.2]}, TypeError, "'quota_share' must be a \\(low, high\\) tuple"),
        ({"holidays": [1, 0]}, TypeError, "'holidays' must be a boolean mask"),
        ({"holidays": np.zeros(3, np.bool_)}, ShapeMismatchError, "'holidays' with shape"),
        ({"holiday_lift": -0.5}, InvalidValueError, "'holiday_lift' must be >= 0"),
        ({"token_stock": -1}, InvalidValueError, "'token_stock' must be >= 0"),
        ({"token_share": 1.5}, InvalidValueError, r"'token_share' must be in \[0, 1\]"),
        ({"dispersion": -1.0}, InvalidValueError, "'dispersion' must be > 0"),
    ],
)
def test_simulate_district_rejects_bad_input(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    arguments: dict[str, object] = {"n_stores": 2, "n_brands": 2, "n_cycles": 1}
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        simulate_district(**arguments)  # type: ignore[arg-type]


def test_simulate_public_names() -> None:
    for name in ("SimulatedDistrict", "simulate_district", "simulate_sales"):
        assert name in tm.__all__


# --------------------------------------------------------------------------- failure scenarios


@pytest.mark.parametrize(
    "kwargs",
    [
        {"week_shock_sd": 0.3},
        {"drift_share": 1.0, "drift_factor": 2.0},
        {"office_share": 1.0},
        {"mixing": "lognormal"},
        {"zero_inflation": 0.5},
        {"token_stock": 1, "token_share": 0.5},
    ],
)
def test_scenario_districts_keep_the_bookkeeping(kwargs: dict[str, object]) -> None:
    district = simulate_district(6, 3, 4, seed=4, **kwargs)  # type: ignore[arg-type]
    assert_bookkeeping(district)
    share = district.sellout_share
    assert share is not None
    sold_out = ~np.isnan(share)
    assert ((share[sold_out] >= 0) & (share[sold_out] <= 1)).all()
    assert (district.lost_sales[sold_out] > 0).all()
    assert (district.lost_sales[~sold_out] == 0).all()


def test_scenario_features_are_off_by_default() -> None:
    plain = simulate_district(5, 4, 3, seed=9)
    again = simulate_district(5, 4, 3, seed=9, week_shock_sd=0.0, drift_share=0.0)
    np.testing.assert_array_equal(plain.demand, again.demand)
    assert plain.zero_inflation == 0.0


def test_office_weeks_and_drift_move_the_expected_demand() -> None:
    base = simulate_district(4, 2, 4, seed=1, demand_spread=0.0)
    office = simulate_district(4, 2, 4, seed=1, demand_spread=0.0, office_share=1.0)
    weekend = np.arange(28) % 7 >= 5
    assert office.mean_demand[..., weekend].mean() < 0.5 * base.mean_demand[..., weekend].mean()
    np.testing.assert_allclose(office.mean_demand.mean(), base.mean_demand.mean(), rtol=1e-9)
    drift = simulate_district(4, 2, 4, seed=1, demand_spread=0.0, drift_share=1.0)
    profile = DEFAULT_WEEKDAY_PROFILE[6] / DEFAULT_WEEKDAY_PROFILE[0]
    ratio = drift.mean_demand[..., -1] / drift.mean_demand[..., 0] / profile
    assert np.isclose(ratio, 2.0).any()
    assert np.isclose(ratio, 0.5).any()
    assert (np.isclose(ratio, 2.0) | np.isclose(ratio, 0.5)).all()


def test_zero_inflation_keeps_the_mean() -> None:
    run = simulate_sales(np.full((400, 50), 2.0), 1000, start=MONDAY, seed=3, zero_inflation=0.6)
    assert run.demand.mean() == pytest.approx(2.0, rel=0.05)
    assert (run.demand == 0).mean() > 0.6


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"week_shock_sd": -1.0}, "'week_shock_sd' must be >= 0"),
        ({"drift_share": 2.0}, "'drift_share' must be in"),
        ({"drift_factor": 0.0}, "'drift_factor' must be > 0"),
        ({"office_share": -0.1}, "'office_share' must be in"),
        ({"mixing": "beta"}, "'mixing' must be"),
        ({"zero_inflation": 1.0}, "'zero_inflation' must be in"),
    ],
)
def test_scenario_parameters_are_checked(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidValueError, match=match):
        simulate_district(2, 2, 1, **kwargs)  # type: ignore[arg-type]
