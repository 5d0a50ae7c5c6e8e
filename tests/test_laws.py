"""The laws of every public formula (docs/laws.md), as property tests on the public strategies.

Each test is named in docs/laws.md beside the law it checks; the laws of the quota,
supply and structure formulas live in tests/test_quota.py and tests/test_structure.py
(one test per law, in its subject's file).  The data come
from :mod:`tobacco_metrics.strategies`: consistent histories and panels whose
values are whole multiples of one scale, small enough in count that sums are
exact in float64 — so identities that hold in exact arithmetic are asserted
exactly, and the rest with a stated tolerance.
"""

from __future__ import annotations

import ast
import calendar
import contextlib
import datetime as dt
import inspect
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics.strategies import (
    Stockouts,
    allocation_prices,
    delivery_cycles,
    long_exports,
    panels,
    price_classes,
    promotion_tiers,
    sales_and_stock,
    visit_standards,
    visits,
)

History = tuple[NDArray[Any], NDArray[Any]]
TOKENS = st.sampled_from([0, 1, 2.5])
# Normal floats: scaling a subnormal by a power of two is not exact.
NORMAL = st.just(0.0) | st.floats(1e-3, 1e6)
# Scales by which data are multiplied exactly (powers of two).
POWERS_OF_TWO = st.sampled_from([0.25, 0.5, 2.0, 8.0, 1024.0])
# Histories whose values are exact in float64 even when scaled by POWERS_OF_TWO.
EXACT = sales_and_stock(dtypes=st.sampled_from([np.dtype(np.int64), np.dtype(np.float64)]))


def f64(values: Any) -> NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def same(a: Any, b: Any) -> bool:
    """Equal arrays, NaN equal to NaN, same shape."""
    return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))


@st.composite
def histories_with_token(draw: st.DrawFn) -> tuple[NDArray[Any], NDArray[Any], float]:
    token = draw(TOKENS)
    shapes: list[Stockouts] = ["any", "never", "always", "token_only"]
    stockouts = draw(st.sampled_from(shapes if token else shapes[:3]))
    sales, inventory = draw(sales_and_stock(token_stock=token, stockouts=stockouts))
    return sales, inventory, token


@st.composite
def exclusions(draw: st.DrawFn, n_days: int) -> NDArray[np.bool_]:
    """A day mask that leaves at least one day counted."""
    mask = np.zeros(n_days, dtype=bool)
    shut = draw(st.sets(st.integers(0, n_days - 1), max_size=n_days - 1))
    mask[list(shut)] = True
    return mask


# =========================================================================== stock


@given(histories_with_token(), TOKENS)
def test_stockout_mask_is_the_definition(data: tuple[Any, Any, float], other: float) -> None:
    sales, inventory, token = data
    mask = tm.stockout_mask(sales, inventory, token_stock=token)
    assert same(mask, (sales == 0) & (inventory <= token))
    # A larger token stock never removes a stockout day.
    low, high = sorted((token, other))
    assert not (
        tm.stockout_mask(sales, inventory, token_stock=low)
        & ~tm.stockout_mask(sales, inventory, token_stock=high)
    ).any()


@given(histories_with_token(), st.data())
def test_stockout_and_effective_days(data: tuple[Any, Any, float], draw: st.DataObject) -> None:
    sales, inventory, token = data
    exclude = draw.draw(exclusions(sales.shape[-1]))
    counted = ~exclude
    s = tm.stockout_days(sales, inventory, token_stock=token, exclude=exclude)
    e = tm.effective_sales_days(sales, inventory, token_stock=token, exclude=exclude)
    d = int(counted.sum())
    mask = (sales == 0) & (inventory <= token)
    assert same(s, np.sum(mask & counted, axis=-1))
    assert np.all((s >= 0) & (s <= d))
    assert same(e, d - s)
    # A day that sold is never a stockout day: where something sold, E >= 1.
    sold = np.sum(np.where(counted, sales, 0), axis=-1) > 0
    assert np.all(np.asarray(e)[sold] >= 1)


@given(histories_with_token(), st.randoms(use_true_random=False))
def test_day_order_does_not_matter(data: tuple[Any, Any, float], random: Any) -> None:
    sales, inventory, token = data
    order = list(range(sales.shape[-1]))
    random.shuffle(order)
    before = tm.cycle_metrics(sales, inventory, token_stock=token)
    after = tm.cycle_metrics(sales[..., order], inventory[..., order], token_stock=token)
    for name in (
        "stockout_days",
        "effective_days",
        "actual_sales",
        "projected_stockout_sales",
        "fulfilment_ratio",
        "average_daily_sales",
    ):
        assert same(getattr(before, name), getattr(after, name)), name


@given(st.integers(0, 10**6), st.integers(0, 60), st.integers(0, 60), st.floats(0, 100))
def test_projected_stockout_sales_formula(a: int, e: int, s: int, fallback: float) -> None:
    assume(e + s > 0)
    assume(e > 0 or a == 0)
    p = float(tm.projected_stockout_sales(a, e, s))
    if e > 0:
        assert p == a / e * s  # hence p >= 0: a, e and s are
        assert (p == 0) == (a == 0 or s == 0)
        with_fallback = float(tm.projected_stockout_sales(a, e, s, fallback_daily_rate=fallback))
        assert with_fallback == p  # the fallback is only for cycles without an effective day
    else:
        assert math.isnan(p)
        assert float(tm.projected_stockout_sales(a, e, s, fallback_daily_rate=fallback)) == (
            fallback * s
        )


@given(st.integers(0, 10**6), st.integers(1, 60), st.integers(0, 60), POWERS_OF_TWO)
def test_projected_stockout_sales_scale_with_sales(a: int, e: int, s: int, k: float) -> None:
    assert tm.projected_stockout_sales(k * a, e, s) == k * tm.projected_stockout_sales(a, e, s)


@given(st.integers(0, 10**6), st.integers(1, 60), st.integers(0, 60))
def test_fulfilment_ratio_is_share_of_days_in_stock(a: int, e: int, s: int) -> None:
    p = tm.projected_stockout_sales(a, e, s)
    f = float(tm.fulfilment_ratio(a, p))
    assert 0 <= f <= 1
    assert (f == 1.0) == (p == 0)
    if a > 0:
        assert math.isclose(f, e / (e + s), rel_tol=1e-12)


@given(
    hnp.arrays(np.float64, st.integers(1, 8), elements=NORMAL),
    hnp.arrays(np.float64, st.integers(1, 8), elements=NORMAL | st.just(math.nan)),
    POWERS_OF_TWO,
)
def test_fulfilment_ratio_range_and_scale(
    actual: NDArray[Any], projected: NDArray[Any], k: float
) -> None:
    n = min(actual.size, projected.size)
    actual, projected = actual[:n], projected[:n]
    f = tm.fulfilment_ratio(actual, projected)
    assert same(np.isnan(f), np.isnan(projected))
    known = ~np.isnan(f)
    assert np.all((f[known] >= 0) & (f[known] <= 1))
    assert np.all(f[projected == 0] == 1.0)
    assert same(tm.fulfilment_ratio(k * actual, k * projected), f)


@given(
    hnp.arrays(np.float64, 6, elements=NORMAL),
    hnp.arrays(np.float64, 6, elements=NORMAL),
    POWERS_OF_TWO,
)
def test_stock_to_sales_ratio_rules(stock: NDArray[Any], daily: NDArray[Any], k: float) -> None:
    cover = tm.stock_to_sales_ratio(stock, daily)
    assert np.all(cover[stock == 0] == 0.0)
    assert np.all(np.isinf(cover[(stock > 0) & (daily == 0)]))
    both = (stock > 0) & (daily > 0)
    assert same(cover[both], stock[both] / daily[both])
    assert not np.isnan(cover).any()
    assert same(tm.stock_to_sales_ratio(k * stock, k * daily), cover)
    # More stock at the same sales never means fewer days of cover.
    assert np.all(tm.stock_to_sales_ratio(stock + 1, daily) >= cover)


@given(panels(), st.randoms(use_true_random=False))
def test_pooled_fulfilment_is_a_weighted_mean(panel: tm.Panel, random: Any) -> None:
    m = tm.cycle_metrics(panel.sales, panel.inventory)
    a, p = np.ravel(m.actual_sales), np.ravel(m.projected_stockout_sales)
    pooled = float(tm.pooled_fulfilment_ratio(a, p))
    if np.isnan(p).any():
        assert math.isnan(pooled)
        return
    assert 0 <= pooled <= 1
    if p.sum() == 0:
        assert pooled == 1.0
    weighted = (a + p) > 0
    if weighted.any():
        f = a[weighted] / (a[weighted] + p[weighted])
        assert f.min() - 1e-12 <= pooled <= f.max() + 1e-12
    order = list(range(a.size))
    random.shuffle(order)
    assert math.isclose(
        float(tm.pooled_fulfilment_ratio(a[order], p[order])), pooled, rel_tol=1e-12
    )
    by_store = tm.pooled_fulfilment_ratio(m.actual_sales, m.projected_stockout_sales, axis=1)
    assert np.asarray(by_store).shape == (len(panel.stores),)


@given(histories_with_token(), st.none() | st.floats(0, 50))
def test_cycle_metrics_agree_with_the_single_formulas(
    data: tuple[Any, Any, float], fallback: float | None
) -> None:
    sales, inventory, token = data
    m = tm.cycle_metrics(sales, inventory, token_stock=token, fallback_daily_rate=fallback)
    assert same(m.days, np.full(sales.shape[:-1], sales.shape[-1]))
    assert same(m.stockout_days, tm.stockout_days(sales, inventory, token_stock=token))
    assert same(m.effective_days, tm.effective_sales_days(sales, inventory, token_stock=token))
    assert same(m.actual_sales, np.sum(sales, axis=-1, dtype=np.float64))
    expected_p = tm.projected_stockout_sales(
        m.actual_sales, m.effective_days, m.stockout_days, fallback_daily_rate=fallback
    )
    assert same(m.projected_stockout_sales, expected_p)
    assert same(m.fulfilment_ratio, tm.fulfilment_ratio(m.actual_sales, expected_p))
    assert same(m.closing_inventory, f64(inventory[..., -1]))
    assert same(m.average_daily_sales, f64(m.actual_sales) / sales.shape[-1])
    assert same(
        m.stock_to_sales_ratio, tm.stock_to_sales_ratio(m.closing_inventory, m.average_daily_sales)
    )


@given(sales_and_stock(stockouts="never", token_stock=1))
def test_never_out_loses_nothing(data: History) -> None:
    m = tm.cycle_metrics(*data, token_stock=1)
    assert np.all(m.stockout_days == 0)
    assert np.all(m.projected_stockout_sales == 0)
    assert np.all(m.fulfilment_ratio == 1.0)


@given(sales_and_stock(stockouts="always", token_stock=2), st.floats(0, 20))
def test_always_out_cannot_be_estimated(data: History, fallback: float) -> None:
    m = tm.cycle_metrics(*data, token_stock=2)
    assert same(m.stockout_days, m.days)
    assert np.all(m.effective_days == 0)
    assert np.all(m.actual_sales == 0)
    assert np.isnan(m.projected_stockout_sales).all()
    assert np.isnan(m.fulfilment_ratio).all()
    with_fallback = tm.cycle_metrics(*data, token_stock=2, fallback_daily_rate=fallback)
    assert same(with_fallback.projected_stockout_sales, fallback * f64(m.days))


@given(sales_and_stock(stockouts="token_only", token_stock=3))
def test_token_stock_only_is_out_only_by_the_token_rule(data: History) -> None:
    sales, inventory = data
    assert np.all(tm.stockout_days(sales, inventory) == 0)
    with_token = tm.stockout_days(sales, inventory, token_stock=3)
    assert np.all(with_token >= 0)
    assert same(with_token, np.sum((sales == 0) & (inventory <= 3), axis=-1))


@given(EXACT, TOKENS, POWERS_OF_TWO)
def test_cycle_metrics_scale_invariance(data: History, token: float, k: float) -> None:
    sales, inventory = (f64(values) for values in data)
    base = tm.cycle_metrics(sales, inventory, token_stock=token)
    scaled = tm.cycle_metrics(k * sales, k * inventory, token_stock=k * token)
    for name in ("stockout_days", "effective_days", "fulfilment_ratio", "stock_to_sales_ratio"):
        assert same(getattr(scaled, name), getattr(base, name)), name
    for name in ("actual_sales", "projected_stockout_sales", "closing_inventory"):
        assert same(getattr(scaled, name), k * f64(getattr(base, name))), name


@given(sales_and_stock(series_shapes=st.just((4,))), st.permutations(range(4)))
def test_series_are_independent(data: History, order: list[int]) -> None:
    sales, inventory = data
    base = tm.cycle_metrics(sales, inventory)
    permuted = tm.cycle_metrics(sales[order], inventory[order])
    for name in ("stockout_days", "actual_sales", "projected_stockout_sales", "fulfilment_ratio"):
        assert same(getattr(permuted, name), np.asarray(getattr(base, name))[order]), name


@given(histories_with_token(), st.data())
def test_excluding_days_equals_dropping_them(
    data: tuple[Any, Any, float], draw: st.DataObject
) -> None:
    sales, inventory, token = data
    exclude = draw.draw(exclusions(sales.shape[-1]))
    masked = tm.cycle_metrics(sales, inventory, token_stock=token, exclude=exclude)
    dropped = tm.cycle_metrics(sales[..., ~exclude], inventory[..., ~exclude], token_stock=token)
    for name in (
        "days",
        "stockout_days",
        "effective_days",
        "actual_sales",
        "projected_stockout_sales",
        "fulfilment_ratio",
        "closing_inventory",
        "stock_to_sales_ratio",
        "average_daily_sales",
    ):
        assert same(getattr(masked, name), getattr(dropped, name)), name


@given(delivery_cycles(), TOKENS)
def test_delivery_cycle_metrics_are_cycle_metrics(cycle: tm.DeliveryCycle, token: float) -> None:
    m = cycle.metrics(token_stock=token)
    exclude = cycle.closed_mask()
    expected = tm.cycle_metrics(cycle.sales, cycle.inventory, token_stock=token, exclude=exclude)
    assert m.to_dict() == expected.to_dict() or all(
        same(getattr(m, name), getattr(expected, name)) for name in m.to_dict()
    )


# =========================================================================== pricing


@given(st.lists(allocation_prices(max_value=10**6), min_size=1, max_size=20))
def test_price_class_is_monotone(prices: list[float]) -> None:
    ordered = sorted(prices)
    codes = tm.price_class(ordered)
    assert np.all((codes >= 1) & (codes <= 5))
    assert np.all(np.diff(codes.astype(int)) <= 0)  # a dearer price is never a lower class


@given(price_classes(), price_classes())
def test_price_class_bounds_are_inclusive(upper: tm.PriceClass, other: tm.PriceClass) -> None:
    del other
    bounds = tm.PriceClassThresholds().as_tuple()
    if upper <= 4:
        assert tm.price_class(bounds[upper - 1]) == upper


# =========================================================================== units

CONVERSIONS = [
    (tm.cartons_to_cases, tm.cases_to_cartons, 1 / 250),
    (tm.cartons_to_packs, tm.packs_to_cartons, 10),
    (tm.cartons_to_sticks, tm.sticks_to_cartons, 200),
]
# No subnormals: dividing one by 250 underflows, which no unit can help.
QUANTITIES = hnp.arrays(
    np.float64, st.integers(0, 6), elements=st.floats(-1e12, 1e12, allow_subnormal=False)
)


@pytest.mark.parametrize(("forward", "back", "factor"), CONVERSIONS)
@given(values=QUANTITIES)
def test_unit_conversions_round_trip_and_keep_sign(
    forward: Any, back: Any, factor: float, values: NDArray[Any]
) -> None:
    there = forward(values)
    assert np.allclose(there, values * factor, rtol=1e-15, atol=0)
    assert np.allclose(back(there), values, rtol=1e-14, atol=0)
    assert same(forward(-values), -there)  # odd: a change converts to a change
    assert same(np.isnan(forward(np.append(values, np.nan)))[-1], True)


@given(st.integers(-(10**9), 10**9))
def test_unit_conversions_agree(cartons: int) -> None:
    assert tm.cartons_to_packs(cartons) * tm.STICKS_PER_PACK == tm.cartons_to_sticks(cartons)
    assert math.isclose(tm.cartons_to_cases(cartons) * tm.CARTONS_PER_CASE, cartons, rel_tol=1e-15)


# =========================================================================== structure


PRICES = {level: allocation_prices(price_classes=st.just(level)) for level in tm.PriceClass}


@st.composite
def brand_sales(draw: st.DrawFn) -> tuple[NDArray[Any], NDArray[np.int64], NDArray[Any]]:
    """quantity[store, brand] from a panel, with each brand's class and allocation price."""
    panel = draw(panels(max_days=7, dtypes=st.just(np.dtype(np.int64)), scales=st.just(1)))
    quantity = panel.sales.sum(axis=-1)
    classes = draw(
        st.lists(price_classes(), min_size=len(panel.brands), max_size=len(panel.brands))
    )
    prices = [draw(PRICES[c]) for c in classes]
    return quantity, np.array([int(c) for c in classes]), np.array(prices)


@given(brand_sales())
def test_class_shares_sum_to_one(data: tuple[Any, Any, Any]) -> None:
    quantity, classes, _ = data
    shares = tm.class_shares(quantity, classes)
    sold = quantity.sum(axis=-1) > 0
    assert np.all((shares[sold] >= 0) & (shares[sold] <= 1))
    assert np.allclose(shares[sold].sum(axis=-1), 1.0, rtol=1e-12)
    assert np.isnan(shares[~sold]).all()


@given(brand_sales())
def test_share_at_or_above_is_cumulative(data: tuple[Any, Any, Any]) -> None:
    quantity, classes, _ = data
    shares = tm.class_shares(quantity, classes)
    previous = np.zeros(quantity.shape[0])
    for level in tm.PriceClass:
        share = tm.share_at_or_above(quantity, classes, level)
        assert np.allclose(share, shares[:, :level].sum(axis=-1), rtol=1e-12, equal_nan=True)
        known = ~np.isnan(share)
        assert np.all(share[known] >= previous[known] - 1e-12)  # monotone in the level
        previous = np.where(known, share, previous)
    sold = quantity.sum(axis=-1) > 0
    assert np.all(tm.share_at_or_above(quantity, classes, tm.PriceClass.V)[sold] == 1.0)


@given(brand_sales(), st.randoms(use_true_random=False), POWERS_OF_TWO)
def test_structure_ignores_brand_order_and_scale(
    data: tuple[Any, Any, Any], random: Any, k: float
) -> None:
    quantity, classes, _ = data
    order = list(range(quantity.shape[1]))
    random.shuffle(order)
    shares = tm.class_shares(quantity, classes)
    assert np.allclose(
        tm.class_shares(quantity[:, order], classes[order]), shares, rtol=1e-12, equal_nan=True
    )
    assert same(tm.class_shares(k * f64(quantity), classes), shares)


@given(brand_sales(), st.data())
def test_moving_volume_up_a_class_lifts_the_structure(
    data: tuple[Any, Any, Any], draw: st.DataObject
) -> None:
    quantity, classes, prices = data
    store = quantity[0].astype(np.float64)
    high, low = int(np.argmin(classes)), int(np.argmax(classes))
    assume(classes[high] < classes[low] and store[low] > 0)
    moved = draw.draw(st.integers(1, int(store[low])))
    after = store.copy()
    after[low] -= moved
    after[high] += moved
    level = draw.draw(price_classes())
    change = tm.structure_change(store, after, classes, level, price=prices)
    assert float(change.share_change) >= -1e-12
    assert float(change.price_per_case_change) > 0  # a dearer class has a dearer price
    assert float(change.share_change) == float(change.share_after) - float(change.share_before)


@given(sales_and_stock(min_days=2, cycle_days=2))
def test_ledger_sales_reads_the_daily_history(data: History) -> None:
    sales, inventory = data
    opening, closing = inventory[..., :-1], inventory[..., 1:]
    purchases = closing - opening + sales[..., 1:]
    sold = tm.ledger_sales(opening, purchases, closing)
    assert same(sold, f64(sales[..., 1:]))
    assert same(f64(opening) + f64(purchases) - sold, f64(closing))  # the round trip
    if np.any(sold > 0):
        with pytest.raises(tm.InconsistentLedgerError, match="does not balance"):
            # in float64: float32 sales of ~1.7e7 cartons would absorb the extra carton
            tm.ledger_sales(
                opening, np.zeros_like(purchases), f64(closing) + f64(sales[..., 1:]) + 1
            )


@given(brand_sales(), st.floats(0, 1), POWERS_OF_TWO)
def test_gross_profit_and_margin(data: tuple[Any, Any, Any], markup: float, k: float) -> None:
    quantity, _, prices = data
    retail = prices * (1 + markup)
    profit = tm.gross_profit(quantity, retail, prices)
    assert same(profit, f64(quantity) * (retail - prices))
    margin = tm.gross_margin(quantity, retail, prices)
    revenue = (quantity * retail).sum(axis=-1)
    sold = revenue > 0
    assert np.all(margin[sold] <= 1)
    assert np.allclose(margin[sold], profit.sum(axis=-1)[sold] / revenue[sold], rtol=1e-9)
    assert np.isnan(margin[~sold]).all()
    assert np.allclose(
        tm.gross_margin(k * f64(quantity), retail, prices), margin, rtol=1e-12, equal_nan=True
    )


@given(panels(), TOKENS)
def test_stockout_segment_is_monotone(panel: tm.Panel, token: float) -> None:
    m = panel.metrics(token_stock=token)
    share = np.ravel(m.stockout_days / m.days)
    labels = np.ravel(tm.stockout_segment(m.stockout_days, m.days))
    order = np.argsort(share, kind="stable")
    assert list(labels[order]) == sorted(labels[order], reverse=True)  # more out → earlier letter
    assert np.all((labels == "D") == (share <= 0.0))
    assert np.all((labels == "A") == (share >= 0.5))


# =========================================================================== visits

DAY = dt.date(2026, 3, 2)
STORES = ["C001", "C002", "C003", "C004", "C005"]
CODES = ["6901028000001", "6901028000002", "6901028000003"]


@given(visits(max_duration=dt.timedelta(hours=30)), visit_standards())
def test_check_visit_laws(visit: tm.Visit, standard: tm.VisitStandard) -> None:
    issues = {issue.code: issue for issue in tm.check_visit(visit, standard)}
    minutes = visit.duration.total_seconds() / 60
    assert ("too_short" in issues) == (minutes < standard.min_minutes)
    missing = standard.required_steps - visit.steps
    assert ("missing_steps" in issues) == bool(missing)
    if missing:
        assert issues["missing_steps"].steps == missing
    late = visit.end > dt.datetime.combine(visit.start.date(), standard.field_work_ends)
    assert ("after_field_hours" in issues) == late


@given(
    st.lists(
        visits(manager_ids=st.just("M07"), dates=st.just(DAY), store_ids=st.sampled_from(STORES)),
        max_size=8,
    ),
    st.lists(st.sampled_from(STORES), unique=True),
    st.sampled_from(tm.AreaType),
    st.randoms(use_true_random=False),
)
def test_daily_visit_report_laws(
    day: list[tm.Visit], plan: list[str], area: tm.AreaType, random: Any
) -> None:
    report = tm.daily_visit_report(day, planned_store_ids=plan, area=area)
    visited = {visit.store_id for visit in day}
    assert report.actual_visits == len(visited)
    assert report.planned_visits == len(plan)
    assert report.unvisited_store_ids == tuple(sorted(set(plan) - visited))
    assert report.unplanned_store_ids == tuple(sorted(visited - set(plan)))
    if plan:
        assert report.completion_rate == len(set(plan) & visited) / len(plan)
    else:
        assert math.isnan(report.completion_rate)
    assert report.meets_daily_standard == (report.actual_visits >= report.min_visits)
    # The order the visits come in changes nothing but the order of tied visits.
    shuffled = list(day)
    random.shuffle(shuffled)
    again = tm.daily_visit_report(shuffled, planned_store_ids=plan, area=area).to_dict()
    for key, value in report.to_dict().items():
        if isinstance(value, list):
            assert sorted(map(repr, again[key])) == sorted(map(repr, value)), key
        elif value == value:  # not NaN
            assert again[key] == value, key


@given(
    st.lists(
        visits(
            store_ids=st.sampled_from(STORES),
            recommended_brands=st.sampled_from(CODES),
            dates=st.dates(DAY, DAY + dt.timedelta(days=13)),
        ),
        max_size=6,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(STORES),
            st.sampled_from(CODES),
            st.dates(DAY - dt.timedelta(days=3), DAY + dt.timedelta(days=25)),
        ),
        max_size=10,
    ),
    st.integers(0, 14),
    st.randoms(use_true_random=False),
)
def test_recommendation_adoption_laws(
    day: list[tm.Visit], orders: list[tuple[str, str, dt.date]], within: int, random: Any
) -> None:
    result = tm.recommendation_adoption(day, orders, within_days=within)
    pairs = {(v.store_id, b) for v in day for b in v.recommended_brands}
    assert result.recommended == len(pairs)
    assert set(result.adopted) | set(result.pending) == pairs
    assert not set(result.adopted) & set(result.pending)
    if pairs:
        assert result.rate == len(result.adopted) / len(pairs)
    wider = tm.recommendation_adoption(day, orders, within_days=within + 3)
    assert set(result.adopted) <= set(wider.adopted)  # a longer window adopts no fewer
    shuffled = list(orders)
    random.shuffle(shuffled)
    assert tm.recommendation_adoption(day, shuffled, within_days=within).adopted == result.adopted


@given(
    hnp.arrays(np.float64, st.integers(1, 5), elements=st.floats(0, 1e5)),
    st.floats(1, 1e5),
    st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
)
def test_agreement_progress_laws(ordered: NDArray[Any], agreed: float, day: dt.date) -> None:
    p = tm.agreement_progress(ordered, agreed, day)
    assert same(p.progress, ordered / agreed)
    assert float(p.elapsed) == day.day / calendar.monthrange(day.year, day.month)[1]
    assert 0 < p.elapsed <= 1
    assert same(p.gap, p.progress - p.elapsed)
    assert np.all(tm.agreement_progress(ordered + 1, agreed, day).progress >= p.progress)


@given(
    st.lists(st.integers(1, 5_000), min_size=1, max_size=4),
    st.integers(2024, 2028),
    st.integers(1, 12),
    st.integers(0, 6),
    st.sets(st.integers(1, 28), max_size=10),
    st.integers(1, 28),
)
def test_agreement_progress_against_a_plan(
    totals: list[int], year: int, month: int, weekday: int, off: set[int], day: int
) -> None:
    # A store that orders exactly its weekly limits is on plan (gap 0) on every day,
    # whatever holidays moved or dropped its order days; the calendar's share is not.
    holidays = [dt.date(year, month, d) for d in sorted(off)]
    try:
        plan = tm.weekly_limits(totals, year, month, order_weekday=weekday, holidays=holidays)
    except tm.TobaccoMetricsError:
        assume(False)  # no order day left in the month
        raise
    assert isinstance(plan, tm.WeeklyLimits)
    as_of = dt.date(year, month, day)
    share = np.asarray(plan.due_share(as_of))
    placed = [order <= as_of for order in plan.order_days]
    due = plan.limits[:, placed].sum(axis=-1)
    assert np.array_equal(share, due / np.asarray(totals))
    later = np.asarray(plan.due_share(as_of + dt.timedelta(days=1)))
    assert np.all((share >= 0) & (share <= later) & (later <= 1))
    p = tm.agreement_progress(due, totals, as_of, plan=plan)
    assert np.array_equal(p.gap, np.zeros(len(totals)))
    assert np.array_equal(p.elapsed, share)
    one = tm.weekly_limits(totals[0], year, month, order_weekday=weekday, holidays=holidays)
    assert float(tm.agreement_progress(due[0], totals[0], as_of, plan=one).gap) == 0.0


def test_agreement_progress_plan_refusals() -> None:
    plan = tm.weekly_limits([100, 0], 2026, 3, order_weekday=1)
    with pytest.raises(tm.InvalidValueError, match="'plan' has a row of no cartons"):
        tm.agreement_progress([10, 0], [100, 1], "2026-03-10", plan=plan)
    with pytest.raises(TypeError, match="'plan' must be a WeeklyLimits or a sequence"):
        tm.agreement_progress(10, 100, "2026-03-10", plan=[1, 2])  # type: ignore[list-item]
    three = tm.weekly_limits([1, 2, 3], 2026, 3, order_weekday=1)
    with pytest.raises(tm.ShapeMismatchError):
        tm.agreement_progress([1, 2], [5, 5], "2026-03-10", plan=three)


@given(
    st.lists(promotion_tiers(), min_size=1, max_size=5, unique_by=lambda t: t.threshold),
    st.integers(0, 12_000),
    st.randoms(use_true_random=False),
)
def test_promotion_tier_laws(tiers: list[tm.PromotionTier], cumulative: int, random: Any) -> None:
    reached, to_next = tm.promotion_tier(cumulative, tiers)
    thresholds = sorted(t.threshold for t in tiers)
    below = [t for t in thresholds if t <= cumulative]
    above = [t for t in thresholds if t > cumulative]
    assert (reached.threshold if reached else None) == (below[-1] if below else None)
    assert to_next == (above[0] - cumulative if above else None)
    shuffled = list(tiers)
    random.shuffle(shuffled)
    assert tm.promotion_tier(cumulative, shuffled) == (reached, to_next)
    higher, _ = tm.promotion_tier(cumulative + 100, tiers)
    assert (higher.threshold if higher else 0) >= (reached.threshold if reached else 0)


# =========================================================================== work calendar


@given(
    st.integers(1900, 2200),
    st.integers(1, 12),
    st.lists(st.dates(dt.date(1899, 12, 1), dt.date(2201, 1, 31)), max_size=8),
)
def test_monthly_work_calendar_laws(year: int, month: int, holidays: list[dt.date]) -> None:
    tasks = tm.monthly_work_calendar(year, month, holidays=holidays)
    days_in_month = calendar.monthrange(year, month)[1]
    assert [t.date for t in tasks] == sorted(t.date for t in tasks)
    assert all(t.date.year == year and t.date.month == month for t in tasks)
    assert all(t.end.month == month and t.end >= t.date for t in tasks)
    kinds = [t.kind for t in tasks]
    assert kinds.count("month_summary") == kinds.count("next_month_plan") == 1
    assert next(t for t in tasks if t.kind == "month_summary").date.day == 1
    plan = next(t for t in tasks if t.kind == "next_month_plan").date
    holiday_set = set(holidays)
    assert plan.weekday() < 5
    assert plan not in holiday_set
    later = [dt.date(year, month, d) for d in range(plan.day + 1, days_in_month + 1)]
    assert all(d.weekday() >= 5 or d in holiday_set for d in later)
    mondays = [
        dt.date(year, month, d)
        for d in range(1, days_in_month + 1)
        if dt.date(year, month, d).weekday() == 0
    ]
    assert [t.date for t in tasks if t.kind == "week_summary"] == mondays
    inside = [d for d in holidays if d.year == year and d.month == month]
    assert tm.monthly_work_calendar(year, month, holidays=inside) == tasks


# =========================================================================== quota

WEIGHTS = st.lists(st.integers(0, 1000) | st.floats(0, 1000), min_size=1, max_size=8)


@given(st.integers(0, 10**6), WEIGHTS, st.sampled_from([1, 2, 3, 4]))
def test_split_total_laws(total: int, weights: list[float], k: int) -> None:
    assume(sum(weights) > 0 or total == 0)
    parts = tm.split_total(total, weights)
    assert parts.sum() == total
    w = np.array(weights, dtype=np.float64)
    if w.sum() > 0:
        share = total * w / w.sum()
        assert np.all(parts >= np.floor(share) - 1e-9)
        assert np.all(parts <= np.ceil(share) + 1e-9)
    assert np.all(parts[w == 0] == 0)
    for i in range(len(w)):
        for j in range(len(w)):
            if w[i] > w[j]:
                assert parts[i] >= parts[j]
    if all(isinstance(x, int) for x in weights):
        assert same(tm.split_total(total, [k * x for x in weights]), parts)


@given(
    hnp.arrays(np.int64, st.tuples(st.integers(1, 3), st.just(5)), elements=st.integers(0, 10**4)),
    st.integers(1900, 2200),
    st.integers(1, 12),
    st.integers(0, 6),
    st.sets(st.integers(1, 5)),
)
def test_class_limits_laws(
    totals: NDArray[Any], year: int, month: int, weekday: int, held: set[int]
) -> None:
    limits = tm.class_limits(totals, year, month, order_weekday=weekday, held=held)
    assert [int(c) for c in limits.held] == sorted(held)
    assert sorted(int(c) for c in limits.free) == sorted(set(range(1, 6)) - held)
    assert limits.limits.shape == (totals.shape[0], len(held), len(limits.order_days))
    for k, code in enumerate(limits.held):
        # each held class: its total's weekly limits, summing exactly to it
        assert (limits.limits[:, k, :].sum(axis=-1) == totals[:, code - 1]).all()
        for row in range(totals.shape[0]):
            expected = tm.weekly_limits(
                int(totals[row, code - 1]), year, month, order_weekday=weekday
            )
            assert limits.limits[row, k, :].tolist() == [c.limit for c in expected]


@given(histories_with_token(), st.none() | st.floats(0, 20))
def test_base_daily_rate_laws(data: tuple[Any, Any, float], fallback: float | None) -> None:
    sales, inventory, token = data
    rate = tm.base_daily_rate(sales, inventory, token_stock=token, fallback_daily_rate=fallback)
    m = tm.cycle_metrics(sales, inventory, token_stock=token)
    effective = np.asarray(m.effective_days)
    selling = effective > 0
    expected = np.full(effective.shape, np.nan if fallback is None else fallback)
    np.divide(f64(m.actual_sales), effective, out=expected, where=selling)
    assert np.allclose(rate, expected, rtol=1e-12, equal_nan=True)


@given(histories_with_token(), st.integers(1, 14), st.floats(0, 3))
def test_reasonable_quota_laws(data: tuple[Any, Any, float], days: int, factor: float) -> None:
    sales, inventory, token = data
    rate = tm.base_daily_rate(sales, inventory, token_stock=token, fallback_daily_rate=1.0)
    exact = tm.reasonable_quota(
        sales,
        inventory,
        token_stock=token,
        cycle_days=days,
        adjustment=factor,
        rounding=None,
        fallback_daily_rate=1.0,
    )
    assert np.allclose(exact, rate * days * factor, rtol=1e-12)
    low = tm.reasonable_quota(
        sales,
        inventory,
        token_stock=token,
        cycle_days=days,
        adjustment=factor,
        rounding="floor",
        fallback_daily_rate=1.0,
    )
    high = tm.reasonable_quota(
        sales,
        inventory,
        token_stock=token,
        cycle_days=days,
        adjustment=factor,
        rounding="ceil",
        fallback_daily_rate=1.0,
    )
    near = tm.reasonable_quota(
        sales,
        inventory,
        token_stock=token,
        cycle_days=days,
        adjustment=factor,
        fallback_daily_rate=1.0,
    )
    assert np.all(low <= high)
    assert np.all((low <= near) & (near <= high))
    # Half up, a value within 1e-9 (relative) of a half carton taken as that half.
    assert np.all(np.abs(near - exact) <= 0.5 + 1e-9 * np.maximum(1.0, np.abs(exact)))
    assert np.all(high - low <= 1)


@given(
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    st.integers(0, 400),
    st.lists(st.dates(dt.date(2019, 1, 1), dt.date(2032, 12, 31)), max_size=10),
)
def test_holiday_mask_laws(start: dt.date, days: int, holidays: list[dt.date]) -> None:
    mask = tm.holiday_mask(start, days, holidays)
    assert mask.shape == (days,)
    inside = {d for d in holidays if 0 <= (d - start).days < days}
    assert int(mask.sum()) == len(inside)
    assert all(mask[(d - start).days] for d in inside)


# =========================================================================== panel


@given(panels(), TOKENS, st.data())
def test_panel_metrics_are_cycle_metrics(
    panel: tm.Panel, token: float, draw: st.DataObject
) -> None:
    exclude = draw.draw(st.none() | exclusions(panel.n_days))
    fallback = draw.draw(st.none() | st.floats(0, 10))
    m = panel.metrics(token_stock=token, exclude=exclude, fallback_daily_rate=fallback)
    expected = tm.cycle_metrics(
        panel.sales,
        panel.inventory,
        token_stock=token,
        exclude=exclude,
        fallback_daily_rate=fallback,
    )
    for name in (
        "days",
        "stockout_days",
        "effective_days",
        "actual_sales",
        "projected_stockout_sales",
        "fulfilment_ratio",
        "stock_to_sales_ratio",
        "closing_inventory",
        "average_daily_sales",
    ):
        assert same(getattr(m, name), getattr(expected, name)), name


@given(panels())
def test_panel_long_table_round_trip(panel: tm.Panel) -> None:
    columns = panel.to_long()
    again = tm.Panel.from_long(
        columns["store"], columns["brand"], columns["date"], columns["sales"], columns["inventory"]
    )
    assert again.start == panel.start
    assert set(again.stores) == set(panel.stores)
    assert set(again.brands) == set(panel.brands)
    stores = [panel.stores.index(s) for s in again.stores]
    brands = [panel.brands.index(b) for b in again.brands]
    assert same(again.sales, panel.sales[np.ix_(stores, brands)])
    assert same(again.inventory, panel.inventory[np.ix_(stores, brands)])


@given(panels(cycle_days=7, min_days=7))
def test_panel_cycles_add_up(panel: tm.Panel) -> None:
    whole = panel.metrics()
    parts = [cycle.metrics() for cycle in panel.cycles(7, partial="keep")]
    assert same(sum(f64(p.actual_sales) for p in parts), whole.actual_sales)
    assert same(sum(np.asarray(p.stockout_days) for p in parts), whole.stockout_days)
    assert same(sum(np.asarray(p.days) for p in parts), whole.days)


@given(panels())
def test_pooled_panel_metrics_are_ratios_of_sums(panel: tm.Panel) -> None:
    m = panel.metrics()
    by_store = m.by_store()
    assert same(by_store.fulfilment_ratio, m.pooled_fulfilment_ratio(axis=1))
    assert same(by_store.actual_sales, np.sum(m.actual_sales, axis=1))
    by_brand = m.by_brand()
    assert same(by_brand.fulfilment_ratio, m.pooled_fulfilment_ratio(axis=0))


# =========================================================================== simulate


@given(
    hnp.arrays(
        np.float64, st.tuples(st.integers(1, 3), st.integers(1, 21)), elements=st.floats(0, 30)
    ),
    st.integers(0, 150),
    st.integers(1, 7),
    st.integers(0, 3),
    st.integers(0, 2**32),
    st.sampled_from([math.inf, 0.5, 4.0]),
)
def test_simulate_sales_identities(
    mean: NDArray[Any], quota: int, cycle: int, token: int, seed: int, size: float
) -> None:
    run = tm.simulate_sales(
        mean,
        quota,
        start="2026-03-02",
        seed=seed,
        cycle_days=cycle,
        token_stock=token,
        dispersion=size,
    )
    previous = np.concatenate([run.opening_inventory[..., None], run.inventory[..., :-1]], -1)
    assert same(run.inventory, previous + run.deliveries - run.sales)
    assert np.all(run.sales <= run.demand)
    assert same(run.lost_sales, run.demand - run.sales)
    delivery_day = np.arange(mean.shape[-1]) % cycle == 0
    assert np.all(run.deliveries[..., ~delivery_day] == 0)
    assert np.all(run.lost_sales[run.inventory > run.token_stock[..., None]] == 0)
    again = tm.simulate_sales(
        mean,
        quota,
        start="2026-03-02",
        seed=seed,
        cycle_days=cycle,
        token_stock=token,
        dispersion=size,
    )
    assert same(again.demand, run.demand)  # the same seed gives the same district


@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**32))
def test_simulate_district_shapes(stores: int, brands: int, cycles: int, seed: int) -> None:
    district = tm.simulate_district(stores, brands, cycles, seed=seed)
    assert district.sales.shape == (stores, brands, cycles * 7)
    assert np.all(district.deliveries[..., np.arange(cycles * 7) % 7 != 0] == 0)


# =========================================================================== lost sales


@given(panels(cycle_days=7, min_days=7, max_days=21), TOKENS)
def test_seed_lost_sales_is_the_source_formula_per_cycle(panel: tm.Panel, token: float) -> None:
    whole = panel.n_days - panel.n_days % 7
    assume(whole > 0)
    sales, stock = panel.sales[..., :whole], panel.inventory[..., :whole]
    lost = tm.lost_sales(sales, stock, token_stock=token)
    for k in range(whole // 7):
        m = tm.cycle_metrics(
            sales[..., 7 * k : 7 * k + 7], stock[..., 7 * k : 7 * k + 7], token_stock=token
        )
        assert same(lost[..., k], m.projected_stockout_sales)


@given(sales_and_stock(), TOKENS, st.none() | st.floats(0, 10))
def test_seed_daily_demand_is_the_base_daily_rate(
    data: History, token: float, fallback: float | None
) -> None:
    sales, stock = data
    assert same(
        tm.estimate_daily_demand(sales, stock, token_stock=token, fallback_daily_rate=fallback),
        tm.base_daily_rate(sales, stock, token_stock=token, fallback_daily_rate=fallback),
    )


@given(
    sales_and_stock(
        min_days=14,
        max_days=14,
        series_shapes=st.just((3,)),
        dtypes=st.just(np.dtype(np.int64)),
        scales=st.just(1),
    ),
    st.sampled_from(["weekday", "censored"]),
)
def test_model_lost_sales_laws(data: History, method: tm.LostSalesMethod) -> None:
    sales, stock = data
    with (
        pytest.warns(DeprecationWarning, match="'weekday' is deprecated")
        if method == "weekday"
        else contextlib.nullcontext()
    ):
        lost = tm.lost_sales(sales, stock, method=method, start="2026-03-02")
    assert lost.shape == (3, 2)
    known = ~np.isnan(lost)
    assert np.all(lost[known] >= 0)
    # A series that closed every day with stock lost nothing (a day that sold out is
    # censored even when it sold: the censored method values its afternoon).
    never_out = (stock > 0).all(axis=-1)
    assert np.all(lost[never_out & known.all(axis=-1)] == 0)


@given(
    sales_and_stock(
        min_days=14,
        max_days=14,
        stockouts="never",
        dtypes=st.just(np.dtype(np.int64)),
        scales=st.just(1),
    ),
    st.sampled_from(tm.LOST_SALES_METHODS),
)
def test_nothing_is_lost_when_never_out(data: History, method: tm.LostSalesMethod) -> None:
    with (
        pytest.warns(DeprecationWarning, match="'weekday' is deprecated")
        if method == "weekday"
        else contextlib.nullcontext()
    ):
        lost = tm.lost_sales(*data, method=method, start="2026-03-02")
    assert np.all(lost == 0)


# --------------------------------------------------------------------------- decisions, assessment

WINDOWS = sales_and_stock(
    min_days=14,
    max_days=14,
    dtypes=st.just(np.dtype(np.int64)),
    scales=st.just(1),
    series_shapes=hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
)


@given(WINDOWS, st.integers(0, 60), st.floats(0, 1), st.floats(0, 1.5))
def test_quota_review_laws(data: History, quota: int, target: float, change: float) -> None:
    sales, stock = data
    review = tm.quota_review(quota, sales, stock, target_fulfilment=target, max_change=change)
    proposed = f64(review.proposed)
    assert np.all(proposed <= quota * (1 + change) + 1e-9)
    assert np.all(proposed >= quota * (1 - change) - 1e-9)
    assert np.all((review.action == "raise") == (review.proposed > quota))
    assert np.all((review.action == "cut") == (review.proposed < quota))
    assert not np.any((review.action == "raise") & ~review.reasons.stockouts)
    assert not np.any((review.action == "cut") & ~review.reasons.overstock)
    calm = (tm.stockout_days(sales, stock) == 0) & (review.cover <= 7.0)
    assert np.all(review.action[calm] == "hold")


@given(WINDOWS, st.integers(1, 60))
def test_quota_review_rationed_stockouts_never_raise(data: History, quota: int) -> None:
    sales, stock = data
    cycles = tm.stockout_days(
        sales.reshape(*sales.shape[:-1], 2, 7), stock.reshape(*stock.shape[:-1], 2, 7)
    )
    supplied = np.where(cycles > 0, quota - 1, quota)
    review = tm.quota_review(quota, sales, stock, supplied=supplied)
    assert not np.any(review.action == "raise")


@given(WINDOWS, st.floats(0, 0.999), st.floats(0, 0.999))
def test_service_quota_laws(data: History, a: float, b: float) -> None:
    sales, stock = data
    low, high = min(a, b), max(a, b)
    q_low = f64(tm.service_quota(sales, stock, fill_rate=low, method="seed"))
    q_high = f64(tm.service_quota(sales, stock, fill_rate=high, method="seed"))
    known = ~np.isnan(q_low)
    assert np.all(q_low[known] <= q_high[known])
    mean = f64(tm.estimate_daily_demand(sales, stock)) * 7
    assert np.all(q_high[known] >= high * mean[known] - 1e-9)
    assert np.all(q_high[known] == np.floor(q_high[known]))


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2), elements=st.floats(0, 1e6)))
def test_cover_status_partitions_the_line(cover: NDArray[np.float64]) -> None:
    status = tm.cover_status(cover, cover_range=(2.0, 7.0))
    assert np.all((status == "short") == (cover < 2.0))
    assert np.all((status == "ok") == ((cover >= 2.0) & (cover <= 7.0)))
    assert np.all((status == "overstock") == (cover > 7.0))


@given(sales_and_stock(series_shapes=hnp.array_shapes(min_dims=1, max_dims=2, max_side=4)))
def test_scorecard_one_group_is_panel_wide(data: History) -> None:
    metrics = tm.cycle_metrics(*data)
    card = tm.scorecard(metrics, "all")
    # Equal up to the order of the sums (a group's bincount against the panel's pairwise sum).
    assert card.fulfilment[0] == pytest.approx(
        metrics.pooled_fulfilment_ratio(), rel=1e-12, nan_ok=True
    )
    assert card.stockout_rate[0] == pytest.approx(
        np.sum(metrics.stockout_days) / np.sum(metrics.days), rel=1e-12
    )
    assert card.series[0] == np.size(metrics.days)


@given(
    hnp.arrays(
        np.int64, hnp.array_shapes(min_dims=3, max_dims=3, max_side=4), elements=st.integers(0, 9)
    ),
    st.randoms(use_true_random=False),
)
def test_panel_from_frame_round_trips_a_panel_in_any_row_order(
    sales: NDArray[np.int64], order: Any
) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    n_stores, n_brands, _ = sales.shape
    panel = tm.Panel(
        [f"C{i}" for i in range(n_stores)],
        [f"B{j}" for j in range(n_brands)],
        "2026-03-02",
        sales,
        sales[..., ::-1],
    )
    frame = pd.DataFrame(panel.to_long())
    rows = list(range(len(frame)))
    order.shuffle(rows)
    again = tm.Panel.from_frame(frame.iloc[rows])
    assert again.stores == panel.stores
    assert again.brands == panel.brands
    assert again.start == panel.start
    assert np.array_equal(again.sales, panel.sales)
    assert np.array_equal(again.inventory, panel.inventory)


# The subject files that hold their subject's laws (docs/laws.md names them).
LAW_FILES = ("test_quota.py", "test_structure.py")


def _names_used_by_property_tests(path: Path) -> set[str]:
    """Every name called or read inside a Hypothesis test (a function under ``@given``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        decorators = [d.func if isinstance(d, ast.Call) else d for d in node.decorator_list]
        if not any(isinstance(d, ast.Name) and d.id == "given" for d in decorators):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name):
                names.add(inner.id)
            elif isinstance(inner, ast.Attribute):
                names.add(inner.attr)
    return names


def test_every_formula_has_a_law() -> None:
    """Every public function of the package is exercised by a law, here or in its subject file."""
    source = inspect.getsource(inspect.getmodule(test_every_formula_has_a_law))  # type: ignore[arg-type]
    here = Path(__file__).resolve().parent
    elsewhere = set().union(*(_names_used_by_property_tests(here / name) for name in LAW_FILES))
    functions = [n for n in tm.__all__ if inspect.isfunction(getattr(tm, n))]
    untested = [
        n for n in functions if not re.search(rf"\btm\.{n}\b", source) and n not in elsewhere
    ]
    assert not untested, f"formulas without a law: {untested}"


# --------------------------------------------------------------------------- reading an export


@settings(max_examples=30, deadline=None)
@given(long_exports(max_not_carried=1))
def test_read_export_of_a_dirty_export_is_its_clean_twin(
    tmp_path_factory: pytest.TempPathFactory, export: Any
) -> None:
    """An export file written from any drawn history, with the dirt of real exports
    (padded labels, mixed date formats, rows in any order, gaps, series not carried,
    repeated rows), reads as the history: read_export is the reader the strategy describes."""
    import csv
    import warnings

    path = tmp_path_factory.mktemp("export") / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["store", "brand", "date", "sales", "inventory"])
        writer.writerows(export.rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tm.ExportNote)  # collapsed rows, pairs not carried
        read = tm.read_export(path, missing="no_movement")
    clean = export.clean
    assert (read.stores, read.brands, read.start) == (clean.stores, clean.brands, clean.start)
    np.testing.assert_array_equal(read.sales, clean.sales)
    np.testing.assert_array_equal(read.inventory, clean.inventory)
    np.testing.assert_array_equal(read.carried, clean.carried)


# --------------------------------------------------------------------------- screening (issue 17)


@given(sales_and_stock(token_stock=1, stockouts="never", min_days=2))
def test_a_consistent_never_out_history_raises_no_distortion(history: History) -> None:
    sales, stock = history
    purchases = np.zeros(sales.shape)
    purchases[..., 1:] = f64(stock[..., 1:]) - f64(stock[..., :-1]) + f64(sales[..., 1:])
    flags = tm.distortion_flags(sales, stock, token=1, min_days=1, purchases=purchases)
    assert not np.asarray(flags.flagged).any()


@given(
    sales_and_stock(series_shapes=st.just((3, 2)), min_days=14, max_days=14),
    POWERS_OF_TWO,
)
def test_volatility_is_scale_free(history: History, scale: float) -> None:
    sales = f64(history[0])
    plain = tm.volatile_customers(sales)
    scaled = tm.volatile_customers(sales * scale)
    # a power of two scales every cycle, mean and std exactly
    assert same(scaled.cv, plain.cv)
    assert same(scaled.order, plain.order)


@given(
    st.lists(st.sampled_from([*tm.SupplyStatus, None]), min_size=1, max_size=6),
    st.integers(0, 40),
    st.integers(0, 80),
)
def test_a_control_cap_never_raises_a_quota(
    status: list[tm.SupplyStatus | None], level: int, quota: int
) -> None:
    caps = np.asarray(tm.control_caps(status, level))
    assert np.all(np.fmin(quota, caps) <= quota)
    controlled = np.array([s in tm.DEFAULT_CAPPED_STATUSES for s in status])
    assert np.all(caps[controlled] == level)
    assert np.all(np.isnan(caps[~controlled]))


@given(
    st.integers(2000, 2100),
    st.integers(1, 12),
    st.sets(st.integers(1, 28), max_size=5),
    st.sets(st.integers(1, 28), max_size=3),
)
def test_working_days_are_the_weekdays_less_the_holidays_plus_the_makeup_days(
    year: int, month: int, holidays: set[int], worked: set[int]
) -> None:
    # the make-up days (调休) drawn among the weekend days that are not holidays
    makeup = {d for d in worked - holidays if dt.date(year, month, d).weekday() >= 5}
    days = tm.working_days(
        year,
        month,
        holidays=[dt.date(year, month, d) for d in holidays],
        makeup_workdays=[dt.date(year, month, d) for d in makeup],
    )
    n = calendar.monthrange(year, month)[1]
    expected = [
        dt.date(year, month, d)
        for d in range(1, n + 1)
        if (dt.date(year, month, d).weekday() < 5 and d not in holidays) or d in makeup
    ]
    assert list(days) == expected


@given(st.integers(1, 12), st.lists(st.integers(0, 6), min_size=1, max_size=8), st.integers(0, 3))
def test_a_schedule_meets_the_minimum_and_each_frequency(
    month: int, frequency: list[int], minimum: int
) -> None:
    stores = [f"C{i}" for i in range(len(frequency))]
    assume(minimum <= len(stores))
    plan = tm.visit_schedule(
        stores,
        frequency,
        2026,
        month,
        area="rural",
        standard=tm.VisitStandard(min_visits_rural=minimum),
    )
    assert np.all(plan.daily_counts >= minimum)
    assert np.all(plan.visit_counts >= np.asarray(frequency))


@given(panels(max_stores=4, max_brands=3), st.data())
def test_route_average_stock_is_the_visited_stores_mean(panel: tm.Panel, data: Any) -> None:
    visited = data.draw(st.sets(st.sampled_from(panel.stores), min_size=1))
    classes = data.draw(
        st.lists(st.integers(1, 5), min_size=len(panel.brands), max_size=len(panel.brands))
    )
    report = tm.route_stock_report(panel, visited=visited, price_class=classes)
    rows = [i for i, s in enumerate(panel.stores) if s in visited]
    closing = np.asarray(
        tm.cycle_metrics(panel.sales[rows], panel.inventory[rows]).closing_inventory
    )
    assert report.average_stock == pytest.approx(closing.sum() / len(rows))
    assert len(report.short_stores + report.in_range_stores + report.overstock_stores) == len(rows)


# --------------------------------------------------------------------------- demand model


@given(
    sales_and_stock(
        min_days=14,
        max_days=14,
        series_shapes=st.just((3,)),
        dtypes=st.just(np.dtype(np.int64)),
        scales=st.just(1),
    )
)
def test_fit_demand_is_lost_sales_per_day(data: History) -> None:
    """The model's lost sales per cycle are the sums of its lost sales per day."""
    sales, stock = data
    fit = tm.fit_demand(sales, stock, start="2026-03-02")
    lost = tm.lost_sales(sales, stock, method="censored", start="2026-03-02")
    assert same(np.nansum(fit.lost.reshape(3, 2, 7), axis=-1), np.nan_to_num(lost))
