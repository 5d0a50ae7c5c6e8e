"""Large panels through the chunked kernel, for the free functions (private).

:func:`~tobacco_metrics.cycle_metrics`, :func:`~tobacco_metrics.base_daily_rate`,
:func:`~tobacco_metrics.reasonable_quota` and :func:`~tobacco_metrics.quota_review`
evaluate a large plain-numpy panel (day axis last) with the chunked kernel of
:meth:`Panel.metrics <tobacco_metrics.Panel.metrics>`: the values are checked
chunk by chunk (finite, >= 0 and whole in one pass over each chunk while it is in
the cache), then every per-day quantity is derived chunk by chunk and each
series is finished by the rules of :mod:`tobacco_metrics._cycle`.  No temporary
as large as the panel is made.

Every function here returns None when it does not take an input (small,
labelled, masked, strided, of another dtype, or with a value the checks refuse):
the caller then runs its unchunked numpy path, which gives the documented
result or raises the documented error.  The results are the unchunked path's,
bit for bit (the tests compare both on random panels cut into tiny chunks).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._cycle import RULE_FIELDS
from tobacco_metrics._daily import valid_day_rate, with_fallback
from tobacco_metrics._validation import EXACT_INTEGER_LIMIT, broadcast_to_shape, quantities
from tobacco_metrics.errors import InvalidValueError, TobaccoMetricsError

__all__ = [
    "CYCLE_BLOCK_CELLS",
    "ROUTE_CELLS",
    "Inputs",
    "Scan",
    "cycle_sums",
    "exact_totals",
    "panel_metrics",
    "scanned_daily",
    "seed_rate",
]

#: Panels of fewer cells than this take the unchunked path (as fast there).
ROUTE_CELLS = 1 << 18
# The dtypes the kernel reads as they are (others take the unchunked path).
_DTYPES = frozenset(np.dtype(name) for name in ("float32", "float64", "int32", "int64"))


def _plain(value: object) -> bool:
    """None, a Python or numpy number, or a plain ndarray (not labelled, not masked)."""
    return value is None or type(value) in (int, float, np.ndarray) or isinstance(value, np.generic)


def _taken(sales: object, inventory: object, axis: object, options: tuple[object, ...]) -> bool:
    """Whether the chunked path takes these inputs (see _panel_views)."""
    if type(sales) is not np.ndarray or type(inventory) is not np.ndarray:
        return False  # a list, a labelled or masked array, another subclass
    ndim = sales.ndim
    return (
        sales.size >= ROUTE_CELLS
        and ndim >= 2
        and sales.shape == inventory.shape
        and (axis is None or (type(axis) is int and axis in (-1, ndim - 1)))
        and sales.dtype in _DTYPES
        and inventory.dtype in _DTYPES
        and all(_plain(value) for value in options)
    )


def _panel_views(
    sales: object, inventory: object, axis: object, *options: object
) -> tuple[NDArray[Any], NDArray[Any], tuple[int, ...]] | None:
    """Sales and stock viewed as stores × brands × days and their own shape, or None.

    None when the chunked path declines them: not plain ndarrays, too small,
    another day axis or dtype, options that are not plain numbers or arrays, or
    series that cannot be laid out as two axes without a copy.
    """
    if not (isinstance(sales, np.ndarray) and isinstance(inventory, np.ndarray)):
        return None
    if not _taken(sales, inventory, axis, options):
        return None
    shape = tuple(int(n) for n in sales.shape)
    *lead, days = shape
    if len(lead) == 1:  # N series as N × 1 × D: the chunks run along the series
        layouts = [(lead[0], 1, days)]
    elif len(lead) == 2:
        layouts = [(lead[0], lead[1], days)]
    else:  # the leading axes merged into two, either way a view allows
        layouts = [
            (lead[0], int(np.prod(lead[1:])), days),
            (int(np.prod(lead[:-1])), lead[-1], days),
        ]
    for layout in layouts:
        try:
            return sales.reshape(layout, copy=False), inventory.reshape(layout, copy=False), shape
        except ValueError:  # this layout would copy a strided input
            continue
    return None


def _as_panel(value: Any, shape: tuple[int, ...], panel: tuple[int, ...], name: str) -> Any:
    """An option broadcast against ``shape`` and viewed as ``panel`` (numbers stay as they are).

    A broadcast view (a token stock of one value spread over the panel) is
    taken back to its own values first: the kernel then compares against one
    number instead of reading a panel-sized view.  An option that does not
    broadcast is the ShapeMismatchError of the unchunked path (the caller
    then runs that path, which raises it).
    """
    if value is None or np.ndim(value) == 0:
        return value
    array = np.asarray(value)
    if 0 in array.strides:
        array = array[tuple(slice(0, 1) if step == 0 else slice(None) for step in array.strides)]
        if array.size == 1:
            return array.reshape(())
    if shape == panel:
        return array
    return broadcast_to_shape(array, shape, name).reshape(panel)


def _kernel_outputs(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    shape: tuple[int, ...],
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    fallback_daily_rate: ArrayLike | None,
    *,
    exact_sums: bool = False,
) -> dict[str, NDArray[Any]] | None:
    """The kernel's metrics of the panel, over the inputs' leading axes.

    None when a check fails (the unchunked path then raises its own error) or,
    with ``exact_sums``, when the sales are not whole numbers whose sums over
    the day axis are exact in float64; with ``exact_sums`` (a rate) the rules'
    fields (P, F, days of cover) are neither computed nor returned.
    """
    # The panel package imports the stock module, which imports this one: imported when used.
    from tobacco_metrics.panel._kernel import panel_kernel, scan_checks

    panel = sales.shape
    lead = shape[:-1]
    try:
        whole_max, sales_signless = scan_checks(sales, "sales", str, whole=True)
        stock_max, stock_signless = scan_checks(
            inventory, "inventory", str, whole=inventory.dtype.kind != "f"
        )
        if not _exact_in_float64(
            sales.dtype.kind != "f", whole_max, stock_max, shape[-1] if exact_sums else None
        ):
            return None
        outputs = panel_kernel(
            sales,
            inventory,
            token_stock=_as_panel(token_stock, shape, panel, "token_stock"),
            exclude=_as_panel(exclude, shape, panel, "exclude"),
            fallback_daily_rate=_as_panel(
                fallback_daily_rate, lead, panel[:2], "fallback_daily_rate"
            ),
            whole_max=whole_max,
            signless=sales_signless and stock_signless,
            rules=not exact_sums,  # a rate needs D, S and A, not P, F or the cover
        )
    except (TobaccoMetricsError, TypeError):
        return None
    return {
        name: value.reshape(lead)
        for name, value in outputs.items()
        if not exact_sums or name not in RULE_FIELDS
    }


def _exact_in_float64(
    integer_sales: bool, whole_max: Any, stock_max: Any, days: int | None
) -> bool:
    """Whether the kernel's float64 arithmetic holds the values exactly: integer sales
    (``integer_sales``) and whole stock below float64's exact integers, and with ``days``
    (sums asked to be exact) whole sales whose sum over that many days is below them."""
    if integer_sales and whole_max is not None and whole_max >= EXACT_INTEGER_LIMIT:
        return False  # int64 beyond float64's exact integers: the unchunked path decides
    if stock_max is not None and stock_max >= EXACT_INTEGER_LIMIT:
        return False
    # with days, the sums could round: only the unchunked path's order is right
    return days is None or not (whole_max is None or whole_max * days >= EXACT_INTEGER_LIMIT)


class Inputs(NamedTuple):
    """The arguments of a free function over daily data, as its caller received them."""

    sales: object
    inventory: object
    token_stock: ArrayLike
    exclude: ArrayLike | None
    fallback_daily_rate: ArrayLike | None
    axis: object


def _run(inputs: Inputs, *, exact_sums: bool = False) -> dict[str, NDArray[Any]] | None:
    """The kernel's metrics of the inputs (the fallback rate left out for a rate), or None."""
    sales, inventory, token, exclude, fallback, axis = inputs
    taken = _panel_views(sales, inventory, axis, token, exclude, fallback)
    if taken is None:
        return None
    return _kernel_outputs(
        *taken, token, exclude, None if exact_sums else fallback, exact_sums=exact_sums
    )


def panel_metrics(inputs: Inputs) -> dict[str, NDArray[Any]] | None:
    """Every cycle metric of a large panel (the fields of CycleMetrics), or None."""
    outputs = _run(inputs)
    if outputs is None:
        return None
    # one day count per series, as the unchunked path gives it (not a broadcast view)
    outputs["days"] = np.array(outputs["days"])
    return outputs


def seed_rate(inputs: Inputs) -> NDArray[np.float64] | None:
    """The seed base daily rate of a large panel of whole sales, or None.

    Stockout days sell nothing, so the sales of the valid days (counted, not a
    stockout) are the counted days' A and there are E = D − S of them.  Whole
    sales whose totals stay below 2**53 add up exactly in any order: A is then
    the very sum the unchunked path takes over the valid days only.
    """
    outputs = _run(inputs, exact_sums=True)
    if outputs is None:
        return None
    rate = valid_day_rate(outputs["actual_sales"], outputs["effective_days"])
    try:
        return with_fallback(rate, inputs.fallback_daily_rate)
    except TobaccoMetricsError:
        return None


# --------------------------------------------------------------------------- cycles of a window

#: Cells (series × days) of one block of :func:`cycle_sums`: its per-cycle figures stay cached.
CYCLE_BLOCK_CELLS = 1 << 21


class Scan(NamedTuple):
    """What the one checking pass over a large panel's sales and stock found."""

    whole_max: float | None  # the largest sale if every sale is whole, else None
    stock_max: float | None  # the largest stock of an integer array, else None
    signless: bool  # no value of either array has its sign bit set (no -0.0)


def _scanned(value: NDArray[Any], name: str, whole: bool) -> tuple[float | None, bool]:
    """:func:`scan_checks` of ``value``; a bad value raises the error :func:`quantities` raises."""
    from tobacco_metrics.panel._kernel import scan_checks

    try:
        return scan_checks(value, name, str, whole=whole)
    except InvalidValueError:
        quantities(value, name)  # names the first bad value as every other path does
        raise


def scanned_daily(sales: object, inventory: object) -> Scan | None:
    """Check a large plain panel's values in one pass each, as :func:`quantities` would.

    None (nothing checked) unless :func:`cycle_sums` can take the pair: plain
    ndarrays of one shape, of a dtype the kernel reads, large enough, whose
    series lay out as rows without a copy.  A bad value raises
    InvalidValueError with the message :func:`quantities` gives.
    """
    if not _taken(sales, inventory, None, ()):
        return None
    assert isinstance(sales, np.ndarray)
    assert isinstance(inventory, np.ndarray)
    if not (sales.flags.c_contiguous and inventory.flags.c_contiguous):
        return None
    whole_max, sales_signless = _scanned(sales, "sales", True)
    stock_max, stock_signless = _scanned(inventory, "inventory", inventory.dtype.kind != "f")
    return Scan(whole_max, stock_max, sales_signless and stock_signless)


def exact_totals(scan: Scan, sales: NDArray[Any]) -> bool:
    """Whether the sales are whole and their totals over the day axis exact in float64."""
    whole_max = scan.whole_max
    return whole_max is not None and whole_max * sales.shape[-1] < EXACT_INTEGER_LIMIT


def cycle_sums(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    token: NDArray[Any],
    length: int,
    scan: Scan,
    out: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
) -> Iterator[tuple[int, int, dict[str, NDArray[Any]]]] | None:
    """D, S, A and the closing stock of every cycle of every series, a block of series at a time.

    ``sales`` and ``inventory`` as :func:`scanned_daily` took them, the day
    axis holding whole cycles of ``length`` days; ``token`` broadcast to
    their shape.  Yields ``(first, end, sums)``: the block's series (flat, C
    order) and the kernel's ``days``, ``stockout_days``, ``actual_sales`` and
    ``closing_inventory`` of their cycles as (cycles, series) float64 arrays
    (a cycle of every series of the block is one contiguous row), reused for
    the next block.  They are the figures :func:`~tobacco_metrics.cycle_metrics`
    gives for the window cut into cycles, bit for bit.  None when the kernel
    does not take the values (integers beyond float64's exact ones).  ``out``:
    the excluded days (the shape of ``sales``, or a broadcast view) and the
    void cycles whose every day is excluded (series…, cycles); a void cycle
    counts its ``length`` days, with no sales and no stockout day (no figure
    of it is evidence), the other cycles only their counted days.
    """
    # The panel package imports the stock module, which imports this one: imported when used.
    from tobacco_metrics.panel import _kernel

    whole_max = scan.whole_max
    if sales.dtype.kind != "f" and whole_max is not None and whole_max >= EXACT_INTEGER_LIMIT:
        return None
    if scan.stock_max is not None and scan.stock_max >= EXACT_INTEGER_LIMIT:
        return None
    n_days = sales.shape[-1]
    cycles = n_days // length
    layout = (sales.size // n_days, cycles, length)
    tokens = _as_panel(token, sales.shape, layout, "token_stock")
    days_out = None
    if out is not None:
        days_out = (_day_mask(out[0], sales.shape, layout), out[1].reshape(layout[:2]))
    return _cycle_blocks(
        sales.reshape(layout),
        inventory.reshape(layout),
        tokens,
        scan,
        _kernel.panel_kernel,
        days_out,
    )


def _day_mask(
    exclude: NDArray[np.bool_], shape: tuple[int, ...], layout: tuple[int, int, int]
) -> NDArray[np.bool_]:
    """The excluded days as (series, cycles, length), or (1, cycles, length) for one day mask."""
    compact = _as_panel(exclude, shape, shape, "exclude")
    if compact.ndim == 0 or all(size == 1 for size in compact.shape[:-1]):
        return np.broadcast_to(np.reshape(compact, -1), shape[-1:]).reshape(1, *layout[1:])
    return np.asarray(broadcast_to_shape(compact, shape, "exclude")).reshape(layout)


_SUMS = ("days", "stockout_days", "actual_sales", "closing_inventory")


def _cycle_blocks(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    tokens: Any,
    scan: Scan,
    kernel: Any,
    out: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None,
) -> Iterator[tuple[int, int, dict[str, NDArray[Any]]]]:
    series, cycles, length = sales.shape
    rows = max(1, min(series, CYCLE_BLOCK_CELLS // max(cycles * length, 1)))
    unused = np.empty((cycles, rows))  # the rule fields, not computed
    # Every figure in float64, as the rules take them (whole days are exact there), and
    # cycle by cycle in memory: a cycle of every series of the block is one contiguous row.
    buffers = {name: np.empty((cycles, rows)) for name in _SUMS}
    for first in range(0, series, rows):
        end = min(series, first + rows)
        into = {name: buffer[:, : end - first].T for name, buffer in buffers.items()}
        into.update(dict.fromkeys(RULE_FIELDS, unused[:, : end - first].T))
        kernel(
            sales[first:end],
            inventory[first:end],
            token_stock=tokens[first:end] if np.ndim(tokens) == 3 else tokens,
            exclude=None if out is None else _rows(out[0], first, end),
            carried=None if out is None else ~out[1][first:end],
            whole_max=scan.whole_max,
            signless=scan.signless,
            into=into,
            rules=False,
        )
        yield first, end, {name: buffer[:, : end - first] for name, buffer in buffers.items()}


def _rows(mask: NDArray[np.bool_], first: int, end: int) -> NDArray[np.bool_]:
    """The rows ``first:end`` of a (series, cycles, length) mask; one shared row as it is."""
    return mask if mask.shape[0] == 1 else mask[first:end]
