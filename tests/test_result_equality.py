"""Results and panels compare by value: equal fields, arrays equal in shape, dtype and values.

They compared by identity: ``cycle_metrics(x) == cycle_metrics(x)`` was False, so a
test asserting that a result did not change could never pass, and one asserting
that it did could never fail.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

import tobacco_metrics as tm
from tobacco_metrics.strategies import panels, sales_and_stock

History = tuple[Any, Any]


@given(sales_and_stock())
def test_equal_histories_give_equal_metrics(history: History) -> None:
    sales, stock = history
    metrics = tm.cycle_metrics(sales, stock)
    assert metrics == tm.cycle_metrics(np.copy(sales), np.copy(stock))
    assert metrics == copy.deepcopy(metrics)
    assert metrics == pickle.loads(pickle.dumps(metrics))
    assert metrics == copy.copy(metrics)


@given(sales_and_stock(min_days=2))
def test_a_changed_sale_gives_unequal_metrics(history: History) -> None:
    sales, stock = history
    changed = np.array(sales, dtype=np.float64)
    changed.reshape(-1)[0] += 1  # one more carton sold on the first day of the first series
    assert tm.cycle_metrics(sales, stock) != tm.cycle_metrics(changed, stock + 1)


@settings(max_examples=30)
@given(panels())
def test_panels_compare_by_labels_start_and_arrays(panel: tm.Panel) -> None:
    assert panel == copy.deepcopy(panel)
    assert panel == tm.Panel.from_dict(panel.to_dict()) or panel.sales.dtype != np.float64
    rebuilt = tm.Panel(
        panel.stores, panel.brands, panel.start, panel.sales, panel.inventory, carried=panel.carried
    )
    assert panel == rebuilt
    other_dtype = tm.Panel(
        panel.stores,
        panel.brands,
        panel.start,
        panel.sales.astype(np.float32 if panel.sales.dtype != np.float32 else np.float64),
        panel.inventory,
        carried=panel.carried,
    )
    assert panel != other_dtype  # the dtype is part of the value
    assert panel.metrics() == rebuilt.metrics()


def test_nan_equals_nan_in_the_same_place() -> None:
    out = tm.cycle_metrics([0, 0, 0], [0, 0, 0])  # no sales, no stock: F is NaN by rule
    assert np.isnan(out.fulfilment_ratio)
    assert out == tm.cycle_metrics([0, 0, 0], [0, 0, 0])


def test_results_and_panels_are_not_hashable() -> None:
    panel = tm.Panel(["a"], ["b"], "2026-03-02", [[[1.0, 2.0]]], [[[3.0, 1.0]]])
    for value in (panel, panel.metrics(), panel.metrics().by_store(), tm.cycle_metrics([1], [1])):
        with pytest.raises(TypeError, match="unhashable"):
            hash(value)


def test_every_kind_of_result_equals_its_copy() -> None:
    panel = tm.Panel(
        ["a", "b"], ["x", "y"], "2026-03-02", np.ones((2, 2, 14)), np.full((2, 2, 14), 2.0)
    )
    results = [
        panel.metrics(),
        panel.metrics().by_brand(),
        panel.metrics_by_cycle(7),
        tm.quota_review(np.full((2, 2), 7.0), panel.sales, panel.inventory),
        tm.distortion_flags(panel.sales, panel.inventory),
        tm.volatile_customers(panel.sales, cycle_days=7),
        tm.weekly_limits(np.array([100, 50]), 2026, 3, order_weekday=0),
    ]
    for result in results:
        assert result == copy.deepcopy(result), type(result).__name__
        assert result != panel
