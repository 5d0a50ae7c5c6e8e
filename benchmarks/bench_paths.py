"""The paths users really take, each beside its baseline in one run (issue 19).

Four measurements, each printed as a ratio to a baseline timed in the same
process, so the figures compare like with like on whatever machine runs them:

1. **Long table → cycle metrics.** ``Panel.from_long(...)`` + ``metrics()``
   on in-memory numpy columns (store, brand, date, sales, inventory), against
   a DuckDB SQL ``GROUP BY`` over the same columns (as an Arrow table) and a
   polars ``group_by``.  Target: ≤ 1.0× DuckDB (stretch 0.5×).
2. **One cycle per call.** ``cycle_metrics`` on one 7-day cycle against a
   plain-Python function computing the same five figures.  Target: ≤ 10×.
3. **Formulas over a 3-D panel.** ``cycle_metrics``, ``base_daily_rate`` and
   ``reasonable_quota`` on stores × brands × days, against the numpy read
   pass (``sales.max() + inventory.max()``).  Target: ≤ 4× the read pass.
4. **``Panel.metrics``** on one thread and with ``workers=2``, against the
   read pass.  Targets: ≤ 2.0× and ≤ 1.5×.
5. **Dask** (``--dask STORES``, needs ``distributed``): ns per cell of
   ``tobacco_metrics.dask.cycle_metrics`` on a 2-worker LocalCluster over
   persisted arrays of STORES × 100 × 90 made on the workers, beside the
   in-memory ``Panel.metrics(workers=1)``; then ``read_long`` from Parquet
   files to the metrics.  Target: ≤ 2.5 ns/cell at 20,000 stores, no
   large-graph warning.

DuckDB and polars are optional: a baseline that is not installed is reported
as such.  Every baseline's result is checked against the library's (equal to
rounding), so two correct programs are compared.

Usage::

    python benchmarks/bench_paths.py            # 2,000 × 100 × 90 (18 M rows), ~1 minute
    python benchmarks/bench_paths.py --quick    # small sizes, for CI: asserts nothing about time
    python benchmarks/bench_paths.py --long-only --cpu   # section 1 in CPU seconds (shared machine)
    python benchmarks/bench_paths.py --review-only       # the quota_review row of section 3 alone
    python benchmarks/bench_paths.py --formulas-only     # section 3 alone
    python benchmarks/bench_paths.py --dask 20000 --skip-memory   # section 5 alone
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from bench_panel import START, synthetic_panel
from numpy.typing import NDArray

import tobacco_metrics as tm

Timing = tuple[float, float]  # best, median [s]
# The clock of every timing: wall time, or the process's CPU time with --cpu (a shared
# machine; not for the workers=2 row, whose threads' CPU times add up).
CLOCK: Callable[[], float] = time.perf_counter


def timed(run: Callable[[], Any], repeat: int, clock: Callable[[], float] | None = None) -> Timing:
    """Best and median time of ``repeat`` runs after one warm-up (``clock``, else CLOCK)."""
    run()
    times = []
    for _ in range(repeat):
        gc.collect()
        began = (clock or CLOCK)()
        run()
        times.append((clock or CLOCK)() - began)
    return min(times), statistics.median(times)


def cpu_seconds(run: Callable[[], Any], repeat: int) -> float:
    """Least CPU time of this process (every thread) over ``repeat`` runs after one warm-up.

    On a shared machine the wall time measures the other processes too; the
    CPU time does not (much), so it tells what the wall time would be on an
    idle one: for work split evenly over two threads, about half of it.
    """
    return timed(run, repeat, time.process_time)[0]


def floor(sales: NDArray[Any], inventory: NDArray[Any]) -> Callable[[], Any]:
    return lambda: sales.max() + inventory.max()


def duration(seconds: float) -> str:
    return f"{seconds * 1e3:9.2f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:9.2f} µs"


def line(label: str, timing: Timing, baseline: Timing | None = None, target: str = "") -> None:
    best, median = timing
    ratio = f"{best / baseline[0]:8.2f}×" if baseline else " " * 9
    print(f"  {label:<36} {duration(best)} (median {duration(median)}) {ratio} {target}")


# --------------------------------------------------------------------------- 1. long table


def long_columns(sales: NDArray[np.float32], inventory: NDArray[np.float32]) -> dict[str, Any]:
    """The export as numpy columns, sorted by store, brand and date."""
    n_stores, n_brands, n_days = sales.shape
    return {
        "store": np.repeat(
            np.arange(100_001, 100_001 + n_stores, dtype=np.int64), n_brands * n_days
        ),
        "brand": np.tile(np.repeat(np.arange(1, n_brands + 1, dtype=np.int64), n_days), n_stores),
        "date": np.tile(np.datetime64(START, "D") + np.arange(n_days), n_stores * n_brands),
        "sales": sales.reshape(-1).astype(np.float64),
        "inventory": inventory.reshape(-1).astype(np.float64),
    }


SQL = """
SELECT store, brand,
       count(*) AS days,
       count(*) FILTER (WHERE sales = 0 AND inventory <= 0) AS stockout_days,
       sum(sales) AS actual_sales,
       arg_max(inventory, date) AS closing_inventory
FROM export GROUP BY store, brand ORDER BY store, brand
"""


def finish(days: Any, stockouts: Any, actual: Any, closing: Any) -> dict[str, NDArray[Any]]:
    """The ratios from the four group totals, by the library's documented rules."""
    days, stockouts = np.asarray(days, float), np.asarray(stockouts, float)
    actual, closing = np.asarray(actual, float), np.asarray(closing, float)
    effective = days - stockouts
    # No effective day: the projection cannot be estimated (NaN), as the library documents.
    projected = np.full_like(actual, np.nan)
    np.divide(actual * stockouts, effective, out=projected, where=effective > 0)
    total = actual + projected
    fulfilment = np.where(np.isnan(total), np.nan, 1.0)
    np.divide(actual, total, out=fulfilment, where=total > 0)
    return {"stockout_days": stockouts, "actual_sales": actual, "fulfilment_ratio": fulfilment}


def duckdb_way(columns: dict[str, Any]) -> Callable[[], dict[str, NDArray[Any]]] | None:
    try:
        import duckdb
        import pyarrow as pa
    except ImportError:
        return None
    connection = duckdb.connect()
    connection.register("export", pa.table(columns))

    def run() -> dict[str, NDArray[Any]]:
        out = connection.execute(SQL).fetchnumpy()
        return finish(
            out["days"], out["stockout_days"], out["actual_sales"], out["closing_inventory"]
        )

    return run


def polars_way(columns: dict[str, Any]) -> Callable[[], dict[str, NDArray[Any]]] | None:
    try:
        import polars as pl
    except ImportError:
        return None
    frame = pl.DataFrame(columns)

    def run() -> dict[str, NDArray[Any]]:
        out = (
            frame.group_by("store", "brand")
            .agg(
                pl.len().alias("days"),
                ((pl.col("sales") == 0) & (pl.col("inventory") <= 0)).sum().alias("stockouts"),
                pl.col("sales").sum().alias("actual"),
                pl.col("inventory").sort_by("date").last().alias("closing"),
            )
            .sort("store", "brand")
        )
        return finish(out["days"], out["stockouts"], out["actual"], out["closing"])

    return run


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "NOT met"


def library_way(columns: dict[str, Any]) -> Callable[[], dict[str, NDArray[Any]]]:
    def run() -> dict[str, NDArray[Any]]:
        metrics = tm.Panel.from_long(**columns).metrics()
        return {
            "stockout_days": np.asarray(metrics.stockout_days, float).reshape(-1),
            "actual_sales": np.asarray(metrics.actual_sales, float).reshape(-1),
            "fulfilment_ratio": np.asarray(metrics.fulfilment_ratio, float).reshape(-1),
        }

    return run


def bench_long(sales: NDArray[np.float32], inventory: NDArray[np.float32], repeat: int) -> None:
    columns = long_columns(sales, inventory)
    clock = "CPU" if CLOCK is time.process_time else "wall"
    print(f"1. long table → cycle metrics ({len(columns['store']):,} rows, {clock} time)")
    ours = library_way(columns)
    expected = ours()
    baselines = {"DuckDB GROUP BY": duckdb_way(columns), "polars group_by": polars_way(columns)}
    timings = {}
    for name, way in baselines.items():
        if way is None:
            print(f"  {name:<44} not installed")
            continue
        got = way()
        for key, values in expected.items():
            np.testing.assert_allclose(got[key], values, rtol=1e-9, err_msg=f"{name}: {key}")
        timings[name] = timed(way, repeat)
    mine = timed(ours, repeat)
    for name, timing in timings.items():
        line(name, timing)
    duck = timings.get("DuckDB GROUP BY")
    target = "target ≤ 1.0× DuckDB (stretch 0.5×)"
    if duck is not None:
        ratio = mine[0] / duck[0]
        target += f": {verdict(ratio, 1.0)} (stretch {verdict(ratio, 0.5)})"
    line("Panel.from_long + metrics", mine, duck, target)
    # The same table in the other containers users hold, and in no order (no target).
    order = np.random.default_rng(19).permutation(len(columns["store"]))
    others: dict[str, dict[str, Any]] = {
        "  the same, rows shuffled": {name: values[order] for name, values in columns.items()},
    }
    try:
        import pyarrow as pa
    except ImportError:
        pass
    else:
        arrow = pa.table(columns)
        others["  the same, Arrow columns"] = {name: arrow.column(name) for name in columns}
    for label, other in others.items():
        try:  # an older version may refuse a container
            got = library_way(other)()
        except (TypeError, ValueError) as error:
            print(f"  {label:<36} refused: {type(error).__name__}")
            continue
        np.testing.assert_array_equal(got["actual_sales"], expected["actual_sales"])
        line(label, timed(library_way(other), repeat), duck)


# --------------------------------------------------------------------------- 2. one call


def plain_python(sales: list[float], inventory: list[float]) -> tuple[int, float, float, float]:
    """The five figures of one cycle, in plain Python (the ERP developer's loop body)."""
    stockouts = sum(1 for s, i in zip(sales, inventory, strict=True) if s == 0 and i <= 0)
    actual = sum(sales)
    effective = len(sales) - stockouts
    projected = actual / effective * stockouts if effective else 0.0
    fulfilment = actual / (actual + projected) if actual + projected else 1.0
    average = actual / len(sales)
    cover = inventory[-1] / average if average else (0.0 if inventory[-1] == 0 else float("inf"))
    return stockouts, projected, fulfilment, cover


def bench_one_call(calls: int) -> None:
    sales, inventory = [6.0, 8.0, 0.0, 5.0, 0.0, 7.0, 4.0], [20.0, 12.0, 0.0, 25.0, 0.0, 18.0, 14.0]
    print(f"2. one 7-day cycle per call ({calls:,} calls, time per call)")
    python = timed(lambda: [plain_python(sales, inventory) for _ in range(calls)], 3)
    library = timed(lambda: [tm.cycle_metrics(sales, inventory) for _ in range(calls)], 3)

    def per_call(timing: Timing) -> Timing:
        return timing[0] / calls, timing[1] / calls

    line("plain Python", per_call(python))
    line("cycle_metrics", per_call(library), per_call(python), "target ≤ 10× plain Python")


# --------------------------------------------------------------------------- 3 and 4. panels


def bench_formulas(
    sales: NDArray[np.float32], inventory: NDArray[np.float32], repeat: int
) -> Timing:
    """Section 3; returns the read pass's timing."""
    print(f"3. formulas over a {' × '.join(map(str, sales.shape))} panel")
    base = timed(floor(sales, inventory), repeat)
    line("read pass (max + max)", base)
    calls: dict[str, Callable[[], Any]] = {
        "cycle_metrics": lambda: tm.cycle_metrics(sales, inventory),
        "base_daily_rate": lambda: tm.base_daily_rate(sales, inventory),
        "reasonable_quota": lambda: tm.reasonable_quota(sales, inventory),
    }
    for name, call in calls.items():
        line(name, timed(call, repeat), base, "target ≤ 4× read pass")
    bench_review(sales, inventory, repeat)
    return base


def bench_panel_formulas(
    sales: NDArray[np.float32], inventory: NDArray[np.float32], repeat: int
) -> None:
    base = bench_formulas(sales, inventory, repeat)
    print("4. Panel.metrics")
    panel = tm.Panel(
        stores=[f"S{i}" for i in range(sales.shape[0])],
        brands=[f"B{i}" for i in range(sales.shape[1])],
        start=dt.date(2026, 1, 1),
        sales=sales,
        inventory=inventory,
    )
    line(
        "Panel.metrics(workers=1)",
        timed(lambda: panel.metrics(workers=1), repeat),
        base,
        "target ≤ 2.0× read pass (one thread)",
    )
    line(
        "Panel.metrics(workers=2)",
        timed(lambda: panel.metrics(workers=2), repeat),
        base,
        "target ≤ 1.5× read pass (idle machine)",
    )
    # CPU time, which the other processes of a shared machine hardly change: the read
    # pass on one thread against half the CPU of the two threads (their work is even).
    read_cpu = cpu_seconds(floor(sales, inventory), repeat)
    two_cpu = cpu_seconds(lambda: panel.metrics(workers=2), repeat) / 2
    print(
        f"  {'Panel.metrics(workers=2), CPU / 2':<36} {duration(two_cpu)} "
        f"{'':17} {two_cpu / read_cpu:8.2f}× the read pass's CPU ({duration(read_cpu).strip()}): "
        "the idle-machine estimate"
    )


def bench_review(sales: NDArray[np.float32], inventory: NDArray[np.float32], repeat: int) -> None:
    """quota_review takes whole 7-day cycles: the first 12 weeks, against their own read pass."""
    weeks = sales.shape[-1] // 7 * 7
    review_sales = np.ascontiguousarray(sales[..., :weeks])
    review_stock = np.ascontiguousarray(inventory[..., :weeks])
    quota = np.full(sales.shape[:-1], 30)
    read_pass = timed(floor(review_sales, review_stock), repeat)
    line(
        f"quota_review ({weeks} days)",
        timed(lambda: tm.quota_review(quota, review_sales, review_stock), repeat),
        read_pass,
        "target ≤ 4× read pass",
    )
    holidays = np.zeros(weeks, dtype=bool)
    holidays[[3, weeks // 2]] = True  # two holidays: one calendar for every series
    line(
        "  the same, exclude=two holidays",
        timed(lambda: tm.quota_review(quota, review_sales, review_stock, exclude=holidays), repeat),
        read_pass,
    )


# --------------------------------------------------------------------------- 5. Dask


def _synthetic_pair(n_stores: int, s0: int, brands: int, days: int) -> Any:
    """One block of synthetic sales and stock, made on a worker, seeded by position."""
    return synthetic_panel(n_stores, brands, days, seed=2026 + s0)


def _persisted_panel(client: Any, stores: int, brands: int, days: int, per_block: int) -> Any:
    """Sales and stock persisted on the workers, each block's pair on one worker.

    One task makes a block's sales and stock (as a reader of one file or one
    Zarr chunk would): the two arrays' blocks are not placed independently, so
    the benchmark measures the metrics, not transfers between workers.
    """
    import importlib

    dask: Any = importlib.import_module("dask")
    da: Any = importlib.import_module("dask.array")
    parts: tuple[list[Any], list[Any]] = ([], [])
    for s0 in range(0, stores, per_block):
        n = min(per_block, stores - s0)
        pair = dask.delayed(_synthetic_pair, nout=2)(n, s0, brands, days)
        for which, part in enumerate(parts):
            part.append(da.from_delayed(pair[which], (n, brands, days), dtype=np.float32))
    arrays = [da.concatenate(part) for part in parts]
    return client.persist(arrays, optimize_graph=False)


def bench_dask(stores: int, repeat: int, files: bool = True) -> None:
    import importlib
    import tempfile
    import warnings

    # Dask and distributed carry no type annotations: reach them through Any.
    distributed: Any = importlib.import_module("distributed")
    tm_dask: Any = importlib.import_module("tobacco_metrics.dask")
    cycle_metrics = tm_dask.cycle_metrics
    read_long = getattr(tm_dask, "read_long", None)  # not in older versions

    brands, days = 100, 90
    cells = stores * brands * days
    print(f"5. Dask on a 2-worker LocalCluster, {stores:,} × {brands} × {days} = {cells:,} cells")
    per_block = max(1, (1 << 23) // (brands * days))  # 32 MB of float32 sales a block
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        client.wait_for_workers(2)
        sales, inventory = _persisted_panel(client, stores, brands, days, per_block)
        distributed.wait([sales, inventory])
        dask_time = timed(lambda: cycle_metrics(sales, inventory).compute(), repeat)
        # CPU of each process (every thread: the task, the worker's and the client's
        # event loops, the scheduler), which a loaded machine hardly changes.
        before = client.run(time.process_time), time.process_time()
        cycle_metrics(sales, inventory).compute()
        after = client.run(time.process_time), time.process_time()
        worker_cpu = sorted(after[0][w] - before[0][w] for w in after[0])
        client_cpu = after[1] - before[1]
        small_s, small_i = synthetic_panel(min(stores, 2_000), brands, days)
        panel = tm.Panel(range(len(small_s)), range(brands), START, small_s, small_i)
        memory = timed(lambda: panel.metrics(workers=1), repeat)
        memory_ns = memory[0] / small_s.size * 1e9
        dask_ns = dask_time[0] / cells * 1e9
        print(f"  {'Panel.metrics(workers=1) in memory':<44} {memory_ns:6.2f} ns/cell")
        print(
            f"  {'dask.cycle_metrics, persisted':<44} {dask_ns:6.2f} ns/cell"
            f"  ({dask_ns / memory_ns:.1f}× in memory; target ≤ 2.5 ns/cell)"
        )
        per_cell = [seconds / cells * 1e9 for seconds in (*worker_cpu, client_cpu)]
        print(
            f"  {'  CPU of one run [ns/cell]':<44} workers {per_cell[0]:.2f} + {per_cell[1]:.2f}, "
            f"client and scheduler {per_cell[2]:.2f} (idle-machine floor ≈ busiest worker, "
            f"{per_cell[1]:.2f})"
        )
        if read_long is not None and files:
            with tempfile.TemporaryDirectory() as folder:
                paths = _write_parquet(folder, stores, brands, days, per_block)
                files_time = timed(
                    lambda: read_long(paths, missing="no_movement").metrics().compute(), 1
                )
            print(
                f"  {'read_long(Parquet) + metrics':<44} {files_time[0] / cells * 1e9:6.2f} "
                f"ns/cell ({len(paths)} files, {files_time[0]:.1f} s)"
            )
        large = [w for w in caught if "large graph" in str(w.message).lower()]
        print(f"  large-graph warnings: {len(large)}")


def _write_parquet(folder: str, stores: int, brands: int, days: int, step: int) -> list[str]:
    """The synthetic panel as long-table Parquet files, one per block of stores."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = []
    day_values = np.arange(days, dtype=np.int32) + int(np.datetime64(START, "D").astype(np.int64))
    for s0 in range(0, stores, step):
        s1 = min(s0 + step, stores)
        sales, inventory = synthetic_panel(s1 - s0, brands, days, seed=2026 + s0)
        n = sales.size
        table = pa.table(
            {
                "store": np.repeat(np.arange(s0, s1), brands * days),
                "brand": np.tile(np.repeat(np.arange(brands), days), s1 - s0),
                "date": pa.array(np.tile(day_values, n // days)).cast(pa.date32()),
                "sales": sales.reshape(-1),
                "inventory": inventory.reshape(-1),
            }
        )
        path = f"{folder}/part{s0:06d}.parquet"
        pq.write_table(table, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    parser.add_argument("--dask", type=int, metavar="STORES", help="run section 5 at this size")
    parser.add_argument("--skip-memory", action="store_true", help="sections 1-4 left out")
    parser.add_argument("--no-files", action="store_true", help="section 5 without read_long")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="CPU time of the process (all its threads) instead of wall time: a shared machine",
    )
    parser.add_argument("--long-only", action="store_true", help="section 1 alone")
    parser.add_argument("--review-only", action="store_true", help="the quota_review row alone")
    parser.add_argument(
        "--formulas-only", action="store_true", help="section 3 alone (the free functions)"
    )
    arguments = parser.parse_args(argv)
    if arguments.cpu:
        global CLOCK
        CLOCK = time.process_time
    if arguments.dask:
        bench_dask(arguments.dask, 1 if arguments.quick else 3, not arguments.no_files)
    if arguments.skip_memory:
        return 0
    stores, brands, days = (40, 20, 28) if arguments.quick else (2_000, 100, 90)
    repeat = 1 if arguments.quick else 5
    sales, inventory = synthetic_panel(stores, brands, days)
    if arguments.review_only:
        print(f"quota_review over {' × '.join(map(str, sales.shape))} (its whole weeks)")
        bench_review(sales, inventory, repeat)
        return 0
    if arguments.formulas_only:
        bench_formulas(sales, inventory, repeat)
        return 0
    bench_long(sales, inventory, repeat)
    if arguments.long_only:
        return 0
    bench_one_call(200 if arguments.quick else 20_000)
    bench_panel_formulas(sales, inventory, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
