"""The daily report's stock items (4–6): worked example, agreement with the formulas, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import (
    InconsistentLedgerError,
    InvalidValueError,
    MissingDataError,
    Panel,
    ShapeMismatchError,
    route_stock_report,
)

# Three stores × three brands (class I, class IV, a new class III) × 7 days.
SALES = np.array(
    [
        [[1, 1, 1, 1, 1, 1, 1], [3, 3, 3, 3, 3, 3, 3], [1, 0, 1, 0, 1, 0, 1]],
        [[0, 0, 0, 0, 0, 0, 0], [2, 2, 2, 0, 0, 2, 2], [0, 0, 0, 0, 0, 0, 0]],
        [[2, 2, 2, 2, 2, 2, 2], [5, 5, 5, 5, 5, 5, 5], [2, 2, 2, 2, 2, 2, 2]],
    ]
)
STOCK = np.array(
    [
        [[6, 5, 4, 3, 2, 1, 7], [20, 17, 14, 11, 8, 5, 30], [5, 5, 4, 4, 3, 3, 2]],
        [[9, 9, 9, 9, 9, 9, 9], [4, 2, 0, 0, 0, 10, 8], [2, 2, 2, 2, 2, 2, 2]],
        [[8, 6, 4, 2, 0, 8, 6], [9, 4, 0, 5, 0, 5, 0], [9, 7, 5, 3, 1, 9, 7]],
    ]
)
PANEL = Panel(["C1", "C2", "C3"], ["CLASS-I", "CLASS-IV", "NEW"], "2026-03-02", SALES, STOCK)
CLASSES = [1, 4, 3]
PURCHASES = [[0, 0, 6], [0, 0, 2], [0, 0, 20]]


def test_route_stock_report_worked_example() -> None:
    report = route_stock_report(
        PANEL,
        visited=["C2", "C1"],
        price_class=CLASSES,
        key_customers={"C2"},
        new_brands={"NEW"},
        purchases=PURCHASES,
    )
    assert report.stores == ("C1", "C2")
    # closing stock: C1 7 + 30 + 2 = 39, C2 9 + 8 + 2 = 19 → mean 29
    assert report.average_stock == 29
    # daily sales: C1 (7 + 21 + 4) / 7 = 32/7, C2 10/7 → mean 3
    assert report.daily_sales_per_store == pytest.approx(3)
    assert report.stock_to_sales_ratio == pytest.approx(58 / 6)
    # C1 39 / (32/7) = 8.53 days, C2 19 / (10/7) = 13.3 days: both overstocked
    assert report.overstock_stores == ("C1", "C2")
    assert report.short_stores == report.in_range_stores == ()
    # stock by class: I 16, III 4, IV 38 of 58; sales: I 7, III 4, IV 31 of 42
    assert report.stock_class_shares == pytest.approx((16 / 58, 0, 4 / 58, 38 / 58, 0))
    assert report.sales_class_shares == pytest.approx((7 / 42, 0, 4 / 42, 31 / 42, 0))
    assert report.structure_gap[3] == pytest.approx(38 / 58 - 31 / 42)
    (key,) = report.key_customers
    assert key.store == "C2"
    assert key.inventory == 19
    assert key.stock_to_sales_ratio == pytest.approx(13.3)
    assert key.stockout_days == 2  # CLASS-IV days 3 and 4: no sales, no stock
    # CLASS-I sold nothing and lost nothing; CLASS-IV: A 10, E 5, S 2 → P 4
    assert key.fulfilment_ratio == pytest.approx(10 / 14)
    assert key.brands_out == ()
    (new,) = report.new_brands
    assert new.brand == "NEW"
    assert new.ordered == 2
    assert new.fast == ("C1",)  # 4 of 6 sold
    assert new.slow == ("C2",)  # 0 of 2
    assert new.sell_through == pytest.approx(4 / 8)
    assert report.to_dict()["key_customers"][0]["store"] == "C2"


def test_without_key_customers_or_new_brands() -> None:
    report = route_stock_report(PANEL, visited={"C3"}, price_class=CLASSES, cover_range=(0, 1))
    assert report.key_customers == ()
    assert report.new_brands == ()
    # C3 closes with 6 + 0 + 7 = 13 against 9 a day: 1.44 days, above (0, 1)
    assert report.overstock_stores == ("C3",)


def test_brands_out_and_nan_sell_through() -> None:
    report = route_stock_report(
        PANEL,
        visited={"C3"},
        price_class=CLASSES,
        key_customers={"C3"},
        new_brands={"NEW"},
        purchases=[[0, 0, 6], [0, 0, 2], [0, 0, 14]],
    )
    assert report.key_customers[0].brands_out == ("CLASS-IV",)
    assert report.new_brands[0].sell_through == 1.0
    nobody = route_stock_report(
        PANEL,
        visited={"C2"},
        price_class=CLASSES,
        new_brands={"NEW"},
        purchases=[[0, 0, 6], [0, 0, 0], [0, 0, 14]],
    )
    assert nobody.new_brands[0].ordered == 0
    assert math.isnan(nobody.new_brands[0].sell_through)


def test_route_stock_report_errors() -> None:
    with pytest.raises(MissingDataError, match="'visited' names stores not in the panel"):
        route_stock_report(PANEL, visited={"C9"}, price_class=CLASSES)
    with pytest.raises(InvalidValueError, match="at least one store"):
        route_stock_report(PANEL, visited=set(), price_class=CLASSES)
    with pytest.raises(MissingDataError, match="without 'purchases'"):
        route_stock_report(PANEL, visited={"C1"}, price_class=CLASSES, new_brands={"NEW"})
    with pytest.raises(ShapeMismatchError, match="'purchases' must be shaped"):
        route_stock_report(
            PANEL, visited={"C1"}, price_class=CLASSES, new_brands={"NEW"}, purchases=[1, 2, 3]
        )
    with pytest.raises(InconsistentLedgerError):
        route_stock_report(
            PANEL,
            visited={"C3"},
            price_class=CLASSES,
            new_brands={"NEW"},
            purchases=[*PURCHASES[:2], [0, 0, 1]],
        )
    with pytest.raises(ShapeMismatchError, match="one class per panel brand"):
        route_stock_report(PANEL, visited={"C1"}, price_class=[1, 2])
    with pytest.raises(InvalidValueError, match="'cover_range'"):
        route_stock_report(PANEL, visited={"C1"}, price_class=CLASSES, cover_range=(5, 2))
    with pytest.raises(TypeError, match="'panel' must be a Panel"):
        route_stock_report(SALES, visited={"C1"}, price_class=CLASSES)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'visited' must be a collection"):
        route_stock_report(PANEL, visited="C1", price_class=CLASSES)


@given(st.sets(st.sampled_from(["C1", "C2", "C3"]), min_size=1), st.permutations([0, 1, 2]))
def test_report_agrees_with_the_formulas(visited: set[str], order: list[int]) -> None:
    report = tm.route_stock_report(PANEL, visited=visited, price_class=CLASSES)
    rows = [i for i, s in enumerate(PANEL.stores) if s in visited]
    metrics = tm.cycle_metrics(SALES[rows], STOCK[rows])
    closing = np.asarray(metrics.closing_inventory)
    assert report.average_stock == pytest.approx(closing.sum() / len(rows))
    assert len(report.short_stores + report.in_range_stores + report.overstock_stores) == len(rows)
    shares = tm.class_shares(closing.sum(axis=0), CLASSES)
    np.testing.assert_allclose(report.stock_class_shares, shares)
    # the store order of the panel does not change the route's figures
    shuffled = Panel(
        [PANEL.stores[i] for i in order], PANEL.brands, PANEL.start, SALES[order], STOCK[order]
    )
    again = tm.route_stock_report(shuffled, visited=visited, price_class=CLASSES)
    assert again.average_stock == pytest.approx(report.average_stock)
    assert again.stock_to_sales_ratio == pytest.approx(report.stock_to_sales_ratio)
    assert set(again.overstock_stores) == set(report.overstock_stores)


def test_key_customer_line_counts_only_the_carried_brands() -> None:
    """As PanelMetrics.by_store: a brand the store does not carry is not out, nor pooled."""
    sales, stock = SALES.copy(), STOCK.copy()
    sales[0, 2] = stock[0, 2] = 0  # C1 does not carry NEW: no sales, no stock (from_long)
    carried = [[True, True, False], [True, True, True], [True, True, True]]
    panel = Panel(PANEL.stores, PANEL.brands, PANEL.start, sales, stock, carried=carried)
    report = route_stock_report(panel, visited=["C1"], price_class=CLASSES, key_customers={"C1"})
    line = report.key_customers[0]
    pooled = panel.metrics().by_store()
    # before: 7 stockout days of NEW counted, NEW listed as out, the pooled ratio NaN
    assert line.brands_out == ()
    assert line.stockout_days == int(pooled.stockout_days[0]) == 0
    assert line.fulfilment_ratio == float(pooled.fulfilment_ratio[0]) == 1.0


# --------------------------------------------------------------------------- adversarial sweep


def test_a_series_not_carried_is_no_stockout_and_no_brand_out() -> None:
    """C1 does not carry the new brand (no row, zeros): not out of it, not a stockout of it."""
    carried = np.ones((3, 3), dtype=bool)
    carried[0, 2] = False
    sales, stock = SALES.copy(), STOCK.copy()
    sales[0, 2] = stock[0, 2] = 0
    panel = Panel(PANEL.stores, PANEL.brands, PANEL.start, sales, stock, carried=carried)
    report = route_stock_report(panel, visited={"C1"}, price_class=CLASSES, key_customers={"C1"})
    line = report.key_customers[0]
    assert line.brands_out == ()  # CLASS-I 7, CLASS-IV 30 on hand; NEW not carried
    assert line.stockout_days == 0
    assert line.fulfilment_ratio == 1.0
    metrics = panel.metrics()
    assert line.stockout_days == int(np.asarray(metrics.stockout_days)[0].sum())
    assert line.inventory == 37
    assert report.average_stock == 37


@given(
    st.sets(st.sampled_from(["C1", "C2", "C3"]), min_size=1),
    st.permutations([0, 1, 2]),
    st.integers(1, 9),
)
@settings(max_examples=30)
def test_store_order_changes_no_figure_to_the_last_bit(
    visited: set[str], order: list[int], tenths: int
) -> None:
    """Sales and stock in tenths of a carton, the panel's stores in any order: the same bits."""
    sales, stock = SALES * tenths / 10, STOCK * tenths / 10
    purchases = np.asarray(PURCHASES) * tenths / 10
    panel = Panel(PANEL.stores, PANEL.brands, PANEL.start, sales, stock)
    shuffled = Panel(
        [PANEL.stores[i] for i in order], PANEL.brands, PANEL.start, sales[order], stock[order]
    )
    kwargs = {
        "visited": visited,
        "price_class": CLASSES,
        "key_customers": visited,
        "new_brands": {"NEW"},
    }
    report = route_stock_report(panel, purchases=purchases, **kwargs)  # type: ignore[arg-type]
    again = route_stock_report(shuffled, purchases=purchases[order], **kwargs)  # type: ignore[arg-type]
    for name in (
        "average_stock",
        "daily_sales_per_store",
        "stock_to_sales_ratio",
        "stock_class_shares",
        "sales_class_shares",
    ):
        assert np.array_equal(getattr(report, name), getattr(again, name), equal_nan=True), name
    assert report.new_brands[0].sell_through == again.new_brands[0].sell_through
    assert {line.store: line.inventory for line in report.key_customers} == {
        line.store: line.inventory for line in again.key_customers
    }


def test_a_token_stock_over_the_whole_panel_is_read_at_the_visited_stores() -> None:
    panel = tm.Panel(
        ["C1", "C2", "C3"],
        ["B1", "B2"],
        "2026-03-02",
        sales=[[[2] * 7, [1] * 7], [[1] * 7, [0] * 7], [[0] * 7, [0] * 7]],
        inventory=[[[6] * 7, [3] * 7], [[30] * 7, [2] * 7], [[1] * 7, [0] * 7]],
    )
    per_store = np.array([0, 0, 5])[:, None, None]  # C3 keeps 5 cartons back: out every day
    expected = panel.metrics(token_stock=per_store).stockout_days  # the Panel's reading
    report = tm.route_stock_report(
        panel,
        visited={"C1", "C3"},
        price_class=[2, 3],
        key_customers={"C1", "C3"},
        token_stock=per_store,
    )
    assert (
        [line.stockout_days for line in report.key_customers]
        == [
            int(expected[0].sum()),
            int(expected[2].sum()),
        ]
        == [0, 14]
    )
    # The token stock of C3 is the panel's third row, not the first of the visited rows.
    first_only = tm.route_stock_report(
        panel,
        visited={"C3"},
        price_class=[2, 3],
        key_customers={"C3"},
        token_stock=np.array([5, 0, 0])[:, None, None],
    )
    assert first_only.key_customers[0].stockout_days == 7  # only NEW, at 0 cartons
    with pytest.raises(tm.ShapeMismatchError, match="token_stock"):
        tm.route_stock_report(panel, visited={"C3"}, price_class=[2, 3], token_stock=[1, 2, 3, 4])
