"""Tests of tobacco_metrics.decisions: quota_review, service_quota, cover_status."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import ArrayLike, NDArray

import tobacco_metrics as tm
from tobacco_metrics import (
    InvalidValueError,
    ShapeMismatchError,
    cover_status,
    quota_review,
    service_quota,
)

# The worked example: allowed 70 a week, sells 14 a day, out on the last two days.
SALES = [14, 14, 14, 14, 14, 0, 0] * 4
STOCK = [56, 42, 28, 14, 0, 0, 0] * 4


def newsvendor(mean: float, fill: float, size: float = math.inf) -> int:
    """Smallest Q with E[min(D, Q)] >= fill × mean, D ~ NB(mean, size), summed from k = 0."""
    if mean == 0 or fill == 0:
        return 0
    log_p = -mean if math.isinf(size) else size * math.log(size / (size + mean))
    cdf = expected = 0.0
    k = 0
    while True:
        cdf += math.exp(log_p)
        expected += 1.0 - cdf
        k += 1
        if expected >= fill * mean * (1 - 1e-12):
            return k
        if math.isinf(size):
            log_p += math.log(mean) - math.log(k)
        else:
            log_p += math.log((k - 1 + size) / k) + math.log(mean / (mean + size))


# --------------------------------------------------------------------------- cover_status


def test_cover_status_by_hand() -> None:
    got = cover_status([0.0, 1.99, 2.0, 7.0, 7.01, math.inf, math.nan])
    assert got.tolist() == ["short", "short", "ok", "ok", "overstock", "overstock", "unknown"]
    assert cover_status(3.0) == "ok"
    assert isinstance(cover_status(3.0), np.str_)
    assert cover_status(5.0, cover_range=(0.0, math.inf)) == "ok"
    assert cover_status(math.inf, cover_range=(0.0, math.inf)) == "ok"
    assert cover_status(np.array([[1.0], [9.0]])).shape == (2, 1)


@pytest.mark.parametrize(
    ("cover_range", "error", "match"),
    [
        ((3.0, 2.0), InvalidValueError, "low <= high"),
        ((-1.0, 2.0), InvalidValueError, r"'cover_range\[0\]' must be >= 0: -1"),
        ((1.0, math.nan), InvalidValueError, "must be finite"),
        ((1.0,), TypeError, "'cover_range' must be a"),
        ("2-7", TypeError, "'cover_range' must be a"),
        ((1.0, "7"), TypeError, r"'cover_range\[1\]' must be a real number"),
    ],
)
def test_cover_status_bad_range(cover_range: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        cover_status(3.0, cover_range=cover_range)  # type: ignore[arg-type]


def test_cover_status_bad_cover() -> None:
    with pytest.raises(InvalidValueError, match=r"'cover' must be >= 0: -1.0 at index 1"):
        cover_status([1.0, -1.0])
    with pytest.raises(TypeError, match="'cover'"):
        cover_status("3")


@given(
    st.lists(st.floats(0, 1e6) | st.just(math.inf), min_size=1, max_size=8),
    st.floats(0, 10),
    st.floats(0, 10),
)
def test_cover_status_partitions(cover: list[float], a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    status = cover_status(cover, cover_range=(low, high))
    values = np.asarray(cover)
    assert ((status == "ok") == ((values >= low) & (values <= high))).all()
    assert ((status == "short") == (values < low)).all()
    assert ((status == "overstock") == (values > high)).all()


# --------------------------------------------------------------------------- quota_review: examples


def test_worked_example_raise_capped() -> None:
    review = quota_review(70, SALES, STOCK)
    assert review.action == "raise"
    assert float(review.demand) == 98.0
    assert int(review.proposed) == 91  # 70 × 1.3, not 98
    assert review.reasons.as_tuples() == ("stockouts", "capped")
    assert float(review.fulfilment) == pytest.approx(5 / 7)  # 70 / (70 + 28) per cycle
    assert float(review.cover) == 0.0
    assert int(review.rationed_cycles) == 0
    assert isinstance(review.proposed, np.int64)


def test_worked_example_rationed() -> None:
    review = quota_review(70, SALES, STOCK, supplied=35)
    assert review.action == "hold"
    assert int(review.proposed) == 70
    assert review.reasons.as_tuples() == ("rationed",)
    assert int(review.rationed_cycles) == 4
    assert math.isnan(float(review.fulfilment))


def test_rationed_consistent_data() -> None:
    # Delivered 35 (a half-rationed week): 14, 14, 7 and out for four days.
    sales = [14, 14, 7, 0, 0, 0, 0] * 4
    stock = [21, 7, 0, 0, 0, 0, 0] * 4
    review = quota_review(70, sales, stock, supplied=[35, 35, 35, 35])
    assert review.action == "hold"
    assert review.reasons.as_tuples() == ("rationed",)
    # One unrationed stockout cycle is evidence again.
    review = quota_review(70, sales, stock, supplied=[35, 35, 35, 70])
    assert review.action == "raise"
    assert "stockouts" in review.reasons.as_tuples()
    assert int(review.rationed_cycles) == 3


def test_raise_not_capped() -> None:
    # Sells 12 a day, out on the last day: demand 84, within 70 × 1.3.
    sales = [12] * 6 + [0]
    stock = [58, 46, 34, 22, 10, 0, 0]
    review = quota_review(70, sales, stock)
    assert (str(review.action), int(review.proposed)) == ("raise", 84)
    assert review.reasons.as_tuples() == ("stockouts",)


def test_cut_overstock() -> None:
    # Sells 8 a day and ends every week with 40 in stock: 5 days of cover, then 60 → 7.5.
    review = quota_review(70, [8] * 7, [96, 88, 80, 72, 64, 56, 48])
    assert review.action == "hold"  # cover 6 days: in range
    assert review.reasons.as_tuples() == ("in_range",)
    review = quota_review(70, [8] * 7, [120, 112, 104, 96, 88, 80, 72])
    assert float(review.cover) == 9.0
    assert (str(review.action), int(review.proposed)) == ("cut", 56)  # demand 56 >= 49
    assert review.reasons.as_tuples() == ("overstock",)
    review = quota_review(100, [4] * 7, [100] * 7)
    assert (str(review.action), int(review.proposed)) == ("cut", 70)  # 28 wanted, floor 70
    assert review.reasons.as_tuples() == ("capped", "overstock")


def test_no_history_and_estimate_not_above_quota() -> None:
    review = quota_review(30, [0] * 7, [0] * 7)
    assert (str(review.action), int(review.proposed)) == ("hold", 30)
    assert review.reasons.as_tuples() == ("no_history",)
    assert math.isnan(float(review.demand))
    assert math.isnan(float(review.fulfilment))
    # Out on two days, but the in-stock rate (2 a day → 14) is below the quota of 30.
    review = quota_review(30, [2, 2, 2, 2, 2, 0, 0], [28, 26, 24, 22, 20, 0, 0])
    assert (str(review.action), int(review.proposed)) == ("hold", 30)
    assert review.reasons.as_tuples() == ("stockouts",)


def test_max_quota_caps_control_brands() -> None:
    review = quota_review(70, SALES, STOCK, max_quota=80)
    assert (str(review.action), int(review.proposed)) == ("raise", 80)
    assert review.reasons.as_tuples() == ("stockouts", "capped")
    review = quota_review(70, SALES, STOCK, max_quota=70)
    assert (str(review.action), int(review.proposed)) == ("hold", 70)
    # A quota above the control level is cut to it, whatever max_change says.
    review = quota_review(100, [[8] * 7], [[40] * 7], max_quota=[50.0])
    assert review.proposed.tolist() == [50]
    assert review.action.tolist() == ["cut"]
    assert review.reasons.as_tuples()[0] == ("capped",)
    review = quota_review([70, 70], [SALES, SALES], [STOCK, STOCK], max_quota=[math.nan, 75])
    assert review.proposed.tolist() == [91, 75]


def test_many_series_and_broadcasting() -> None:
    sales = np.array([[SALES, [8] * 28], [[0] * 28, [12] * 28]])
    stock = np.array([[STOCK, [120] * 28], [[0] * 28, [30] * 28]])
    review = quota_review([[70, 70], [20, 84]], sales, stock, supplied=np.full((2, 2, 4), 100))
    assert review.action.tolist() == [["raise", "cut"], ["hold", "hold"]]
    assert review.proposed.tolist() == [[91, 56], [20, 84]]
    assert review.rationed_cycles.tolist() == [[0, 0], [0, 0]]
    assert review.reasons.no_history.tolist() == [[False, False], [True, False]]
    names = review.reasons.as_tuples()
    assert names.shape == (2, 2)
    assert names[1, 1] == ("in_range",)
    assert not review.proposed.flags.writeable


def test_method_passed_through() -> None:
    review = quota_review(70, SALES, STOCK, method="censored", start="2026-03-02")
    expected = tm.estimate_daily_demand(SALES, STOCK, method="censored", start="2026-03-02") * 7
    assert float(review.demand) == pytest.approx(float(expected))
    assert float(review.demand) > 98.0  # the censored model sees the sell-out days too
    # Without a start, day 0 stands for a Monday: the same fit here.
    assert float(quota_review(70, SALES, STOCK, method="censored").demand) == pytest.approx(
        float(review.demand)
    )


def test_to_frame() -> None:
    review = quota_review([70, 70], [SALES, SALES], [STOCK, STOCK], supplied=[[70] * 4, [35] * 4])
    frame = review.to_frame(index=["C001", "C002"])
    assert frame.loc["C001", "reasons"] == "stockouts+capped"
    assert frame.loc["C002", "reasons"] == "rationed"
    assert frame.loc["C002", "action"] == "hold"
    assert bool(frame.loc["C001", "capped"])
    assert list(frame.columns[:4]) == ["quota", "demand", "proposed", "action"]
    assert isinstance(quota_review(70, SALES, STOCK).to_frame().index, pd.RangeIndex)
    grid = quota_review(70, np.array([[SALES] * 2] * 3), np.array([[STOCK] * 2] * 3)).to_frame()
    assert isinstance(grid.index, pd.MultiIndex)
    assert len(grid) == 6
    with pytest.raises(ShapeMismatchError, match="one label per series"):
        review.to_frame(index=["only one"])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sales": SALES[:-1], "inventory": STOCK[:-1]}, ShapeMismatchError, "whole cycles of 7"),
        ({"quota": 70.5}, InvalidValueError, "'quota' must be whole cartons: 70.5"),
        ({"quota": [70, -1]}, InvalidValueError, r"'quota' must be >= 0: -1 at index 1"),
        ({"supplied": [35, 35]}, ShapeMismatchError, "'supplied'"),
        ({"supplied": -1}, InvalidValueError, "'supplied' must be >= 0"),
        (
            {"target_fulfilment": 1.5},
            InvalidValueError,
            "'target_fulfilment' must be in \\[0, 1\\]: 1.5",
        ),
        ({"max_change": -0.1}, InvalidValueError, "'max_change' must be >= 0"),
        ({"cycle_days": 7.0}, TypeError, "'cycle_days' must be an int"),
        ({"cycle_days": 0}, InvalidValueError, "'cycle_days' must be >= 1"),
        ({"cover_range": (7, 2)}, InvalidValueError, "low <= high"),
        ({"method": "bogus"}, InvalidValueError, "'method' must be one of"),
        ({"max_quota": [1.5]}, InvalidValueError, "'max_quota' must be whole cartons"),
        ({"inventory": STOCK[:7]}, ShapeMismatchError, "same shape"),
        ({"sales": 5, "inventory": 5}, ShapeMismatchError, "day axis"),
        ({"sales": [], "inventory": []}, tm.EmptyInputError, "no days"),
        ({"start": "2026-02-30"}, InvalidValueError, "'start' must be an ISO date"),
        ({"start": 20260302}, TypeError, "'start' must be a datetime.date"),
    ],
)
def test_quota_review_errors(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    call: dict[str, object] = {"quota": 70, "sales": SALES, "inventory": STOCK, **kwargs}
    with pytest.raises(error, match=match):
        quota_review(**call)  # type: ignore[arg-type]


def test_quota_review_overflow_is_an_error() -> None:
    with pytest.raises(InvalidValueError, match="too large"):
        quota_review(70, SALES, STOCK, max_change=1e308)


# --------------------------------------------------------------------------- quota_review: laws


@st.composite
def windows(draw: st.DrawFn) -> tuple[NDArray[np.int64], NDArray[np.int64], int]:
    """A few series of whole weekly cycles of consistent stock and a quota."""
    n_series = draw(st.integers(1, 3))
    n_cycles = draw(st.integers(1, 4))
    quota = draw(st.integers(1, 80))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    mean = draw(st.floats(0.5, 20))
    days = n_cycles * 7
    demand = rng.poisson(mean, size=(n_series, days))
    sales = np.zeros_like(demand)
    stock = np.zeros_like(demand)
    on_hand = np.zeros(n_series, dtype=np.int64)
    for day in range(days):
        if day % 7 == 0:
            on_hand = np.maximum(on_hand, quota)
        sales[:, day] = np.minimum(demand[:, day], on_hand)
        on_hand = on_hand - sales[:, day]
        stock[:, day] = on_hand
    return sales, stock, quota


@given(windows(), st.floats(0, 1), st.floats(0, 1.5))
def test_law_rationed_only_stockouts_never_raise(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int], target: float, change: float
) -> None:
    sales, stock, quota = window
    cycles = sales.shape[-1] // 7
    out = tm.stockout_days(sales.reshape(-1, cycles, 7), stock.reshape(-1, cycles, 7)) > 0
    supplied = np.where(out, quota - 1, quota)  # every stockout cycle rationed
    review = quota_review(
        quota, sales, stock, supplied=supplied, target_fulfilment=target, max_change=change
    )
    assert not (review.action == "raise").any()
    assert not review.reasons.stockouts.any()


@given(windows(), st.floats(0, 1), st.floats(0, 1.5), st.sampled_from(["seed", "censored"]))
@settings(max_examples=40)
def test_law_never_moves_more_than_max_change(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int],
    target: float,
    change: float,
    method: str,
) -> None:
    sales, stock, quota = window
    review = quota_review(
        quota,
        sales,
        stock,
        target_fulfilment=target,
        max_change=change,
        method=method,  # type: ignore[arg-type]
    )
    proposed = review.proposed.astype(np.float64)
    assert (proposed <= quota * (1 + change) + 1e-9).all()
    assert (proposed >= quota * (1 - change) - 1e-9).all()
    assert (review.proposed >= 0).all()
    assert ((review.action == "raise") == (review.proposed > quota)).all()
    assert ((review.action == "cut") == (review.proposed < quota)).all()


@given(windows(), st.floats(0, 5), st.floats(5, 50))
def test_law_no_stockouts_and_cover_in_range_hold(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int], low: float, high: float
) -> None:
    sales, stock, quota = window
    stock = stock + 1  # never out: every day closes with stock
    review = quota_review(quota, sales, stock, cover_range=(low, high))
    calm = review.cover <= high
    assert (review.action[calm] == "hold").all()
    assert (review.action[~calm] != "raise").all()
    held = review.reasons.in_range | review.reasons.no_history
    assert held[calm].all()


@given(windows())
def test_law_one_reason_set_per_series(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int],
) -> None:
    sales, stock, quota = window
    review = quota_review(quota, sales, stock)
    flags = np.stack([np.asarray(getattr(review.reasons, n)) for n in tm.REVIEW_REASONS])
    assert flags.any(axis=0).all()  # every series has a reason
    assert not (review.reasons.in_range & (flags.sum(axis=0) > 1)).any()
    assert not (review.reasons.stockouts & review.reasons.overstock).any()


# --------------------------------------------------------------------------- service_quota


def test_service_quota_poisson_by_hand() -> None:
    sales = [3, 5, 3, 5, 3, 5, 4] * 4  # mean 4, variance below the mean: Poisson
    stock = [9] * 28
    assert service_quota(sales, stock) == newsvendor(28, 0.95) == 30
    assert service_quota(sales, stock, fill_rate=0.99) == newsvendor(28, 0.99)
    assert service_quota(sales, stock, fill_rate=0.0) == 0
    assert isinstance(service_quota(sales, stock), np.float64)  # a quota is float64, always


def test_service_quota_negative_binomial_by_hand() -> None:
    sales = [3, 5, 3, 5, 3, 5, 4] * 4
    stock = [9] * 28
    # daily size 2 → cycle size 14 around a mean of 28
    got = service_quota(sales, stock, dispersion=2.0)
    assert got == newsvendor(28, 0.95, size=14.0)
    assert got > service_quota(sales, stock)
    assert service_quota(sales, stock, dispersion=math.inf) == 30
    assert service_quota(sales, stock, dispersion=1e308) == 30  # Poisson to float precision
    big = service_quota([300_000] * 7, [1] * 7, method="seed", dispersion=math.inf)
    assert big == 1_995_000  # 0.95 × 2.1 M: D is never that low (sd 1449)
    near = service_quota(
        [300_000] * 7, [1] * 7, method="seed", dispersion=math.inf, fill_rate=0.9999
    )
    assert 2_100_000 < near < 2_100_000 + 3 * 1449  # summed from 10 sd below, not from 0


def test_service_quota_many_series_and_nan() -> None:
    sales = np.array([[4] * 14, [0] * 14, [2, 0] * 7])
    stock = np.array([[9] * 14, [5] * 14, [0] * 14])  # the last never closes above 0
    got = service_quota(sales, stock, cycle_days=7, dispersion=math.inf)
    assert got.dtype == np.float64
    assert got[0] == newsvendor(28, 0.95)
    assert got[1] == 0.0  # no demand: nothing to serve
    assert math.isnan(got[2])  # censored every day: demand cannot be estimated
    seeded = service_quota(sales, stock, method="seed", dispersion=math.inf)
    assert seeded.dtype == np.float64  # known everywhere: still float64 (dtype by type, not value)
    assert seeded.tolist() == [newsvendor(28, 0.95), 0, newsvendor(14, 0.95)]


def test_service_quota_fill_rate_array() -> None:
    # The seed rate of a never-out series is its mean exactly (the censored model
    # shrinks a lone series' level a little toward its prior): the newsvendor is exact.
    sales = [[4] * 7, [4] * 7]
    got = service_quota(
        sales, [[9] * 7] * 2, fill_rate=[0.5, 0.99], dispersion=math.inf, method="seed"
    )
    assert got.tolist() == [newsvendor(28, 0.5), newsvendor(28, 0.99)]
    # One series, many targets: the quota as a function of the fill rate.
    curve = service_quota(
        [4] * 7, [9] * 7, fill_rate=[0.5, 0.9, 0.99], dispersion=math.inf, method="seed"
    )
    assert curve.tolist() == [newsvendor(28, f) for f in (0.5, 0.9, 0.99)]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"fill_rate": 1.0}, InvalidValueError, r"'fill_rate' must be in \[0, 1\): 1.0"),
        ({"fill_rate": [0.5, -0.1]}, InvalidValueError, "-0.1 at index 1"),
        ({"fill_rate": math.nan}, InvalidValueError, "'fill_rate' must be finite"),
        (
            {"sales": [[4] * 7] * 2, "inventory": [[9] * 7] * 2, "fill_rate": [0.9, 0.9, 0.9]},
            ShapeMismatchError,
            "'fill_rate'",
        ),
        ({"dispersion": 0.0}, InvalidValueError, "'dispersion' must be > 0"),
        ({"dispersion": "2"}, TypeError, "'dispersion'"),
        ({"cycle_days": 0}, InvalidValueError, "'cycle_days'"),
        ({"sales": [1.5] * 7}, InvalidValueError, "whole numbers"),
        ({"sales": [5e5] * 7, "method": "seed", "dispersion": 0.5}, InvalidValueError, "sd"),
        ({"sales": [2e8] * 7, "method": "seed", "dispersion": math.inf}, InvalidValueError, "mean"),
        ({"token_stock": -1}, InvalidValueError, "'token_stock' must be >= 0"),
    ],
)
def test_service_quota_errors(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    call: dict[str, object] = {"sales": [4] * 7, "inventory": [9] * 7, **kwargs}
    with pytest.raises(error, match=match):
        service_quota(**call)  # type: ignore[arg-type]


def test_service_quota_needs_no_start_but_accepts_one() -> None:
    sales = [3, 5, 3, 5, 3, 5, 4] * 2
    assert service_quota(sales, [9] * 14, start="2026-03-04") == service_quota(sales, [9] * 14)
    with pytest.raises(InvalidValueError):
        service_quota(sales, [9] * 14, start="2026-02-30")


@st.composite
def histories(draw: st.DrawFn) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_series = draw(st.integers(1, 3))
    days = 7 * draw(st.integers(1, 4))
    mean = draw(st.floats(0.2, 30))
    sales = rng.poisson(mean, size=(n_series, days))
    stock = np.maximum(rng.integers(-3, 10, size=(n_series, days)), 0)
    stock[sales > 0] += 1
    return sales, stock


@given(histories(), st.floats(0, 0.999), st.floats(0, 0.999))
@settings(max_examples=40)
def test_law_service_quota_monotone_and_above_share(
    history: tuple[NDArray[np.int64], NDArray[np.int64]], a: float, b: float
) -> None:
    sales, stock = history
    low, high = min(a, b), max(a, b)
    q_low = service_quota(sales, stock, fill_rate=low)
    q_high = service_quota(sales, stock, fill_rate=high)
    known = ~np.isnan(np.asarray(q_low, dtype=np.float64))
    assert (np.asarray(q_low)[known] <= np.asarray(q_high)[known]).all()
    mean = np.asarray(tm.estimate_daily_demand(sales, stock, method="censored", start="2001-01-01"))
    assert (np.asarray(q_high)[known] >= high * 7 * mean[known] - 1e-9).all()


@given(st.integers(0, 2**32 - 1), st.floats(0.5, 25), st.integers(4, 13), st.floats(0.5, 0.99))
@settings(max_examples=40)
def test_law_service_quota_poisson_newsvendor(
    seed: int, mean: float, cycles: int, fill: float
) -> None:
    """No stockouts, Poisson sales and a Poisson model: within two cartons of the newsvendor.

    The model is given (``dispersion=inf``): by default the size is estimated by moments,
    and four weeks of Poisson days can look overdispersed (seed 237, mean 17: variance
    26.5 against a mean of 16.8, so 122 cartons where the Poisson newsvendor says 119);
    an estimated spread can only raise the quota (E[min(D, Q)] is concave in D: a
    mean-preserving spread lowers the fill rate of every Q).
    """
    sales = np.random.default_rng(seed).poisson(mean, size=7 * cycles)
    stock = sales + 3  # never out
    got = int(service_quota(sales, stock, fill_rate=fill, dispersion=math.inf))
    exact = newsvendor(7 * float(sales.mean()), fill)
    assert abs(got - exact) <= 2
    assert int(service_quota(sales, stock, fill_rate=fill)) >= got


def test_decisions_pair_labelled_inputs_by_label() -> None:
    sales = np.array([[3, 5, 3, 5, 3, 5, 4] * 2, [1, 0, 1, 0, 1, 0, 1] * 2])
    stock = np.array([[9] * 14, [20] * 14])
    days = list(range(14))
    table = pd.DataFrame(sales, index=["s1", "s2"], columns=days)
    inventory = pd.DataFrame(stock, index=["s1", "s2"], columns=days)
    quota = pd.Series([70, 30], index=["s1", "s2"])
    plain = quota_review(quota.to_numpy(), sales, stock)
    swapped = quota_review(quota[["s2", "s1"]], table, inventory.loc[["s2", "s1"]])
    assert swapped.proposed.tolist() == plain.proposed.tolist()
    assert swapped.action.tolist() == plain.action.tolist()
    assert service_quota(table, inventory.loc[["s2", "s1"]]).tolist() == (
        service_quota(sales, stock).tolist()
    )
    with pytest.raises(ShapeMismatchError, match="carry different labels"):
        quota_review(pd.Series([70, 30], index=["s1", "x"]), table, inventory)


# --------------------------------------------------------------------------- adversarial sweep


@pytest.mark.parametrize("method", ["seed", "censored"])
def test_no_series_gives_empty_results_with_every_method(method: str) -> None:
    """A leading axis of length 0: empty results, not a raw reshape ValueError of the fit."""
    empty = np.zeros((0, 14), dtype=np.int64)
    quota = service_quota(empty, empty, method=method)  # type: ignore[arg-type]
    assert isinstance(quota, np.ndarray)
    assert quota.shape == (0,)
    assert quota.dtype == np.float64
    review = quota_review(np.zeros(0), empty, empty, method=method)  # type: ignore[arg-type]
    assert review.proposed.shape == (0,)
    assert review.action.shape == (0,)
    assert service_quota(np.zeros((2, 0, 7)), np.zeros((2, 0, 7))).shape == (2, 0)


def test_a_quota_of_zero_is_never_raised() -> None:
    """max_change is relative: 0 × (1 + max_change) is 0; the reasons say it wants more."""
    review = quota_review(0, [5, 5, 5, 5, 5, 0, 0], [5, 4, 3, 2, 0, 0, 0])
    assert review.action == "hold"
    assert review.proposed == 0
    assert review.reasons.as_tuples() == ("stockouts", "capped")


def _fields(review: tm.QuotaReview) -> dict[str, NDArray[np.generic]]:
    names = ("quota", "demand", "proposed", "action", "fulfilment", "cover", "rationed_cycles")
    fields = {name: np.asarray(getattr(review, name)) for name in names}
    named = review.reasons._named()
    fields["reasons"] = np.vectorize("+".join, otypes=[str])(named) if named.size else named
    return fields


@given(windows(), st.data())
@settings(max_examples=30)
def test_law_permuting_series_permutes_the_review(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int], data: st.DataObject
) -> None:
    sales, stock, quota = window
    quotas = quota + np.arange(sales.shape[0])  # a different quota per series
    order = np.asarray(data.draw(st.permutations(range(sales.shape[0]))))
    whole = _fields(quota_review(quotas, sales, stock))
    permuted = _fields(quota_review(quotas[order], sales[order], stock[order]))
    for name, values in whole.items():
        assert np.array_equal(values[order], permuted[name], equal_nan=values.dtype.kind == "f")


@given(windows())
@settings(max_examples=30)
def test_law_panel_review_equals_series_by_series(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int],
) -> None:
    """method="seed" is per series: a panel reviews each series as it would alone."""
    sales, stock, quota = window
    whole = _fields(quota_review(quota, sales, stock))
    for row in range(sales.shape[0]):
        alone = _fields(quota_review(quota, sales[row], stock[row]))
        for name, values in whole.items():
            assert np.array_equal(values[row], alone[name], equal_nan=values.dtype.kind == "f"), (
                name
            )


@given(windows(), st.data())
@settings(max_examples=40)
def test_law_a_stockout_never_lowers_the_proposal(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int], data: st.DataObject
) -> None:
    """An in-stock day without sales that becomes a stockout (stock 0) never lowers the quota."""
    sales, stock, quota = window
    quiet = np.argwhere((sales == 0) & (stock > 0))
    if quiet.size == 0:
        return
    row, day = quiet[data.draw(st.integers(0, len(quiet) - 1))]
    emptied = stock.copy()
    emptied[row, day] = 0
    before = quota_review(quota, sales, stock).proposed
    after = quota_review(quota, sales, emptied).proposed
    assert (after >= before).all()


@given(windows(), st.floats(0, 1), st.floats(0, 1), st.integers(0, 120))
@settings(max_examples=40)
def test_law_target_monotone_and_max_quota_a_ceiling(
    window: tuple[NDArray[np.int64], NDArray[np.int64], int], a: float, b: float, ceiling: int
) -> None:
    sales, stock, quota = window
    low, high = sorted((a, b))
    lower = quota_review(quota, sales, stock, target_fulfilment=low).proposed
    higher = quota_review(quota, sales, stock, target_fulfilment=high).proposed
    assert (higher >= lower).all()
    assert (quota_review(quota, sales, stock, max_quota=ceiling).proposed <= ceiling).all()


def test_to_frame_refuses_a_bare_string_index() -> None:
    """index="ab" was read as the two labels "a" and "b"."""
    review = quota_review(70, np.ones((2, 7)), np.ones((2, 7)))
    with pytest.raises(TypeError, match="'index' must be a sequence of row labels"):
        review.to_frame(index="ab")
    assert review.to_frame(index=["a", "b"]).index.tolist() == ["a", "b"]
    # a label twice made two rows alike: refused, as Panel labels are
    with pytest.raises(tm.DuplicateEntryError, match="'index' must be unique: 'a' at positions"):
        review.to_frame(index=["a", "a"])


def test_service_quota_far_in_a_heavy_tail_is_summed_in_blocks() -> None:
    """Q 35 sd above the mean: 390,728 carton counts, once one array call each (21 s)."""
    sales, stock = [1600] * 28, [16000] * 28
    quota = service_quota(sales, stock, dispersion=0.05, fill_rate=0.999999, method="seed")
    assert quota == 390728  # the carton-by-carton sum gave the same
    assert service_quota(sales, stock, dispersion=0.05, method="seed") == 71203


@given(
    st.lists(st.floats(0.01, 60), min_size=1, max_size=4),
    st.floats(0.3, 50),
    st.floats(0, 0.999),
)
@settings(max_examples=25)
def test_law_service_quota_is_the_negative_binomial_newsvendor(
    daily: list[float], size: float, fill: float
) -> None:
    """Given the model (rate and size), Q is exactly the newsvendor answer summed from 0."""
    sales = np.array([[round(mu * 100)] * 7 for mu in daily]) / 100  # one cycle, rate mu
    stock = sales + 1
    got = service_quota(sales, stock, fill_rate=fill, dispersion=size, method="seed")
    mean = sales.sum(axis=-1)
    expected = [newsvendor(float(m), fill, 7 * size) for m in mean]
    assert np.asarray(got).tolist() == expected


@pytest.mark.parametrize("fill", [5e-324, 1.2e-38, 1e-12])
def test_service_quota_a_tiny_positive_fill_rate_needs_a_carton(fill: float) -> None:
    """Q >= fill × M: a need of 1e-10 cartons was snapped to 0 as float noise."""
    quota = service_quota([26.0] * 7, [27.0] * 7, fill_rate=fill, dispersion=43.0, method="seed")
    assert quota == 1
    # fill × M underflowing to 0.0 (5e-324 × 0.07) is still a positive need: Hypothesis found it
    assert service_quota([0.01] * 7, [1.01] * 7, fill_rate=fill, dispersion=0.3, method="seed") == 1
    assert service_quota([26.0] * 7, [27.0] * 7, fill_rate=0.0, method="seed") == 0


def test_cover_range_may_be_a_numpy_pair() -> None:
    pair = np.array([2, 7])
    assert cover_status([1.0, 3.0], pair).tolist() == ["short", "ok"]  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'cover_range' must be a \\(low, high\\) tuple"):
        cover_status(3.0, np.array([[2, 7]]))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- holidays (exclude)

# Three weekly cycles around a Spring Festival: the store sells 10 a day and keeps some
# stock, but is closed the whole second week (no sales, no stock).
HOLIDAY_SALES = [10] * 7 + [0] * 7 + [10] * 7
HOLIDAY_STOCK = [65, 55, 45, 35, 25, 15, 5] + [0] * 7 + [65, 55, 45, 35, 25, 15, 5]
FESTIVAL = np.array([False] * 7 + [True] * 7 + [False] * 7)


def test_quota_review_leaves_out_the_holidays() -> None:
    # Counted, the closed week is 7 stockout days: P = 10 × 7 = 70 (no effective day: the
    # rate), F = 140 / 210 = 0.667 < 0.95, and a quota of 60 is raised to round(70) = 70.
    counted = quota_review(60, HOLIDAY_SALES, HOLIDAY_STOCK)
    assert (str(counted.action), int(counted.proposed)) == ("raise", 70)
    assert counted.reasons.as_tuples() == ("stockouts",)
    # Excluded ("在合理定量时会剔除这些节假日因素"), the week is no evidence: F = 1, cover
    # 5 / 10 = 0.5 days in each counted cycle, held in range.
    review = quota_review(60, HOLIDAY_SALES, HOLIDAY_STOCK, exclude=FESTIVAL)
    assert (str(review.action), int(review.proposed)) == ("hold", 60)
    assert review.reasons.as_tuples() == ("in_range",)
    assert float(review.fulfilment) == 1.0
    assert float(review.cover) == 0.5
    assert float(review.demand) == 70.0


def test_quota_review_excluded_days_inside_a_cycle() -> None:
    # Two holidays inside the first cycle with a festival spike of 30 a day: left out, the
    # rate is the other 12 days' 10 a day, not (60 + 120) / 14.
    sales = [30, 30, 10, 10, 10, 10, 10] + [10] * 7
    stock = [90, 60, 50, 40, 30, 20, 10] * 2
    holiday = np.array([True, True] + [False] * 12)
    review = quota_review(70, sales, stock, exclude=holiday)
    assert float(review.demand) == 70.0
    assert float(quota_review(70, sales, stock).demand) == pytest.approx(90.0)
    assert float(review.demand) == 7 * float(tm.base_daily_rate(sales, stock, exclude=holiday))


def test_quota_review_every_day_excluded_is_no_history() -> None:
    review = quota_review(60, HOLIDAY_SALES, HOLIDAY_STOCK, exclude=True)
    assert review.reasons.as_tuples() == ("no_history",)
    assert (str(review.action), int(review.proposed)) == ("hold", 60)
    assert math.isnan(float(review.cover))
    assert math.isnan(float(review.fulfilment))


def test_quota_review_void_cycle_with_rationing() -> None:
    # The closed week was also rationed: counted in rationed_cycles, but no evidence (its
    # stockouts do not make the reason 'rationed').
    review = quota_review(60, HOLIDAY_SALES, HOLIDAY_STOCK, exclude=FESTIVAL, supplied=[60, 0, 60])
    assert int(review.rationed_cycles) == 1
    assert review.reasons.as_tuples() == ("in_range",)


@pytest.mark.parametrize(
    ("exclude", "error", "match"),
    [
        ([True, False], ShapeMismatchError, "'exclude'"),
        (np.full(21, 0.5), TypeError, "'exclude'"),
    ],
)
def test_quota_review_bad_exclude(exclude: ArrayLike, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        quota_review(60, HOLIDAY_SALES, HOLIDAY_STOCK, exclude=exclude)


@given(
    st.lists(st.integers(0, 20), min_size=14, max_size=14),
    st.lists(st.integers(0, 20), min_size=14, max_size=14),
    st.lists(st.booleans(), min_size=14, max_size=14),
    st.integers(0, 100),
)
def test_law_exclude(sales: list[int], stock: list[int], holiday: list[bool], quota: int) -> None:
    # no day excluded is no exclusion
    plain = quota_review(quota, sales, stock)
    none = quota_review(quota, sales, stock, exclude=[False] * 14)
    assert int(plain.proposed) == int(none.proposed)
    assert plain.reasons.as_tuples() == none.reasons.as_tuples()
    # excluded days never change the figures of the others: the seed demand is the
    # reasonable quota of the counted days
    review = quota_review(quota, sales, stock, exclude=holiday)
    expected = 7 * tm.base_daily_rate(sales, stock, exclude=holiday)
    if math.isnan(float(expected)):
        assert review.reasons.as_tuples() == ("no_history",)
    else:
        assert float(review.demand) == pytest.approx(float(expected))
    # changing the sales of an excluded day changes nothing
    bumped = [s + 5 if h else s for s, h in zip(sales, holiday, strict=True)]
    again = quota_review(quota, bumped, stock, exclude=holiday)
    assert int(again.proposed) == int(review.proposed)
    assert again.reasons.as_tuples() == review.reasons.as_tuples()


def test_service_quota_leaves_out_the_holidays() -> None:
    # A holiday week selling 12 a day before three ordinary weeks (3 or 5 a day, mean 4,
    # Poisson-like): counted, the spike raises the mean to 6 a day and spreads the days
    # (Q = 47); excluded, the quota is the ordinary weeks' own, 30 (Poisson(28), 95 %).
    sales = [12] * 7 + [3, 5, 3, 5, 3, 5, 4] * 3
    stock = [20] * 7 + [9] * 21
    holiday = np.array([True] * 7 + [False] * 21)
    assert float(service_quota(sales, stock)) == 47.0
    assert float(service_quota(sales, stock, exclude=holiday)) == 30.0
    assert float(service_quota(sales[7:], stock[7:])) == 30.0
    for method in ("seed", "censored"):
        assert float(service_quota(sales, stock, exclude=holiday, method=method)) == float(
            service_quota(sales[7:], stock[7:], method=method)
        )
    with pytest.raises(ShapeMismatchError, match="'exclude'"):
        service_quota(sales, stock, exclude=[True, False])
