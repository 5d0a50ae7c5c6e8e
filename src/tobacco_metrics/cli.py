"""The command line: ``python -m tobacco_metrics <command>``.

This is the edge of the library: it formats and prints; the formulas it
calls are the pure functions of the core.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

from tobacco_metrics.demo import DemoDistrict, demo_district
from tobacco_metrics.stock import cycle_metrics, pooled_fulfilment_ratio, stock_to_sales_ratio

__all__ = ["demo_report", "main"]


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = build_parser().parse_args(argv)
    status: int = arguments.handler(arguments)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
