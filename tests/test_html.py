"""Tests of the notebook display builders (``_repr_html_`` of panels and results)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import given

import tobacco_metrics as tm
from tobacco_metrics import _html
from tobacco_metrics.strategies import panels


class Cells(HTMLParser):
    """The text of each table cell, and a check that every tag is closed."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)
        if tag in ("td", "th", "caption"):
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in ("td", "th", "caption"):
            self.cells[-1] += data


def cells(text: str) -> list[str]:
    parser = Cells()
    parser.feed(text)
    assert not parser.open  # well formed
    return parser.cells


PANEL = tm.Panel(
    ["C001", "C002"],
    ["B1", "B2"],
    "2026-03-02",
    [[[3, 0, 1], [2, 2, 2]], [[0, 0, 0], [1, 0, 1]]],
    [[[2, 0, 5], [9, 7, 5]], [[0, 0, 0], [3, 3, 2]]],
)


def test_panel_html_lists_shape_period_and_totals() -> None:
    found = cells(_html.panel_html(PANEL))
    assert found[0] == "Panel: 2 stores × 2 brands × 3 days"
    row = dict(zip(found[1::2], found[2::2], strict=True))
    assert row["period"] == "2026-03-02 to 2026-03-04 (3 days)"
    assert row["stores"] == "C001, C002"
    assert row["data"] == "sales int64, inventory int64"
    assert row["sales [cartons]"] == "12"  # 3 + 1 + 6 + 0 + 2
    assert row["closing stock, last day [cartons]"] == "12"  # 5 + 5 + 0 + 2


def test_metrics_html_pools_never_averages() -> None:
    metrics = PANEL.metrics()
    row = dict(
        zip(*(lambda c: (c[1::2], c[2::2]))(cells(_html.metrics_html(metrics))), strict=True)
    )
    # C002/B1 never sold: P is NaN there, so the pooled ratio cannot be estimated.
    assert row["fulfilment, pooled ΣA / (ΣA + ΣP)"] == "n/a (no selling day)"
    assert row["series without an estimate"].startswith("1 ")
    assert row["actual sales ΣA [cartons]"] == "12"
    assert row["stockout days ΣS / counted ΣD [store × product days]"] == "4 / 12"


def test_metrics_html_headline_ratio() -> None:
    panel = tm.Panel(["C001"], ["B1", "B2"], "2026-03-02", [[[3, 0], [1, 1]]], [[[2, 0], [5, 4]]])
    text = _html.metrics_html(panel.metrics())
    # B1: A = 3 on one effective day, one stockout day, so P = 3; B2: A = 2, P = 0.
    assert "62.5%" in text  # ΣA / (ΣA + ΣP) = 5 / 8, not the mean of 0.5 and 1.0
    assert float(panel.metrics().pooled_fulfilment_ratio()) == 5 / 8


def test_metrics_html_pools_the_carried_series_as_pooled_fulfilment_ratio() -> None:
    carried = [[True, True], [False, True]]  # C002/B1, out every day, not carried
    panel = tm.Panel(
        PANEL.stores, PANEL.brands, PANEL.start, PANEL.sales, PANEL.inventory, carried=carried
    )
    metrics = panel.metrics()
    row = dict(
        zip(*(lambda c: (c[1::2], c[2::2]))(cells(_html.metrics_html(metrics))), strict=True)
    )
    # before: its NaN metrics made ΣA "n/a" and the pooled ratio "no selling day"
    ratio = float(metrics.pooled_fulfilment_ratio())
    assert row["fulfilment, pooled ΣA / (ΣA + ΣP)"] == f"{100 * ratio:.1f}%"
    assert row["actual sales ΣA [cartons]"] == "12"
    assert row["stockout days ΣS / counted ΣD [store × product days]"] == "1 / 9"
    assert "series without an estimate" not in row


def test_cycle_metrics_html_one_and_many() -> None:
    one = tm.cycle_metrics([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    found = cells(_html.cycle_metrics_html(one))
    assert found[0] == "CycleMetrics: one cycle"
    assert "71.4%" in found  # 30 / (30 + 12)
    many = tm.cycle_metrics(PANEL.sales, PANEL.inventory)
    assert cells(_html.cycle_metrics_html(many))[0] == "CycleMetrics: 2 × 2 cycles"


def test_pooled_html_rows_and_cut() -> None:
    stores = [f"C{i:03d}" for i in range(12)]
    panel = tm.Panel(stores, ["B"], "2026-03-02", np.ones((12, 1, 2)), np.ones((12, 1, 2)))
    text = _html.pooled_html(panel.metrics().by_store())
    assert text.count("<tr>") == 1 + 10 + 1  # header, ten stores, "… and 2 more"
    assert "… and 2 more" in text
    assert "C009" in text
    assert "C010" not in text
    assert "100.0%" in text


def test_labels_are_escaped_and_cut() -> None:
    labels = ["<script>alert(1)</script>", *(f"S{i}" for i in range(9))]
    panel = tm.Panel(labels, ["B&Q"], "2026-03-02", np.zeros((10, 1, 1)), np.zeros((10, 1, 1)))
    text = _html.panel_html(panel)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "B&amp;Q" in text
    assert "… (10 in all)" in text
    cells(text)


def test_result_html_shows_every_field() -> None:
    change = tm.structure_change([10, 10], [5, 15], [3, 4])
    found = cells(_html.result_html(change))
    assert found[0] == "StructureChange"
    names = found[1::2]
    assert names[0] == "at_least"
    assert "share_change" in names
    limit = tm.CycleLimit(dt.date(2026, 4, 28), 3, 12)
    row = dict(zip(*(lambda c: (c[1::2], c[2::2]))(cells(_html.result_html(limit))), strict=True))
    assert row == {
        "order_day": "2026-04-28",
        "days_covered": "3",
        "limit": "12",
        "moved_from": "None",  # every field, the one added for holiday moves too
    }
    with pytest.raises(TypeError, match="attrs"):
        _html.result_html(object())


def test_numbers_for_people() -> None:
    assert _html._number(1234567) == "1,234,567"
    assert _html._number(0.123456) == "0.1235"
    assert _html._number(float("nan")) == "n/a"
    assert _html._number(float("inf")) == "∞"


@given(panels())
def test_every_panel_and_its_metrics_render(panel: tm.Panel) -> None:
    assert re.match(
        r"Panel: \d+ stores? × \d+ brands? × \d+ days?", cells(_html.panel_html(panel))[0]
    )
    cells(_html.metrics_html(panel.metrics()))
    cells(_html.pooled_html(panel.metrics().by_brand()))


# --------------------------------------------------------------------------- decision results


def rows_of(text: str) -> dict[str, str]:
    """The two-column rows of a summary table, by their header cell."""
    found = cells(text)
    return dict(zip(found[1::2], found[2::2], strict=True))


def test_quota_review_html_headline() -> None:
    # Store 1 sells 3 a day every day (never out): demand 21 a cycle, quota 20 held (in range);
    # store 2 sits on 9 cartons selling 0 then 1 a day: overstock, cut from 10 to 7 (capped).
    review = tm.quota_review([20, 10], [[3] * 14, [0] * 7 + [1] * 7], [[0] * 14, [9] * 14])
    text = review._repr_html_()
    assert cells(text)[0] == "QuotaReview: 2 series"
    row = rows_of(text)
    assert row["actions"] == "raise 0, cut 1, hold 1"
    assert row["Σ quota → Σ proposed [cartons/cycle]"] == "30 → 27 (-3)"
    assert row["Σ demand [cartons/cycle]"] == "24.5"  # 21 + 3.5
    assert row["reasons (series)"] == "capped 1, overstock 1, in_range 1"
    assert row["fulfilment, lowest … highest"] == "100.0%"
    assert row["days of cover [days]"] == "0"  # the other store's cover is inf
    reasons = rows_of(review.reasons._repr_html_())
    assert reasons == {
        "stockouts": "0",
        "capped": "1",
        "overstock": "1",
        "rationed": "0",
        "in_range": "1",
        "no_history": "0",
    }


def test_scorecard_html_ranks_pools_and_escapes() -> None:
    panel = tm.Panel(["C1", "C2"], ["B"], "2026-03-02", [[[3, 0]], [[1, 1]]], [[[2, 0]], [[4, 3]]])
    card = tm.scorecard(panel.metrics(), {"C1": "<R&D>", "C2": "R02"})
    text = card._repr_html_()
    assert "<R&D>" not in text
    assert "&lt;R&amp;D&gt;" in text
    found = cells(text)
    # ΣA = 3 + 2, ΣP = 3 + 0: pooled 5 / 8.
    assert found[0] == "Scorecard: 2 groups, pooled fulfilment 62.5%"
    assert found[7:13] == ["R02", "100", "100.0%", "0.0%", "100.0%", "1"]  # best first
    assert found[13:15] == ["<R&D>", "33.33"]


def test_distortion_flags_html_counts_series_and_days() -> None:
    flags = tm.distortion_flags([[0, 0, 0, 2], [1, 1, 1, 1]], [[1, 1, 1, 5], [4, 3, 2, 1]])
    text = flags._repr_html_()
    assert cells(text)[0] == "DistortionFlags: 2 series × 4 days"
    row = rows_of(text)
    assert row["token_hold"] == "1 series, 3 days"  # days 0-2: no sale, 1 carton kept
    assert row["missing_upload"] == "0 series, 0 days"
    assert row["any flag"] == "1 series"
    assert row["ledger checked"] == "no (no purchases given)"


def test_volatile_customers_html_most_volatile_first() -> None:
    volatile = tm.volatile_customers(
        [[[3, 3, 3, 3]], [[2, 2, 6, 6]]], cycle_days=2, stores=["C1", "<b>"]
    )
    text = volatile._repr_html_()
    found = cells(text)
    assert found[0] == "VolatileCustomers: 2 stores × 2 cycles of 2 days"
    # <b>: cycles of 4 and 12 cartons, mean 8, std 4, cv 0.5; C1: 6 and 6, cv 0.
    assert found[5:9] == ["<b>", "0.5", "8", "4"]
    assert found[9:11] == ["C1", "0"]
    assert "<td>&lt;b&gt;</td>" in text


def test_route_report_html_headline_and_escaping() -> None:
    panel = tm.Panel(
        ["<C1>", "C&2"],
        ["B1", "B2"],
        "2026-03-02",
        [[[1, 1], [2, 2]], [[0, 0], [1, 1]]],
        [[[5, 4], [9, 8]], [[0, 0], [6, 5]]],
    )
    report = tm.route_stock_report(
        panel,
        visited=["<C1>", "C&2"],
        price_class=[1, 4],
        key_customers=["<C1>"],
        new_brands=["B2"],
        purchases=[[2, 8], [0, 4]],
    )
    text = report._repr_html_()
    assert "<C1>" not in text
    row = rows_of(text)
    assert cells(text)[0] == "RouteStockReport: 2 visited stores"
    assert row["average stock [cartons/store]"] == "8.5"  # (4 + 8 + 0 + 5) / 2
    assert row["daily sales [cartons/store/day]"] == "2"  # (6 / 2 + 2 / 2) / 2
    assert row["days of cover, route [days]"] == "4.25"  # 17 / 4
    assert row["stores short / in range / overstock (2–7 days)"] == "0 / 2 / 0"
    assert row["sales by class"] == "I 25%, II 0%, III 0%, IV 75%, V 0%"
    assert row["key customers"] == "<C1>"
    assert row["new brands (sell-through)"] == "B2 50.0%"  # (4 + 2) sold of (8 + 4) bought
    key = report.key_customers[0]._repr_html_()
    assert "&lt;C1&gt;" in key
    assert "KeyCustomerStock" in key
    assert "NewBrandSpeed" in report.new_brands[0]._repr_html_()


def test_weekly_and_class_limits_html() -> None:
    limits = tm.weekly_limits([124, 62], 2026, 3, order_weekday=1)
    assert isinstance(limits, tm.WeeklyLimits)
    text = limits._repr_html_()
    assert cells(text)[0] == "WeeklyLimits: 2 rows × 5 cycles"
    row = rows_of(text)
    assert row["Σ limit per cycle [cartons]"] == "38, 38, 37, 37, 36"  # 25 + 13, …, 24 + 12
    assert row["Σ limits [cartons]"] == "186"
    assert row["days covered [days]"] == "7, 7, 7, 7, 7"
    assert row["order days"].startswith("2026-03-03, 2026-03-10")
    classes = tm.class_limits([5, 10, 40, 62, 20], 2026, 3, order_weekday=1)._repr_html_()
    assert cells(classes)[0] == "ClassLimits: 1 row × 5 cycles"
    assert rows_of(classes)["held classes"] == "IV, V"
    assert rows_of(classes)["Σ limits [cartons]"] == "82"  # 62 + 20
