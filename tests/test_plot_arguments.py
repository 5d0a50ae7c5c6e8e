"""Plot arguments at their edges: the library's errors, never Python's bare ones."""

from __future__ import annotations

import io
import sys
from typing import Any

import matplotlib
import numpy as np
import pytest

import tobacco_metrics as tm
from tobacco_metrics import InvalidValueError, ShapeMismatchError
from tobacco_metrics import plot as tmplot

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _panel() -> tm.Panel:
    return tm.Panel(["C1", "C2"], ["B1"], "2026-03-02", np.ones((2, 1, 7)), np.ones((2, 1, 7)))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        # These were bare ValueErrors (or numpy's / Python's own errors).
        (
            lambda: tmplot.quota_vs_demand([1, 2], [1, 2], labels=["a"]),
            ShapeMismatchError,
            "'labels'",
        ),
        (lambda: tmplot.stockout_heatmap(_panel(), by="day"), InvalidValueError, "'by'"),  # type: ignore[arg-type]
        (lambda: tmplot.fulfilment_by_cycle(_panel(), by="day"), InvalidValueError, "'by'"),  # type: ignore[arg-type]
        (
            lambda: tmplot.fulfilment_heatmap(_panel().metrics(), vmin=2),
            InvalidValueError,
            "'vmin'",
        ),
        (lambda: tmplot.fulfilment_heatmap(_panel().metrics(), vmin="0"), TypeError, "'vmin'"),  # type: ignore[arg-type]
        (lambda: tmplot.class_shares_bar([1, 2], [1, 2], reference="x"), TypeError, "'reference'"),  # type: ignore[arg-type]
        (
            lambda: tmplot.class_shares_bar([1, 2], [1, 2], reference=float("nan")),
            InvalidValueError,
            "'reference'",
        ),
        (lambda: tmplot.quota_vs_demand([1], [1], per=3), TypeError, "'per'"),  # type: ignore[arg-type]
        (
            lambda: tmplot.scorecard_bar(groups=["a", "b"], score=[1]),
            ShapeMismatchError,
            "'groups'",
        ),
        (lambda: tmplot.scorecard_bar(groups=["a"], score=[[1]]), ShapeMismatchError, "'score'"),
        (
            lambda: tmplot.scorecard_bar(groups=["a"], score=[1], fulfilment=[1, 2]),
            ShapeMismatchError,
            "'fulfilment'",
        ),
        (
            lambda: tmplot.stockout_heatmap(_panel().metrics(), cycle_days=7),
            InvalidValueError,
            "'cycle_days'",
        ),
    ],
)
def test_bad_arguments_raise_the_library_errors(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_use_cjk_fonts_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # It imported matplotlib itself: a bare ModuleNotFoundError.
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"\[plot\]"):
        tmplot.use_cjk_fonts()
    with pytest.raises(ImportError, match=r"\[plot\]"):
        tmplot.quota_vs_demand([1], [1])


def test_figures_of_many_rows_stay_drawable() -> None:
    # A figure grew 0.4 inch a row: 1,200 inches for 3,000 stores (seconds to draw, or
    # matplotlib's "Image size ... is too large"); many bars also made the legend's
    # loc="best" warn at draw time.
    n = 400
    wide: Any = tmplot.quota_vs_demand(np.ones(n), np.ones(n))
    tall: Any = tmplot.class_shares_bar(np.ones((n, 2)), [1, 2])
    assert wide.figure.get_size_inches()[0] == 50.0
    assert tall.figure.get_size_inches()[1] == 50.0
    wide.figure.savefig(io.BytesIO(), format="png", dpi=10)  # warnings are errors here
    small: Any = tmplot.quota_vs_demand([1, 2], [2, 1])
    assert small.figure.get_size_inches()[0] == 4.0
