"""The command line: ``python -m tobacco_metrics <command>``.

This is the edge of the library: it reads and writes files, formats and
prints; the formulas it calls are the pure functions of the core.

Commands
--------
``demo``
    Print a cycle report for the built-in demo district.
``cycle INPUT --out OUT``
    Read an ERP export (a long CSV or Parquet file, or a sheet of an Excel
    workbook with the ``excel`` extra: store, brand, date, sales, inventory,
    under English or common Chinese headers, in UTF-8 or GBK) and
    write the cycle metrics of every store × brand × delivery cycle, or of
    every store with ``--by store``.  Bad rows are reported with their line
    numbers and nothing is written; the output appears only once it is
    complete.
``quota INPUT --out OUT``
    Next month's reasonable quota (合理定量) and weekly limits (周限量) of every
    store × brand of an export: one row per store × brand × order day.

Exit status: 0 on success, 2 on a refused input or option, with the reason on
stderr (the first line says what and where, never a traceback).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from tobacco_metrics import _exports, _headers, _io, _readers
from tobacco_metrics._cartons import quota_of_rate
from tobacco_metrics._cycle import model_daily_lost, with_projected
from tobacco_metrics._table_notes import table_notes
from tobacco_metrics._typing import FloatArray
from tobacco_metrics._version import __version__
from tobacco_metrics.demo import DemoDistrict, demo_district
from tobacco_metrics.errors import TobaccoMetricsError
from tobacco_metrics.panel import Panel, PanelMetrics
from tobacco_metrics.quota import base_daily_rate
from tobacco_metrics.stock import (
    CYCLE_METRIC_FIELDS,
    cycle_metrics,
    pooled_fulfilment_ratio,
    stock_to_sales_ratio,
)
from tobacco_metrics.supply import WeeklyLimits, weekly_limits

__all__ = ["demo_report", "main"]

#: Inputs with more rows than this get progress lines on stderr (when it is a terminal).
PROGRESS_ROWS = 2_000_000

CYCLE_COLUMNS = (
    "store",
    "brand",
    "cycle_start",
    "cycle_end",
    *CYCLE_METRIC_FIELDS,
    "no_movement_days",
)
STORE_COLUMNS = (
    "store",
    "cycle_start",
    "cycle_end",
    "brands",
    *CYCLE_METRIC_FIELDS,
    "no_movement_days",
)
QUOTA_COLUMNS = (
    "store",
    "brand",
    "month",
    "cycle_quota",
    "monthly_quota",
    "order_day",
    "days_covered",
    "weekly_limit",
    "moved_from",
)

_T = TypeVar("_T")


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


class _RefusedError(Exception):
    """A refusal already worded for the user."""


def _demo(arguments: argparse.Namespace) -> int:
    print(demo_report(demo_district(arguments.seed)))
    return 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read(arguments: argparse.Namespace, say: Callable[[str], None]) -> _readers.LongTable:
    """Read and check the export; notes on collapsed rows and series not carried."""
    _exports.check_output(arguments.out)
    _exports.check_not_input(arguments.out, [arguments.input])
    source = _io.Source.open(arguments.input)
    table = _io.read_table(
        source,
        encoding=arguments.encoding,
        columns=arguments.columns,
        engine=arguments.engine,
        sheet=arguments.sheet,
    )
    for note in table_notes(table):
        say(f"note: {note}")
    return table


def _progress(arguments: argparse.Namespace, rows: int) -> Callable[[str], None]:
    enabled = arguments.progress or (rows > PROGRESS_ROWS and sys.stderr.isatty())
    return _io.progress_printer(sys.stderr, enabled)


def _calendar(arguments: argparse.Namespace) -> tuple[list[dt.date], list[dt.date]]:
    """The --holidays and --makeup-workdays dates, each file read once and checked."""
    return _io.read_calendar(arguments.holidays or None, arguments.makeup_workdays or None)


def _pooled_by_store(
    metrics: PanelMetrics, carried: NDArray[np.bool_], filled: NDArray[np.int64]
) -> dict[str, NDArray[Any]]:
    """The report's store rows: :meth:`PanelMetrics.by_store` (the one pooling rule)
    plus the count of carried brands and of filled (no-movement) days."""
    pooled = metrics.by_store()
    columns = {name: np.asarray(getattr(pooled, name)) for name in CYCLE_METRIC_FIELDS}
    columns["brands"] = np.count_nonzero(carried, axis=1).astype(np.int64)
    columns["no_movement_days"] = np.asarray(
        np.sum(np.where(carried, filled, 0), axis=1, dtype=np.int64)
    )
    return columns


def _filled_days(
    holes: NDArray[np.bool_] | None,
    shape: tuple[int, ...],
    offset: int,
    open_days: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """Days of the cycle (from day ``offset``, open days only) filled as without movement."""
    if holes is None:
        return np.zeros(shape, dtype=np.int64)
    window = holes[:, :, offset : offset + open_days.size] & open_days
    filled: NDArray[np.int64] = np.count_nonzero(window, axis=2).astype(np.int64)
    return filled


def _model_lost(
    panel: Panel, holidays: list[dt.date], arguments: argparse.Namespace
) -> FloatArray | None:
    """A demand model's daily lost sales (one fit on the whole export); None for "seed"."""
    if arguments.method == "seed":
        return None
    closed_days = panel.day_mask(holidays)
    return model_daily_lost(
        panel.sales,
        panel.inventory,
        arguments.method,
        panel.start,
        token_stock=arguments.token_stock,
        exclude=closed_days if closed_days.any() else None,
    )


def _cycle_parts(
    panel: Panel,
    carried: NDArray[np.bool_],
    holes: NDArray[np.bool_] | None,
    arguments: argparse.Namespace,
    say: Callable[[str], None],
) -> Iterator[dict[str, Any]]:
    """The report, one cycle at a time: every carried store × brand (or store)."""
    holidays, _ = _calendar(arguments)  # make-up days are not holidays: every day counts
    daily_lost = _model_lost(panel, holidays, arguments)
    keep = np.flatnonzero(carried.reshape(-1))
    n_stores, n_brands = carried.shape
    stores = tuple(str(label) for label in panel.stores)
    brands = tuple(str(label) for label in panel.brands)
    for cycle in panel.cycles(arguments.cycle_days, partial=arguments.partial):
        closed = cycle.day_mask(holidays)
        if closed.all():
            say(
                f"note: cycle {cycle.start.isoformat()} to {cycle.end.isoformat()} is all "
                "holidays: no metrics for it"
            )
            continue
        metrics = cycle.metrics(
            token_stock=arguments.token_stock, exclude=closed if closed.any() else None
        )
        offset = (cycle.start - panel.start).days
        if daily_lost is not None:
            lost = daily_lost[..., offset : offset + cycle.n_days].sum(axis=-1)
            metrics = with_projected(metrics, np.where(carried, lost, np.nan))
        filled = _filled_days(holes, carried.shape, offset, ~closed)
        rows = n_stores if arguments.by == "store" else keep.size
        zeros = np.zeros(rows, dtype=np.int32)
        part: dict[str, Any] = {
            "cycle_start": _exports.Coded(zeros, (cycle.start.isoformat(),)),
            "cycle_end": _exports.Coded(zeros, (cycle.end.isoformat(),)),
        }
        if arguments.by == "store":
            part["store"] = _exports.Coded(np.arange(n_stores, dtype=np.int32), stores)
            part.update(_pooled_by_store(metrics, carried, filled))
        else:
            part["store"] = _exports.Coded((keep // n_brands).astype(np.int32), stores)
            part["brand"] = _exports.Coded((keep % n_brands).astype(np.int32), brands)
            for name in CYCLE_METRIC_FIELDS:
                values = np.broadcast_to(getattr(metrics, name), (n_stores, n_brands))
                part[name] = values.reshape(-1)[keep]
            part["no_movement_days"] = filled.reshape(-1)[keep]
        yield part


def _cycle(arguments: argparse.Namespace) -> int:
    def work() -> None:
        began = time.perf_counter()
        table = _read(arguments, _say)
        progress = _progress(arguments, len(table))
        n_rows, carried = len(table), table.carried
        panel, holes = _readers.build_panel(table, arguments.missing, consume=True)
        del table  # the rows are in the panel now
        n_stores, n_brands, n_days = panel.shape
        progress(
            f"{n_rows:,} rows read in {time.perf_counter() - began:.1f} s: {n_stores:,} "
            f"stores × {n_brands:,} brands × {n_days} days "
            f"({int(np.count_nonzero(carried)):,} series carried); computing the cycles"
        )
        names = STORE_COLUMNS if arguments.by == "store" else CYCLE_COLUMNS
        parts = _cycle_parts(panel, carried, holes, arguments, _say)
        written = _write(arguments, names, parts)
        progress(
            f"wrote {written:,} rows to {arguments.out} in {time.perf_counter() - began:.1f} s"
        )

    return _guarded(arguments, work)


def _write(
    arguments: argparse.Namespace, names: Sequence[str], parts: Iterable[dict[str, Any]]
) -> int:
    parquet = arguments.out.lower().endswith((".parquet", ".pq"))
    return _exports.write(
        arguments.out,
        names,
        parts,
        decimals=arguments.decimals,
        engine=arguments.engine,
        parquet=parquet,
        bom=arguments.bom,
        sheet=arguments.command,
    )


def _guarded(arguments: argparse.Namespace, work: Callable[[], None]) -> int:
    """Run a command; every refusal is exit status 2 with its reason on stderr."""
    try:
        work()
    except _io.BadRowsError as error:
        _say(f"error: {_as_options(str(error))}")
        return 2
    except TobaccoMetricsError as error:
        _say(f"error: {arguments.input}: {_as_options(str(error))}; nothing was written")
        return 2
    except (_exports.OutputError, _RefusedError) as error:
        _say(f"error: {error}; nothing was written")
        return 2
    except TypeError as error:  # a Parquet column of the wrong type
        _say(f"error: {arguments.input}: {error}; nothing was written")
        return 2
    except MemoryError:
        _say(f"error: {arguments.input}: not enough memory for this export; split it")
        return 2
    except OSError as error:  # the message names the file
        if isinstance(error, BrokenPipeError):
            raise
        _say(f"error: {error}; nothing was written")
        return 2
    return 0


def _next_month(day: dt.date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _quotas(
    panel: Panel, arguments: argparse.Namespace, year: int, month: int, holidays: list[dt.date]
) -> tuple[FloatArray, FloatArray]:
    """The reasonable quota of every series per cycle and for the month, holidays excluded."""
    closed = panel.day_mask(holidays)
    if closed.all():
        raise _RefusedError("every day of the export is a holiday: no history for a quota")
    # One rate for both quotas (with --method censored the model is fitted once).
    rate = np.asarray(
        base_daily_rate(
            panel.sales,
            panel.inventory,
            exclude=closed if closed.any() else None,
            token_stock=arguments.token_stock,
            method=arguments.method,
            start=panel.start,
        ),
        dtype=np.float64,
    )
    cycle_quota, monthly = (
        quota_of_rate(rate, days, 1.0, "half_up")
        for days in (arguments.cycle_days, calendar.monthrange(year, month)[1])
    )
    return cycle_quota, monthly


def _quota_columns(
    panel: Panel, table: _readers.LongTable, arguments: argparse.Namespace
) -> dict[str, NDArray[Any]]:
    """One row per carried store × brand × order day of the month."""
    year, month = arguments.month or _next_month(panel.end)
    # The --holidays file also moves an order day that falls on a holiday (order_days' rule),
    # to a make-up working day of --makeup-workdays too.
    holidays, makeup = _calendar(arguments)
    cycle_quota, monthly = _quotas(panel, arguments, year, month, holidays)
    stores, brands = np.nonzero(table.carried)
    totals = np.asarray(monthly[stores, brands], dtype=np.float64)
    rated = ~np.isnan(totals)
    # Every series' weekly limits in one call (a call per series took 80 % of the run); the
    # order days (and where a holiday moved them from) are the rows' whatever their totals.
    plan = weekly_limits(
        np.where(rated, totals, 0).astype(np.int64),
        year,
        month,
        order_weekday=arguments.order_weekday,
        holidays=holidays,
        makeup_workdays=makeup,
    )
    assert isinstance(plan, WeeklyLimits)  # an array of totals gives one
    days_of_month = plan.order_days
    limits = np.where(rated[:, np.newaxis], plan.limits, np.nan)
    spans = np.where(rated[:, np.newaxis], np.asarray(plan.days_covered, np.int64), -1)
    per_day = len(days_of_month)
    no_rate = int(np.count_nonzero(~rated))
    if no_rate:
        _say(
            f"note: {no_rate:,} store × brand series without a day to estimate a rate from "
            "(out of stock or excluded every day): their quota cells are empty"
        )
    columns = {
        "store": np.repeat(np.asarray(panel.stores, dtype=object)[stores], per_day),
        "brand": np.repeat(np.asarray(panel.brands, dtype=object)[brands], per_day),
        "month": np.full(len(totals) * per_day, f"{year:04d}-{month:02d}", dtype=object),
        "cycle_quota": np.repeat(np.asarray(cycle_quota[stores, brands], np.float64), per_day),
        "monthly_quota": np.repeat(totals, per_day),
        "order_day": np.tile(
            np.array([day.isoformat() for day in days_of_month], object), len(totals)
        ),
        "days_covered": spans.ravel(),
        "weekly_limit": limits.ravel(),
        "moved_from": np.tile(
            np.array([day.isoformat() if day else "" for day in plan.moved_from], object),
            len(totals),
        ),
    }
    return {name: _quota_column(name, columns[name], no_rate > 0) for name in QUOTA_COLUMNS}


def _quota_column(name: str, values: NDArray[Any], any_empty: bool) -> NDArray[Any]:
    """A quota report column: text as objects; days covered int64 unless a cell is empty."""
    if name in ("store", "brand", "month", "order_day", "moved_from"):
        return np.asarray(values, dtype=object)
    if name == "days_covered":
        spans = np.asarray(values, dtype=np.float64)
        spans[spans < 0] = np.nan
        return spans if any_empty else spans.astype(np.int64)
    return np.asarray(values, dtype=np.float64)


def _quota(arguments: argparse.Namespace) -> int:
    def work() -> None:
        table = _read(arguments, _say)
        panel, _ = _readers.build_panel(table, arguments.missing)
        _write(arguments, QUOTA_COLUMNS, [_quota_columns(panel, table, arguments)])

    return _guarded(arguments, work)


def _as_options(message: str) -> str:
    """Name the command-line options where a library message names keyword arguments."""
    for keyword, option in (
        ("partial='keep' or partial='drop'", "--partial keep or --partial drop"),
        ("missing='no_movement'", "--missing no_movement"),
        ("'makeup_workdays'", "--makeup-workdays"),
        ("'holidays'", "--holidays"),
    ):
        message = message.replace(keyword, option)
    return message


def _parsed(text: str, parse: Callable[[str], _T], what: str) -> _T:
    """``parse(text)``, or the option's error "must be <what>: 'text'" when it cannot."""
    try:
        return parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}: {text!r}") from None


def _whole_days(text: str) -> int:
    value = _parsed(text, int, "a whole number of days")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {value}")
    return value


def _token(text: str) -> float:
    value = _parsed(text, float, "a number of cartons")
    if not np.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be finite and >= 0: {text!r}")
    return value


def _decimals(text: str) -> int:
    value = _parsed(text, int, "a whole number")
    if not 0 <= value <= 15:
        raise argparse.ArgumentTypeError(f"must be 0 to 15: {value}")
    return value


def _mapping(text: str) -> dict[str, str]:
    try:
        return _headers.parse_mapping(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _month(text: str) -> tuple[int, int]:
    day = _parsed(
        text, lambda month: dt.date.fromisoformat(f"{month.strip()}-01"), "a month YYYY-MM"
    )
    return day.year, day.month


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _weekday(text: str) -> int:
    value = text.strip().upper()
    if value in _WEEKDAYS:
        return _WEEKDAYS.index(value)
    if value.isdigit() and int(value) < 7:
        return int(value)
    raise argparse.ArgumentTypeError(f"must be MO … SU or 0 (Monday) … 6: {text!r}")


def _input_options(command: argparse.ArgumentParser) -> None:
    """The options every command reading an export shares."""
    command.add_argument(
        "input",
        metavar="INPUT",
        help="the export to read: .csv (any name), .parquet or an Excel workbook (.xlsx, .xlsm: "
        "the `excel` extra); - = stdin",
    )
    command.add_argument(
        "--out",
        required=True,
        metavar="OUT",
        help="the report to write: .csv, .parquet or .xlsx (an Excel workbook: the `excel` "
        "extra), - = stdout as CSV (replaced whole, never the input)",
    )
    command.add_argument(
        "--encoding",
        metavar="NAME",
        help="the CSV's encoding (default: detected: UTF-8, UTF-8/16 with a BOM, or GB18030/GBK)",
    )
    command.add_argument(
        "--sheet",
        metavar="NAME",
        help="the worksheet of a workbook to read: its name, or its position from 1 (default: "
        "the first visible one, with a note naming it when there are others)",
    )
    command.add_argument(
        "--columns",
        type=_mapping,
        metavar="MAP",
        help="which header names which column, e.g. store=客户编码,brand=卷烟编码,date=日期,"
        "sales=销量,inventory=库存 (default: English names or common ERP headers)",
    )
    command.add_argument(
        "--method",
        choices=("seed", "censored"),
        default="seed",
        help="how stockout days are valued: seed = the source's formula A / E x S (default); "
        "censored = the censored-demand model fitted on the whole export (better when stores "
        "sell out during the day or demand moves week to week)",
    )
    command.add_argument(
        "--token-stock",
        type=_token,
        default=0.0,
        metavar="N",
        help="stock at or below which a day without sales is a stockout (default 0)",
    )
    command.add_argument(
        "--holidays",
        metavar="FILE",
        help=(
            "days not counted: one date per line (# comments allowed); for `quota`, an order "
            "day on one also moves to a working day of its week"
        ),
    )
    command.add_argument(
        "--makeup-workdays",
        metavar="FILE",
        help=(
            "weekend days worked in exchange for a holiday (调休上班日), a file as for "
            "--holidays: Saturdays or Sundays, none of them a holiday; for `quota`, a moved "
            "order day may land on one"
        ),
    )
    command.add_argument(
        "--cycle-days", type=_whole_days, default=7, metavar="N", help="days per cycle (default 7)"
    )
    command.add_argument(
        "--missing",
        choices=("error", "no_movement"),
        default="error",
        help="a (store, brand, date) of a carried series without a row: refuse (default), or "
        "read it as a day without movement (no sales, stock of the day before)",
    )
    command.add_argument(
        "--decimals",
        type=_decimals,
        default=4,
        metavar="N",
        help="decimals of the numbers written (default 4)",
    )
    command.add_argument(
        "--bom",
        action="store_true",
        help="start a CSV report with the UTF-8 byte-order mark, so that Excel (on a Chinese "
        "Windows too) reads its Chinese labels as UTF-8",
    )
    command.add_argument(
        "--progress",
        action="store_true",
        help="progress lines on stderr (default: only for big inputs when stderr is a terminal)",
    )
    command.add_argument(
        "--engine",
        choices=("auto", "pyarrow", "python"),
        default="auto",
        help=argparse.SUPPRESS,
    )


_EPILOG = (
    "Empty cells: a NaN or infinite figure is written as an empty cell: the fulfilment ratio "
    "and projected lost sales of a series with no effective day (out of stock or excluded "
    "every day), and the days of cover of stock that did not sell. A store × brand without "
    "any row is not carried: it has no line and counts in no pooled figure. Exit status 2: "
    "the input or an option was refused (the reason is on stderr; nothing was written)."
)


def _export_command(
    commands: Any, name: str, handler: Callable[[argparse.Namespace], int], summary: str, text: str
) -> argparse.ArgumentParser:
    """A sub-command that reads an export: its parser with the input options and handler."""
    command: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=text, epilog=_EPILOG
    )
    _input_options(command)
    command.set_defaults(handler=handler)
    return command


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m tobacco_metrics",
        description="Metrics for tobacco distributors' customer managers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="print a cycle report for the built-in demo district")
    demo.add_argument(
        "--seed", type=int, default=2026, help="seed of the demo district (default 2026)"
    )
    demo.set_defaults(handler=_demo)
    cycle = _export_command(
        commands,
        "cycle",
        _cycle,
        "cycle metrics of every store × brand × delivery cycle of an export",
        (
            "Read an ERP export (one row per store, brand and day: store, brand, date, sales, "
            "inventory, under English or common Chinese headers such as 客户编码, 卷烟编码, "
            "日期, 销量, 库存) and write one row per store × brand × cycle with the stock "
            "metrics (stockout days, projected lost sales, fulfilment ratio, days of cover) and "
            "the days filled as without movement. Bad rows are reported with their line numbers "
            "and nothing is written."
        ),
    )
    cycle.add_argument(
        "--partial",
        choices=("error", "keep", "drop"),
        default="error",
        help="a trailing cycle shorter than --cycle-days: refuse (default), keep or drop it",
    )
    cycle.add_argument(
        "--by",
        choices=("brand", "store"),
        default="brand",
        help="one row per store × brand × cycle (default), or per store × cycle, pooled over "
        "the brands it carries",
    )
    quota = _export_command(
        commands,
        "quota",
        _quota,
        "next month's reasonable quotas and weekly limits of every store × brand",
        (
            "Read an ERP export as for `cycle` and write, for every carried store × brand, the "
            "reasonable quota (合理定量) per cycle, the month's quota and its weekly limits "
            "(周限量): one row per store × brand × order day of the month."
        ),
    )
    quota.add_argument(
        "--month",
        type=_month,
        metavar="YYYY-MM",
        help="the month to plan (default: the month after the export's last day)",
    )
    quota.add_argument(
        "--order-weekday",
        type=_weekday,
        default=0,
        metavar="DAY",
        help="the stores' order weekday, MO … SU (default MO)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = build_parser().parse_args(argv)
    try:
        status: int = arguments.handler(arguments)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head` closed the pipe: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
