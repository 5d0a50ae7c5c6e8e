"""Results over thousands of stores keep a short repr; route report options checked eagerly."""

from __future__ import annotations

import numpy as np
import pytest

import tobacco_metrics as tm


def _panel(n: int) -> tm.Panel:
    shape = (n, 2, 7)
    return tm.Panel(
        [f"C{i}" for i in range(n)], ["B1", "B2"], "2026-03-02", np.ones(shape), np.full(shape, 3.0)
    )


def test_a_route_report_over_ten_thousand_stores_has_a_short_repr() -> None:
    # Every visited store and key customer was written out: a repr of about 1.5 MB.
    panel = _panel(10_000)
    report = tm.route_stock_report(
        panel, visited=panel.stores, price_class=[1, 2], key_customers=panel.stores
    )
    text = repr(report)
    assert len(text) < 10_000
    assert "… (10000 in all)" in text
    assert "'C19'" in text
    assert "'C20'" not in text


def test_volatile_customers_over_ten_thousand_stores_have_a_short_repr() -> None:
    stores = [f"C{i}" for i in range(10_000)]
    sales = np.tile(np.arange(14.0), (10_000, 1))
    volatile = tm.volatile_customers(sales, stores=stores)
    assert len(repr(volatile)) < 10_000


def test_a_short_tuple_keeps_its_whole_repr() -> None:
    report = tm.route_stock_report(_panel(3), visited=["C0", "C2"], price_class=[1, 2])
    assert "stores=('C0', 'C2')" in repr(report)


@pytest.mark.parametrize("fast_at", [float("nan"), 2, 0, "0.5"])
def test_route_report_checks_fast_at_without_new_brands(fast_at: object) -> None:
    # A bad fast_at was ignored unless new brands were asked for.
    with pytest.raises((TypeError, tm.InvalidValueError), match="'fast_at'"):
        tm.route_stock_report(_panel(2), visited=["C0"], price_class=[1, 2], fast_at=fast_at)  # type: ignore[arg-type]
