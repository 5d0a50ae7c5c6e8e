"""Notebook display: compact HTML tables for panels and results (``_repr_html_`` builders).

Each builder takes a public object and returns one ``<table>``: what the
object is, its shape and period, and a few headline figures (pooled, never
averaged).  Labels are HTML-escaped; long label lists, and labels longer than
60 characters, are cut with "…".
Nothing here needs an optional dependency.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from tobacco_metrics.panel import Panel, PanelMetrics, PooledMetrics
    from tobacco_metrics.stock import CycleMetrics

_MAX_LABELS = 5  # labels listed before "…"
_MAX_ROWS = 10  # rows of a pooled table before "…"
_MAX_CHARS = 60  # characters of one label (or text field) before "…"
_STYLE = "border-collapse:collapse;font-size:0.9em"


def notebook_table(render: Callable[..., str], *extra: Any) -> Callable[[Any], str]:
    """A ``_repr_html_`` method: its object drawn by ``render(object, *extra)``.

    A class says ``_repr_html_ = notebook_table(scorecard_html)``; the
    method's docstring is the first line of the builder's.
    """

    def _repr_html_(self: Any) -> str:
        return render(self, *extra)

    _repr_html_.__doc__ = (render.__doc__ or "").split("\n", 1)[0]
    return _repr_html_


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


def _text(value: Any) -> str:
    """One label or text as HTML: ``str``, cut after :data:`_MAX_CHARS` characters with "…",
    escaped (a 1 MB label makes a short cell, ``<script>`` is shown, not run)."""
    text = str(value)
    if len(text) > _MAX_CHARS:
        text = text[: _MAX_CHARS - 1] + "…"
    return html.escape(text)


def _labels(labels: Sequence[Any]) -> str:
    shown = ", ".join(_text(label) for label in labels[:_MAX_LABELS])
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
        *_headline(_carried_series(metrics)),
    ]
    return _table(f"PanelMetrics: {n_stores} stores × {n_brands} brands", rows)


def _carried_series(metrics: PanelMetrics) -> Any:
    """The metrics of the carried series only (those not carried are NaN and pool nothing)."""
    if metrics.carried.all():
        return metrics
    fields = ("actual_sales", "projected_stockout_sales", "stockout_days", "days")
    return types.SimpleNamespace(
        **{name: np.asarray(getattr(metrics, name))[metrics.carried] for name in fields}
    )


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
    header = [
        by,
        "fulfilment",
        "actual sales [cartons]",
        "stockout / counted [store × product days]",
    ]
    rows = [
        [
            _text(label),
            _ratio(pooled.fulfilment_ratio[i]),
            _number(pooled.actual_sales[i]),
            f"{_number(pooled.stockout_days[i])} / {_number(pooled.days[i])}",
        ]
        for i, label in enumerate(pooled.labels[:_MAX_ROWS])
    ]
    title = (
        f"PooledMetrics by {by}: {len(pooled.labels)} {by}s, {_period(pooled.start, pooled.end)}"
    )
    return _grid(title, header, rows, len(pooled.labels))


def _array_summary(value: NDArray[Any]) -> str:
    """An array field as its shape, dtype and (numbers) its range, NaN aside."""
    if value.size == 0:
        return f"empty array {value.shape}"
    if value.dtype.kind in "iufb":
        low = _number(np.nanmin(value)) if not np.isnan(value).all() else "n/a"
        high = _number(np.nanmax(value)) if not np.isnan(value).all() else "n/a"
        return f"array {value.shape} {value.dtype}, {low} … {high}"
    return f"array {value.shape} {value.dtype}"


def _field_value(value: Any) -> str:
    """One field of a result as the text of its table cell (escaped)."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return _array_summary(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(value, key=str) if isinstance(value, (frozenset, set)) else list(value)
        return f"{len(items)}: {_labels(items)}" if items else "none"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _number(value)
    if hasattr(value, "isoformat"):
        return html.escape(value.isoformat())
    return _text(value)


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


# --------------------------------------------------------------------------- decision results


def _count(flags: Any) -> int:
    return int(np.count_nonzero(np.asarray(flags)))


def _series(shape: tuple[int, ...]) -> str:
    if not shape:
        return "one series"
    count = int(np.prod(shape))
    layout = f" ({' × '.join(map(str, shape))})" if len(shape) > 1 else ""
    return f"{count:,} series{layout}"


def _range(values: Any, shown: Callable[[float], str] = _number) -> str:
    """Lowest … highest of the finite values ("n/a" when none is finite)."""
    array = np.asarray(values, dtype=np.float64)
    finite = array[np.isfinite(array)]
    if not finite.size:
        return "n/a"
    low, high = float(finite.min()), float(finite.max())
    return shown(low) if low == high else f"{shown(low)} … {shown(high)}"


def _grid(title: str, header: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> str:
    """A table with a header row; ``rows`` (already escaped) cut at ten with "… and n more"."""
    head = "".join(f"<th>{name}</th>" for name in header)
    lines = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    if total > len(rows):
        lines.append(f"<tr><td colspan='{len(header)}'>… and {total - len(rows)} more</td></tr>")
    return (
        f"<table class='tobacco-metrics' style='{_STYLE}'>"
        f"<caption style='text-align:left;font-weight:bold'>{title}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
    )


def _field_names(record: Any) -> list[str]:
    return [field.name for field in attrs.fields(type(record))]


def review_reasons_html(reasons: Any) -> str:
    """HTML table of ReviewReasons: how many series have each reason.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> review = tm.quota_review([10, 10], [[1] * 14, [0] * 14], [[5] * 14, [0] * 14])
    >>> "no_history" in review_reasons_html(review.reasons)
    True
    """
    from tobacco_metrics.decisions import REVIEW_REASONS

    shape = np.shape(getattr(reasons, REVIEW_REASONS[0]))
    rows = [(html.escape(name), f"{_count(getattr(reasons, name)):,}") for name in REVIEW_REASONS]
    return _table(f"ReviewReasons: {_series(shape)}", rows)


def quota_review_html(review: Any, actions: Sequence[str]) -> str:
    """HTML summary of a QuotaReview: actions, quota against proposal, reasons, figures.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> review = tm.quota_review([10, 10], [[3] * 14, [0] * 14], [[9] * 14, [0] * 14])
    >>> text = quota_review_html(review, ("raise", "cut", "hold"))
    >>> "QuotaReview: 2 series" in text, "Σ quota → Σ proposed" in text
    (True, True)
    """
    shape = np.shape(review.quota)
    proposals = np.asarray(review.action)
    quota = float(np.sum(review.quota, dtype=np.float64))
    proposed = float(np.sum(review.proposed, dtype=np.float64))
    reasons = ", ".join(
        f"{html.escape(name)} {_count(getattr(review.reasons, name)):,}"
        for name in _field_names(review.reasons)
        if _count(getattr(review.reasons, name))
    )
    rows = [
        (
            "actions",
            ", ".join(f"{name} {int(np.count_nonzero(proposals == name)):,}" for name in actions),
        ),
        (
            "Σ quota → Σ proposed [cartons/cycle]",
            f"{_number(quota)} → {_number(proposed)} ({proposed - quota:+,.0f})",
        ),
        ("Σ demand [cartons/cycle]", _number(np.nansum(review.demand, dtype=np.float64))),
        ("reasons (series)", reasons or "none"),
        ("fulfilment, lowest … highest", _range(review.fulfilment, "{:.1%}".format)),
        ("days of cover [days]", _range(review.cover)),
        ("rationed cycles", _number(np.sum(review.rationed_cycles, dtype=np.int64))),
    ]
    return _table(f"QuotaReview: {_series(shape)}", rows)


def scorecard_html(card: Any) -> str:
    """HTML table of a Scorecard: one row per group (the first ten), best score first.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C1", "C2"], ["B"], "2026-03-02", [[[3, 0]], [[1, 1]]],
    ...                  [[[2, 0]], [[4, 3]]])
    >>> card = tm.scorecard(panel.metrics(), {"C1": "R01", "C2": "R02"})
    >>> text = scorecard_html(card)
    >>> "Scorecard: 2 groups" in text, "50.0%" in text
    (True, True)
    """
    groups = np.asarray(card.groups).tolist()
    score = np.asarray(card.score, dtype=np.float64)
    order = np.argsort(np.where(np.isnan(score), np.inf, -score), kind="stable")
    rows = [
        [
            _text(groups[i]),
            _number(card.score[i]),
            _ratio(card.fulfilment[i]),
            _ratio(card.stockout_rate[i]),
            _ratio(card.in_range_share[i]),
            _number(card.series[i]),
        ]
        for i in order[:_MAX_ROWS]
    ]
    header = ["group", "score [0–100]", "fulfilment", "stockout rate", "cover in range", "series"]
    total_a = float(np.sum(card.actual_sales, dtype=np.float64))
    title = (
        f"Scorecard: {len(groups)} group{'s' if len(groups) != 1 else ''}, "
        f"pooled fulfilment {_ratio(_pooled_fulfilment(total_a, card.projected_stockout_sales))}"
    )
    return _grid(title, header, rows, len(groups))


def distortion_flags_html(flags: Any, kinds: Sequence[str]) -> str:
    """HTML summary of DistortionFlags: series and days flagged per kind.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> flags = tm.distortion_flags([[0, 0, 0, 2], [1, 1, 1, 1]], [[1, 1, 1, 5], [4, 3, 2, 1]])
    >>> text = distortion_flags_html(flags, ["token_hold", "missing_upload"])
    >>> "2 series × 4 days" in text, "1 series, 3 days" in text
    (True, True)
    """
    days = np.shape(flags.token_hold_days)
    rows = [
        (
            html.escape(kind),
            f"{_count(getattr(flags, kind)):,} series, "
            f"{_count(getattr(flags, f'{kind}_days')):,} days",
        )
        for kind in kinds
    ]
    rows.append(("any flag", f"{_count(flags.flagged):,} series"))
    rows.append(("ledger checked", "yes" if flags.ledger_checked else "no (no purchases given)"))
    series = _series(days[:-1]) if len(days) > 1 else "one series"
    return _table(f"DistortionFlags: {series} × {days[-1]} days", rows)


def volatile_customers_html(volatile: Any) -> str:
    """HTML table of VolatileCustomers: the most volatile stores first (the first ten).

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> volatile = tm.volatile_customers([[[2, 2, 6, 6]], [[3, 3, 3, 3]]], cycle_days=2,
    ...                                  stores=["C001", "C002"])
    >>> text = volatile_customers_html(volatile)
    >>> "2 stores × 2 cycles of 2 days" in text, "<td>C001</td><td>0.5</td>" in text
    (True, True)
    """
    stores = list(volatile.stores)
    order = [int(i) for i in volatile.order]
    rows = [
        [
            _text(stores[i]),
            _number(volatile.cv[i]),
            _number(volatile.mean[i]),
            _number(volatile.std[i]),
        ]
        for i in order[:_MAX_ROWS]
    ]
    n_cycles = np.shape(volatile.cycle_sales)[-1]
    title = (
        f"VolatileCustomers: {len(stores)} stores × {n_cycles} cycles of {volatile.cycle_days} days"
    )
    if volatile.left_out_days:
        title += f" ({volatile.left_out_days} trailing days left out)"
    header = ["store", "cv", "mean [cartons/cycle]", "std [cartons/cycle]"]
    return _grid(title, header, rows, len(order))


def _class_shares(shares: Sequence[float], classes: Sequence[str]) -> str:
    return ", ".join(
        f"{html.escape(name)} {'n/a' if math.isnan(share) else f'{share:.0%}'}"
        for name, share in zip(classes, shares, strict=True)
    )


def route_report_html(report: Any, classes: Sequence[str]) -> str:
    """HTML summary of a RouteStockReport: stock, cover, structure, key customers, new brands.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> panel = tm.Panel(["C1", "C2"], ["B1", "B2"], "2026-03-02",
    ...                  [[[1, 1], [2, 2]], [[0, 0], [1, 1]]], [[[5, 4], [9, 8]], [[0, 0], [6, 5]]])
    >>> report = tm.route_stock_report(panel, visited=["C1", "C2"], price_class=[1, 4])
    >>> text = route_report_html(report, ["I", "II", "III", "IV", "V"])
    >>> "RouteStockReport: 2 visited stores" in text, "days of cover" in text
    (True, True)
    """
    low, high = report.cover_range
    rows = [
        ("period", _period(report.start, report.end)),
        ("average stock [cartons/store]", _number(report.average_stock)),
        ("daily sales [cartons/store/day]", _number(report.daily_sales_per_store)),
        ("days of cover, route [days]", _number(report.stock_to_sales_ratio)),
        (
            f"stores short / in range / overstock ({_number(low)}–{_number(high)} days)",
            f"{len(report.short_stores)} / {len(report.in_range_stores)} / "
            f"{len(report.overstock_stores)}",
        ),
        ("short stores", _labels(report.short_stores) or "none"),
        ("overstock stores", _labels(report.overstock_stores) or "none"),
        ("stock by class", _class_shares(report.stock_class_shares, classes)),
        ("sales by class", _class_shares(report.sales_class_shares, classes)),
        (
            "key customers",
            _labels([customer.store for customer in report.key_customers]) or "none",
        ),
        (
            "new brands (sell-through)",
            ", ".join(
                f"{_text(brand.brand)} {_ratio(brand.sell_through)}"
                for brand in report.new_brands[:_MAX_LABELS]
            )
            or "none",
        ),
    ]
    n = len(report.stores)
    return _table(f"RouteStockReport: {n} visited store{'s' if n != 1 else ''}", rows)


def _days_text(days: Sequence[dt.date]) -> str:
    """The first :data:`_MAX_LABELS` days in ISO form, "…" after them when there are more."""
    return ", ".join(day.isoformat() for day in days[:_MAX_LABELS]) + (
        ", …" if len(days) > _MAX_LABELS else ""
    )


def _moves(days: Sequence[dt.date], moved_from: Sequence[dt.date | None]) -> list[str]:
    """Each order day a holiday moved, as "day ← holiday"."""
    return [
        f"{day.isoformat()} ← {source.isoformat()}"
        for day, source in zip(days, moved_from, strict=True)
        if source is not None
    ]


def weekly_limits_html(limits: Any) -> str:
    """HTML summary of WeeklyLimits (or ClassLimits): order days, cycles and the totals.

    Examples
    --------
    >>> import tobacco_metrics as tm
    >>> text = weekly_limits_html(tm.weekly_limits([124, 62], 2026, 3, order_weekday=1))
    >>> "WeeklyLimits: 2 rows × 5 cycles" in text, "38, 38, 37, 37, 36" in text
    (True, True)
    """
    array = np.asarray(limits.limits)
    per_cycle = array.reshape(-1, array.shape[-1]).sum(axis=0, dtype=np.int64)
    rows_shape = array.shape[:-1]
    held = getattr(limits, "held", None)
    if held is not None:
        rows_shape = rows_shape[:-1]
    rows = [
        ("order days", _days_text(limits.order_days)),
        ("days covered [days]", ", ".join(map(str, limits.days_covered))),
        ("Σ limit per cycle [cartons]", ", ".join(f"{int(v):,}" for v in per_cycle)),
        ("Σ limits [cartons]", _number(per_cycle.sum())),
    ]
    moves = _moves(limits.order_days, limits.moved_from)
    if moves:  # orders a holiday moved: the day placed ← the holiday
        rows.insert(1, ("moved from (holidays)", ", ".join(moves)))
    if held is not None:
        rows.insert(0, ("held classes", ", ".join(member.name for member in held) or "none"))
    count = int(np.prod(rows_shape)) if rows_shape else 1
    kind = html.escape(type(limits).__name__)
    title = f"{kind}: {count:,} row{'s' if count != 1 else ''} × {len(limits.order_days)} cycles"
    return _table(title, rows)
