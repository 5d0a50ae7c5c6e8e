"""How fast is a district's (or a province's) cycle report? The panel benchmark of issue 6.

On synthetic float32 panels (5,000 stores × 100 brands × 90 days = 45 M
cells, and 1,000 × 50 × 90), times in one run:

- the **floor**: one numpy read pass over the inputs,
  ``sales.max() + inventory.max()`` (and ``.sum()`` for reference);
- ``Panel(...)``: building the panel, which checks every value once;
- ``Panel.metrics()``, on one thread and on two;
- the idiomatic **pandas** way an analyst writes it: ``groupby`` over the long
  table (store, brand, date, sales, inventory), pre-sorted by store, brand
  and date;
- a **plain-Python** loop over a slice of the series, extrapolated per cell;
- ``Panel.from_long`` against ``DataFrame.pivot`` on the same columns.

Each timing is the best of several runs after a warm-up, in the same process,
so the ratios compare like with like.  Peak extra memory is measured with
``tracemalloc`` (numpy and pandas report their buffers to it) in a separate,
untimed run.  The pandas result is checked against ``Panel.metrics`` (equal
to rounding), so the comparison is between two correct programs.

Usage::

    python benchmarks/bench_panel.py            # the issue's two panels (~4 GB RAM, a few minutes)
    python benchmarks/bench_panel.py --quick    # small panels, for CI: asserts nothing about time
    python benchmarks/bench_panel.py --json benchmarks/results/panel.json

The targets (issue 6), reported met or not for the 45 M-cell panel:
``Panel.metrics`` within 2.5× the floor (stretch 1.5×, e.g. with two
threads) and at least 50× faster than pandas groupby on the pre-sorted table;
peak extra memory under 10 % of the inputs; ``Panel.from_long`` no slower
than ``DataFrame.pivot``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import json
import os
import platform
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import Panel

START = dt.date(2026, 1, 1)


# --------------------------------------------------------------------------- data


def synthetic_panel(
    n_stores: int, n_brands: int, n_days: int, seed: int = 2026
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Whole cartons in float32: sales limited by the stock on hand, weekly deliveries.

    About a fifth of the store × brand series are brands the store does not
    carry (no sales, no stock: out every day), as in a real export.
    """
    rng = np.random.default_rng(seed)
    shape = (n_stores, n_brands, n_days)
    sales = np.empty(shape, dtype=np.float32)
    inventory = np.empty(shape, dtype=np.float32)
    step = max(1, 2_000_000 // (n_brands * n_days))  # generate a few stores at a time
    for s0 in range(0, n_stores, step):
        s1 = min(s0 + step, n_stores)
        rate = rng.gamma(2.0, 1.0, size=(s1 - s0, n_brands, 1)).astype(np.float32)
        carried = rng.random((s1 - s0, n_brands, 1)) > 0.2
        quota = np.rint(rate * 7 * rng.uniform(0.6, 1.3, size=rate.shape)).astype(np.float32)
        demand = rng.poisson(rate, size=(s1 - s0, n_brands, n_days)).astype(np.float32)
        on_hand = quota.copy()[..., 0]
        for day in range(n_days):
            if day % 7 == 0:
                on_hand = on_hand + quota[..., 0]
            sold = np.minimum(demand[..., day], on_hand)
            on_hand = on_hand - sold
            sales[s0:s1, :, day] = sold
            inventory[s0:s1, :, day] = on_hand
        sales[s0:s1] *= carried
        inventory[s0:s1] *= carried
    return sales, inventory


def long_table(sales: NDArray[np.float32], inventory: NDArray[np.float32]) -> pd.DataFrame:
    """The ERP export: one row per store, brand and day, sorted by store, brand and date."""
    n_stores, n_brands, n_days = sales.shape
    frame: pd.DataFrame = pd.DataFrame(
        {
            "store": np.repeat(
                np.arange(100_001, 100_001 + n_stores, dtype=np.int32), n_brands * n_days
            ),
            "brand": np.tile(
                np.repeat(np.arange(1, n_brands + 1, dtype=np.int32), n_days), n_stores
            ),
            "date": np.tile(np.datetime64(START, "D") + np.arange(n_days), n_stores * n_brands),
            "sales": sales.reshape(-1),
            "inventory": inventory.reshape(-1),
        }
    )
    return frame


# --------------------------------------------------------------------------- the ways to compute


def pandas_way(frame: pd.DataFrame, token_stock: float = 0.0) -> pd.DataFrame:
    """The cycle metrics as an analyst writes them in pandas (groupby over the long table)."""
    frame = frame.assign(stockout=(frame["sales"] == 0) & (frame["inventory"] <= token_stock))
    out = frame.groupby(["store", "brand"]).agg(
        days=("sales", "size"),
        stockout_days=("stockout", "sum"),
        actual_sales=("sales", "sum"),
        closing_inventory=("inventory", "last"),
    )
    out["effective_days"] = out["days"] - out["stockout_days"]
    selling = out["effective_days"] > 0
    out["projected_stockout_sales"] = (
        out["actual_sales"] / out["effective_days"].where(selling) * out["stockout_days"]
    )
    lost = out["projected_stockout_sales"]
    ratio = out["actual_sales"] / (out["actual_sales"] + lost)
    out["fulfilment_ratio"] = ratio.mask(lost == 0, 1.0)
    out["average_daily_sales"] = out["actual_sales"] / out["days"]
    cover = out["closing_inventory"] / out["average_daily_sales"]
    out["stock_to_sales_ratio"] = cover.mask(out["closing_inventory"] == 0, 0.0)
    return out


def python_way(sales: list[list[float]], inventory: list[list[float]]) -> list[tuple[float, ...]]:
    """The metrics of each series in plain Python, one day at a time."""
    results: list[tuple[float, ...]] = []
    for sold, stock in zip(sales, inventory, strict=True):
        days = len(sold)
        stockouts = 0
        actual = 0.0
        for quantity, left in zip(sold, stock, strict=True):
            actual += quantity
            if quantity == 0 and left <= 0:
                stockouts += 1
        effective = days - stockouts
        projected = actual / effective * stockouts if effective else float("nan")
        if projected == 0:
            fulfilment = 1.0
        elif projected != projected:
            fulfilment = float("nan")
        else:
            fulfilment = actual / (actual + projected)
        average = actual / days
        closing = stock[-1]
        if closing == 0:
            cover = 0.0
        elif average == 0:
            cover = float("inf")
        else:
            cover = closing / average
        results.append((stockouts, actual, projected, fulfilment, cover))
    return results


# --------------------------------------------------------------------------- measuring


def best_time(function: Callable[[], Any], repeats: int, warmup: int = 1) -> tuple[float, float]:
    """(best, median) wall time of ``repeats`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def interleaved(
    functions: dict[str, Callable[[], Any]], repeats: int
) -> dict[str, tuple[float, float]]:
    """Best and median times, the functions taking turns so noise hits them alike."""
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: (min(values), statistics.median(values)) for name, values in times.items()}


def peak_extra(function: Callable[[], Any]) -> int:
    """Peak bytes allocated by ``function`` beyond what was allocated before (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = function()
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    del result
    return peak


def check_same(frame: pd.DataFrame, metrics: tm.PanelMetrics) -> None:
    """The pandas result must equal Panel.metrics (to rounding: pandas sums its own way)."""
    for name in (
        "stockout_days",
        "actual_sales",
        "projected_stockout_sales",
        "fulfilment_ratio",
        "stock_to_sales_ratio",
        "closing_inventory",
    ):
        np.testing.assert_allclose(
            frame[name].to_numpy(dtype=np.float64),
            np.asarray(getattr(metrics, name), dtype=np.float64).reshape(-1),
            rtol=1e-6,
            err_msg=name,
        )


# --------------------------------------------------------------------------- one panel


def bench_panel(shape: tuple[int, int, int], repeats: int, python_series: int) -> dict[str, Any]:
    n_stores, n_brands, n_days = shape
    cells = n_stores * n_brands * n_days
    print(f"\ngenerating {n_stores:,} × {n_brands:,} × {n_days} float32 …", file=sys.stderr)
    sales, inventory = synthetic_panel(*shape)
    # Read-only, as a large export should be: the panel then keeps them without a copy.
    sales.setflags(write=False)
    inventory.setflags(write=False)
    input_bytes = sales.nbytes + inventory.nbytes
    stores, brands = list(range(100_001, 100_001 + n_stores)), list(range(1, n_brands + 1))
    panel = Panel(stores, brands, START, sales, inventory)
    rows: dict[str, dict[str, Any]] = {}

    def row(name: str, seconds: tuple[float, float], peak: int | None = None) -> None:
        rows[name] = {"best": seconds[0], "median": seconds[1], "peak_extra": peak}

    print("timing the floor and Panel.metrics …", file=sys.stderr)
    timed = interleaved(
        {
            "floor": lambda: (sales.max(), inventory.max()),
            "sum": lambda: (sales.sum(), inventory.sum()),
            "metrics": lambda: panel.metrics(workers=1),
            "metrics2": lambda: panel.metrics(workers=2),
            "metrics_auto": lambda: panel.metrics(),
        },
        repeats=max(repeats, 5) * 2,
    )
    row("floor: sales.max() + inventory.max()", timed["floor"])
    row("read: sales.sum() + inventory.sum()", timed["sum"])
    row(
        "Panel(...): build, checking values",
        best_time(lambda: Panel(stores, brands, START, sales, inventory), repeats),
    )
    row("Panel.metrics(workers=1)", timed["metrics"], peak_extra(lambda: panel.metrics(workers=1)))
    row("Panel.metrics(workers=2)", timed["metrics2"], peak_extra(lambda: panel.metrics(workers=2)))
    row("Panel.metrics(), workers='auto'", timed["metrics_auto"])

    print("building the long table …", file=sys.stderr)
    frame = long_table(sales, inventory)
    print("timing pandas groupby …", file=sys.stderr)
    check_same(pandas_way(frame), panel.metrics())
    pandas_repeats = max(1, repeats // 2)
    row(
        "pandas groupby, pre-sorted long table",
        best_time(lambda: pandas_way(frame), pandas_repeats, warmup=0),
        peak_extra(lambda: pandas_way(frame)),
    )

    print("timing the plain-Python loop …", file=sys.stderr)
    flat_sales = sales.reshape(-1, n_days)[:python_series].tolist()
    flat_stock = inventory.reshape(-1, n_days)[:python_series].tolist()
    seconds, median = best_time(lambda: python_way(flat_sales, flat_stock), 3)
    scale = (n_stores * n_brands) / python_series
    row(
        f"plain Python loop ({python_series:,} series, extrapolated)",
        (seconds * scale, median * scale),
    )

    print("timing Panel.from_long and DataFrame.pivot …", file=sys.stderr)
    columns = [frame[name] for name in ("store", "brand", "date", "sales", "inventory")]
    long_repeats = max(1, repeats // 2)
    row(
        "Panel.from_long, sorted long table",
        best_time(lambda: Panel.from_long(*columns), long_repeats),
        peak_extra(lambda: Panel.from_long(*columns)),
    )
    rebuilt = Panel.from_long(*columns)
    assert np.array_equal(rebuilt.sales, sales)
    assert np.array_equal(rebuilt.inventory, inventory)
    row(
        "pandas DataFrame.pivot, same columns",
        best_time(
            lambda: frame.pivot(
                index=["store", "brand"], columns="date", values=["sales", "inventory"]
            ),
            long_repeats,
            warmup=0,
        ),
    )
    print("timing the shuffled long table …", file=sys.stderr)
    shuffled = frame.sample(frac=1.0, random_state=1)
    columns = [shuffled[name] for name in ("store", "brand", "date", "sales", "inventory")]
    row(
        "Panel.from_long, rows shuffled", best_time(lambda: Panel.from_long(*columns), long_repeats)
    )
    row(
        "pandas groupby, rows shuffled",
        best_time(lambda: pandas_way(shuffled), pandas_repeats, warmup=0),
    )
    return {"shape": shape, "cells": cells, "input_bytes": input_bytes, "rows": rows}


def _small_panel_line(
    shape: tuple[int, int, int], per_call: Callable[[Callable[[], Any], int], float], number: int
) -> str:
    sales, stock = synthetic_panel(*shape)
    panel = Panel(range(shape[0]), range(shape[1]), START, sales, stock)
    floor = per_call(lambda: (sales.max(), stock.max()), number)
    times = {
        workers: per_call(functools.partial(panel.metrics, workers=workers), number)
        for workers in (1, 2, "auto")
    }
    return f"  {sales.size:>9,} cells: floor {floor * 1e3:7.2f} ms; " + "; ".join(
        f"workers={workers!r} {seconds * 1e3:7.2f} ms ({seconds / floor:.1f}×)"
        for workers, seconds in times.items()
    )


def bench_small_calls(repeats: int) -> list[str]:
    """One 7-day cycle per call (ERP code calling per row), and small panels on threads."""
    sales: list[float] = [6, 8, 0, 5, 0, 7, 4]
    stock: list[float] = [20, 12, 0, 25, 0, 18, 14]

    def plain() -> tuple[float, ...]:
        return python_way([sales], [stock])[0]

    def per_call(function: Callable[[], Any], number: int) -> float:
        return min(timeit.repeat(function, number=number, repeat=max(repeats, 5))) / number

    def cpu_per_call(function: Callable[[], Any], number: int) -> float:
        """The calling thread's CPU time per call: steadier than the clock on a busy machine."""
        best = float("inf")
        for _ in range(max(repeats, 5)):
            start = time.thread_time()
            for _ in range(number):
                function()
            best = min(best, (time.thread_time() - start) / number)
        return best

    sales_array, stock_array = np.array(sales), np.array(stock)
    python_seconds = cpu_per_call(plain, 20_000)
    call_seconds = cpu_per_call(lambda: tm.cycle_metrics(sales, stock), 5_000)
    array_seconds = cpu_per_call(lambda: tm.cycle_metrics(sales_array, stock_array), 5_000)
    lines = [
        "",
        "one 7-day cycle per call (thread CPU time):",
        f"  plain Python                         {python_seconds * 1e6:8.2f} µs",
        f"  cycle_metrics(list, list)            {call_seconds * 1e6:8.2f} µs"
        f"  ({call_seconds / python_seconds:.1f}× plain Python; target <= 10×)",
        f"  cycle_metrics(ndarray, ndarray)      {array_seconds * 1e6:8.2f} µs"
        f"  ({array_seconds / python_seconds:.1f}×)",
        "",
        "small panels (1e5 and 4e6 cells), Panel.metrics per call:",
    ]
    for shape in ((100, 10, 100), (1_000, 40, 100)):
        lines.append(_small_panel_line(shape, per_call, 20 if shape[0] == 100 else 3))
    return lines


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def report(result: dict[str, Any]) -> list[str]:
    n_stores, n_brands, n_days = result["shape"]
    cells = result["cells"]
    rows = result["rows"]
    floor = rows["floor: sales.max() + inventory.max()"]["best"]
    pandas_time = rows["pandas groupby, pre-sorted long table"]["best"]
    lines = [
        "",
        f"panel {n_stores:,} stores × {n_brands:,} brands × {n_days} days: {cells:,} cells, "
        f"float32, {result['input_bytes'] / 2**20:,.0f} MiB of input",
        f"{'':46}{'best s':>10}{'median s':>10}{'cells/s':>10}{'× floor':>9}"
        f"{'pandas ×':>10}{'peak +mem':>11}",
    ]
    for name, values in rows.items():
        best = values["best"]
        peak = values["peak_extra"]
        peak_text = "" if peak is None else f"{100 * peak / result['input_bytes']:.1f} %"
        ratio = pandas_time / best
        speedup = f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2g}×"
        if name.startswith(("floor", "read")):
            speedup = ""
        lines.append(
            f"{name:46}{best:>10.4f}{values['median']:>10.4f}{cells / best:>10.2e}"
            f"{best / floor:>9.2f}{speedup:>10}{peak_text:>11}"
        )
    return lines


def targets(result: dict[str, Any]) -> list[str]:
    rows = result["rows"]
    floor = rows["floor: sales.max() + inventory.max()"]["best"]
    one = rows["Panel.metrics(workers=1)"]["best"] / floor
    two = rows["Panel.metrics(workers=2)"]["best"] / floor
    pandas_speedup = (
        rows["pandas groupby, pre-sorted long table"]["best"]
        / rows["Panel.metrics(workers=1)"]["best"]
    )
    memory = rows["Panel.metrics(workers=1)"]["peak_extra"] / result["input_bytes"]
    from_long = rows["Panel.from_long, sorted long table"]["best"]
    pivot = rows["pandas DataFrame.pivot, same columns"]["best"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    best = min(one, two)
    return [
        "",
        f"targets on the {result['cells']:,}-cell panel:",
        f"  Panel.metrics within 2.5× the floor: {one:.2f}× on one thread — {verdict(one <= 2.5)}",
        f"  stretch 1.5×: {best:.2f}× (two threads: {two:.2f}×) — {verdict(best <= 1.5)}",
        f"  at least 50× faster than pandas groupby: {pandas_speedup:,.0f}× — "
        f"{verdict(pandas_speedup >= 50)}",
        f"  peak extra memory under 10 % of the inputs: {100 * memory:.1f} % — "
        f"{verdict(memory < 0.10)}",
        f"  Panel.from_long no slower than DataFrame.pivot: {from_long:.3g} s vs {pivot:.3g} s — "
        f"{verdict(from_long <= pivot)}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small panels, for CI (a few seconds)")
    parser.add_argument(
        "--repeats", type=int, default=None, help="timed runs per step (best is kept)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--small", action="store_true", help="only the small calls: one cycle, small panels"
    )
    arguments = parser.parse_args(argv)
    if arguments.small:
        print("\n".join(bench_small_calls(arguments.repeats or 5)))
        return 0
    if arguments.quick:
        shapes = [(300, 40, 90), (100, 20, 90)]
        repeats = arguments.repeats or 3
        python_series = 200
    else:
        shapes = [(5_000, 100, 90), (1_000, 50, 90)]
        repeats = arguments.repeats or 5
        python_series = 2_000
    header = [
        f"tobacco_metrics {tm.__version__} panel benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}",
        f"machine: {machine()}",
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}; "
        f"best of {repeats}+ runs after a warm-up (median beside it)",
    ]
    results = [bench_panel(shape, repeats, python_series) for shape in shapes]
    lines = list(header)
    for result in results:
        lines += report(result)
    lines += targets(results[0])
    if arguments.quick:
        lines.append("(quick mode: panels too small for the targets, which are for the full run)")
    print("\n".join(lines))
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps({"header": header, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
