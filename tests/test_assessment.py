"""Tests of tobacco_metrics.assessment: the scorecard (考核)."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import (
    InvalidValueError,
    MissingDataError,
    Panel,
    ShapeMismatchError,
    cycle_metrics,
    scorecard,
)

# Three stores, one cycle each: Li has stores 1 and 2, Wang store 3.
SALES = [[6, 8, 0, 5, 0, 7, 4], [10] * 7, [5, 5, 5, 5, 0, 0, 0]]
STOCK = [[20, 12, 0, 25, 0, 18, 14], [50] * 7, [15, 10, 5, 0, 0, 0, 0]]


def test_two_managers_by_hand() -> None:
    # Store 1: A 30, S 2, P 12, cover 14 / (30/7) = 3.27 (ok).
    # Store 2: A 70, S 0, P 0, cover 50 / 10 = 5 (ok).
    # Store 3: A 20, S 3, P 20 / 4 × 3 = 15, cover 0 (short).
    card = scorecard(cycle_metrics(SALES, STOCK), ["Li", "Li", "Wang"])
    assert card.groups.tolist() == ["Li", "Wang"]
    assert card.series.tolist() == [2, 1]
    assert card.days.tolist() == [14, 7]
    assert card.stockout_days.tolist() == [2, 3]
    assert card.actual_sales.tolist() == [100.0, 20.0]
    assert card.projected_stockout_sales.tolist() == [12.0, 15.0]
    assert card.fulfilment.tolist() == pytest.approx([100 / 112, 20 / 35])
    assert card.stockout_rate.tolist() == pytest.approx([2 / 14, 3 / 7])
    assert card.in_range_share.tolist() == [1.0, 0.0]
    # Li: (25/28 + 6/7 + 1) / 3 = 2.75 / 3; Wang: (4/7 + 4/7 + 0) / 3 = 8/21.
    assert card.score.tolist() == pytest.approx([100 * 2.75 / 3, 100 * 8 / 21])
    # Not the mean of the per-store ratios (0.714 and 1.0 → 0.857).
    assert card.fulfilment[0] != pytest.approx((30 / 42 + 1.0) / 2)
    assert not card.score.flags.writeable


def test_weights() -> None:
    m = cycle_metrics(SALES, STOCK)
    card = scorecard(m, ["Li", "Li", "Wang"], weights={"fulfilment": 1.0})
    assert card.score.tolist() == pytest.approx([100 * 100 / 112, 100 * 20 / 35])
    card = scorecard(m, ["Li", "Li", "Wang"], weights={"stockout_rate": 3, "in_range_share": 1})
    assert card.score.tolist() == pytest.approx([100 * (3 * 12 / 14 + 1) / 4, 100 * 3 * 4 / 7 / 4])
    assert dict(tm.DEFAULT_SCORE_WEIGHTS) == {
        "fulfilment": 1.0,
        "stockout_rate": 1.0,
        "in_range_share": 1.0,
    }


def test_cover_range_and_carried() -> None:
    m = cycle_metrics(SALES, STOCK)
    card = scorecard(m, ["Li", "Li", "Wang"], cover_range=(4.0, 7.0))
    assert card.in_range_share.tolist() == [0.5, 0.0]  # store 1's 3.27 days now short
    card = scorecard(m, ["Li", "Li", "Wang"], carried=[True, False, True])
    assert card.series.tolist() == [1, 1]
    assert card.fulfilment.tolist() == pytest.approx([30 / 42, 20 / 35])
    assert card.stockout_rate.tolist() == pytest.approx([2 / 7, 3 / 7])
    card = scorecard(m, ["Li", "Li", "Wang"], carried=[True, True, False])
    assert card.series.tolist() == [2, 0]
    assert math.isnan(card.fulfilment[1])
    assert math.isnan(card.score[1])
    assert math.isnan(card.stockout_rate[1])
    assert math.isnan(card.in_range_share[1])


def test_not_estimable_loss_only_where_counted() -> None:
    # A series out all cycle: P is NaN; counted, it makes its group's fulfilment NaN.
    m = cycle_metrics([[3] * 7, [0] * 7], [[5] * 7, [0] * 7])
    card = scorecard(m, ["a", "a"])
    assert math.isnan(card.fulfilment[0])
    assert card.stockout_rate[0] == 0.5
    card = scorecard(m, ["a", "a"], carried=[True, False])
    assert card.fulfilment.tolist() == [1.0]
    card = scorecard(m, ["a", "a"], weights={"stockout_rate": 1.0})
    assert card.score.tolist() == [50.0]  # a NaN figure weighted 0 does not enter


def test_panel_metrics_by_store_mapping_and_column() -> None:
    sales = np.array([[[3, 0], [4, 4]], [[5, 5], [0, 0]]])
    stock = np.array([[[2, 0], [8, 8]], [[5, 4], [0, 0]]])
    panel = Panel(["C001", "C002"], ["A", "B"], "2026-03-02", sales, stock)
    metrics = panel.metrics()
    by_map = scorecard(metrics, {"C001": "Wang", "C002": "Li"})
    by_col = scorecard(metrics, np.array([["Wang"], ["Li"]]))
    assert by_map.groups.tolist() == by_col.groups.tolist() == ["Li", "Wang"]
    np.testing.assert_array_equal(by_map.fulfilment, by_col.fulfilment)
    assert by_map.series.tolist() == [2, 2]
    # Li (C002): A 10 + 0, S 0 + 2 with E = 0 → P NaN.
    assert math.isnan(by_map.fulfilment[0])
    # Wang (C001): A 3 + 8, P 3 + 0.
    assert by_map.fulfilment[1] == pytest.approx(11 / 14)
    by_brand = scorecard(metrics, ["A", "B"])  # broadcast over the stores
    assert by_brand.series.tolist() == [2, 2]
    frame = by_map.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.tolist() == ["Li", "Wang"]
    assert frame.loc["Wang", "series"] == 2
    assert "score" in frame.columns


@attrs.frozen(eq=False)
class _Carrying(tm.CycleMetrics):
    """Metrics that know which series are carried, as PanelMetrics may."""

    carried: Any = None


def test_uses_a_carried_mask_on_the_metrics() -> None:
    m = cycle_metrics(SALES, STOCK)
    fields = {field.name: getattr(m, field.name) for field in attrs.fields(tm.CycleMetrics)}
    carrying = _Carrying(**fields, carried=np.array([False, True, True]))
    card = scorecard(carrying, [1, 1, 2])
    assert card.groups.tolist() == [1, 2]
    assert card.series.tolist() == [1, 1]
    # An explicit mask wins over the metrics' own.
    assert scorecard(carrying, [1, 1, 2], carried=np.ones(3, dtype=bool)).series.tolist() == [2, 1]
    with pytest.raises(TypeError, match="'metrics' must be a CycleMetrics or a PanelMetrics"):
        scorecard(object(), [1])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"by": ["Li", "Li"]}, ShapeMismatchError, r"'by' with shape \(2,\)"),
        ({"by": [1.0, math.nan, 2.0]}, InvalidValueError, "NaN labels"),
        ({"by": ["a", None, "b"]}, TypeError, "not None: None at series 1"),
        ({"by": np.array(["a", "b", 1], dtype=object)}, TypeError, "sortable"),
        ({"by": np.array([{}], dtype=object)}, TypeError, "hashable"),
        ({"by": {"C001": "x"}}, TypeError, "only with a PanelMetrics"),
        ({"weights": {"bogus": 1}}, InvalidValueError, "unknown keys"),
        (
            {"weights": {"fulfilment": -1}},
            InvalidValueError,
            r"'weights\[fulfilment\]' must be >= 0: -1",
        ),
        ({"weights": {"fulfilment": 0}}, InvalidValueError, "positive sum"),
        ({"weights": [1, 1, 1]}, TypeError, "'weights' must be a mapping"),
        ({"carried": [1, 0, 1]}, TypeError, "'carried' must be a boolean mask"),
        ({"carried": [True, False]}, ShapeMismatchError, "'carried'"),
        ({"cover_range": (5, 1)}, InvalidValueError, "low <= high"),
    ],
)
def test_scorecard_errors(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    call: dict[str, object] = {"metrics": cycle_metrics(SALES, STOCK), "by": ["Li", "Li", "W"]}
    call.update(kwargs)
    with pytest.raises(error, match=match):
        scorecard(**call)  # type: ignore[arg-type]


def test_mapping_must_cover_every_store() -> None:
    panel = Panel(["C001", "C002"], ["A"], "2026-03-02", [[[1]], [[2]]], [[[1]], [[2]]])
    with pytest.raises(MissingDataError, match="'C002'"):
        scorecard(panel.metrics(), {"C001": "Li"})


# --------------------------------------------------------------------------- laws


@st.composite
def cycles(draw: st.DrawFn) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Series of one 7-day cycle each, and a group label per series."""
    n = draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    sales = rng.poisson(draw(st.floats(0.1, 10)), size=(n, 7))
    stock = np.maximum(rng.integers(-4, 12, size=(n, 7)), 0)
    groups = rng.integers(0, draw(st.integers(1, 4)), size=n)
    return sales, stock, groups


@given(cycles())
def test_law_one_group_equals_panel_wide(
    data: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]],
) -> None:
    sales, stock, _ = data
    m = cycle_metrics(sales, stock)
    card = scorecard(m, "everyone")
    assert card.groups.tolist() == ["everyone"]
    pooled = float(m.pooled_fulfilment_ratio())
    assert (math.isnan(pooled) and math.isnan(card.fulfilment[0])) or card.fulfilment[
        0
    ] == pytest.approx(pooled)
    assert card.stockout_rate[0] == pytest.approx(m.stockout_days.sum() / m.days.sum())
    ok = tm.cover_status(m.stock_to_sales_ratio) == "ok"
    assert card.in_range_share[0] == pytest.approx(ok.mean())
    assert card.series[0] == len(sales)


@given(cycles())
def test_law_groups_add_up_and_score_in_range(
    data: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]],
) -> None:
    sales, stock, groups = data
    m = cycle_metrics(sales, stock)
    card = scorecard(m, groups)
    total = scorecard(m, 0)
    assert card.series.sum() == len(sales)
    assert card.days.sum() == total.days[0]
    assert card.stockout_days.sum() == total.stockout_days[0]
    assert card.actual_sales.sum() == pytest.approx(total.actual_sales[0])
    score = card.score[~np.isnan(card.score)]
    assert ((score >= 0) & (score <= 100 + 1e-9)).all()
    # Relabelling and reordering the series changes nothing.
    order = np.arange(len(sales))[::-1]
    flipped = scorecard(cycle_metrics(sales[order], stock[order]), groups[order])
    assert flipped.groups.tolist() == card.groups.tolist()
    np.testing.assert_allclose(flipped.score, card.score)


def test_scorecard_pairs_a_labelled_by_with_the_panel_by_label() -> None:
    sales = np.array([[[3, 0], [4, 4]], [[5, 5], [0, 0]]])
    stock = np.array([[[2, 0], [8, 8]], [[5, 4], [0, 0]]])
    metrics = Panel(["C001", "C002"], ["A", "B"], "2026-03-02", sales, stock).metrics()
    by_map = scorecard(metrics, {"C001": "Wang", "C002": "Li"})
    by_series = scorecard(metrics, pd.Series(["Li", "Wang"], index=["C002", "C001"]))
    assert by_series.groups.tolist() == by_map.groups.tolist()
    np.testing.assert_array_equal(by_series.fulfilment, by_map.fulfilment)
    by_brand = scorecard(metrics, pd.Series(["b", "a"], index=["B", "A"]))
    np.testing.assert_array_equal(by_brand.fulfilment, scorecard(metrics, ["a", "b"]).fulfilment)
    with pytest.raises(ShapeMismatchError, match="neither the panel's stores nor its brands"):
        scorecard(metrics, pd.Series(["x", "y"], index=["C001", "C009"]))


# --------------------------------------------------------------------------- adversarial sweep


def test_mixed_str_and_number_labels_are_refused_not_stringified() -> None:
    """np.asarray([1, "1", 1]) is all "1": two groups would silently become one."""
    m = cycle_metrics(SALES, STOCK)
    with pytest.raises(TypeError, match="mixes str labels with int labels"):
        scorecard(m, [1, "1", 1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="mixes str labels with float labels"):
        scorecard(m, ("Li", 2.5, "Li"))
    with pytest.raises(TypeError, match="mixes str labels with bytes labels"):
        scorecard(m, ["a", b"a", "a"])  # type: ignore[arg-type]
    # one kind of label is fine, as a list or as an object array of str
    assert scorecard(m, ["1", "2", "1"]).groups.tolist() == ["1", "2"]
    assert scorecard(m, [2, 1, 2]).groups.tolist() == [1, 2]


@pytest.mark.parametrize("missing", [float("nan"), pd.NA, pd.NaT])
def test_missing_labels_are_refused_by_name(missing: object) -> None:
    labels = np.array(["Li", missing, "Li"], dtype=object)
    with pytest.raises(InvalidValueError, match=r"missing labels \(NaN, NaT, NA\).* at series 1"):
        scorecard(cycle_metrics(SALES, STOCK), labels)


@pytest.mark.parametrize("scale", [1e-320, 1e-300, 1.0, 1e300, 1e308])
def test_score_depends_on_the_weights_proportions_only(scale: float) -> None:
    """Weights near 1e308 neither overflow (RuntimeWarning) nor do 1e-320 ones lose digits."""
    m = cycle_metrics(SALES, STOCK)
    one = scorecard(m, ["Li", "Li", "Wang"], weights={"fulfilment": 1.0, "stockout_rate": 1.0})
    scaled = scorecard(
        m, ["Li", "Li", "Wang"], weights={"fulfilment": scale, "stockout_rate": scale}
    )
    np.testing.assert_array_equal(scaled.score, one.score)
    alone = scorecard(m, ["Li", "Li", "Wang"], weights={"fulfilment": scale})
    np.testing.assert_array_equal(alone.score, 100 * one.fulfilment)


@given(
    st.integers(2, 8).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(0, 999), min_size=7, max_size=7), min_size=n, max_size=n),
            st.lists(st.lists(st.integers(0, 999), min_size=7, max_size=7), min_size=n, max_size=n),
            st.lists(st.sampled_from("ab"), min_size=n, max_size=n),
            st.permutations(range(n)),
        )
    )
)
@settings(max_examples=30)
def test_law_permuting_series_changes_no_figure_to_the_last_bit(
    data: tuple[list[list[int]], list[list[int]], list[str], list[int]],
) -> None:
    """Fractional sales (tenths of a carton) summed per group in any order: the same bits."""
    sales, stock, groups, order = (np.asarray(part) for part in data)
    sales, stock = sales / 10, stock / 10
    card = scorecard(cycle_metrics(sales, stock), groups)
    shuffled = scorecard(cycle_metrics(sales[order], stock[order]), groups[order])
    for field in attrs.fields(tm.Scorecard):
        ours, theirs = np.asarray(getattr(card, field.name)), getattr(shuffled, field.name)
        assert np.array_equal(ours, theirs, equal_nan=ours.dtype.kind == "f"), field.name
