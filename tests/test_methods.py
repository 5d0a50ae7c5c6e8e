"""``method=`` on every path: cycle_metrics, Panel.metrics, metrics_by_cycle and the CLI agree.

The model methods change only how stockout days are valued (P) and so F: the
counted figures stay the source's, and every path computes the same numbers
from the same fit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import tobacco_metrics as tm
from tobacco_metrics.errors import InvalidValueError, MissingDataError
from tobacco_metrics.stock import CYCLE_METRIC_FIELDS

MONDAY = dt.date(2026, 3, 2)
WEEK_SALES = [6, 8, 0, 5, 0, 7, 4]
WEEK_STOCK = [20, 12, 0, 25, 0, 18, 14]


def district() -> tuple[np.ndarray, np.ndarray]:
    """Two stores × two brands × four weeks, with stockouts of several kinds."""
    rng = np.random.default_rng(7)
    sales = rng.poisson(5, size=(2, 2, 28)).astype(np.float64)
    stock = rng.integers(0, 30, size=(2, 2, 28)).astype(np.float64)
    out = rng.random((2, 2, 28)) < 0.15
    sales[out], stock[out] = 0, 0
    return sales, stock


def test_seed_is_the_default_and_unchanged() -> None:
    seed = tm.cycle_metrics(WEEK_SALES, WEEK_STOCK, method="seed")
    assert float(seed.projected_stockout_sales) == 12.0
    assert seed.to_dict() == tm.cycle_metrics(WEEK_SALES, WEEK_STOCK).to_dict()


def test_censored_changes_only_the_valuation() -> None:
    seed = tm.cycle_metrics(WEEK_SALES * 2, WEEK_STOCK * 2)
    model = tm.cycle_metrics(WEEK_SALES * 2, WEEK_STOCK * 2, method="censored", start=MONDAY)
    for name in ("days", "stockout_days", "effective_days", "actual_sales", "closing_inventory"):
        assert np.array_equal(getattr(model, name), getattr(seed, name)), name
    assert float(model.projected_stockout_sales) > 0
    expected_f = 60 / (60 + float(model.projected_stockout_sales))
    assert float(model.fulfilment_ratio) == pytest.approx(expected_f, rel=1e-12)


def test_the_model_value_is_the_sum_of_fit_demand_over_the_days() -> None:
    sales, stock = district()
    model = tm.cycle_metrics(sales, stock, method="censored", start=MONDAY)
    fit = tm.fit_demand(sales, stock, start=MONDAY)
    assert np.array_equal(model.projected_stockout_sales, fit.lost.sum(axis=-1))


def test_panel_metrics_agree_with_cycle_metrics() -> None:
    sales, stock = district()
    panel = tm.Panel(["S1", "S2"], ["B1", "B2"], MONDAY, sales, stock)
    model = tm.cycle_metrics(sales, stock, method="censored", start=MONDAY)
    on_panel = panel.metrics(method="censored")
    for name in CYCLE_METRIC_FIELDS:
        assert np.array_equal(getattr(on_panel, name), getattr(model, name)), name


def test_cycles_share_one_fit() -> None:
    sales, stock = district()
    panel = tm.Panel(["S1", "S2"], ["B1", "B2"], MONDAY, sales, stock)
    weekly = panel.metrics_by_cycle(7, method="censored")
    fit = tm.fit_demand(sales, stock, start=MONDAY)
    by_week = np.moveaxis(fit.lost.reshape(2, 2, 4, 7).sum(axis=-1), -1, 0)
    assert np.array_equal(weekly.projected_stockout_sales, by_week)
    # the counted figures are the seed's, cycle by cycle
    seed = panel.metrics_by_cycle(7)
    assert np.array_equal(weekly.stockout_days, seed.stockout_days)


def test_not_carried_series_stay_nan() -> None:
    sales, stock = district()
    carried = np.array([[True, False], [True, True]])
    sales[~carried], stock[~carried] = 0, 0
    panel = tm.Panel(["S1", "S2"], ["B1", "B2"], MONDAY, sales, stock, carried=carried)
    model = panel.metrics(method="censored")
    assert np.isnan(model.projected_stockout_sales[0, 1])
    assert np.isnan(model.fulfilment_ratio[0, 1])
    assert not np.isnan(model.by_store().fulfilment_ratio).any()


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"method": "censored"}, MissingDataError, "needs 'start'"),
        ({"method": "guess", "start": MONDAY}, InvalidValueError, "'method' must be one of"),
    ],
)
def test_bad_methods(options: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        tm.cycle_metrics(WEEK_SALES * 2, WEEK_STOCK * 2, **options)  # type: ignore[arg-type]


def test_the_cli_reports_the_same_model_values(tmp_path: Path) -> None:
    import csv

    from tobacco_metrics.cli import main

    sales, stock = district()
    panel = tm.Panel(["S1", "S2"], ["B1", "B2"], MONDAY, sales, stock)
    export = tmp_path / "export.csv"
    with open(export, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["store", "brand", "date", "sales", "inventory"])
        for (s, b, d), value in np.ndenumerate(sales):
            day = (MONDAY + dt.timedelta(days=d)).isoformat()
            writer.writerow([panel.stores[s], panel.brands[b], day, value, stock[s, b, d]])
    report = tmp_path / "report.csv"
    assert main(["cycle", str(export), "--out", str(report), "--method", "censored"]) == 0
    with open(report, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    weekly = panel.metrics_by_cycle(7, method="censored")
    starts = [start.isoformat() for start in weekly.starts]
    for row in rows:
        c, s, b = (
            starts.index(row["cycle_start"]),
            int(row["store"][1]) - 1,
            int(row["brand"][1]) - 1,
        )
        expected = float(weekly.projected_stockout_sales[c, s, b])
        assert float(row["projected_stockout_sales"]) == pytest.approx(expected, abs=1e-4)
    assert len(rows) == 4 * 4
