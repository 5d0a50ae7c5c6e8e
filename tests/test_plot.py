"""Tests of tobacco_metrics.plot: each function on an Agg canvas.

Each test checks the number of artists drawn, the values behind them where
they were computed by hand, and that both axes carry a label.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tobacco_metrics as tm

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from tobacco_metrics import plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def rendered(ax: Any) -> Any:
    """Draw the figure (so a bad artist fails here) and return the Axes."""
    ax.figure.canvas.draw()
    return ax


def assert_labelled(ax: Any) -> None:
    assert ax.get_xlabel()
    assert ax.get_ylabel()


# Two stores × two brands × four days, stockouts worked by hand:
# C001/B1 out on days 0 and 2; C001/B2 out on days 0 and 1; C002/B2 out every day.
PANEL = tm.Panel(
    ["C001", "C002"],
    ["B1", "B2"],
    "2026-03-02",
    [[[0, 1, 0, 2], [0, 0, 1, 1]], [[1, 1, 1, 1], [0, 0, 0, 0]]],
    [[[0, 3, 0, 5], [0, 0, 2, 1]], [[4, 3, 2, 6], [0, 0, 0, 0]]],
)


# --------------------------------------------------------------------------- stockout heat map


def test_stockout_heatmap_of_a_panel_by_store_and_day() -> None:
    ax = rendered(plot.stockout_heatmap(PANEL))
    assert len(ax.images) == 1
    np.testing.assert_array_equal(ax.images[0].get_array(), [[2, 1, 1, 0], [1, 1, 1, 1]])
    assert len(ax.texts) == 8  # one number per cell
    assert [label.get_text() for label in ax.get_yticklabels()] == ["C001", "C002"]
    assert len(ax.get_xticklabels()) == 4
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("day", "store")
    colorbar = ax.figure.axes[-1]
    assert "out of stock" in colorbar.get_ylabel()


def test_stockout_heatmap_by_brand() -> None:
    ax = plot.stockout_heatmap(PANEL, by="brand")
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1, 0, 1, 0], [2, 2, 1, 1]])
    assert ax.get_ylabel() == "brand"


def test_stockout_heatmap_by_cycle_sums_the_days() -> None:
    ax = plot.stockout_heatmap(PANEL, cycle_days=3)
    np.testing.assert_array_equal(ax.images[0].get_array(), [[4, 0], [3, 1]])
    assert [label.get_text() for label in ax.get_xticklabels()] == ["03-02", "03-05"]
    assert "cycle" in ax.get_xlabel()
    assert "store × product days" in ax.figure.axes[-1].get_ylabel()


def test_stockout_heatmap_of_metrics_and_of_cycles() -> None:
    metrics = PANEL.metrics()
    ax = plot.stockout_heatmap(metrics)
    np.testing.assert_array_equal(ax.images[0].get_array(), [[2, 2], [0, 4]])
    assert ax.get_xlabel() == "product"
    cycles = [part.metrics() for part in PANEL.cycles(2)]
    ax = plot.stockout_heatmap(cycles, by="brand", annotate=False)
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1, 1], [4, 2]])
    assert not ax.texts
    assert_labelled(ax)


def test_stockout_heatmap_draws_on_the_given_axes() -> None:
    _fig, (left, right) = plt.subplots(1, 2)
    assert plot.stockout_heatmap(PANEL, ax=right) is right
    assert not left.images


def test_stockout_heatmap_honours_the_token_stock() -> None:
    ax = plot.stockout_heatmap(PANEL, token_stock=2)  # C002/B1 closes at 2 on day 2 but sells
    np.testing.assert_array_equal(ax.images[0].get_array(), [[2, 1, 1, 0], [1, 1, 1, 1]])
    quiet = tm.Panel(["C"], ["B"], "2026-03-02", [[[0, 0]]], [[[2, 3]]])
    ax = plot.stockout_heatmap(quiet, token_stock=2)
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1, 0]])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plot.stockout_heatmap(PANEL, by="day"), ValueError, "'by'"),  # type: ignore[arg-type]
        (lambda: plot.stockout_heatmap(PANEL, cycle_days=0), ValueError, "cycle_days"),
        (lambda: plot.stockout_heatmap(PANEL, cycle_days=1.5), TypeError, "cycle_days"),  # type: ignore[arg-type]
        (lambda: plot.stockout_heatmap(PANEL.metrics(), cycle_days=7), ValueError, "Panel"),
        (lambda: plot.stockout_heatmap([]), TypeError, "sequence of PanelMetrics"),
        (lambda: plot.stockout_heatmap(PANEL, ax="left"), TypeError, "Axes"),  # type: ignore[arg-type]
    ],
)
def test_stockout_heatmap_refusals(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------- fulfilment by cycle


def test_fulfilment_by_cycle_pools_each_cycle() -> None:
    panel = tm.Panel(
        ["C001", "C002"],
        ["B"],
        "2026-03-02",
        [[[2, 2, 0, 2]], [[1, 1, 1, 1]]],
        [[[3, 1, 0, 4]], [[5, 4, 3, 2]]],
    )
    ax = rendered(plot.fulfilment_by_cycle(panel, cycle_days=2, by="store"))
    lines = ax.get_lines()
    assert len(lines) == 3
    # Cycle 2: C001 sold 2 in 1 effective day, so P = 2; C002 sold 2, P = 0.
    np.testing.assert_allclose(lines[0].get_ydata(), [1.0, 4 / 6])
    np.testing.assert_allclose(lines[1].get_ydata(), [1.0, 0.5])
    np.testing.assert_allclose(lines[2].get_ydata(), [1.0, 1.0])
    assert ax.get_legend() is not None
    assert "ΣA / (ΣA + ΣP)" in ax.get_ylabel()
    assert_labelled(ax)


def test_fulfilment_by_cycle_from_metrics_without_labels() -> None:
    cycles = [part.metrics() for part in PANEL.cycles(2)]
    ax = plot.fulfilment_by_cycle(cycles)
    assert len(ax.get_lines()) == 1
    with pytest.raises(TypeError, match="PanelMetrics"):
        plot.fulfilment_by_cycle([])
    with pytest.raises(ValueError, match="'by'"):
        plot.fulfilment_by_cycle(PANEL, by="day")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- class shares


def test_class_shares_bar_stacks_five_classes() -> None:
    quantity = [[20, 40, 60, 50, 30], [0, 5, 20, 60, 65], [0, 0, 0, 0, 0]]
    ax = rendered(
        plot.class_shares_bar(
            quantity, [1, 2, 3, 4, 5], labels=["S01", "S02", "S06"], reference=0.4
        )
    )
    assert len(ax.containers) == 5
    assert all(len(container) == 3 for container in ax.containers)
    widths = np.array([[bar.get_width() for bar in container] for container in ax.containers])
    np.testing.assert_allclose(widths[:, 0], [0.1, 0.2, 0.3, 0.25, 0.15])
    np.testing.assert_allclose(widths[:, 2], 0)  # sold nothing: NaN shares, no bar
    assert len(ax.get_lines()) == 1  # the reference line
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "class I",
        "class II",
        "class III",
        "class IV",
        "class V",
    ]
    assert "fraction of cartons" in ax.get_xlabel()


def test_class_shares_bar_takes_labels_from_a_frame() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([[1, 1], [0, 2]], index=pd.Index(["S01", "S02"], name="store"))
    ax = plot.class_shares_bar(frame, [1, 5])
    assert [label.get_text() for label in ax.get_yticklabels()] == ["S01", "S02"]
    with pytest.raises(ValueError, match="3 labels"):
        plot.class_shares_bar([[1, 1]] * 3, [1, 5], labels=["a"])


# --------------------------------------------------------------------------- quota vs demand


def test_quota_vs_demand_draws_two_bars_per_store() -> None:
    ax = rendered(plot.quota_vs_demand([25, 13, 8], [21.5, 15.0, 8.0], labels=["A", "B", "C"]))
    assert [container.get_label() for container in ax.containers] == ["quota", "demand"]
    assert [bar.get_height() for bar in ax.containers[0]] == [25, 13, 8]
    assert [bar.get_height() for bar in ax.containers[1]] == [21.5, 15.0, 8.0]
    assert ax.get_ylabel() == "cartons per cycle"
    assert_labelled(ax)
    assert plot.quota_vs_demand([1], [2], per="month").get_ylabel() == "cartons per month"
    with pytest.raises(ValueError, match="one length"):
        plot.quota_vs_demand([1, 2], [1])


# --------------------------------------------------------------------------- scorecard


class Scorecard:
    groups = ("R01", "R02")
    score = np.array([55.0, 90.0])
    fulfilment = np.array([0.9, 0.99])


def test_scorecard_bar_from_an_object_sorts_best_first() -> None:
    ax = rendered(plot.scorecard_bar(Scorecard()))
    assert len(ax.containers) == 1
    assert [bar.get_width() for bar in ax.containers[0]] == [90.0, 55.0]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["R02", "R01"]
    assert [text.get_text() for text in ax.texts] == ["F = 0.990", "F = 0.900"]
    assert ax.get_xlabel() == "score [points]"
    assert_labelled(ax)


def test_scorecard_bar_refusals() -> None:
    with pytest.raises(TypeError, match="needs groups and score"):
        plot.scorecard_bar(groups=["a"])
    with pytest.raises(TypeError, match="not both"):
        plot.scorecard_bar(Scorecard(), score=[1])
    with pytest.raises(ValueError, match="one value per group"):
        plot.scorecard_bar(groups=["a", "b"], score=[1, 2], fulfilment=[1.0])
    with pytest.raises(ValueError, match="2 labels"):
        plot.scorecard_bar(groups=["a"], score=[1, 2])


# --------------------------------------------------------------------------- fulfilment heat map


def test_fulfilment_heatmap_shows_each_series_ratio() -> None:
    # C001/B1: A = 3 over E = 2 days, S = 2 -> P = 3, F = 0.5; C001/B2: A = 2, E = 2, S = 2
    # -> F = 0.5; C002/B1 never out -> 1; C002/B2 sold nothing in 4 days -> F is NaN (blank).
    ax = rendered(plot.fulfilment_heatmap(PANEL.metrics()))
    assert len(ax.images) == 1
    np.testing.assert_array_equal(ax.images[0].get_array(), [[0.5, 0.5], [1.0, np.nan]])
    assert [text.get_text() for text in ax.texts] == ["0.50", "0.50", "1.00"]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["B1", "B2"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("product", "store")
    assert "fulfilment ratio" in ax.figure.axes[-1].get_ylabel()
    assert ax.images[0].get_clim() == (0.0, 1.0)


def test_fulfilment_heatmap_options_and_refusals() -> None:
    _figure, given = plt.subplots()
    ax = plot.fulfilment_heatmap(PANEL.metrics(), vmin=0.4, annotate=False, ax=given)
    assert ax is given
    assert not ax.texts
    assert ax.images[0].get_clim() == (0.4, 1.0)
    with pytest.raises(TypeError, match="PanelMetrics"):
        plot.fulfilment_heatmap(PANEL)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="vmin"):
        plot.fulfilment_heatmap(PANEL.metrics(), vmin=1.0)


# --------------------------------------------------------------------------- volatility


def test_volatility_bar_highlights_the_flagged_stores() -> None:
    # Weekly sales of C001: 4 then 12 (mean 8, std 4, cv 0.5); C002: 6 and 6 (cv 0);
    # C003 sold nothing (cv NaN: a NaN bar, which draws nothing, and a "no sales" note;
    # a 0 bar would say its sales never varied, as C002's).
    volatile = tm.volatile_customers(
        [[[2, 2, 6, 6]], [[3, 3, 3, 3]], [[0, 0, 0, 0]]],
        cycle_days=2,
        stores=["C001", "C002", "C003"],
    )
    ax = rendered(plot.volatility_bar(volatile, highlight=["C002"]))
    bars = list(ax.containers[0])
    assert len(ax.containers) == 1
    assert len(bars) == 3
    heights = [float(bar.get_height()) for bar in bars]
    assert heights[:2] == [0.5, 0.0]
    assert math.isnan(heights[2])
    assert [text.get_text() for text in ax.texts] == ["no sales"]
    assert ax.texts[0].xy == (2.0, 0.0)
    colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars]
    assert colours == [plot.PALETTE[0].lower(), plot.PALETTE[5].lower(), plot.PALETTE[0].lower()]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["C001", "C002", "C003"]
    assert "2-day cycle" in ax.get_ylabel()
    assert_labelled(ax)


def test_volatility_bar_refusals() -> None:
    volatile = tm.volatile_customers([[[2, 2, 6, 6]]], cycle_days=2, stores=["C001"])
    with pytest.raises(ValueError, match="not in the result"):
        plot.volatility_bar(volatile, highlight=["C009"])
    with pytest.raises(TypeError, match="VolatileCustomers"):
        plot.volatility_bar(object())


# --------------------------------------------------------------------------- fonts and imports


def test_use_cjk_fonts_is_idempotent() -> None:
    before = list(matplotlib.rcParams["font.sans-serif"])
    try:
        found = plot.use_cjk_fonts()
        again = plot.use_cjk_fonts()
        assert found == again
        assert set(found) <= set(plot.CJK_FONTS)
        assert matplotlib.rcParams["font.sans-serif"][: len(found)] == list(found)
        assert "DejaVu Sans" in matplotlib.rcParams["font.sans-serif"]
    finally:
        matplotlib.rcParams["font.sans-serif"] = before


def test_the_palette_is_okabe_ito() -> None:
    assert len(set(plot.PALETTE)) == 8
    assert plot.PALETTE[:2] == ("#0072B2", "#E69F00")


def test_the_plot_module_imports_matplotlib_only_when_drawing() -> None:
    code = """
        import sys
        import tobacco_metrics
        print("tobacco_metrics.plot" in sys.modules, "matplotlib" in sys.modules)
        import tobacco_metrics.plot
        print("matplotlib" in sys.modules)
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "False"]


def test_dates_of_a_long_panel_are_short() -> None:
    long = tm.Panel(["C"], ["B"], dt.date(2026, 3, 2), np.ones((1, 1, 20)), np.ones((1, 1, 20)))
    ax = plot.stockout_heatmap(long)
    assert ax.get_xticklabels()[0].get_text() == "03-02"
    assert not ax.texts or len(ax.texts) == 20


# --------------------------------------------------------------------------- the docs' figures

DOCS = Path(__file__).resolve().parent.parent / "docs"
HAND_DRAWN = ("imshow(", ".bar(", ".barh(", ".plot(", ".scatter(", "pcolormesh(")


def test_every_docs_figure_is_drawn_by_the_plot_module() -> None:
    """Each ``{plot}`` block of the docs calls tobacco_metrics.plot and draws nothing by hand."""
    blocks = [
        (page.relative_to(DOCS), block)
        for page in sorted(DOCS.rglob("*.md"))
        for block in re.findall(r"```\{plot\}\n(.*?)\n```", page.read_text("utf-8"), re.S)
    ]
    assert len(blocks) >= 10
    for page, block in blocks:
        assert "from tobacco_metrics.plot import" in block, page
        drawn = [call for call in HAND_DRAWN if call in block]
        assert not drawn, f"{page}: {drawn}"


# --------------------------------------------------------------------------- labels (h30)


def test_quota_vs_demand_pairs_two_series_by_label() -> None:
    pd = pytest.importorskip("pandas")
    quota = pd.Series([25.0, 13.0], index=["C001", "C002"])
    demand = pd.Series([15.0, 21.5], index=["C002", "C001"])  # another order
    ax = plot.quota_vs_demand(quota, demand)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["C001", "C002"]
    assert [bar.get_height() for bar in ax.containers[1]] == [21.5, 15.0]
    with pytest.raises(tm.ShapeMismatchError, match="different labels"):
        plot.quota_vs_demand(quota, pd.Series([1.0, 2.0], index=["C001", "C009"]))


def test_class_shares_bar_of_one_store_series_is_not_labelled_by_its_brands() -> None:
    pd = pytest.importorskip("pandas")
    ax = plot.class_shares_bar(pd.Series([1, 3], index=["B1", "B2"]), [1, 5])
    assert [label.get_text() for label in ax.get_yticklabels()] == ["1"]


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plot.class_shares_bar([[1, 1], [0, 2]], [1, 5], labels=["S", "S"]),
        lambda: plot.scorecard_bar(groups=["M01", "M01"], score=[10, 50]),
        lambda: plot.scorecard_bar(groups=[1, "1"], score=[10, 50]),
        lambda: plot.volatility_bar(
            tm.volatile_customers([[[2, 2, 6, 6]], [[3, 3, 3, 3]]], cycle_days=2, stores=[1, "1"])
        ),
    ],
)
def test_bar_charts_refuse_a_repeated_label(draw: Any) -> None:
    # Bars of one category label are drawn on one row, over each other.
    with pytest.raises(tm.DuplicateEntryError, match="repeat a label"):
        draw()
