"""The command line: ``python -m tobacco_metrics <command>``.

This is the edge of the library: it reads and writes files, formats and
prints; the formulas it calls are the pure functions of the core.

Commands
--------
``demo``
    Print a cycle report for the built-in demo district.
``cycle INPUT.csv --out OUT.csv``
    Read an ERP export (a long CSV with columns store, brand, date, sales,
    inventory) and write the cycle metrics of every store × brand × delivery
    cycle.  Bad rows are reported with their line numbers and nothing is
    written; the output appears only once it is complete.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from tobacco_metrics import _io
from tobacco_metrics.demo import DemoDistrict, demo_district
from tobacco_metrics.errors import TobaccoMetricsError
from tobacco_metrics.panel import Panel, PanelMetrics
from tobacco_metrics.panel._panel import panel_from_long as _from_long
from tobacco_metrics.stock import (
    CYCLE_METRIC_FIELDS,
    cycle_metrics,
    pooled_fulfilment_ratio,
    stock_to_sales_ratio,
)

__all__ = ["demo_report", "main"]

#: Inputs with more rows than this get progress lines on stderr.
PROGRESS_ROWS = 1_000_000

CYCLE_COLUMNS = ("store", "brand", "cycle_start", "cycle_end", *CYCLE_METRIC_FIELDS)


def demo_report(district: DemoDistrict) -> str:
    """The cycle report of a district, one line per store and a pooled line, as text."""
    token = np.asarray(district.token_stock)[:, np.newaxis, np.newaxis]
    metrics = cycle_metrics(district.sales, district.inventory, token_stock=token)
    n_days = district.sales.shape[-1]
    end = district.start.toordinal() + n_days - 1
    lines = [
        f"Cycle report: {len(district.stores)} stores × {len(district.brands)} products, "
        f"{district.start.isoformat()} to {type(district.start).fromordinal(end).isoformat()} "
        f"({n_days} days)",
        "",
        f"{'store':<6}{'sales':>8}{'stockout':>10}{'lost':>8}{'fulfil.':>9}{'cover':>8}  name",
        f"{'':<6}{'cartons':>8}{'days':>10}{'cartons':>8}{'':>9}{'days':>8}",
    ]
    actual = np.asarray(metrics.actual_sales)
    lost = np.asarray(metrics.projected_stockout_sales)
    stockouts = np.asarray(metrics.stockout_days)
    closing = np.asarray(metrics.closing_inventory)
    daily = np.asarray(metrics.average_daily_sales)
    fulfilment = np.asarray(pooled_fulfilment_ratio(actual, lost, axis=1))
    cover = np.asarray(stock_to_sales_ratio(closing.sum(axis=1), daily.sum(axis=1)))
    for i, store in enumerate(district.stores):
        lines.append(
            f"{store.id:<6}{actual[i].sum():>8.0f}{stockouts[i].sum():>10d}{lost[i].sum():>8.1f}"
            f"{fulfilment[i]:>9.1%}{cover[i]:>8.1f}  {store.name}"
        )
    district_fulfilment = float(pooled_fulfilment_ratio(actual, lost))
    district_cover = float(stock_to_sales_ratio(closing.sum(), daily.sum()))
    lines.append(
        f"{'all':<6}{actual.sum():>8.0f}{stockouts.sum():>10d}{lost.sum():>8.1f}"
        f"{district_fulfilment:>9.1%}{district_cover:>8.1f}  (pooled: ΣA / (ΣA + ΣP))"
    )
    lines += [
        "",
        "stockout days (脱销天数) are store × product days with neither sales nor stock;",
        "lost (预计脱销销售) = sales / effective days × stockout days; "
        "fulfil. (销售满足度) = sales / (sales + lost);",
        "cover (存销比) = closing stock / average daily sales. "
        "C004 keeps 1 carton back: counted as out.",
    ]
    return "\n".join(lines)


def _demo(arguments: argparse.Namespace) -> int:
    print(demo_report(demo_district(arguments.seed)))
    return 0


def _cycle_rows(metrics: PanelMetrics) -> Iterator[list[Any]]:
    """The rows of one cycle's metrics, stores then brands."""
    columns = [
        np.asarray(getattr(metrics, name)).reshape(-1).tolist() for name in CYCLE_COLUMNS[4:]
    ]
    start, end = metrics.start.isoformat(), metrics.end.isoformat()
    n_brands = len(metrics.brands)
    for position, values in enumerate(zip(*columns, strict=True)):
        store, brand = divmod(position, n_brands)
        yield [metrics.stores[store], metrics.brands[brand], start, end, *values]


def _cycle_metrics(
    panel: Panel, arguments: argparse.Namespace, holidays: list[dt.date], say: Any
) -> Iterator[PanelMetrics]:
    """Each cycle's metrics in turn (one cycle's results in memory at a time)."""
    for cycle in panel.cycles(arguments.cycle_days, partial=arguments.partial):
        closed = cycle.day_mask(holidays)
        if closed.all():
            say(
                f"note: cycle {cycle.start.isoformat()} to {cycle.end.isoformat()} is all "
                "holidays: no metrics for it"
            )
            continue
        yield cycle.metrics(
            token_stock=arguments.token_stock,
            exclude=closed if closed.any() else None,
        )


def _cycle(arguments: argparse.Namespace) -> int:
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        holidays = _io.read_holidays(arguments.holidays) if arguments.holidays else []
        table = _io.read_long_csv(
            arguments.input, progress=_io.stderr_progress(sys.stderr), every=PROGRESS_ROWS
        )
        large = len(table) > PROGRESS_ROWS
        lines = table.lines
        panel = _from_long(
            table.store,
            table.brand,
            table.date,
            table.sales,
            table.inventory,
            missing=arguments.missing,
            row_name=lambda row: f"line {int(lines[row])}",
        )
        if large:
            n_stores, n_brands, n_days = panel.shape
            say(
                f"progress: {len(table):,} rows read: {n_stores:,} stores × {n_brands:,} "
                f"brands × {n_days} days; computing the cycles"
            )
        results = _cycle_metrics(panel, arguments, holidays, say)
        written = _io.write_csv_atomically(
            arguments.out,
            CYCLE_COLUMNS,
            (row for metrics in results for row in _cycle_rows(metrics)),
        )
    except _io.BadRowsError as error:
        say(f"error: {error}")
        return 1
    except TobaccoMetricsError as error:
        say(f"error: {arguments.input}: {_as_options(str(error))}\nnothing was written")
        return 1
    except OSError as error:  # the message names the file
        say(f"error: {error}\nnothing was written")
        return 1
    if large:
        say(f"progress: wrote {written:,} rows to {arguments.out}")
    return 0


def _as_options(message: str) -> str:
    """Name the command-line options where a library message names keyword arguments."""
    for keyword, option in (
        ("partial='keep' or partial='drop'", "--partial keep or --partial drop"),
        ("missing='no_movement'", "--missing no_movement"),
    ):
        message = message.replace(keyword, option)
    return message


def _whole_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of days: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {value}")
    return value


def _token(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of cartons: {text!r}") from None
    if not np.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be finite and >= 0: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m tobacco_metrics",
        description="Metrics for tobacco distributors' customer managers.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="print a cycle report for the built-in demo district")
    demo.add_argument(
        "--seed", type=int, default=2026, help="seed of the demo district (default 2026)"
    )
    demo.set_defaults(handler=_demo)
    cycle = commands.add_parser(
        "cycle",
        help="cycle metrics of every store × brand × delivery cycle of a long CSV",
        description=(
            "Read a long CSV (header: store,brand,date,sales,inventory; one row per store, "
            "brand and day) and write one row per store × brand × cycle with the stock "
            "metrics (stockout days, projected lost sales, fulfilment ratio, days of cover). "
            "Bad rows are reported with their line numbers and nothing is written."
        ),
    )
    cycle.add_argument("input", metavar="INPUT.csv", help="the long CSV to read")
    cycle.add_argument(
        "--out", required=True, metavar="OUT.csv", help="the CSV to write (replaced whole)"
    )
    cycle.add_argument(
        "--token-stock",
        type=_token,
        default=0.0,
        metavar="N",
        help="stock at or below which a day without sales is a stockout (default 0)",
    )
    cycle.add_argument(
        "--holidays",
        metavar="FILE",
        help="days not counted: one ISO date per line (# comments allowed)",
    )
    cycle.add_argument(
        "--cycle-days", type=_whole_days, default=7, metavar="N", help="days per cycle (default 7)"
    )
    cycle.add_argument(
        "--partial",
        choices=("error", "keep", "drop"),
        default="error",
        help="a trailing cycle shorter than --cycle-days: refuse (default), keep or drop it",
    )
    cycle.add_argument(
        "--missing",
        choices=("error", "no_movement"),
        default="error",
        help="a (store, brand, date) without a row: refuse (default), or read it as a day "
        "without movement (no sales, stock of the day before)",
    )
    cycle.set_defaults(handler=_cycle)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = build_parser().parse_args(argv)
    status: int = arguments.handler(arguments)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
