"""Plots of panels and metrics for notebooks and reports (needs matplotlib: the ``plot`` extra).

Install with ``pip install -e ".[plot]"`` from a checkout.  The package never
imports this module, and this module imports matplotlib only when a function
is called, so ``import tobacco_metrics`` works without matplotlib.

Every function draws on the matplotlib ``Axes`` given as ``ax=`` (default: a
new figure's), returns that ``Axes``, labels both axes with their units, and
uses colour-blind-safe colours: the Okabe–Ito palette (:data:`PALETTE`) for
categories and the ``cividis`` colour map for quantities.

Chinese labels
--------------
Store names and brands are often Chinese (城中烟酒店, 云烟(软珍品)).
matplotlib's default font, DejaVu Sans, has no Chinese glyphs and draws them
as boxes with a "Glyph missing" warning.  :func:`use_cjk_fonts` puts the
first installed CJK font of :data:`CJK_FONTS` (Noto Sans CJK, Source Han
Sans, Microsoft YaHei, PingFang, SimHei, WenQuanYi, …) in front of
matplotlib's sans-serif list, keeping DejaVu Sans as the fallback for Latin
text; call it once before plotting.  On Debian or Ubuntu,
``apt install fonts-noto-cjk`` installs one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import Panel, PanelMetrics, PriceClass, class_shares, stockout_mask
from tobacco_metrics._validation import (
    aligned,
    as_real_array,
    given_labels,
    integer,
    real_number,
    shown_labels,
)
from tobacco_metrics.errors import DuplicateEntryError, InvalidValueError, ShapeMismatchError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CJK_FONTS",
    "PALETTE",
    "class_shares_bar",
    "fulfilment_by_cycle",
    "fulfilment_heatmap",
    "quota_vs_demand",
    "scorecard_bar",
    "stockout_heatmap",
    "use_cjk_fonts",
    "volatility_bar",
]

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The Okabe–Ito colour-blind-safe palette, in the order the plots use it."""

CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
)
"""Fonts with Chinese glyphs that :func:`use_cjk_fonts` looks for, in order of preference."""

_SEQUENTIAL = "cividis"
# The five price classes, dearest first, on a colour-blind-safe sequential ramp.
_CLASS_COLOURS = ("#00204C", "#414D6B", "#7C7B78", "#BCAF6F", "#FFE945")
_ANNOTATE_CELLS = 400  # write the values in the cells of heat maps up to this size
_MAX_INCHES = 50.0  # a figure grows with its rows up to this side (5,000 px at 100 dpi)


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - matplotlib is in the test environment
        raise ImportError(
            "tobacco_metrics.plot needs matplotlib: pip install -e '.[plot]' "
            "(or pip install matplotlib)"
        ) from error
    return plt


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax``, or a new figure's axes of ``figsize``, each side at most :data:`_MAX_INCHES`."""
    if ax is not None:
        if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
            raise TypeError(f"'ax' must be a matplotlib Axes, got {type(ax).__name__}")
        return ax
    _, new = _pyplot().subplots(figsize=tuple(min(side, _MAX_INCHES) for side in figsize))
    return new  # type: ignore[no-any-return]


def use_cjk_fonts() -> tuple[str, ...]:
    """Let matplotlib draw Chinese labels: put the installed CJK fonts first (中文字体).

    Prepends every installed font of :data:`CJK_FONTS` to
    ``matplotlib.rcParams["font.sans-serif"]`` (matplotlib falls back font by
    font, glyph by glyph) and returns the fonts it found; an empty tuple means
    none is installed (the labels would be boxes: install one, for example
    ``apt install fonts-noto-cjk``).  Calling it again changes nothing.

    Examples
    --------
    >>> from tobacco_metrics.plot import use_cjk_fonts
    >>> found = use_cjk_fonts()  # () on a machine without a CJK font
    >>> isinstance(found, tuple)
    True
    """
    _pyplot()  # a clear ImportError naming the extra when matplotlib is missing
    import matplotlib
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = tuple(name for name in CJK_FONTS if name in installed)
    current = [name for name in matplotlib.rcParams["font.sans-serif"] if name not in found]
    matplotlib.rcParams["font.sans-serif"] = [*found, *current]
    return found


# --------------------------------------------------------------------------- helpers


def _label_list(labels: Any, n: int, name: str, *, categories: bool = False) -> list[str]:
    """``n`` labels as text; ``categories``: refuse repeats (matplotlib draws them on one row)."""
    texts = [str(label) for label in labels]
    if len(texts) != n:
        raise ShapeMismatchError(f"{name!r} must have {n} labels (one per row), got {len(texts)}")
    if categories and len(set(texts)) != n:
        repeated = sorted({text for text in texts if texts.count(text) > 1})
        raise DuplicateEntryError(
            f"{name!r} must not repeat a label: bars of one label are drawn on one row, "
            f"over each other: {repeated[:5]}"
        )
    return texts


def _row_names(labels: Any, data: Any, n: int, name: str, *, categories: bool = False) -> list[str]:
    """The rows' names: ``labels``, the data's own labels or 1 … n; never a renaming.

    ``labels`` given for labelled data (a pandas index other than the default
    0 … n-1, xarray coordinates) must be those labels in their order: rows
    are never renamed by position.
    """
    own = given_labels(data)
    rows = None if not own or own[0] is None else [str(label) for label in own[0]]
    if labels is None:
        names = _index_labels(data) or [str(i + 1) for i in range(n)]
        return _label_list(names, n, name, categories=categories)
    names = _label_list(labels, n, name, categories=categories)
    if rows is not None and names != rows:
        raise ShapeMismatchError(
            f"{name!r} ({shown_labels(tuple(names))}) must be the row labels of the data "
            f"({shown_labels(tuple(rows))}), in their order: rows are never renamed by "
            f"position; drop {name}= or reindex the data"
        )
    return names


def _index_labels(values: Any) -> list[str] | None:
    index = getattr(values, "index", None)
    return None if index is None or callable(index) else [str(label) for label in index]


def _heatmap(
    ax: Axes,
    values: NDArray[Any],
    rows: Sequence[str],
    columns: Sequence[str],
    *,
    vmax: float,
    colorbar: str,
    annotate: bool | None,
    vmin: float = 0,
    fmt: str = "g",
) -> None:
    plt = _pyplot()
    top = max(vmax, 1) if fmt == "g" else vmax
    image = ax.imshow(values, cmap=_SEQUENTIAL, vmin=vmin, vmax=top, aspect="auto")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xticks(range(len(columns)), columns)
    if annotate if annotate is not None else values.size <= _ANNOTATE_CELLS:
        for (i, j), value in np.ndenumerate(values):
            if not np.isfinite(value):
                continue
            light = value < vmin + 0.6 * (top - vmin)  # cividis is dark at the low end
            ax.text(
                j,
                i,
                f"{value:{fmt}}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if light else "black",
            )
    plt.colorbar(image, ax=ax, label=colorbar)


def _day_labels(dates: Sequence[dt.date]) -> list[str]:
    return [
        day.strftime("%a\n%m-%d") if len(dates) <= 14 else day.strftime("%m-%d") for day in dates
    ]


# --------------------------------------------------------------------------- stockouts


class _StockoutGrid(NamedTuple):
    """What :func:`stockout_heatmap` draws: the cells, their labels and the colour scale."""

    values: NDArray[Any]
    rows: Sequence[Any]
    columns: list[str]
    xlabel: str
    unit: str
    vmax: float


def _other(by: str) -> str:
    return "product" if by == "store" else "store"


def _row_labels(data: Panel | PanelMetrics, by: str) -> tuple[Any, ...]:
    return data.stores if by == "store" else data.brands


def _column_labels(data: PanelMetrics, by: str) -> tuple[Any, ...]:
    return data.brands if by == "store" else data.stores


def _panel_stockouts(
    data: Panel, by: str, token_stock: ArrayLike, cycle_days: int | None
) -> _StockoutGrid:
    """A Panel's stockouts per row and day, or summed over cycles of ``cycle_days`` days."""
    out = stockout_mask(data.sales, data.inventory, token_stock=token_stock)
    other_axis = 1 if by == "store" else 0
    per_day = out.sum(axis=other_axis, dtype=np.int64)
    rows = _row_labels(data, by)
    n_series = out.shape[other_axis]
    if cycle_days is None:
        other = _other(by)
        return _StockoutGrid(
            per_day,
            rows,
            _day_labels(data.dates),
            "day",
            f"{other}s out of stock [{other}s]",
            float(n_series),
        )
    length = integer(cycle_days, "cycle_days", minimum=1)
    starts = np.arange(0, data.n_days, length)
    return _StockoutGrid(
        np.add.reduceat(per_day, starts, axis=1),
        rows,
        [data.dates[int(start)].strftime("%m-%d") for start in starts],
        f"delivery cycle ({length} days, first day)",
        f"stockout days [{by} × product days]",
        float(n_series * length),
    )


def _metrics_stockouts(data: PanelMetrics, by: str) -> _StockoutGrid:
    """Each series' stockout days S, rows by ``by`` and columns by the other label."""
    return _StockoutGrid(
        np.asarray(data.stockout_days if by == "store" else data.stockout_days.T),
        _row_labels(data, by),
        [str(label) for label in _column_labels(data, by)],
        _other(by),
        "stockout days S [days]",
        float(np.max(data.days, initial=1)),
    )


def _cycles_stockouts(data: Sequence[PanelMetrics], by: str) -> _StockoutGrid:
    """Stockout days per row and cycle, one PanelMetrics per cycle, summed over the other label."""
    cycles = list(data)
    if not cycles or not all(isinstance(part, PanelMetrics) for part in cycles):
        raise TypeError(
            "'data' must be a Panel, a PanelMetrics or a non-empty sequence of PanelMetrics"
        )
    axis = 1 if by == "store" else 0
    rows = _row_labels(cycles[0], by)
    if any(_row_labels(part, by) != rows for part in cycles):
        raise ShapeMismatchError(
            f"the cycles' {by} labels differ: every PanelMetrics needs the same"
        )
    return _StockoutGrid(
        np.stack([part.stockout_days.sum(axis=axis) for part in cycles], axis=1),
        rows,
        [part.start.strftime("%m-%d") for part in cycles],
        "delivery cycle (first day)",
        f"stockout days [{by} × product days]",
        float(max(int(part.days.sum(axis=axis).max(initial=1)) for part in cycles)),
    )


def stockout_heatmap(
    data: Panel | PanelMetrics | Sequence[PanelMetrics],
    *,
    by: Literal["store", "brand"] = "store",
    token_stock: ArrayLike = 0,
    cycle_days: int | None = None,
    annotate: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Heat map of stockouts (脱销): stores (or brands) × days, cycles or products.

    Parameters
    ----------
    data : Panel, PanelMetrics or sequence of PanelMetrics
        A :class:`~tobacco_metrics.Panel`: one cell per store and day, the
        number of products out of stock that day (with ``by="brand"``: one
        cell per brand and day, the stores out of it); with ``cycle_days``,
        one cell per delivery cycle, the stockout days summed over the
        cycle's days and the products [store × product days].  A
        :class:`~tobacco_metrics.PanelMetrics`: stores × brands, each cell the
        series' stockout days S.  A sequence of PanelMetrics (one per cycle,
        as ``[part.metrics() for part in panel.cycles(7)]``): one cell per
        store (or brand) and cycle, S summed over the other label.
    by : {'store', 'brand'}
        What the rows are. Default ``"store"``.
    token_stock : array_like, optional
        Token stock [cartons] for a Panel's stockout days (as in
        :func:`~tobacco_metrics.stockout_mask`; broadcast to the panel's
        (stores, brands, days)). Default 0.
    cycle_days : int, optional
        Group a Panel's days into cycles of this many days (the last cycle
        may be shorter).
    annotate : bool, optional
        Write the count in each cell; default: when there are at most 400 cells.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tobacco_metrics as tm
    >>> from tobacco_metrics.plot import stockout_heatmap
    >>> panel = tm.Panel(["C001", "C002"], ["B1", "B2"], "2026-03-02",
    ...                  [[[0, 1, 0], [0, 0, 1]], [[1, 1, 1], [0, 0, 0]]],
    ...                  [[[0, 3, 0], [0, 0, 2]], [[4, 3, 2], [0, 0, 0]]])
    >>> ax = stockout_heatmap(panel)  # C001: both products out on Monday
    >>> ax.images[0].get_array().tolist()
    [[2, 1, 1], [1, 1, 1]]
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('day', 'store')
    """
    if by not in ("store", "brand"):
        raise InvalidValueError(f"'by' must be 'store' or 'brand', got {by!r}")
    axes = _axes(ax, (6.4, 3.6))
    if isinstance(data, Panel):
        grid = _panel_stockouts(data, by, token_stock, cycle_days)
    elif isinstance(data, PanelMetrics):
        if cycle_days is not None:
            raise InvalidValueError("'cycle_days' applies to a Panel, not to PanelMetrics")
        grid = _metrics_stockouts(data, by)
    else:
        grid = _cycles_stockouts(data, by)
    values, rows, columns, xlabel, unit, vmax = grid
    _heatmap(
        axes,
        np.asarray(values),
        [str(label) for label in rows],
        columns,
        vmax=vmax,
        colorbar=unit,
        annotate=annotate,
    )
    axes.set_xlabel(xlabel)
    axes.set_ylabel(by)
    return axes


# --------------------------------------------------------------------------- fulfilment


def fulfilment_by_cycle(
    data: Panel | Sequence[PanelMetrics],
    *,
    cycle_days: int = 7,
    token_stock: ArrayLike = 0,
    by: Literal["store", "brand"] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Fulfilment ratio (销售满足度) of each delivery cycle: the district's, and per store or brand.

    The district line is the pooled ratio ΣA / (ΣA + ΣP) over every store
    and product of the cycle (never a mean of ratios); with ``by``, one line
    per store (or brand), pooled over its products (or stores).  A cycle
    whose lost sales cannot be estimated (P is NaN) leaves a gap.

    Parameters
    ----------
    data : Panel or sequence of PanelMetrics
        A panel, cut into cycles of ``cycle_days`` (a shorter last cycle
        kept), or the metrics of each cycle.
    cycle_days : int
        Days per delivery cycle for a Panel [days]. Default 7.
    token_stock : array_like, optional
        Token stock for a Panel's metrics [cartons]. Default 0.
    by : {'store', 'brand'}, optional
        Add one line per store or brand (best for a handful).
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        One line for the district (black, thick) and one per label.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tobacco_metrics as tm
    >>> from tobacco_metrics.plot import fulfilment_by_cycle
    >>> panel = tm.Panel(["C001", "C002"], ["B"], "2026-03-02",
    ...                  [[[2, 2, 0, 2]], [[1, 1, 1, 1]]], [[[3, 1, 0, 4]], [[5, 4, 3, 2]]])
    >>> ax = fulfilment_by_cycle(panel, cycle_days=2, by="store")
    >>> [line.get_label() for line in ax.get_lines()]
    ['district (pooled)', 'C001', 'C002']
    >>> ax.get_lines()[1].get_ydata().tolist()  # C001: 1.0, then 2 / (2 + 2)
    [1.0, 0.5]
    """
    if by not in (None, "store", "brand"):
        raise InvalidValueError(f"'by' must be None, 'store' or 'brand', got {by!r}")
    cycles = _fulfilment_cycles(data, cycle_days, token_stock)
    axes = _axes(ax, (6.4, 3.2))
    starts = np.array([part.start for part in cycles], dtype="datetime64[D]")
    district = [float(part.pooled_fulfilment_ratio()) for part in cycles]
    axes.plot(starts, district, color="black", linewidth=2.2, marker="o", label="district (pooled)")
    if by is not None:
        _plot_fulfilment_by(axes, starts, cycles, by)
    axes.set_ylim(0, 1.05)
    axes.set_xlabel("delivery cycle (first day)")
    axes.set_ylabel("fulfilment ratio F = ΣA / (ΣA + ΣP)")
    axes.legend(fontsize=8, frameon=False, loc="lower left", ncol=min(4, 1 + len(axes.lines)))
    axes.figure.autofmt_xdate()
    return axes


def _fulfilment_cycles(
    data: Panel | Sequence[PanelMetrics], cycle_days: int, token_stock: ArrayLike
) -> list[PanelMetrics]:
    """The metrics of each cycle: a panel's cut into cycles of ``cycle_days`` (a shorter
    last one kept), or the given ones (TypeError unless a non-empty sequence of them)."""
    if isinstance(data, Panel):
        return [
            part.metrics(token_stock=token_stock)
            for part in data.cycles(cycle_days, partial="keep")
        ]
    cycles = list(data)
    if not cycles or not all(isinstance(part, PanelMetrics) for part in cycles):
        raise TypeError("'data' must be a Panel or a non-empty sequence of PanelMetrics")
    return cycles


def _plot_fulfilment_by(
    axes: Axes, starts: NDArray[Any], cycles: list[PanelMetrics], by: str
) -> None:
    """One line of each cycle's pooled fulfilment ratio per store (or brand)."""
    axis = 1 if by == "store" else 0
    labels = _row_labels(cycles[0], by)
    ratios = np.stack(
        [np.asarray(part.pooled_fulfilment_ratio(axis=axis)) for part in cycles], axis=-1
    )
    for i, label in enumerate(labels):
        axes.plot(
            starts,
            ratios[i],
            color=PALETTE[i % len(PALETTE)],
            linewidth=1.2,
            marker=".",
            label=str(label),
        )


def fulfilment_heatmap(
    metrics: PanelMetrics,
    *,
    vmin: float = 0.0,
    annotate: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Heat map of each series' fulfilment ratio (销售满足度): stores × brands.

    One cell per store (row) and brand (column), the ratio
    F = A / (A + P) of the period of ``metrics``; a series whose lost sales
    cannot be estimated (F is NaN) is left blank.  Colours run from ``vmin``
    (dark) to 1 (light).

    Parameters
    ----------
    metrics : PanelMetrics
        The metrics of one period, as ``panel.metrics()`` returns them.
    vmin : float
        The ratio at the dark end of the colour scale [fraction]. Default 0.
    annotate : bool, optional
        Write the ratio in each cell; default: when there are at most 400 cells.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        One image (stores × brands) with a colour bar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tobacco_metrics as tm
    >>> from tobacco_metrics.plot import fulfilment_heatmap
    >>> panel = tm.Panel(["C001"], ["B1", "B2"], "2026-03-02",
    ...                  [[[2, 0], [1, 1]]], [[[1, 0], [3, 2]]])
    >>> ax = fulfilment_heatmap(panel.metrics())  # B1: 2 / (2 + 2)
    >>> ax.images[0].get_array().tolist(), ax.get_xlabel()
    ([[0.5, 1.0]], 'product')
    """
    if not isinstance(metrics, PanelMetrics):
        raise TypeError(f"'metrics' must be a PanelMetrics, got {type(metrics).__name__}")
    if not 0 <= real_number(vmin, "vmin") < 1:
        raise InvalidValueError(f"'vmin' must be in [0, 1): {vmin}")
    axes = _axes(ax, (6.4, 0.9 + 0.4 * len(metrics.stores)))
    _heatmap(
        axes,
        np.asarray(metrics.fulfilment_ratio, dtype=np.float64),
        [str(label) for label in metrics.stores],
        [str(label) for label in metrics.brands],
        vmin=vmin,
        vmax=1.0,
        colorbar="fulfilment ratio F = A / (A + P)",
        annotate=annotate,
        fmt=".2f",
    )
    axes.set_xlabel("product")
    axes.set_ylabel("store")
    return axes


# --------------------------------------------------------------------------- structure


def class_shares_bar(
    quantity: ArrayLike,
    price_class: ArrayLike,
    *,
    labels: Sequence[Any] | None = None,
    reference: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars of each store's volume share by price class (卷烟结构), class I first.

    Parameters
    ----------
    quantity : array_like
        Quantity sold, stores × brands [cartons] (a pandas DataFrame's index
        gives the labels); a 1-D array is one store.
    price_class : array_like of int
        Class code of each brand, 1 (I) … 5 (V), along the brand axis.
    labels : sequence, optional
        One distinct label per row (a repeated label raises
        DuplicateEntryError: its bars would share a row); default the
        frame's index (a 1-D Series is one store: its index names brands,
        not rows), else 1, 2, …  Given for a labelled frame, they must be its
        index in its order (ShapeMismatchError otherwise: rows are never
        renamed by position).
    reference : float, optional
        Draw a dashed line at this share (say, the district's class III and
        above) [fraction]; a finite real number (TypeError otherwise,
        InvalidValueError for NaN or ±inf).
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        Five bar containers (classes I … V), one bar per store; a store
        that sold nothing has no bar (its shares are NaN).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from tobacco_metrics.plot import class_shares_bar
    >>> ax = class_shares_bar([[20, 40, 60, 50, 30], [0, 5, 20, 60, 65]], [1, 2, 3, 4, 5],
    ...                       labels=["S01", "S02"])
    >>> len(ax.containers), [round(float(bar.get_width()), 3) for bar in ax.containers[0]]
    (5, [0.1, 0.0])
    """
    line = None if reference is None else real_number(reference, "reference")
    table = np.atleast_2d(np.asarray(class_shares(quantity, price_class)))
    n_rows = table.shape[0]
    # Only a table's index names its rows (stores): a 1-D Series is indexed by brand.
    # Only a table's index names its rows (stores): a 1-D Series is indexed by brand.
    names = _row_names(
        labels, quantity if np.ndim(quantity) == 2 else None, n_rows, "labels", categories=True
    )
    axes = _axes(ax, (6.4, 0.9 + 0.35 * n_rows))
    left = np.zeros(n_rows)
    for code in range(5):
        widths = np.nan_to_num(table[:, code])
        axes.barh(
            names,
            widths,
            left=left,
            height=0.7,
            color=_CLASS_COLOURS[code],
            label=f"class {PriceClass(code + 1).name}",
        )
        left = left + widths
    if line is not None:
        axes.axvline(line, color=PALETTE[5], linestyle="--", linewidth=1.2)
    axes.set_xlim(0, 1)
    axes.invert_yaxis()
    axes.set_xlabel("share of volume by price class [fraction of cartons]")
    axes.set_ylabel("store")
    axes.legend(ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    return axes


# --------------------------------------------------------------------------- quotas


def quota_vs_demand(
    quota: ArrayLike,
    demand: ArrayLike,
    *,
    labels: Sequence[Any] | None = None,
    per: str = "cycle",
    ax: Axes | None = None,
) -> Axes:
    """Side-by-side bars of each series' quota (合理定量) and its demand, in cartons.

    Parameters
    ----------
    quota, demand : array_like
        One value per store (or series) [cartons per ``per``]; 1-D, the same
        length (pandas Series give the labels; two Series are paired by
        label, never by position, and different labels are refused).  The demand is whatever the
        comparison needs: estimated demand, the sales of the cycle, …
    labels : sequence, optional
        One label per value; default the quota's index, else 1, 2, …  Given
        for labelled values, they must be their labels in their order
        (ShapeMismatchError otherwise: never renamed by position).
    per : str
        The period of both quantities, for the axis label. Default ``"cycle"``.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        Two bar containers: quota, then demand.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from tobacco_metrics.plot import quota_vs_demand
    >>> ax = quota_vs_demand([25, 13], [21.5, 15.0], labels=["C001", "C002"])
    >>> [container.get_label() for container in ax.containers]
    ['quota', 'demand']
    >>> ax.get_ylabel()
    'cartons per cycle'
    """
    if not isinstance(per, str):
        raise TypeError(f"'per' must be a str (the period's name), got {type(per).__name__}")
    named = quota if _index_labels(quota) else demand  # whose labels name the bars
    # Two labelled inputs are paired by label (demand put in quota's order), never by position.
    plain_quota, plain_demand = aligned(("quota", quota), ("demand", demand))
    quotas = as_real_array(plain_quota, "quota").astype(np.float64)
    demands = as_real_array(plain_demand, "demand").astype(np.float64)
    if quotas.ndim != 1 or demands.shape != quotas.shape:
        raise ShapeMismatchError(
            f"'quota' and 'demand' must be 1-D and of one length: shapes {quotas.shape} "
            f"and {demands.shape}"
        )
    names = _row_names(labels, named, quotas.size, "labels")
    axes = _axes(ax, (max(4.0, 0.6 * quotas.size + 1.5), 3.2))
    place = np.arange(quotas.size)
    axes.bar(place - 0.2, quotas, width=0.4, color=PALETTE[0], label="quota")
    axes.bar(place + 0.2, demands, width=0.4, color=PALETTE[1], label="demand")
    axes.set_xticks(place, names)
    axes.set_xlabel("store")
    axes.set_ylabel(f"cartons per {per}")
    axes.legend(frameon=False, fontsize=8, loc="upper right")  # "best" is slow on many bars
    return axes


# --------------------------------------------------------------------------- screening


def volatility_bar(
    volatile: Any,
    *,
    highlight: Collection[Any] = (),
    ax: Axes | None = None,
) -> Axes:
    """Bars of each store's coefficient of variation of cycle sales (波动), some highlighted.

    Parameters
    ----------
    volatile : VolatileCustomers
        The result of :func:`~tobacco_metrics.volatile_customers` (any object
        with ``stores`` and ``cv`` and ``cycle_days``).
    highlight : collection, optional
        Store labels drawn in vermillion (say, the stores whose data were
        flagged); the others are blue.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container, one bar per store in input order; a store with
        NaN cv (nothing sold) has a bar of NaN height, which draws nothing,
        and a "no sales" note at its place (a 0 bar would read as a store
        whose sales never varied).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tobacco_metrics as tm
    >>> from tobacco_metrics.plot import volatility_bar
    >>> volatile = tm.volatile_customers([[[2, 2, 6, 6]], [[3, 3, 3, 3]]], cycle_days=2,
    ...                                  stores=["C001", "C002"])
    >>> ax = volatility_bar(volatile, highlight={"C001"})
    >>> [round(float(bar.get_height()), 2) for bar in ax.containers[0]]  # C001: std 4 / mean 8
    [0.5, 0.0]
    >>> ax.get_ylabel()
    'cv of 2-day cycle sales [1]'
    """
    stores = getattr(volatile, "stores", None)
    cv = getattr(volatile, "cv", None)
    if stores is None or cv is None:
        raise TypeError(
            f"'volatile' must be a VolatileCustomers (with stores and cv), got "
            f"{type(volatile).__name__}"
        )
    values = np.asarray(cv, dtype=np.float64)
    names = _label_list(stores, values.size, "stores", categories=True)
    marked = {str(label) for label in highlight}
    unknown = marked - set(names)
    if unknown:
        raise InvalidValueError(
            f"'highlight' names stores not in the result: {sorted(unknown)[:5]}"
        )
    axes = _axes(ax, (max(4.0, 0.45 * values.size + 1.5), 2.8))
    colours = [PALETTE[5] if name in marked else PALETTE[0] for name in names]
    # A NaN cv (nothing sold) stays NaN, so no bar: a 0-height bar would read
    # as a perfectly steady store. The store is marked on the axis instead.
    axes.bar(names, values, color=colours)
    for position in np.flatnonzero(np.isnan(values)):
        axes.annotate(
            "no sales",
            (float(position), 0.0),
            ha="center",
            va="bottom",
            rotation=90,
            fontsize="small",
            color="0.4",
        )
    days = getattr(volatile, "cycle_days", None)
    cycle = f"{days}-day cycle" if days is not None else "cycle"
    axes.set_xlabel("store")
    axes.set_ylabel(f"cv of {cycle} sales [1]")
    return axes


# --------------------------------------------------------------------------- scorecards


def scorecard_bar(
    scorecard: Any = None,
    *,
    groups: Sequence[Any] | None = None,
    score: ArrayLike | None = None,
    fulfilment: ArrayLike | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of a scorecard's score per group (manager, route), best on top.

    Parameters
    ----------
    scorecard : object, optional
        Any object with ``groups`` and ``score`` attributes (and optionally
        ``fulfilment``), such as a scorecard result; or give them as keywords.
    groups : sequence
        The group labels (managers, routes, …), distinct (DuplicateEntryError
        otherwise); for a labelled ``score`` (a pandas Series), its labels in
        its order (ShapeMismatchError otherwise: never renamed by position).
    score : array_like
        One score per group [points].
    fulfilment : array_like, optional
        One pooled fulfilment ratio per group, written at the end of each bar.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container, one bar per group, sorted by score (best first).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from tobacco_metrics.plot import scorecard_bar
    >>> ax = scorecard_bar(groups=["M01", "M02", "M03"], score=[71, 88, 64],
    ...                    fulfilment=[0.93, 0.98, 0.9])
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['M02', 'M01', 'M03']
    >>> [text.get_text() for text in ax.texts]
    ['F = 0.980', 'F = 0.930', 'F = 0.900']
    """
    groups, score, fulfilment = _scorecard_fields(scorecard, groups, score, fulfilment)
    labelled_score = score
    # A labelled fulfilment is paired with a labelled score by label, never by position.
    score, fulfilment = aligned(("score", score), ("fulfilment", fulfilment))
    scores = as_real_array(score, "score").astype(np.float64)
    if scores.ndim != 1:
        raise ShapeMismatchError(f"'score' must be 1-D, got shape {scores.shape}")
    names = _row_names(groups, labelled_score, scores.size, "groups", categories=True)
    order = np.argsort(-scores, kind="stable")
    axes = _axes(ax, (6.0, 0.9 + 0.35 * scores.size))
    bars = axes.barh([names[i] for i in order], scores[order], color=PALETTE[0], height=0.6)
    if fulfilment is not None:
        ratios = as_real_array(fulfilment, "fulfilment").astype(np.float64)
        if ratios.shape != scores.shape:
            raise ShapeMismatchError(
                f"'fulfilment' must have one value per group: shape {ratios.shape}, "
                f"expected {scores.shape}"
            )
        axes.bar_label(bars, [f"F = {ratios[i]:.3f}" for i in order], padding=3, fontsize=8)
        axes.margins(x=0.25)
    axes.invert_yaxis()
    axes.set_xlabel("score [points]")
    axes.set_ylabel("group")
    return axes


def _scorecard_fields(
    scorecard: Any,
    groups: Sequence[Any] | None,
    score: ArrayLike | None,
    fulfilment: ArrayLike | None,
) -> tuple[Sequence[Any], ArrayLike, ArrayLike | None]:
    """The groups, scores and fulfilment of :func:`scorecard_bar`: the scorecard's, or the
    keywords (TypeError for both, or without groups and scores)."""
    if scorecard is not None:
        if groups is not None or score is not None or fulfilment is not None:
            raise TypeError("give a scorecard or groups=/score=/fulfilment=, not both")
        groups = getattr(scorecard, "groups", None)
        score = getattr(scorecard, "score", None)
        fulfilment = getattr(scorecard, "fulfilment", None)
    if groups is None or score is None:
        raise TypeError("scorecard_bar needs groups and score (or an object that has them)")
    return groups, score, fulfilment
