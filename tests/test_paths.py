"""One law over every path: cycle_metrics, Panel.metrics (1 and 2 workers), Dask and the CLI.

The same panel goes through each path; every per-series figure must be the
same to the bit (the CLI's after its documented rounding to ``--decimals``).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tobacco_metrics as tm
from tobacco_metrics import _chunked
from tobacco_metrics.cli import main
from tobacco_metrics.panel import _kernel as kernel_module
from tobacco_metrics.stock import CYCLE_METRIC_FIELDS

MONDAY = dt.date(2026, 3, 2)


def _dask_arrays() -> tuple[Any, Any] | None:
    """(dask.array.from_array, tobacco_metrics.dask.cycle_metrics), or None without the extra."""
    try:
        import dask.array

        from tobacco_metrics.dask import cycle_metrics
    except ImportError:
        return None
    from_array: Any = dask.array.from_array
    return from_array, cycle_metrics


DASK = _dask_arrays()
DECIMALS = 15  # the CLI's largest --decimals: its cells are np.round(value, 15)


@st.composite
def panels(draw: st.DrawFn) -> tuple[Any, Any, float]:
    """Stores × brands × one 7-day cycle: whole or quarter cartons, stockouts, a token stock."""
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3)), 7)
    quarters = st.integers(0, 40).map(lambda n: n / 4)
    sales = draw(hnp.arrays(np.float64, shape, elements=quarters))
    stock = draw(hnp.arrays(np.float64, shape, elements=quarters))
    # Days without sales and without stock: the stockouts every path must count alike.
    out = draw(hnp.arrays(np.bool_, shape))
    sales[out], stock[out] = 0.0, 0.0
    return sales, stock, draw(st.sampled_from([0.0, 1.0]))


def through_the_cli(panel: tm.Panel, token: float) -> dict[tuple[str, str], dict[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        export, report = Path(folder, "export.csv"), Path(folder, "report.csv")
        with open(export, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["store", "brand", "date", "sales", "inventory"])
            for (s, b, d), value in np.ndenumerate(panel.sales):
                day = (MONDAY + dt.timedelta(days=d)).isoformat()
                row = [panel.stores[s], panel.brands[b], day, repr(float(value))]
                writer.writerow([*row, repr(float(panel.inventory[s, b, d]))])
        options = ["--token-stock", repr(token), "--decimals", str(DECIMALS)]
        assert main(["cycle", str(export), "--out", str(report), *options]) == 0
        with open(report, encoding="utf-8") as handle:
            return {(row["store"], row["brand"]): row for row in csv.DictReader(handle)}


def cell(value: Any) -> float:
    """What the CLI writes for a figure, read back: rounded, NaN and inf as an empty cell."""
    number = float(np.round(np.float64(value), DECIMALS))
    return number if np.isfinite(number) else np.nan


def assert_every_path_equal(paths: dict[str, Any], expected: Any) -> None:
    """Every metric of every path equal to ``expected``'s, bit for bit and in dtype."""
    for path, got in paths.items():
        for name in CYCLE_METRIC_FIELDS:
            np.testing.assert_array_equal(
                np.asarray(getattr(got, name)),
                np.asarray(getattr(expected, name)),
                err_msg=f"{path}: {name}",
                strict=True,
            )


@given(panels())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_path_gives_the_same_numbers(case: tuple[Any, Any, float]) -> None:
    sales, stock, token = case
    expected = tm.cycle_metrics(sales, stock, token_stock=token)
    stores = [f"S{i}" for i in range(sales.shape[0])]
    brands = [f"B{j}" for j in range(sales.shape[1])]
    panel = tm.Panel(stores, brands, MONDAY, sales, stock)
    paths: dict[str, Any] = {
        "Panel.metrics(workers=1)": panel.metrics(token_stock=token, workers=1)
    }
    # Blocks of one series (7 cells), so that two workers share even a small panel's blocks.
    with (
        mock.patch.object(kernel_module, "CHUNK_CELLS", 7),
        mock.patch.object(kernel_module, "CHUNK_CELLS_MIN", 1),
        mock.patch.object(kernel_module, "BLOCK_CELLS", 7),
    ):
        paths["Panel.metrics(workers=2)"] = panel.metrics(token_stock=token, workers=2)
    if DASK is not None:  # the optional extra, which CI installs with [test]
        from_array, dask_cycle_metrics = DASK
        lazy = dask_cycle_metrics(
            from_array(sales, chunks=(1, 2, 7)),
            from_array(stock, chunks=(1, 2, 7)),
            token_stock=token,
        )
        paths["Dask"] = lazy.compute(scheduler="sync")
    assert_every_path_equal(paths, expected)
    rows = through_the_cli(panel, token)
    assert len(rows) == sales.shape[0] * sales.shape[1]
    for (s, store), (b, brand) in itertools.product(enumerate(stores), enumerate(brands)):
        row = rows[store, brand]
        for name in CYCLE_METRIC_FIELDS:
            written = float(row[name]) if row[name] else np.nan
            wanted = cell(getattr(expected, name)[s, b])
            assert written == wanted or (np.isnan(written) and np.isnan(wanted)), (
                f"CLI {store} {brand} {name}: {row[name]!r} against {wanted!r}"
            )


def test_every_path_sums_each_series_alike_whatever_the_memory_layout() -> None:
    """numpy adds a float64 array's days pairwise along its innermost axis, and one by one
    when the days are not innermost (Fortran order, a moved axis): the last bits of A, and
    so of P, F and the cover, differed between paths and layouts of the same numbers."""
    rng = np.random.default_rng(28)
    sales = rng.random((5, 4, 1000)) * 10  # fractions of cartons: their sums round
    stock = rng.random(sales.shape) * 3
    sales[rng.random(sales.shape) < 0.3] = 0.0
    stock[rng.random(sales.shape) < 0.3] = 0.0
    expected = tm.cycle_metrics(sales, stock)
    fortran = np.asfortranarray(sales)
    fortran.flags.writeable = False  # a Panel keeps it as it is (no C-ordered copy)
    panel = tm.Panel([f"S{i}" for i in range(5)], list("ABCD"), MONDAY, fortran, stock)
    paths: dict[str, Any] = {
        "cycle_metrics(Fortran)": tm.cycle_metrics(fortran, stock),
        "cycle_metrics(axis=0)": tm.cycle_metrics(
            np.moveaxis(sales, -1, 0).copy(), np.moveaxis(stock, -1, 0).copy(), axis=0
        ),
        "Panel.metrics(Fortran)": panel.metrics(workers=1),
    }
    with mock.patch.object(_chunked, "ROUTE_CELLS", 1):  # the kernel, in chunks of stores
        paths["chunked(Fortran)"] = tm.cycle_metrics(fortran, stock)
    if DASK is not None:
        from_array, dask_cycle_metrics = DASK
        lazy = dask_cycle_metrics(from_array(fortran, chunks=(2, 3, 1000)), stock)
        paths["Dask(Fortran)"] = lazy.compute(scheduler="sync")
    assert_every_path_equal(paths, expected)


def test_censored_lost_sales_are_summed_alike_on_any_day_axis() -> None:
    """The model's daily lost sales were summed over ``axis`` in place: along axis 0 numpy
    adds them one by one, not pairwise, and the last bit of P and F moved."""
    rng = np.random.default_rng(29)
    sales = rng.poisson(3, (4, 3, 28)).astype(np.float64)
    stock = rng.integers(0, 3, sales.shape).astype(np.float64)
    out = rng.random(sales.shape) < 0.2
    sales[out], stock[out] = 0.0, 0.0
    expected = tm.cycle_metrics(sales, stock, method="censored", start=MONDAY)
    days_first = [np.moveaxis(values, -1, 0).copy() for values in (sales, stock)]
    got = tm.cycle_metrics(*days_first, axis=0, method="censored", start=MONDAY)
    for name in CYCLE_METRIC_FIELDS:
        np.testing.assert_array_equal(
            np.asarray(getattr(got, name)), np.asarray(getattr(expected, name)), err_msg=name
        )
