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
    assert row == {"order_day": "2026-04-28", "days_covered": "3", "limit": "12"}
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
