"""Notebook display: compact HTML tables for panels and results (``_repr_html_`` builders).

Each builder takes a public object and returns one ``<table>``: what the
object is, its shape and period, and a few headline figures (pooled, never
averaged).  Labels are HTML-escaped; long label lists are cut with "…".
Nothing here needs an optional dependency.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

if TYPE_CHECKING:
    from tobacco_metrics.panel import Panel, PanelMetrics, PooledMetrics
    from tobacco_metrics.stock import CycleMetrics

_MAX_LABELS = 5  # labels listed before "…"
_MAX_ROWS = 10  # rows of a pooled table before "…"
_STYLE = "border-collapse:collapse;font-size:0.9em"


def _number(value: Any) -> str:
    """A figure for people: whole numbers with separators, others to 4 significant digits."""
    number = float(value)
    if math.isnan(number):
        return "n/a"
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.4g}"


def _ratio(value: Any) -> str:
    number = float(value)
    return "n/a (no selling day)" if math.isnan(number) else f"{number:.1%}"


def _labels(labels: Sequence[Any]) -> str:
    shown = ", ".join(html.escape(str(label)) for label in labels[:_MAX_LABELS])
    return shown + (f", … ({len(labels)} in all)" if len(labels) > _MAX_LABELS else "")


def _table(title: str, rows: Sequence[tuple[str, str]]) -> str:
    """One two-column table; ``rows`` hold already-escaped HTML."""
    body = "".join(
        f"<tr><th style='text-align:left;padding:0 1em 0 0'>{name}</th>"
        f"<td style='text-align:left'>{value}</td></tr>"
        for name, value in rows
    )
    return (
        f"<table class='tobacco-metrics' style='{_STYLE}'>"
        f"<caption style='text-align:left;font-weight:bold'>{title}</caption>"
        f"<tbody>{body}</tbody></table>"
    )


def _period(start: Any, end: Any) -> str:
    days = (end - start).days + 1
    return f"{start.isoformat()} to {end.isoformat()} ({days} day{'s' if days != 1 else ''})"


def _pooled_fulfilment(actual: Any, lost: Any) -> float:
    """ΣA / (ΣA + ΣP); 1.0 when ΣP == 0; NaN when any P is NaN."""
    total_actual = float(np.sum(actual, dtype=np.float64))
    total_lost = float(np.sum(lost, dtype=np.float64))
    if math.isnan(total_lost):
        return math.nan
    if total_lost == 0:
        return 1.0
    return total_actual / (total_actual + total_lost)


def panel_html(panel: Panel) -> str:
    """HTML summary of a Panel: shape, period, labels, dtypes, total sales and closing stock.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B1", "B2"], "2026-03-02",
    ...                  [[[1, 0], [2, 2]]], [[[3, 3], [0, 1]]])
    >>> text = panel_html(panel)
    >>> "1 store × 2 brands × 2 days" in text, "2026-03-02 to 2026-03-03" in text
    (True, True)
    """
    n_stores, n_brands, n_days = panel.sales.shape
    closing = np.sum(panel.inventory[..., -1], dtype=np.float64)
    rows = [
        ("period", _period(panel.start, panel.end)),
        ("stores", _labels(panel.stores)),
        ("brands", _labels(panel.brands)),
        ("data", f"sales {panel.sales.dtype}, inventory {panel.inventory.dtype}"),
        ("sales [cartons]", _number(np.sum(panel.sales, dtype=np.float64))),
        ("closing stock, last day [cartons]", _number(closing)),
    ]
    title = (
        f"Panel: {n_stores} store{'s' if n_stores != 1 else ''} × {n_brands} "
        f"brand{'s' if n_brands != 1 else ''} × {n_days} day{'s' if n_days != 1 else ''}"
    )
    return _table(title, rows)


def _headline(metrics: Any) -> list[tuple[str, str]]:
    """The pooled figures of any metrics result (PanelMetrics, CycleMetrics, PooledMetrics)."""
    lost = np.asarray(metrics.projected_stockout_sales, dtype=np.float64)
    unknown = int(np.count_nonzero(np.isnan(lost)))
    rows = [
        (
            "fulfilment, pooled ΣA / (ΣA + ΣP)",
            _ratio(_pooled_fulfilment(metrics.actual_sales, lost)),
        ),
        ("actual sales ΣA [cartons]", _number(np.sum(metrics.actual_sales, dtype=np.float64))),
        ("projected lost sales ΣP [cartons]", _number(np.nansum(lost, dtype=np.float64))),
        (
            "stockout days ΣS / counted ΣD [store × product days]",
            f"{_number(np.sum(metrics.stockout_days, dtype=np.int64))} / "
            f"{_number(np.sum(np.broadcast_to(metrics.days, lost.shape), dtype=np.int64))}",
        ),
    ]
    if unknown:
        rows.append(
            (
                "series without an estimate",
                f"{unknown} (no selling day: P is NaN, so is the pooled ratio)",
            )
        )
    return rows


def metrics_html(metrics: PanelMetrics) -> str:
    """HTML summary of a PanelMetrics: shape, period and the pooled headline figures.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001"], ["B"], "2026-03-02", [[[3, 0]]], [[[2, 0]]])
    >>> text = metrics_html(panel.metrics())
    >>> "50.0%" in text, "1 / 2" in text
    (True, True)
    """
    n_stores, n_brands = len(metrics.stores), len(metrics.brands)
    rows = [
        ("period", _period(metrics.start, metrics.end)),
        ("stores", _labels(metrics.stores)),
        ("brands", _labels(metrics.brands)),
        *_headline(metrics),
    ]
    return _table(f"PanelMetrics: {n_stores} stores × {n_brands} brands", rows)


def cycle_metrics_html(metrics: CycleMetrics) -> str:
    """HTML summary of a CycleMetrics: one cycle's figures, or the pooled figures of many.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> m = tm.cycle_metrics([6, 8, 0, 5, 0, 7, 4], [20, 12, 0, 25, 0, 18, 14])
    >>> text = cycle_metrics_html(m)
    >>> "one cycle" in text, "71.4%" in text
    (True, True)
    """
    shape = np.shape(metrics.actual_sales)
    what = "one cycle" if not shape else " × ".join(map(str, shape)) + " cycles"
    return _table(f"CycleMetrics: {what}", _headline(metrics))


def pooled_html(pooled: PooledMetrics) -> str:
    """HTML table of a PooledMetrics: one row per store (or brand), the first ten.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C001", "C002"], ["B"], "2026-03-02", [[[3, 0]], [[1, 1]]],
    ...                  [[[2, 0]], [[4, 3]]])
    >>> text = pooled_html(panel.metrics().by_store())
    >>> text.count("<tr>"), "store × product days" in text
    (3, True)
    """
    by = html.escape(pooled.by)
    header = (
        f"<tr><th>{by}</th><th>fulfilment</th><th>actual sales [cartons]</th>"
        f"<th>stockout / counted [store × product days]</th></tr>"
    )
    lines = []
    for i, label in enumerate(pooled.labels[:_MAX_ROWS]):
        lines.append(
            f"<tr><td>{html.escape(str(label))}</td>"
            f"<td>{_ratio(pooled.fulfilment_ratio[i])}</td>"
            f"<td>{_number(pooled.actual_sales[i])}</td>"
            f"<td>{_number(pooled.stockout_days[i])} / {_number(pooled.days[i])}</td></tr>"
        )
    more = len(pooled.labels) - _MAX_ROWS
    if more > 0:
        lines.append(f"<tr><td colspan='4'>… and {more} more</td></tr>")
    title = (
        f"PooledMetrics by {by}: {len(pooled.labels)} {by}s, {_period(pooled.start, pooled.end)}"
    )
    return (
        f"<table class='tobacco-metrics' style='{_STYLE}'>"
        f"<caption style='text-align:left;font-weight:bold'>{title}</caption>"
        f"<thead>{header}</thead><tbody>{''.join(lines)}</tbody></table>"
    )


def _field_value(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.ndim > 0:
        if value.size == 0:
            return f"empty array {value.shape}"
        if value.dtype.kind in "iufb":
            low = _number(np.nanmin(value)) if not np.isnan(value).all() else "n/a"
            high = _number(np.nanmax(value)) if not np.isnan(value).all() else "n/a"
            return f"array {value.shape} {value.dtype}, {low} … {high}"
        return f"array {value.shape} {value.dtype}"
    if isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(value, key=str) if isinstance(value, (frozenset, set)) else list(value)
        return f"{len(items)}: {_labels(items)}" if items else "none"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _number(value)
    if hasattr(value, "isoformat"):
        return html.escape(value.isoformat())
    return html.escape(str(value))


def result_html(result: Any) -> str:
    """HTML table of any attrs result or record: one row per field, arrays summarised.

    Arrays show their shape, dtype and range; label collections their first
    labels; everything is escaped.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> change = tm.structure_change([10, 10], [5, 15], [3, 4])
    >>> text = result_html(change)
    >>> "StructureChange" in text, "share_change" in text
    (True, True)
    """
    if not attrs.has(type(result)):
        raise TypeError(f"expected an attrs result or record, got {type(result).__name__}")
    rows = [
        (html.escape(field.name), _field_value(getattr(result, field.name)))
        for field in attrs.fields(type(result))
        if not field.name.startswith("_")
    ]
    return _table(html.escape(type(result).__name__), rows)
