"""The command line on a big ERP export, side by side with DuckDB and polars (issue 13).

Generates a long CSV export (store, brand, date, sales, inventory; 15 M rows
by default: 2,500 stores × 60 brands × 100 days) and times, each in a fresh
process so that its peak memory is its own:

- ``python -m tobacco_metrics cycle export.csv --out report.csv`` (pyarrow
  engine), then the same with the standard-library engine on ``--quick``;
- a **DuckDB** SQL script computing the same weekly cycle metrics (stockout
  days, actual and projected lost sales, fulfilment ratio, closing stock,
  days of cover) and writing them with ``COPY … TO``;
- the same in **polars** (``scan_csv`` → ``group_by`` → ``write_csv``).

Each tool's wall time and peak resident memory (``ru_maxrss`` of the child)
are printed with the ratios CLI / DuckDB and CLI / polars; the three reports
are checked to agree (row count, total stockout days and actual sales).

Usage::

    python benchmarks/bench_cli.py             # 15 M rows: ~1 GB of CSV, a minute or two
    python benchmarks/bench_cli.py --quick     # 56 k rows, for CI: a few seconds
    python benchmarks/bench_cli.py --rows 3000000
    python benchmarks/bench_cli.py --keep /tmp/bench   # keep (and reuse) the files

Target (issue 13): the CLI within 1.5× of DuckDB, with no higher peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

START = dt.date(2026, 1, 5)  # a Monday

DUCKDB_SQL = """
COPY (
  WITH days AS (
    SELECT store, brand, date, sales, inventory,
           CAST((date - DATE '{start}') // {cycle} AS INTEGER) AS cycle,
           CASE WHEN sales = 0 AND inventory <= 0 THEN 1 ELSE 0 END AS out
    FROM read_csv('{source}', header = true,
                  columns = {{'store': 'VARCHAR', 'brand': 'VARCHAR', 'date': 'DATE',
                             'sales': 'DOUBLE', 'inventory': 'DOUBLE'}})
  ),
  cycles AS (
    SELECT store, brand, cycle, count(*) AS days, sum(out) AS stockout_days,
           sum(sales) AS actual_sales, arg_max(inventory, date) AS closing_inventory
    FROM days GROUP BY store, brand, cycle
  ),
  lost AS (
    SELECT *, CASE WHEN stockout_days = 0 THEN 0.0
                   WHEN days > stockout_days
                   THEN actual_sales / (days - stockout_days) * stockout_days
                   ELSE 'NaN'::DOUBLE END AS projected_stockout_sales
    FROM cycles
  )
  SELECT store, brand,
         DATE '{start}' + cycle * {cycle} AS cycle_start,
         DATE '{start}' + cycle * {cycle} + {cycle} - 1 AS cycle_end,
         days, stockout_days, actual_sales, projected_stockout_sales,
         CASE WHEN projected_stockout_sales = 0 THEN 1.0
              ELSE actual_sales / (actual_sales + projected_stockout_sales) END
           AS fulfilment_ratio,
         CASE WHEN closing_inventory = 0 THEN 0.0 WHEN actual_sales = 0 THEN 'inf'::DOUBLE
              ELSE closing_inventory / (actual_sales / days) END AS stock_to_sales_ratio,
         closing_inventory
  FROM lost ORDER BY cycle, store, brand
) TO '{out}' (HEADER, DELIMITER ',');
"""

POLARS_SCRIPT = """
import sys
import polars as pl
source, out, start, cycle = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
first = pl.lit(start).str.to_date()
frame = pl.scan_csv(source, schema={"store": pl.String, "brand": pl.String,
                                    "date": pl.Date, "sales": pl.Float64,
                                    "inventory": pl.Float64})
days = frame.with_columns(
    ((pl.col("date") - first).dt.total_days() // cycle).alias("cycle"),
    ((pl.col("sales") == 0) & (pl.col("inventory") <= 0)).cast(pl.Int64).alias("out"),
)
cycles = days.group_by("store", "brand", "cycle").agg(
    pl.len().alias("days"), pl.col("out").sum().alias("stockout_days"),
    pl.col("sales").sum().alias("actual_sales"),
    pl.col("inventory").sort_by("date").last().alias("closing_inventory"),
)
effective = pl.col("days") - pl.col("stockout_days")
lost = (pl.when(pl.col("stockout_days") == 0).then(0.0)
        .when(effective > 0).then(pl.col("actual_sales") / effective * pl.col("stockout_days"))
        .otherwise(float("nan")))
report = cycles.with_columns(lost.alias("projected_stockout_sales")).with_columns(
    pl.when(pl.col("projected_stockout_sales") == 0).then(1.0)
    .otherwise(pl.col("actual_sales") / (pl.col("actual_sales")
               + pl.col("projected_stockout_sales"))).alias("fulfilment_ratio"),
    pl.when(pl.col("closing_inventory") == 0).then(0.0)
    .when(pl.col("actual_sales") == 0).then(float("inf"))
    .otherwise(pl.col("closing_inventory") / (pl.col("actual_sales") / pl.col("days")))
    .alias("stock_to_sales_ratio"),
).sort("cycle", "store", "brand")
report.collect().write_csv(out)
"""


def generate(path: Path, n_stores: int, n_brands: int, n_days: int, seed: int = 0) -> int:
    """Write the export (sorted by store, brand, date as ERPs do); returns the row count."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    rng = np.random.default_rng(seed)
    stores = np.asarray([f"C{i:06d}" for i in range(n_stores)])
    brands = np.asarray([f"69010{j:08d}" for j in range(n_brands)])
    dates = (np.datetime64(START) + np.arange(n_days)).astype("datetime64[D]")
    per_store = n_brands * n_days
    with path.open("wb") as handle:
        writer = None
        for block in range(0, n_stores, max(1, 1_000_000 // per_store)):
            chunk = stores[block : block + max(1, 1_000_000 // per_store)]
            size = len(chunk) * per_store
            sales = rng.poisson(1.5, size).astype(np.float64)
            stock = rng.poisson(2.0, size).astype(np.float64)
            sales[rng.random(size) < 0.3] = 0
            table = pa.table(
                {
                    "store": np.repeat(chunk, per_store),
                    "brand": np.tile(np.repeat(brands, n_days), len(chunk)),
                    "date": pa.array(np.tile(dates, len(chunk) * n_brands)),
                    "sales": sales,
                    "inventory": stock,
                }
            )
            if writer is None:
                writer = pcsv.CSVWriter(handle, table.schema)
            writer.write_table(table)
        assert writer is not None
        writer.close()
    return n_stores * n_brands * n_days


# The province path on the same export: dask.read_long reads the CSV with the command
# line's reader, then the metrics of the whole period (threaded scheduler, one process);
# it writes the total stockout days and actual sales, checked against DuckDB's report.
READ_LONG_SCRIPT = """
import sys
import dask
import numpy as np
from tobacco_metrics.dask import read_long
dask.config.set(scheduler="threads")
metrics = read_long(sys.argv[1]).metrics().compute()
totals = np.nansum(metrics.stockout_days), np.nansum(metrics.actual_sales)
open(sys.argv[2], "w").write(" ".join(str(float(total)) for total in totals))
"""


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory [MiB] of a child."""
    began = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - began
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def totals(path: Path) -> tuple[int, float, float]:
    import pyarrow.csv as pcsv

    table = pcsv.read_csv(path)
    return (
        table.num_rows,
        float(np.nansum(table.column("stockout_days").to_numpy())),
        float(np.nansum(table.column("actual_sales").to_numpy())),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="56 k rows, for CI")
    parser.add_argument("--rows", type=int, default=15_000_000, help="rows to generate")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the files")
    parser.add_argument(
        "--generate", nargs=4, metavar=("PATH", "STORES", "BRANDS", "DAYS"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args(argv)
    if arguments.generate:
        path, *sizes = arguments.generate
        generate(Path(path), *(int(size) for size in sizes))
        return 0
    n_days, n_brands = (28, 10) if arguments.quick else (98, 60)
    rows = 56_000 if arguments.quick else arguments.rows
    n_stores = max(1, rows // (n_brands * n_days))
    work = Path(arguments.keep or tempfile.mkdtemp(prefix="bench_cli."))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "export.csv"
    began = time.perf_counter()
    # In a child: the parent stays small, and a child's peak memory (ru_maxrss) starts
    # from the size of the process it was forked from.
    if not (arguments.keep and source.exists()):  # --keep DIR reuses DIR's export
        command = [__file__, "--generate", str(source), str(n_stores), str(n_brands)]
        subprocess.run([sys.executable, *command, str(n_days)], check=True)
    n_rows = n_stores * n_brands * n_days
    print(
        f"export: {n_rows:,} rows ({n_stores:,} stores × {n_brands} brands × {n_days} days), "
        f"{source.stat().st_size / 2**20:,.0f} MiB, "
        f"generated in {time.perf_counter() - began:.1f} s"
    )
    env_python = [sys.executable]
    runs: dict[str, tuple[float, float, float]] = {}
    outputs: dict[str, Path] = {}
    engines = ["pyarrow", "python"] if arguments.quick else ["pyarrow"]
    for engine in engines:
        out = work / f"cli-{engine}.csv"
        runs[f"cli ({engine})"] = measure(
            [
                *env_python,
                "-m",
                "tobacco_metrics",
                "cycle",
                str(source),
                "--out",
                str(out),
                "--engine",
                engine,
            ]
        )
        outputs[f"cli ({engine})"] = out
    out = work / "duckdb.csv"
    sql = "SET enable_progress_bar = false; " + DUCKDB_SQL.format(
        start=START.isoformat(), cycle=7, source=source, out=out
    )
    runs["duckdb"] = measure([*env_python, "-c", f"import duckdb; duckdb.sql({sql!r})"])
    outputs["duckdb"] = out
    out = work / "polars.csv"
    runs["polars"] = measure(
        [*env_python, "-c", POLARS_SCRIPT, str(source), str(out), START.isoformat(), "7"]
    )
    outputs["polars"] = out
    reference = totals(outputs["duckdb"])
    for name, path in outputs.items():
        found = totals(path)
        if found[0] != reference[0] or not np.allclose(found[1:], reference[1:]):
            raise SystemExit(f"{name} disagrees with duckdb: {found} vs {reference}")
    if importlib.util.find_spec("dask") is not None:
        out = work / "read_long.txt"
        runs["dask read_long"] = measure(
            [*env_python, "-c", READ_LONG_SCRIPT, str(source), str(out)]
        )
        found_totals = [float(value) for value in out.read_text().split()]
        if not np.allclose(found_totals, reference[1:]):
            raise SystemExit(f"read_long disagrees with duckdb: {found_totals} vs {reference[1:]}")
    cli_time, cli_cpu, cli_memory = runs["cli (pyarrow)"]
    print(f"{'tool':<16}{'wall s':>9}{'CPU s':>9}{'peak MiB':>10}")
    for name, (seconds, cpu, memory) in runs.items():
        print(f"{name:<16}{seconds:>9.2f}{cpu:>9.2f}{memory:>10.0f}")
    duck_time, duck_cpu, duck_memory = runs["duckdb"]
    polars_time, polars_cpu, _ = runs["polars"]
    print(
        f"cli / duckdb: {cli_time / duck_time:.2f}× the wall time (target <= 1.5), "
        f"{cli_cpu / duck_cpu:.2f}× the CPU time, {cli_memory / duck_memory:.2f}× the peak "
        f"memory (target <= 1); cli / polars: {cli_time / polars_time:.2f}× the wall time, "
        f"{cli_cpu / polars_cpu:.2f}× the CPU time"
    )
    if "dask read_long" in runs:
        read_time, read_cpu, read_memory = runs["dask read_long"]
        print(
            f"dask read_long / duckdb: {read_time / duck_time:.2f}× the wall time, "
            f"{read_cpu / duck_cpu:.2f}× the CPU time, {read_memory / duck_memory:.2f}× the "
            "peak memory (the whole period's metrics, not a report per cycle)"
        )
    print(f"the reports agree: {reference[0]:,} rows, {reference[1]:,.0f} stockout days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
