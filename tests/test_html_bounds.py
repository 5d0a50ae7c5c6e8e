"""Notebook HTML stays short and escaped whatever the labels: long, odd types, markup."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import tobacco_metrics as tm

LONG = "店" * 1_000_000 + "<b>"


def _panel(stores: list[object], brands: list[object]) -> tm.Panel:
    shape = (len(stores), len(brands), 3)
    return tm.Panel(stores, brands, "2026-03-02", np.ones(shape), np.ones(shape))


@pytest.mark.parametrize(
    "render",
    [
        lambda panel: panel._repr_html_(),
        lambda panel: panel.metrics()._repr_html_(),
        lambda panel: panel.metrics().by_store()._repr_html_(),
    ],
)
def test_a_one_megabyte_label_makes_a_short_cell(render: object) -> None:
    # The whole label was written out: a 1 MB notebook cell per display.
    text = render(_panel([LONG, "C2"], ["B1"]))  # type: ignore[operator]
    assert len(text) < 5_000
    assert "店" * 59 + "…" in text
    assert "<b>" not in text


def test_odd_labels_are_shown_escaped() -> None:
    panel = _panel(["<script>alert(1)</script>", ("C", 2), dt.date(2026, 1, 1)], [1, "&B"])
    text = panel._repr_html_()
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "(&#x27;C&#x27;, 2)" in text
    assert "&amp;B" in text


def test_ten_thousand_stores_make_a_short_table() -> None:
    panel = _panel([f"C{i:05d}" for i in range(10_000)], ["B1", "B2"])
    for text in (panel._repr_html_(), panel.metrics().by_store()._repr_html_()):
        assert len(text) < 5_000
        assert "10000 in all" in text or "9990 more" in text
