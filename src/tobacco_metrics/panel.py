"""Labelled stores × brands × days panels: from an ERP long table to cycle metrics in one pass.

An ERP export is a *long table*: one row per store, brand and day with the
quantity sold and the closing stock.  :meth:`Panel.from_long` turns it into a
:class:`Panel`, dense ``sales`` and ``inventory`` arrays shaped
``(stores, brands, days)`` with their labels and first date, and
:meth:`Panel.metrics` computes the stock metrics of
:func:`~tobacco_metrics.cycle_metrics` (脱销天数, 预计脱销销售, 销售满足度,
存销比 …) for every store × brand in one call, as a :class:`PanelMetrics`.

The metrics are computed in one pass over memory: the panel is cut into
chunks of stores (and brands) small enough to stay in the CPU cache while
every per-day quantity is derived from them, so no temporary as large as the
panel is ever made, no float64 copy of a float32 panel either, and int32 or
float32 inputs are read as they are.  The results are *identical* to
:func:`~tobacco_metrics.cycle_metrics` on the same arrays (the tests check it
bit for bit); ``docs/performance.md`` gives the figures.
"""

from __future__ import annotations

import datetime as dt
import queue
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _convert as cv
from tobacco_metrics._typing import FloatArray, FloatResult, IntArray
from tobacco_metrics._validation import (
    as_real_array,
    bool_mask,
    broadcast_to_shape,
    format_position,
    quantities,
    read_only_view,
)
from tobacco_metrics.errors import (
    DuplicateEntryError,
    EmptyInputError,
    InvalidValueError,
    MissingDataError,
    ShapeMismatchError,
)
from tobacco_metrics.stock import (
    CYCLE_METRIC_FIELDS,
    CycleMetrics,
    _fallback,
    pooled_fulfilment_ratio,
    stock_to_sales_ratio,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Panel", "PanelMetrics", "PooledMetrics"]

Label = Hashable
Describe = Callable[[tuple[int, ...]], str]

# Cells of one chunk: the float32 sales and inventory of a chunk (2 MiB each) and
# its two boolean masks stay in the L2/L3 caches while every per-day quantity is
# derived from them, and numpy's cost per call is spread over enough cells.
_CHUNK_CELLS = 1 << 19
_CHUNK_CELLS_MIN = 1 << 15
# Cells of one block: the unit handed to a worker thread and the span over which
# the per-series formulas (P, F, days of cover) are finished, in temporaries of
# a few hundred KiB.
_BLOCK_CELLS = 1 << 20
# Counts of up to 255 days are summed in uint8 (exact).
_UINT8_DAYS = 255
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_FIRST_DAY = dt.date.min.toordinal() - _EPOCH_ORDINAL  # the days datetime.date can hold
_LAST_DAY = dt.date.max.toordinal() - _EPOCH_ORDINAL
_TINY = np.float64(5e-324)  # the smallest positive double


# --------------------------------------------------------------------------- small helpers


def _read_only(array: NDArray[Any]) -> NDArray[Any]:
    """A read-only view of ``array`` (never a copy)."""
    view: NDArray[Any] = read_only_view(array)
    return view


def _frozen_array(value: Any) -> NDArray[Any]:
    """Converter: the value as a read-only ndarray (no copy of an ndarray)."""
    return _read_only(np.asarray(value))


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _date_of(day_number: int) -> dt.date:
    return dt.date.fromordinal(int(day_number) + _EPOCH_ORDINAL)


def _count_phrase(count: int, what: str = "such values") -> str:
    return "" if count == 1 else f" ({count} {what})"


def _tiles(
    n_stores: int, n_brands: int, n_days: int, max_cells: int
) -> Iterator[tuple[int, int, int, int]]:
    """Rectangles (s0, s1, b0, b1) covering stores × brands in C order, each <= max_cells cells.

    Whole stores are grouped while a store's brands × days fit; otherwise one
    store is split into runs of brands.  The rectangles follow each other in
    memory order, so consecutive ones are contiguous in a C-ordered panel.
    """
    per_store = max(n_brands * n_days, 1)
    if per_store <= max_cells:
        step = max(1, max_cells // per_store)
        for s0 in range(0, n_stores, step):
            yield s0, min(s0 + step, n_stores), 0, n_brands
        return
    step = max(1, max_cells // max(n_days, 1))
    for s in range(n_stores):
        for b0 in range(0, n_brands, step):
            yield s, s + 1, b0, min(b0 + step, n_brands)


# --------------------------------------------------------------------------- validation


def _pieces(array: NDArray[Any], max_cells: int) -> Iterator[tuple[int, NDArray[Any]]]:
    """(flat offset, chunk) covering ``array`` in C order, chunks of about max_cells cells."""
    if array.flags.c_contiguous or array.ndim <= 1:
        flat = array.reshape(-1)
        for start in range(0, flat.size, max_cells):
            yield start, flat[start : start + max_cells]
        return
    per_row = int(np.prod(array.shape[1:]))  # a strided view: chunk along the first axis
    rows = max(1, max_cells // max(1, per_row))
    for r0 in range(0, array.shape[0], rows):
        yield r0 * per_row, array[r0 : r0 + rows]


def _scan_values(
    array: NDArray[Any],
    name: str,
    describe: Describe,
    *,
    whole: bool = False,
    max_cells: int = _CHUNK_CELLS,
) -> float | None:
    """Check that every value is finite and >= 0, chunk by chunk; raise InvalidValueError if not.

    The clean case costs a min and a max per chunk while it is in cache.  With
    ``whole``, also test whether every value is a whole number and return the
    largest value if so (None otherwise): the kernel then knows that sums of
    these values are exact in any order.
    """
    kind = array.dtype.kind
    is_whole = whole
    largest = 0.0
    work: NDArray[Any] = np.empty(0, dtype=array.dtype)
    same: NDArray[np.bool_] = np.empty(0, dtype=np.bool_)
    for _, chunk in _pieces(array, max_cells):
        if chunk.size == 0:
            continue
        high = chunk.max()
        if kind != "u":
            low = chunk.min()
            if not (low >= 0 and high < np.inf):  # NaN fails both tests
                _raise_bad_values(array, name, describe, max_cells)
        largest = max(largest, float(high))
        if is_whole and kind == "f":
            if work.size < chunk.size:
                work = np.empty(chunk.size, dtype=array.dtype)
                same = np.empty(chunk.size, dtype=np.bool_)
            rounded = np.rint(chunk, out=work[: chunk.size].reshape(chunk.shape))
            is_whole = bool(
                np.equal(rounded, chunk, out=same[: chunk.size].reshape(chunk.shape)).all()
            )
    return largest if is_whole else None


def _raise_bad_values(array: NDArray[Any], name: str, describe: Describe, max_cells: int) -> None:
    """Name the first offending value (non-finite before negative) and count them all."""
    for expected in ("finite", ">= 0"):
        first: tuple[int, Any] | None = None
        count = 0
        for offset, chunk in _pieces(array, max_cells):
            if expected == "finite":
                if chunk.dtype.kind != "f":
                    continue
                bad = ~np.isfinite(chunk)
            else:
                if chunk.dtype.kind == "u":
                    continue
                bad = chunk < 0
            hits = int(np.count_nonzero(bad))
            if hits and first is None:
                local = int(np.flatnonzero(bad.reshape(-1))[0])
                first = (offset + local, chunk.reshape(-1)[local].item())
            count += hits
        if first is not None:
            index = tuple(int(i) for i in np.unravel_index(first[0], array.shape))
            raise InvalidValueError(
                f"{name!r} must be {expected}: {first[1]} at {describe(index)}"
                f"{_count_phrase(count)}"
            )
    raise AssertionError("unreachable: a chunk failed the check")  # pragma: no cover


# --------------------------------------------------------------------------- the kernel


def _exact_threshold(token: NDArray[Any], dtype: np.dtype[Any]) -> NDArray[Any] | None:
    """``token`` as values of ``dtype`` that give the same ``x <= token`` for every x of dtype.

    numpy compares ``inventory <= token`` in the promoted type of the two (a
    float32 stock against the default int64 token is compared in float64).
    Comparing in the stock's own type against the largest value of that type
    not above the token gives the same answer for every finite x without
    promoting the panel.  Returns None when no such exact threshold exists (an
    int64 stock against a float token: int64 does not fit float64 exactly).
    """
    promoted = np.result_type(dtype, token.dtype)
    if promoted == dtype:
        return token.astype(dtype)
    kind = dtype.kind
    if kind == "f":
        if promoted.kind != "f":  # pragma: no cover - a float always promotes to a float
            return None
        ceiling = np.asarray(np.finfo(dtype).max, dtype=promoted)
        wide = np.minimum(token.astype(promoted), ceiling)
        narrow = wide.astype(dtype)
        above = narrow.astype(promoted) > wide
        if above.any():
            narrow = np.where(above, np.nextafter(narrow, dtype.type(-np.inf)), narrow)
        result: NDArray[Any] = narrow.astype(dtype)
        return result
    if kind in "iu":
        info = np.iinfo(dtype)
        if promoted.kind == "f":
            value_bits = 8 * dtype.itemsize - (1 if kind == "i" else 0)
            if value_bits > np.finfo(promoted).nmant + 1:
                return None  # the stock is not exact in the promoted float
            wide = np.floor(token.astype(promoted))
        elif promoted.kind in "iu":
            wide = token.astype(promoted)
        else:  # pragma: no cover
            return None
        clipped: NDArray[Any] = np.clip(wide, max(info.min, 0), info.max).astype(dtype)
        return clipped
    return None  # pragma: no cover - as_real_array admits only ints and floats


@attrs.frozen
class _Options:
    """Metric options checked and broadcast (views) against the panel's shape."""

    shape: tuple[int, int, int]
    threshold: Any  # a numpy scalar of the stock's dtype, or None
    token: NDArray[Any] | None  # (S, B, D) view in the stock's dtype or the token's own
    exclude: NDArray[np.bool_] | None  # (S, B, D) view
    days: IntArray  # (S, B), possibly a broadcast view
    constant_days: np.float64 | None  # the day count as a float when no day is excluded
    fallback: FloatArray | None  # (S, B) view
    exact_sums: bool  # whole sales small enough that einsum's sums are exact: no check needed


def _options(
    shape: tuple[int, int, int],
    sales_dtype: np.dtype[Any],
    inventory_dtype: np.dtype[Any],
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    fallback_daily_rate: ArrayLike | None,
    describe_series: Describe,
    whole_max: float | None,
) -> _Options:
    n_stores, n_brands, n_days = shape
    token = quantities(token_stock, "token_stock")
    broadcast_to_shape(token, shape, "token_stock")  # the shape check
    threshold: Any = None
    token_view: NDArray[Any] | None = None
    small = token.size <= max(n_stores * n_brands, 1)
    exact = _exact_threshold(token, inventory_dtype) if small else None
    if exact is not None and exact.size == 1:
        threshold = exact.reshape(())[()]
    elif exact is not None:
        token_view = np.broadcast_to(exact, shape)
    else:
        token_view = np.broadcast_to(token, shape)

    exclude_view: NDArray[np.bool_] | None = None
    days: IntArray
    if exclude is None:
        days = np.broadcast_to(np.int64(n_days), (n_stores, n_brands))
    else:
        excluded = bool_mask(exclude, "exclude")
        exclude_view = broadcast_to_shape(excluded, shape, "exclude")
        padded: tuple[int, ...] = (1,) * (3 - excluded.ndim) + tuple(excluded.shape)
        base: NDArray[np.bool_] = excluded.reshape(padded)
        if base.shape[-1] == 1:
            counted = np.where(base[..., 0], 0, n_days).astype(np.int64)
        else:
            counted = n_days - np.count_nonzero(base, axis=-1).astype(np.int64)
        days = np.broadcast_to(counted, (n_stores, n_brands))
        empty = days == 0
        if empty.any():
            where = np.argwhere(empty)
            listed = "; ".join(describe_series(tuple(int(i) for i in row)) for row in where[:5])
            raise EmptyInputError(
                f"'exclude' excludes every day of {len(where)} store × brand series, "
                f"first {listed}: a cycle needs at least one counted day"
            )

    fallback = _fallback(fallback_daily_rate)
    fallback_view = None
    if fallback is not None:
        fallback_view = broadcast_to_shape(fallback, (n_stores, n_brands), "fallback_daily_rate")
    bound = _EXACT_BOUND.get(sales_dtype)
    return _Options(
        shape=shape,
        threshold=threshold,
        token=token_view,
        exclude=exclude_view,
        days=days,
        fallback=fallback_view,
        constant_days=np.float64(n_days) if exclude is None else None,
        exact_sums=bound is not None and whole_max is not None and whole_max * n_days < bound,
    )


# Whole-valued sums below these bounds are exact in any order, so a fast
# order-free sum (einsum) equals numpy's pairwise float64 sum bit for bit.
_EXACT_BOUND = {
    np.dtype(np.float32): 2.0**24,
    np.dtype(np.float64): 2.0**53,
    np.dtype(np.int32): 2.0**31,
    np.dtype(np.int64): 2.0**53,
}


def _row_sums(
    sales: NDArray[Any],
    counted: NDArray[np.bool_] | None,
    work: NDArray[Any],
    scratch: NDArray[np.bool_],
    out: FloatArray,
    exact: bool,
) -> None:
    """Σ sales over the last axis into ``out`` (float64), equal to np.sum(..., dtype=float64).

    Fast path: whole-valued sales (cartons, the usual case) whose totals stay
    below the bound at which their dtype is exact are summed by einsum in the
    input's dtype; any order of additions gives the exact total then.  With
    ``exact`` the caller knows it (a Panel checked it when built); otherwise
    each chunk is tested.  Other data fall back to numpy's own float64 sum, the
    call cycle_metrics makes.
    """
    if exact:
        values = sales if counted is None else np.multiply(sales, counted, out=work)
        out[...] = np.einsum("ijk->ij", values)
        return
    bound = _EXACT_BOUND.get(sales.dtype)
    n_days = sales.shape[-1]
    if bound is not None:
        whole = True
        if sales.dtype.kind == "f":
            np.rint(sales, out=work)
            np.equal(work, sales, out=scratch)
            whole = bool(scratch.all())
        elif sales.size:
            whole = float(sales.max()) * n_days < bound
        if whole:
            values = sales if counted is None else np.multiply(sales, counted, out=work)
            totals = np.einsum("ijk->ij", values)
            if totals.size == 0 or float(totals.max()) < bound:
                out[...] = totals
                return
    if counted is None:
        np.sum(sales, axis=-1, dtype=np.float64, out=out)
    else:
        np.sum(sales, axis=-1, dtype=np.float64, out=out, where=counted)


def _stockout_counts(flags: NDArray[np.bool_], out: IntArray) -> None:
    """Count True along the last axis into ``out`` (int64)."""
    n_days = flags.shape[-1]
    if n_days <= _UINT8_DAYS:
        out[...] = np.einsum("ijk->ij", flags.view(np.uint8))
    else:
        out[...] = 0
        for d0 in range(0, n_days, _UINT8_DAYS):
            out += np.einsum("ijk->ij", flags[..., d0 : d0 + _UINT8_DAYS].view(np.uint8))


@attrs.frozen
class _Outputs:
    days: IntArray
    stockout_days: IntArray
    actual_sales: FloatArray
    projected_stockout_sales: FloatArray
    fulfilment_ratio: FloatArray
    stock_to_sales_ratio: FloatArray
    closing_inventory: FloatArray


@attrs.frozen
class _Scratch:
    """One worker's chunk buffers, allocated once per call and reused for every chunk."""

    flags: NDArray[np.bool_]
    low: NDArray[np.bool_]
    work: NDArray[Any]
    counted: NDArray[np.bool_]
    stockouts: FloatArray
    effective: FloatArray
    total: FloatArray
    selling: NDArray[np.bool_]
    mask: NDArray[np.bool_]

    @classmethod
    def allocate(cls, cells: int, rows: int, dtype: np.dtype[Any], options: _Options) -> _Scratch:
        with_exclude = options.exclude is not None
        views = _carve(
            [
                (rows, np.dtype(np.float64)),
                (rows, np.dtype(np.float64)),
                (rows, np.dtype(np.float64)),
                (cells if with_exclude or not options.exact_sums else 0, dtype),
                (cells, np.dtype(np.bool_)),
                (cells, np.dtype(np.bool_)),
                (cells if with_exclude else 0, np.dtype(np.bool_)),
                (rows, np.dtype(np.bool_)),
                (rows, np.dtype(np.bool_)),
            ]
        )
        stockouts, effective, total, work, flags, low, counted, selling, mask = views
        return cls(
            flags=flags,
            low=low,
            work=work,
            counted=counted,
            stockouts=stockouts,
            effective=effective,
            total=total,
            selling=selling,
            mask=mask,
        )


def _carve(parts: Sequence[tuple[int, np.dtype[Any]]]) -> list[NDArray[Any]]:
    """1-D arrays of the given lengths and dtypes, carved from one allocation.

    One large allocation instead of many: the operating system maps it in a few
    (huge) pages, where separate arrays of a few MiB each would be faulted in
    4 KiB at a time on every call.
    """
    offsets = []
    size = 0
    for length, dtype in parts:
        size = -(-size // 8) * 8  # keep every part 8-byte aligned
        offsets.append(size)
        size += length * dtype.itemsize
    buffer = np.empty(size, dtype=np.uint8)
    return [
        buffer[offset : offset + length * dtype.itemsize].view(dtype)
        for offset, (length, dtype) in zip(offsets, parts, strict=True)
    ]


def _block(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    options: _Options,
    out: _Outputs,
    rect: tuple[int, int, int, int],
    scratch: _Scratch,
    chunk_cells: int,
) -> None:
    """Compute one block (a rectangle of stores × brands), chunk by chunk, then finish it."""
    s0, s1, b0, b1 = rect
    n_days = sales.shape[-1]
    for c0, c1, d0, d1 in _tiles(s1 - s0, b1 - b0, n_days, chunk_cells):
        rows = (slice(s0 + c0, s0 + c1), slice(b0 + d0, b0 + d1))
        chunk_shape = (c1 - c0, d1 - d0, n_days)
        cells = chunk_shape[0] * chunk_shape[1] * n_days
        sales_chunk = sales[rows]
        inventory_chunk = inventory[rows]
        flags = scratch.flags[:cells].reshape(chunk_shape)
        low = scratch.low[:cells].reshape(chunk_shape)
        counted = None
        if options.exclude is not None:
            counted = np.logical_not(
                options.exclude[rows], out=scratch.counted[:cells].reshape(chunk_shape)
            )
        _row_sums(
            sales_chunk,
            counted,
            scratch.work[:cells].reshape(chunk_shape) if scratch.work.size else scratch.work,
            low,
            out.actual_sales[rows],
            options.exact_sums,
        )
        np.equal(sales_chunk, 0, out=flags)
        if options.threshold is not None:
            np.less_equal(inventory_chunk, options.threshold, out=low)
        else:
            assert options.token is not None
            np.less_equal(inventory_chunk, options.token[rows], out=low)
        np.logical_and(flags, low, out=flags)
        if counted is None:
            out.closing_inventory[rows] = inventory_chunk[..., -1]
        else:
            np.logical_and(flags, counted, out=flags)
            last = n_days - 1 - np.argmax(counted[..., ::-1], axis=-1)
            out.closing_inventory[rows] = np.take_along_axis(
                inventory_chunk, last[..., np.newaxis], axis=-1
            )[..., 0]
        _stockout_counts(flags, out.stockout_days[rows])
    _finish(out, options, (slice(s0, s1), slice(b0, b1)), scratch)


def _finish(out: _Outputs, options: _Options, rows: tuple[slice, slice], scratch: _Scratch) -> None:
    """P, F and days of cover of a block, by the rules of cycle_metrics, without masked loops.

    Each value is computed by the same floating-point operation as in
    :func:`~tobacco_metrics.cycle_metrics` (``A / E × S``, ``A / (A + P)``,
    ``closing / (A / D)``); where a rule decides instead (E == 0, nothing lost,
    nothing sold) the denominator is made 1 so that no division by zero
    happens, and the rule's value is put in afterwards.  Unmasked loops run at
    full vector speed, where ``where=`` masks would not.
    """
    actual = out.actual_sales[rows]
    shape = actual.shape
    n = actual.size
    # cycle_metrics divides by E.astype(float64) and multiplies by S.astype(float64):
    # the same values, converted once here (whole days are exact in float64).
    stockouts = scratch.stockouts[:n].reshape(shape)
    stockouts[...] = out.stockout_days[rows]
    days: Any = options.days[rows] if options.constant_days is None else options.constant_days
    # P = A / E × S where E > 0.  Where E == 0 every counted day was out, so A == 0:
    # divide by 1 instead, then put in the fallback rate × S, or NaN.
    effective = np.subtract(days, stockouts, out=scratch.effective[:n].reshape(shape))
    idle = np.equal(effective, 0, out=scratch.selling[:n].reshape(shape))
    np.maximum(effective, 1.0, out=effective)
    projected = out.projected_stockout_sales[rows]
    np.divide(actual, effective, out=projected)
    np.multiply(projected, stockouts, out=projected)
    if idle.any():  # (putmask: a masked copy at twice the speed of copyto(where=))
        if options.fallback is None:
            np.putmask(projected, idle, np.nan)
        else:
            np.putmask(projected, idle, options.fallback[rows] * stockouts)
    # F = A / (A + P); 1.0 where nothing was lost.  Where A + P == 0 divide by the
    # smallest positive double instead (0 / it is 0, no warning) and put in 1.0; where
    # P == 0 < A, A / A is exactly 1.0 already; NaN where P is NaN (NaN propagates).
    ratio = out.fulfilment_ratio[rows]
    total = np.add(actual, projected, out=scratch.total[:n].reshape(shape))
    nothing = np.equal(total, 0, out=scratch.mask[:n].reshape(shape))
    np.maximum(total, _TINY, out=total)  # leaves every positive total as it is
    np.divide(actual, total, out=ratio)
    if nothing.any():
        np.putmask(ratio, nothing, 1.0)
    # Days of cover = closing / (A / D); 0.0 without stock; +inf with stock and no sales.
    average = np.divide(actual, days, out=scratch.total[:n].reshape(shape))
    cover = out.stock_to_sales_ratio[rows]
    closing = out.closing_inventory[rows]
    unsold = np.equal(average, 0, out=scratch.mask[:n].reshape(shape))
    if unsold.any():
        np.putmask(average, unsold, 1.0)  # closing / 1: no stock stays 0.0
        np.divide(closing, average, out=cover)
        stocked = np.greater(closing, 0, out=scratch.selling[:n].reshape(shape))
        np.putmask(cover, np.logical_and(stocked, unsold, out=stocked), np.inf)
    else:
        np.divide(closing, average, out=cover)


def _chunk_cells(total_cells: int, n_days: int, workers: int) -> int:
    """Cells per chunk: large enough to amortise numpy's per-call cost, small beside the panel.

    Each worker holds about two bytes of buffers per chunk cell; the chunks of
    all workers together stay near 1/16 of the panel's cells.
    """
    return max(_CHUNK_CELLS_MIN, min(_CHUNK_CELLS, total_cells // (16 * workers)), n_days)


def _compute(
    sales: NDArray[Any], inventory: NDArray[Any], options: _Options, workers: int
) -> _Outputs:
    """Run the kernel over the panel; returns the read-only result arrays (stores × brands)."""
    n_stores, n_brands, n_days = sales.shape
    series = n_stores * n_brands
    parts = [(series, np.dtype(np.int64))] + [(series, np.dtype(np.float64))] * 5
    stockouts, actual, projected, ratio, cover, closing = (
        array.reshape(n_stores, n_brands) for array in _carve(parts)
    )
    out = _Outputs(
        days=options.days,
        stockout_days=stockouts,
        actual_sales=actual,
        projected_stockout_sales=projected,
        fulfilment_ratio=ratio,
        stock_to_sales_ratio=cover,
        closing_inventory=closing,
    )
    chunk_cells = _chunk_cells(sales.size, n_days, workers)
    block_cells = max(chunk_cells, min(_BLOCK_CELLS, sales.size // 8))
    blocks = list(_tiles(n_stores, n_brands, n_days, block_cells))
    block_rows = max(((s1 - s0) * (b1 - b0) for s0, s1, b0, b1 in blocks), default=0)
    workers = min(workers, len(blocks))
    spare: queue.SimpleQueue[_Scratch] = queue.SimpleQueue()
    for _ in range(max(workers, 1)):
        spare.put(_Scratch.allocate(chunk_cells, block_rows, sales.dtype, options))

    def run(rect: tuple[int, int, int, int]) -> None:
        scratch = spare.get()
        try:
            _block(sales, inventory, options, out, rect, scratch, chunk_cells)
        finally:
            spare.put(scratch)

    if workers <= 1:
        for rect in blocks:
            run(rect)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(run, blocks):
                pass
    for field in attrs.fields(_Outputs):
        getattr(out, field.name).flags.writeable = False
    return out


def _check_workers(workers: int) -> int:
    if isinstance(workers, (bool, np.bool_)) or not isinstance(workers, (int, np.integer)):
        raise TypeError(f"'workers' must be an int, got {type(workers).__name__}")
    if workers < 1:
        raise InvalidValueError(f"'workers' must be >= 1: {workers}")
    return int(workers)


def _panel_kernel(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    *,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    fallback_daily_rate: ArrayLike | None = None,
    workers: int = 1,
    describe_series: Describe = format_position,
    whole_max: float | None = None,
) -> _Outputs:
    """The metrics of validated (S, B, D) arrays (used by Panel.metrics and tobacco_metrics.dask).

    ``whole_max``: the largest sales value if every value is known to be whole
    (None: unknown, each chunk is tested).
    """
    shape = (int(sales.shape[0]), int(sales.shape[1]), int(sales.shape[2]))
    options = _options(
        shape,
        sales.dtype,
        inventory.dtype,
        token_stock,
        exclude,
        fallback_daily_rate,
        describe_series,
        whole_max,
    )
    return _compute(sales, inventory, options, _check_workers(workers))


# --------------------------------------------------------------------------- long table → panel


def _is_pandas(value: Any) -> bool:
    module = type(value).__module__
    return module.startswith("pandas")


def _as_column(values: Any, name: str) -> Any:
    """A pandas column as it is, anything else as a 1-D ndarray (no copy of an ndarray).

    A scalar or an array of another dimension is a ShapeMismatchError; a string
    or something that is not a sequence at all is a TypeError.
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name!r} must be a column (list, array or Series), got a string")
    if _is_pandas(values):
        if getattr(values, "ndim", 1) != 1:
            raise ShapeMismatchError(f"{name!r} must be one column: {type(values).__name__}")
        return values
    if isinstance(values, (np.ndarray, np.generic)) or np.isscalar(values):
        array = np.asarray(values)
    else:
        try:
            items = list(values)
        except TypeError:
            raise TypeError(
                f"{name!r} must be a column (list, array or Series), got {type(values).__name__}"
            ) from None
        try:
            array = np.asarray(items) if items else np.asarray(items, dtype=np.float64)
            plain = array.ndim == 1 and (
                # numpy turns ["a", nan] into ["a", "nan"]: keep mixed columns as objects
                array.dtype.kind not in "US" or all(type(item) is str for item in items)
            )
        except ValueError:  # ragged nested sequences
            plain = False
        if not plain:  # one object per row (tuples as labels, nested sequences)
            array = np.empty(len(items), dtype=object)
            for position, item in enumerate(items):
                array[position] = item
    if array.ndim != 1:
        shape = "a scalar" if array.ndim == 0 else f"shape {array.shape}"
        raise ShapeMismatchError(f"{name!r} must be a column (one value a row), got {shape}")
    return array


def _column(values: Any, name: str) -> NDArray[Any]:
    """A 1-D ndarray from a list, array or pandas column (no copy of an ndarray)."""
    column = _as_column(values, name)
    if _is_pandas(column):
        array: NDArray[Any] = column.to_numpy()
        return array
    return np.asarray(column)


def _numeric_column(values: Any, name: str) -> NDArray[Any]:
    if _is_pandas(values) and getattr(values, "hasnans", False):
        values = values.to_numpy(dtype=np.float64, na_value=np.nan)
    array = _column(values, name)
    if array.dtype == object and any(
        isinstance(item, (list, tuple, np.ndarray)) for item in array.tolist()
    ):
        raise ShapeMismatchError(f"{name!r} must be one-dimensional: it holds sequences")
    return as_real_array(array, name)


def _missing_label(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT, pd.NA
    except (TypeError, ValueError):
        return True  # pd.NA raises on bool()


def _sorted_uniques(uniques: list[Any], codes: NDArray[np.int64]) -> tuple[list[Any], Any]:
    """Sort the labels when they are mutually orderable and remap the codes."""
    try:
        order = sorted(range(len(uniques)), key=uniques.__getitem__)
    except TypeError:
        return uniques, codes
    remap = np.empty(len(uniques), dtype=np.int64)
    remap[np.asarray(order, dtype=np.int64)] = np.arange(len(uniques), dtype=np.int64)
    return [uniques[i] for i in order], remap[codes]


def _factorize_objects(
    array: NDArray[Any], name: str, row_name: Callable[[int], str], *, labels: bool = True
) -> tuple[NDArray[np.int64], list[Any]]:
    """Codes by first appearance; with ``labels``, None and NaN are MissingDataError."""
    table: dict[Any, int] = {}
    try:
        codes = np.fromiter(
            (table.setdefault(value, len(table)) for value in array.tolist()),
            dtype=np.int64,
            count=len(array),
        )
    except TypeError:
        for row, value in enumerate(array.tolist()):
            try:
                hash(value)
            except TypeError:
                raise TypeError(
                    f"{name!r} labels must be hashable: {value!r} at {row_name(row)}"
                ) from None
        raise  # pragma: no cover
    uniques = list(table)
    for code, value in enumerate(uniques):
        if labels and _missing_label(value):
            row = int(np.flatnonzero(codes == code)[0])
            raise MissingDataError(f"{name!r} is missing ({value!r}) at {row_name(row)}")
    return codes, uniques


def _factorize(
    values: Any, name: str, row_name: Callable[[int], str]
) -> tuple[NDArray[np.int64], tuple[Any, ...]]:
    """Integer codes (0..n-1) and labels; labels sorted when orderable, else by first row."""
    dtype = getattr(values, "dtype", None)
    if _is_pandas(values) and isinstance(dtype, np.dtype) and dtype.kind in "iuUSb":
        values = values.to_numpy()  # plain numpy data: the numpy paths below are faster
    if _is_pandas(values):
        import pandas as pd

        try:
            codes, uniques = pd.factorize(values, sort=True)
        except TypeError:
            codes, uniques = pd.factorize(values, sort=False)
        codes = np.asarray(codes, dtype=np.int64)
        if len(codes) and codes.min() < 0:
            row = int(np.flatnonzero(codes < 0)[0])
            raise MissingDataError(f"{name!r} is missing at {row_name(row)}")
        return codes, tuple(pd.Index(uniques).tolist())
    array = _column(values, name)
    kind = array.dtype.kind
    if kind in "iu" and array.size:
        low, high = int(array.min()), int(array.max())
        if high - low <= max(4 * array.size, 1 << 20) and high < 2**62:
            offsets = array.astype(np.int64, copy=False) - low
            present = np.zeros(high - low + 1, dtype=np.bool_)
            present[offsets] = True
            rank = np.cumsum(present, dtype=np.int64) - 1
            labels = (np.flatnonzero(present) + low).astype(array.dtype)
            return rank[offsets], tuple(labels.tolist())
    if kind in "iufUSMmb":
        if kind in "fMm":
            missing = np.isnan(array) if kind == "f" else np.isnat(array)
            if missing.any():
                row = int(np.flatnonzero(missing)[0])
                raise MissingDataError(f"{name!r} is missing ({array[row]}) at {row_name(row)}")
        uniques_array, inverse = np.unique(array, return_inverse=True)
        return inverse.reshape(-1).astype(np.int64), tuple(uniques_array.tolist())
    codes, uniques = _factorize_objects(array, name, row_name)
    sorted_labels, codes = _sorted_uniques(uniques, codes)
    return codes, tuple(sorted_labels)


def _day_number(value: Any) -> int:
    """Days since 1970-01-01 of one date value; raises ValueError/TypeError when it is not one."""
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError("a missing date (NaT)")
        day = value.astype("datetime64[D]")
        if day != value:
            raise ValueError("a date and time; expected a date")
        number = int(day.astype(np.int64))
        if not _FIRST_DAY <= number <= _LAST_DAY:
            raise ValueError("outside the years 1 to 9999")
        return number
    if isinstance(value, dt.datetime):
        if value != value:  # pd.NaT
            raise ValueError("a missing date (NaT)")
        if value.tzinfo is not None or value.time() != dt.time(0):
            raise ValueError("a date and time; expected a date")
        return value.toordinal() - _EPOCH_ORDINAL
    if isinstance(value, dt.date):
        return value.toordinal() - _EPOCH_ORDINAL
    if isinstance(value, str):
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError("not an ISO date 'YYYY-MM-DD'")
        return dt.date.fromisoformat(value).toordinal() - _EPOCH_ORDINAL
    if _missing_label(value):
        raise ValueError("a missing date")
    raise TypeError(f"expected a date, got {type(value).__name__}")


def _bad_date(value: Any, reason: str, row: int, row_name: Callable[[int], str]) -> Exception:
    return InvalidValueError(
        f"'date' must be a date (datetime.date, numpy.datetime64 or ISO 'YYYY-MM-DD'): "
        f"{value!r} at {row_name(row)} is {reason}"
    )


def _day_numbers(values: Any, row_name: Callable[[int], str]) -> NDArray[np.int64]:
    """The date column as int64 days since 1970-01-01, strictly checked."""
    if _is_pandas(values) and getattr(getattr(values, "dtype", None), "tz", None) is not None:
        raise TypeError("'date' must hold naive dates, got timezone-aware timestamps")
    array = _column(values, "date")
    kind = array.dtype.kind
    if kind == "M":
        nat = np.isnat(array)  # first: a column of NaT alone has the generic unit
        if nat.any():
            row = int(np.flatnonzero(nat)[0])
            raise _bad_date(array[row], "missing (NaT)", row, row_name)
        unit, _ = np.datetime_data(array.dtype)
        if unit in ("Y", "M", "W", "generic"):
            raise TypeError(f"'date' must be days, got datetime64[{unit}]")
        days = array.astype("datetime64[D]")
        if unit != "D":
            timed = days != array
            if timed.any():
                row = int(np.flatnonzero(timed)[0])
                raise _bad_date(array[row], "a date and time", row, row_name)
        numbers = days.view(np.int64)
        outside = (numbers < _FIRST_DAY) | (numbers > _LAST_DAY)
        if outside.any():
            row = int(np.flatnonzero(outside)[0])
            raise _bad_date(array[row], "outside the years 1 to 9999", row, row_name)
        return numbers
    if kind in "US":
        try:
            days = array.astype("datetime64[D]")
            if not (days.astype(array.dtype) != array).any():
                return days.view(np.int64)
        except (ValueError, RuntimeError):
            pass
        # Something is not a plain ISO date: find and name it value by value.
        array = array.astype(object)
    elif kind != "O":
        raise TypeError(f"'date' must hold dates or ISO strings, got dtype {array.dtype}")
    # Objects (dates, datetimes, strings, Timestamps): convert each distinct value once.
    codes, uniques = _factorize_objects(array, "date", row_name, labels=False)
    numbers = np.empty(len(uniques), dtype=np.int64)
    for code, value in enumerate(uniques):
        try:
            numbers[code] = _day_number(value)
        except ValueError as error:
            row = int(np.flatnonzero(codes == code)[0])
            raise _bad_date(value, str(error), row, row_name) from None
        except TypeError:
            row = int(np.flatnonzero(codes == code)[0])
            raise TypeError(
                f"'date' must hold dates or ISO strings: {value!r} "
                f"({type(value).__name__}) at {row_name(row)}"
            ) from None
    return numbers[codes]


def _default_row_name(row: int) -> str:
    return f"row {row}"


def _key_text(store: Any, brand: Any, day: dt.date | None = None) -> str:
    text = f"store {store!r}, brand {brand!r}"
    return text if day is None else f"{text}, {day.isoformat()}"


def _raise_duplicates(
    key: NDArray[np.int64],
    stores: tuple[Any, ...],
    brands: tuple[Any, ...],
    first_day: int,
    n_days: int,
    row_name: Callable[[int], str],
) -> None:
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    repeat = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
    if not repeat.size:
        return
    extra_rows = order[repeat]
    dup_keys = np.unique(ordered[repeat])
    # the duplicates whose second row comes first in the table
    shown: list[int] = []
    for row in np.sort(extra_rows).tolist():
        cell = int(key[row])
        if cell not in shown:
            shown.append(cell)
        if len(shown) == 3:
            break
    parts = []
    n_brands = len(brands)
    for cell in shown:
        rows = np.sort(
            order[np.searchsorted(ordered, cell) : np.searchsorted(ordered, cell, "right")]
        )
        series, day = divmod(cell, n_days)
        store, brand = divmod(series, n_brands)
        where = " and ".join(row_name(int(r)) for r in rows[:4])
        parts.append(
            f"({_key_text(stores[store], brands[brand], _date_of(first_day + day))}) at {where}"
        )
    keys = "1 key occurs" if len(dup_keys) == 1 else f"{len(dup_keys)} keys occur"
    rows_text = "1 extra row" if len(extra_rows) == 1 else f"{len(extra_rows)} extra rows"
    raise DuplicateEntryError(
        f"each (store, brand, date) must occur once: {keys} more than once ({rows_text}); "
        f"first {'; '.join(parts)}"
    )


def _raise_leading_missing(
    seen_first: NDArray[np.bool_],
    stores: tuple[Any, ...],
    brands: tuple[Any, ...],
    first_day: int,
) -> None:
    absent = np.flatnonzero(~seen_first)
    if not absent.size:
        return
    n_brands = len(brands)
    listed = "; ".join(
        f"({_key_text(stores[s // n_brands], brands[s % n_brands])})" for s in absent[:5].tolist()
    )
    raise MissingDataError(
        f"{absent.size} store × brand series have no row on the panel's first day "
        f"{_date_of(first_day).isoformat()}, e.g. {listed}: missing='no_movement' carries "
        "the stock of the day before, and the first day has none; add a row for the first "
        "day (its closing stock, sales 0) or start the table later"
    )


def _describe_missing(
    seen: NDArray[np.bool_],
    stores: tuple[Any, ...],
    brands: tuple[Any, ...],
    first_day: int,
    n_days: int,
) -> str:
    """Name up to five missing cells, scanning in chunks."""
    listed: list[str] = []
    n_brands = len(brands)
    for start in range(0, seen.size, _CHUNK_CELLS * 16):
        holes = np.flatnonzero(~seen[start : start + _CHUNK_CELLS * 16])
        for cell in (holes[: 5 - len(listed)] + start).tolist():
            series, day = divmod(cell, n_days)
            store, brand = divmod(series, n_brands)
            listed.append(f"({_key_text(stores[store], brands[brand], _date_of(first_day + day))})")
        if len(listed) >= 5:
            break
    return "; ".join(listed)


def _from_long(
    store: Any,
    brand: Any,
    date: Any,
    sales: Any,
    inventory: Any,
    *,
    missing: str = "error",
    row_name: Callable[[int], str] = _default_row_name,
) -> Panel:
    if missing not in ("error", "no_movement"):
        raise InvalidValueError(f"'missing' must be 'error' or 'no_movement': {missing!r}")
    columns = {
        name: _as_column(value, name)
        for name, value in (
            ("store", store),
            ("brand", brand),
            ("date", date),
            ("sales", sales),
            ("inventory", inventory),
        )
    }
    lengths = {name: len(column) for name, column in columns.items()}
    if len(set(lengths.values())) != 1:
        listed = ", ".join(f"{name!r} {length}" for name, length in lengths.items())
        raise ShapeMismatchError(f"the columns must have the same length: {listed}")
    n_rows = lengths["store"]
    if n_rows == 0:
        raise EmptyInputError("the long table has no rows")

    day_numbers = _day_numbers(columns["date"], row_name)
    store_codes, stores = _factorize(columns["store"], "store", row_name)
    brand_codes, brands = _factorize(columns["brand"], "brand", row_name)
    sales_column = _numeric_column(columns["sales"], "sales")
    inventory_column = _numeric_column(columns["inventory"], "inventory")
    first_day = int(day_numbers.min())
    n_days = int(day_numbers.max()) - first_day + 1
    n_stores, n_brands = len(stores), len(brands)

    def describe_row(index: tuple[int, ...]) -> str:
        row = index[0]
        label = _key_text(
            stores[store_codes[row]],
            brands[brand_codes[row]],
            _date_of(int(day_numbers[row])),
        )
        return f"{row_name(row)} ({label})"

    whole_max = _scan_values(sales_column, "sales", describe_row, whole=True)
    _scan_values(inventory_column, "inventory", describe_row)

    n_cells = n_stores * n_brands * n_days
    key = store_codes * n_brands
    key += brand_codes
    key *= n_days
    key += day_numbers
    key -= first_day

    complete = n_rows == n_cells and bool(key[0] == 0) and bool((np.diff(key) == 1).all())
    seen: NDArray[np.bool_] | None = None
    if not complete:
        if n_cells <= 4 * n_rows + (1 << 20):
            seen = np.zeros(n_cells, dtype=np.bool_)
            seen[key] = True
            present = int(np.count_nonzero(seen))
        else:  # very sparse: a date typo far from the others, say
            present = int(np.unique(key).size)
        if present < n_rows:
            _raise_duplicates(key, stores, brands, first_day, n_days, row_name)
        n_missing = n_cells - present
        if n_missing and missing == "error":
            span = ""
            if n_missing > n_rows:  # mostly holes: a mistyped date stretches the panel
                span = (
                    f" (the dates run from {_date_of(first_day)} to "
                    f"{_date_of(first_day + n_days - 1)}: is one mistyped?)"
                )
            examples = (
                ""
                if seen is None
                else f", e.g. {_describe_missing(seen, stores, brands, first_day, n_days)}"
            )
            raise MissingDataError(
                f"{n_missing} of {n_cells} (store, brand, date) cells have no row{span}"
                f"{examples}: pass missing='no_movement' if the export leaves out days "
                "without movement"
            )
        if seen is None:
            seen = np.zeros(n_cells, dtype=np.bool_)
            seen[key] = True

    shape = (n_stores, n_brands, n_days)
    if complete:
        sales_panel = sales_column.copy()
        inventory_panel = inventory_column.copy()
    else:
        assert seen is not None
        seen_rows = seen.reshape(n_stores * n_brands, n_days)
        _raise_leading_missing(seen_rows[:, 0], stores, brands, first_day)
        sales_panel = np.zeros(n_cells, dtype=sales_column.dtype)
        sales_panel[key] = sales_column
        inventory_panel = np.empty(n_cells, dtype=inventory_column.dtype)
        inventory_panel[key] = inventory_column
        _carry_stock(inventory_panel.reshape(-1, n_days), seen_rows)
    return Panel._trusted(
        stores,
        brands,
        _date_of(first_day),
        sales_panel.reshape(shape),
        inventory_panel.reshape(shape),
        whole_max,
    )


def _carry_stock(inventory: NDArray[Any], seen: NDArray[np.bool_]) -> None:
    """Fill each missing day with the stock of the last day before it that has a row."""
    gappy = np.flatnonzero(~seen.all(axis=1))
    n_days = inventory.shape[1]
    days = np.arange(n_days, dtype=np.intp)
    step = max(1, _CHUNK_CELLS // n_days)
    for start in range(0, gappy.size, step):
        rows = gappy[start : start + step]
        source = np.where(seen[rows], days, 0)
        np.maximum.accumulate(source, axis=1, out=source)
        inventory[rows] = np.take_along_axis(inventory[rows], source, axis=1)


# --------------------------------------------------------------------------- Panel


def _labels(values: Any) -> tuple[Any, ...]:
    """Converter: store or brand labels as a tuple (numpy scalars as Python values)."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"labels must be a sequence of labels, got a string: {values!r}")
    if isinstance(values, np.ndarray) or _is_pandas(values):
        return tuple(values.tolist())
    return tuple(values)


def _unique_labels(instance: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    """Validator: hashable labels, each once."""
    first: dict[Any, int] = {}
    for position, label in enumerate(value):
        try:
            earlier = first.setdefault(label, position)
        except TypeError:
            raise TypeError(
                f"{attribute.name!r} labels must be hashable: {label!r} at position {position}"
            ) from None
        if earlier != position:
            raise DuplicateEntryError(
                f"{attribute.name!r} must be unique: {label!r} at positions {earlier} and "
                f"{position}"
            )


def _immutable(array: NDArray[Any]) -> NDArray[Any]:
    """``array`` as a read-only view if nothing can write to its memory, else a read-only copy.

    A panel checks its values once and trusts them afterwards, so memory that
    the caller could still write to (the array or any array it views) is copied.
    """
    base: Any = array
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            copy: NDArray[Any] = array.copy()
            copy.flags.writeable = False
            return copy
        base = base.base
    return _read_only(array)


def _sales_array(value: Any) -> NDArray[Any]:
    return _immutable(as_real_array(value, "sales"))


def _inventory_array(value: Any) -> NDArray[Any]:
    return _immutable(as_real_array(value, "inventory"))


def _start_date(value: Any) -> dt.date:
    return cv.to_date(value)


@attrs.frozen(eq=False, repr=False)
class Panel:
    """Daily sales and closing stock of stores × brands, labelled (a district's ERP data).

    Parameters
    ----------
    stores : sequence of hashable
        Store labels (客户编码), one per row of the first axis; unique.
    brands : sequence of hashable
        Brand (product) labels (卷烟编码), one per row of the second axis; unique.
    start : datetime.date
        The first day (ISO string or numpy.datetime64 accepted); day *d* of the
        panel is ``start + d`` days.
    sales : array_like
        Quantity sold each day [cartons], shaped (stores, brands, days); finite, >= 0.
    inventory : array_like
        Closing stock each day [cartons], the same shape; finite, >= 0.

    Attributes
    ----------
    sales, inventory : ndarray
        Read-only arrays in the dtype given (int32 and float32 stay as they
        are).  An array that nothing can write to any more (made read-only
        with ``array.setflags(write=False)``, as large exports should be) is
        kept without a copy; a writeable one is copied, so that later writes
        to it cannot change the panel.

    Raises
    ------
    InvalidValueError
        A negative or non-finite value (the message names store, brand and date).
    ShapeMismatchError
        Arrays that are not 3-D, differ in shape, or do not match the labels.
    DuplicateEntryError
        A store or brand label given twice.
    EmptyInputError
        No days.

    See Also
    --------
    Panel.from_long : build a panel from an ERP export (long table).

    Notes
    -----
    The values are checked once, when the panel is built, chunk by chunk (one
    min and max per chunk); :meth:`metrics` trusts them.

    Examples
    --------
    >>> import datetime as dt
    >>> panel = Panel(["C001", "C002"], ["6901028075018"], dt.date(2026, 3, 2),
    ...               sales=[[[6, 8, 0, 5, 0, 7, 4]], [[2, 2, 2, 2, 2, 2, 2]]],
    ...               inventory=[[[20, 12, 0, 25, 0, 18, 14]], [[9, 7, 5, 3, 1, 8, 6]]])
    >>> panel
    Panel(2 stores × 1 brands × 7 days, 2026-03-02 to 2026-03-08, sales int64, inventory int64)
    >>> panel.metrics().stockout_days.tolist()
    [[2], [0]]
    """

    stores: tuple[Label, ...] = attrs.field(converter=_labels, validator=_unique_labels)
    brands: tuple[Label, ...] = attrs.field(converter=_labels, validator=_unique_labels)
    start: dt.date = attrs.field(converter=_start_date)
    sales: NDArray[Any] = attrs.field(converter=_sales_array)
    inventory: NDArray[Any] = attrs.field(converter=_inventory_array)
    # The largest sale when every sale is a whole number (None otherwise), found by
    # the value check: sums of such values are exact in any order.
    _whole_max: float | None = attrs.field(init=False, default=None)

    def __attrs_post_init__(self) -> None:
        for name in ("sales", "inventory"):
            array = getattr(self, name)
            if array.ndim != 3:
                raise ShapeMismatchError(
                    f"{name!r} must be shaped (stores, brands, days): got {array.ndim} "
                    f"dimension(s), shape {array.shape}"
                )
        if self.sales.shape != self.inventory.shape:
            raise ShapeMismatchError(
                f"'sales' and 'inventory' must have the same shape: "
                f"{self.sales.shape} and {self.inventory.shape}"
            )
        n_stores, n_brands, n_days = self.sales.shape
        if (n_stores, n_brands) != (len(self.stores), len(self.brands)):
            raise ShapeMismatchError(
                f"the arrays' (stores, brands) shape {(n_stores, n_brands)} does not match "
                f"{len(self.stores)} store and {len(self.brands)} brand labels"
            )
        if n_days == 0:
            raise EmptyInputError("'sales' has no days: a panel needs at least one day")
        if self.start.toordinal() + n_days - 1 > dt.date.max.toordinal():
            raise InvalidValueError(
                f"the panel must end by {dt.date.max}: {n_days} days from {self.start}"
            )
        whole_max = _scan_values(self.sales, "sales", self._describe_cell, whole=True)
        _scan_values(self.inventory, "inventory", self._describe_cell)
        object.__setattr__(self, "_whole_max", whole_max)

    @classmethod
    def _trusted(
        cls,
        stores: tuple[Label, ...],
        brands: tuple[Label, ...],
        start: dt.date,
        sales: NDArray[Any],
        inventory: NDArray[Any],
        whole_max: float | None,
    ) -> Panel:
        """Build a panel from arrays already checked (a slice of a panel, from_long's output)."""
        panel = object.__new__(cls)
        for name, value in (
            ("stores", stores),
            ("brands", brands),
            ("start", start),
            ("sales", _read_only(sales)),
            ("inventory", _read_only(inventory)),
            ("_whole_max", whole_max),
        ):
            object.__setattr__(panel, name, value)
        return panel

    # ----------------------------------------------------------------- construction

    @classmethod
    def from_long(
        cls,
        store: Any,
        brand: Any,
        date: Any,
        sales: Any,
        inventory: Any,
        *,
        missing: Literal["error", "no_movement"] = "error",
    ) -> Panel:
        """Build a panel from a long table: one row per store, brand and day.

        Parameters
        ----------
        store, brand : column of hashable
            The labels of each row (lists, numpy arrays or pandas columns; any
            hashable type).  The panel's labels are sorted when they can be
            compared, otherwise kept in order of first appearance.
        date : column of dates
            ``datetime.date``, ``numpy.datetime64`` (a time of day other than
            midnight is refused) or ISO ``'YYYY-MM-DD'`` strings.  The panel
            runs from the earliest to the latest date.
        sales, inventory : column of float
            Quantity sold that day and closing stock [cartons]; finite, >= 0.
            Their dtype is kept (an int32 or float32 column stays so).
        missing : {'error', 'no_movement'}
            What a (store, brand, date) cell without a row means.  ``'error'``
            (default) raises :class:`MissingDataError`.  ``'no_movement'`` reads
            it as a quiet day, as many ERP exports leave them out: no sales, and
            the closing stock of the day before.  The first day has no day
            before: a series without a row on the panel's first day is a
            :class:`MissingDataError` in both modes.

        Returns
        -------
        Panel

        Raises
        ------
        DuplicateEntryError
            A (store, brand, date) occurs on more than one row; the message
            names the first duplicates and their rows.
        MissingDataError
            Cells without a row (counted, and some named), a missing label, or
            with ``'no_movement'`` a series missing on the first day.
        InvalidValueError
            A negative or non-finite value, or a bad date, naming the row.
        ShapeMismatchError
            Columns of different lengths.
        EmptyInputError
            No rows.

        Notes
        -----
        The table may come in any row order; a table sorted by store, brand and
        date (in the labels' sort order) with every cell present is copied
        straight through.  Rows are numbered from 0 in the messages.

        Examples
        --------
        >>> panel = Panel.from_long(
        ...     store=["C001", "C001", "C002", "C002"],
        ...     brand=["6901028075018"] * 4,
        ...     date=["2026-03-02", "2026-03-03", "2026-03-02", "2026-03-03"],
        ...     sales=[3, 0, 1, 2],
        ...     inventory=[5, 0, 4, 2],
        ... )
        >>> panel.stores, panel.sales.shape
        (('C001', 'C002'), (2, 1, 2))
        >>> Panel.from_long(["C001"] * 2, ["B"] * 2, ["2026-03-02", "2026-03-04"], [1, 0], [4, 4])
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tobacco_metrics.errors.MissingDataError: 1 of 3 (store, brand, date) cells have no row, ...
        >>> quiet = Panel.from_long(["C001"] * 2, ["B"] * 2, ["2026-03-02", "2026-03-04"],
        ...                         [1, 0], [4, 4], missing="no_movement")
        >>> quiet.sales.tolist(), quiet.inventory.tolist()
        ([[[1, 0, 0]]], [[[4, 4, 4]]])
        """
        return _from_long(store, brand, date, sales, inventory, missing=missing)

    # ----------------------------------------------------------------- description

    def __repr__(self) -> str:
        n_stores, n_brands, n_days = self.sales.shape
        return (
            f"Panel({n_stores} stores × {n_brands} brands × {n_days} days, "
            f"{self.start.isoformat()} to {self.end.isoformat()}, "
            f"sales {self.sales.dtype}, inventory {self.inventory.dtype})"
        )

    @property
    def shape(self) -> tuple[int, int, int]:
        """(stores, brands, days)."""
        n_stores, n_brands, n_days = self.sales.shape
        return int(n_stores), int(n_brands), int(n_days)

    @property
    def n_days(self) -> int:
        """Number of days."""
        return int(self.sales.shape[-1])

    @property
    def end(self) -> dt.date:
        """The last day (inclusive)."""
        return self.start + dt.timedelta(days=self.n_days - 1)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Every day of the panel, in order."""
        return tuple(self.start + dt.timedelta(days=d) for d in range(self.n_days))

    def _describe_cell(self, index: tuple[int, ...]) -> str:
        store, brand, day = index
        date = self.start + dt.timedelta(days=day)
        return f"{_key_text(self.stores[store], self.brands[brand], date)} (index {index})"

    def _describe_series(self, index: tuple[int, ...]) -> str:
        store, brand = index
        return f"({_key_text(self.stores[store], self.brands[brand])})"

    def day_mask(self, dates: Iterable[Any]) -> NDArray[np.bool_]:
        """A mask over the panel's days, True on the given dates (holidays, closures).

        Dates outside the panel are ignored, so a year's holiday list can be
        used for any panel.  The mask (shape ``(days,)``) is what the
        ``exclude`` option of :meth:`metrics` takes.

        Examples
        --------
        >>> import datetime as dt
        >>> panel = Panel(["C001"], ["B"], "2026-02-16", [[[1, 2, 3]]], [[[5, 3, 0]]])
        >>> panel.day_mask(["2026-02-17", dt.date(2026, 12, 31)]).tolist()
        [False, True, False]
        """
        if isinstance(dates, (str, bytes)):
            raise TypeError("'dates' must be a collection of dates, got a string")
        mask = np.zeros(self.n_days, dtype=np.bool_)
        first = self.start.toordinal()
        for value in dates:
            day = cv.to_date(value).toordinal() - first
            if 0 <= day < self.n_days:
                mask[day] = True
        return mask

    # ----------------------------------------------------------------- slicing

    def cycles(
        self, cycle_days: int = 7, *, partial: Literal["error", "keep", "drop"] = "error"
    ) -> tuple[Panel, ...]:
        """Split the days into consecutive delivery cycles (配送周期) of ``cycle_days``.

        Parameters
        ----------
        cycle_days : int
            Days per cycle (default 7, a weekly delivery); >= 1.
        partial : {'error', 'keep', 'drop'}
            What to do when the days do not divide into whole cycles:
            ``'error'`` (default) raises :class:`InvalidValueError`, ``'keep'``
            keeps the trailing days as a shorter last cycle, ``'drop'`` leaves
            them out.

        Returns
        -------
        tuple of Panel
            One panel per cycle, in order; each is a view of this panel's
            arrays (no copy).  Call :meth:`metrics` on each.

        Examples
        --------
        >>> import numpy as np
        >>> panel = Panel(["C001"], ["B"], "2026-03-02", np.ones((1, 1, 10)), np.ones((1, 1, 10)))
        >>> [(c.start.isoformat(), c.n_days) for c in panel.cycles(7, partial="keep")]
        [('2026-03-02', 7), ('2026-03-09', 3)]
        >>> panel.cycles(7)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tobacco_metrics.errors.InvalidValueError: 'cycle_days' 7 does not divide ... 3 days; ...
        """
        if isinstance(cycle_days, (bool, np.bool_)) or not isinstance(
            cycle_days, (int, np.integer)
        ):
            raise TypeError(f"'cycle_days' must be an int, got {type(cycle_days).__name__}")
        if cycle_days < 1:
            raise InvalidValueError(f"'cycle_days' must be >= 1: {cycle_days}")
        if partial not in ("error", "keep", "drop"):
            raise InvalidValueError(f"'partial' must be 'error', 'keep' or 'drop': {partial!r}")
        cycle_days = int(cycle_days)
        left = self.n_days % cycle_days
        if left and partial == "error":
            raise InvalidValueError(
                f"'cycle_days' {cycle_days} does not divide the panel's {self.n_days} days: "
                f"the last cycle would have {left} days; pass partial='keep' or partial='drop'"
            )
        stop = self.n_days - left if partial == "drop" else self.n_days
        return tuple(
            Panel._trusted(
                self.stores,
                self.brands,
                self.start + dt.timedelta(days=d0),
                self.sales[:, :, d0 : d0 + cycle_days],
                self.inventory[:, :, d0 : d0 + cycle_days],
                self._whole_max,
            )
            for d0 in range(0, stop, cycle_days)
        )

    # ----------------------------------------------------------------- metrics

    def metrics(
        self,
        *,
        token_stock: ArrayLike = 0,
        exclude: ArrayLike | None = None,
        fallback_daily_rate: ArrayLike | None = None,
        workers: int = 1,
    ) -> PanelMetrics:
        """The cycle metrics of every store × brand over the panel's days, in one pass.

        Parameters
        ----------
        token_stock : array_like, optional
            Stock at or below which a day without sales counts as a stockout
            (刻意留有库存) [cartons]; >= 0; broadcast against (stores, brands,
            days), e.g. ``tokens[:, None, None]`` for one value per store.
            Default 0.
        exclude : array_like of bool, optional
            True on days not counted (holidays, closures, data holes),
            broadcast against (stores, brands, days); :meth:`day_mask` builds
            one from dates.
        fallback_daily_rate : array_like, optional
            Daily rate [cartons/day] valuing the stockout days of a series
            without any effective day; broadcast against (stores, brands).
        workers : int, optional
            Threads to use (default 1).  The results do not depend on it.

        Returns
        -------
        PanelMetrics
            Arrays shaped (stores, brands), equal to what
            :func:`~tobacco_metrics.cycle_metrics` returns for the same arrays.

        Raises
        ------
        EmptyInputError
            Every day of some store × brand excluded.
        InvalidValueError, ShapeMismatchError
            Bad options, as for :func:`~tobacco_metrics.cycle_metrics`.

        Notes
        -----
        One pass over the panel, in chunks of stores that stay in cache: the
        peak extra memory is the results (48 bytes a series) plus a few MiB.

        Examples
        --------
        >>> panel = Panel(["C001"], ["B"], "2026-03-02",
        ...               [[[6, 8, 0, 5, 0, 7, 4]]], [[[20, 12, 0, 25, 0, 18, 14]]])
        >>> m = panel.metrics()
        >>> float(m.projected_stockout_sales[0, 0]), round(float(m.fulfilment_ratio[0, 0]), 3)
        (12.0, 0.714)
        """
        outputs = _panel_kernel(
            self.sales,
            self.inventory,
            token_stock=token_stock,
            exclude=exclude,
            fallback_daily_rate=fallback_daily_rate,
            workers=workers,
            describe_series=self._describe_series,
            whole_max=self._whole_max,
        )
        return PanelMetrics._from_outputs(self.stores, self.brands, self.start, self.end, outputs)

    # ----------------------------------------------------------------- round trips

    def to_long(self) -> dict[str, NDArray[Any]]:
        """The panel as long-table columns (store, brand, date, sales, inventory), sorted.

        ``Panel.from_long(**panel.to_long())`` gives the panel back.

        Examples
        --------
        >>> panel = Panel(["C001"], ["B"], "2026-03-02", [[[1, 0]]], [[[3, 3]]])
        >>> {name: column.tolist() for name, column in panel.to_long().items()}
        {'store': ['C001', 'C001'], 'brand': ['B', 'B'],
         'date': [datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)],
         'sales': [1, 0], 'inventory': [3, 3]}
        """
        n_stores, n_brands, n_days = self.shape
        stores = np.fromiter(self.stores, dtype=object, count=n_stores)
        brands = np.fromiter(self.brands, dtype=object, count=n_brands)
        first = np.datetime64(self.start, "D")
        dates = first + np.arange(n_days)
        return {
            "store": np.repeat(stores, n_brands * n_days),
            "brand": np.tile(np.repeat(brands, n_days), n_stores),
            "date": np.tile(dates, n_stores * n_brands),
            "sales": self.sales.reshape(-1).copy(),
            "inventory": self.inventory.reshape(-1).copy(),
        }

    def to_dict(self) -> dict[str, Any]:
        """The panel as a JSON-friendly dict (ISO start, nested lists); ``from_dict`` reads it."""
        return {
            "stores": list(self.stores),
            "brands": list(self.brands),
            "start": self.start.isoformat(),
            "sales": self.sales.tolist(),
            "inventory": self.inventory.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Panel:
        """Build a panel from a dict such as :meth:`to_dict` returns."""
        cv.check_known_keys(cls, data)
        return cls(**data)


# --------------------------------------------------------------------------- results


def _records(
    key_names: Sequence[str],
    keys: Sequence[Sequence[Any]],
    start: dt.date,
    end: dt.date,
    columns: dict[str, NDArray[Any]],
) -> list[dict[str, Any]]:
    names = [*key_names, "start", "end", *columns]
    plain = [column.reshape(-1).tolist() for column in columns.values()]
    start_text, end_text = start.isoformat(), end.isoformat()
    return [
        dict(zip(names, (*key, start_text, end_text, *values), strict=True))
        for key, values in zip(zip(*keys, strict=True), zip(*plain, strict=True), strict=True)
    ]


def _label_index(labels: tuple[Any, ...], name: str) -> pd.Index:
    import pandas as pd

    index: pd.Index = pd.Index(list(labels), name=name, tupleize_cols=False)
    return index


@attrs.frozen(eq=False, repr=False)
class PanelMetrics:
    """The cycle metrics of every store × brand of a panel, as :meth:`Panel.metrics` returns them.

    Every array is read-only, shaped (stores, brands); the fields mean what
    they mean in :class:`~tobacco_metrics.CycleMetrics`.

    Attributes
    ----------
    stores, brands : tuple
        The labels of the two axes.
    start, end : datetime.date
        The first and last day of the period (a cycle, or the whole panel).
    days : ndarray of int64
        Counted days D [days] (a broadcast view when every series counts the same days).
    stockout_days : ndarray of int64
        S (脱销天数) [days].
    actual_sales : ndarray of float64
        A (实际销售) [cartons].
    projected_stockout_sales : ndarray of float64
        P (预计脱销销售) [cartons]; NaN when E == 0 without a fallback rate.
    fulfilment_ratio : ndarray of float64
        F = A / (A + P) (销售满足度); 1.0 when P == 0.
    stock_to_sales_ratio : ndarray of float64
        存销比 [days]; 0.0 without stock, +inf with stock and no sales.
    closing_inventory : ndarray of float64
        Stock at the end of the last counted day [cartons].
    effective_days, average_daily_sales : ndarray
        E = D − S and A / D, computed when asked for.
    """

    stores: tuple[Label, ...]
    brands: tuple[Label, ...]
    start: dt.date
    end: dt.date
    days: IntArray = attrs.field(converter=_frozen_array)
    stockout_days: IntArray = attrs.field(converter=_frozen_array)
    actual_sales: FloatArray = attrs.field(converter=_frozen_array)
    projected_stockout_sales: FloatArray = attrs.field(converter=_frozen_array)
    fulfilment_ratio: FloatArray = attrs.field(converter=_frozen_array)
    stock_to_sales_ratio: FloatArray = attrs.field(converter=_frozen_array)
    closing_inventory: FloatArray = attrs.field(converter=_frozen_array)

    @classmethod
    def _from_outputs(
        cls,
        stores: tuple[Label, ...],
        brands: tuple[Label, ...],
        start: dt.date,
        end: dt.date,
        outputs: _Outputs,
    ) -> PanelMetrics:
        return cls(stores, brands, start, end, **attrs.asdict(outputs, recurse=False))

    def __repr__(self) -> str:
        return (
            f"PanelMetrics({len(self.stores)} stores × {len(self.brands)} brands, "
            f"{self.start.isoformat()} to {self.end.isoformat()})"
        )

    @property
    def effective_days(self) -> IntArray:
        """E = D − S (有效销售天数) [days]."""
        return _read_only(np.asarray(self.days - self.stockout_days, dtype=np.int64))

    @property
    def average_daily_sales(self) -> FloatArray:
        """A / D [cartons/day]."""
        return _read_only(self.actual_sales / self.days)

    def to_cycle_metrics(self) -> CycleMetrics:
        """The same numbers as a :class:`~tobacco_metrics.CycleMetrics` (arrays, no labels)."""
        return CycleMetrics(**{name: getattr(self, name) for name in CYCLE_METRIC_FIELDS})

    def _columns(self) -> dict[str, NDArray[Any]]:
        return {name: np.asarray(getattr(self, name)) for name in CYCLE_METRIC_FIELDS}

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per store × brand (stores first), for an ERP: labels, dates, metrics.

        Keys: ``store``, ``brand``, ``start`` and ``end`` (ISO dates), then the
        metrics of :class:`~tobacco_metrics.CycleMetrics` as Python ints and
        floats (NaN and inf as float).

        Examples
        --------
        >>> panel = Panel(["C001"], ["B"], "2026-03-02", [[[3, 0]]], [[[2, 0]]])
        >>> record = panel.metrics().to_records()[0]
        >>> record["store"], record["end"], record["stockout_days"], record["fulfilment_ratio"]
        ('C001', '2026-03-03', 1, 0.5)
        """
        n_stores, n_brands = len(self.stores), len(self.brands)
        store_keys = [s for s in self.stores for _ in range(n_brands)]
        brand_keys = list(self.brands) * n_stores
        return _records(
            ("store", "brand"), (store_keys, brand_keys), self.start, self.end, self._columns()
        )

    def to_frame(self) -> pd.DataFrame:
        """The metrics as a pandas DataFrame indexed by (store, brand) (needs pandas).

        One column per metric; the period is in ``frame.attrs["start"]`` and
        ``frame.attrs["end"]``.
        """
        import pandas as pd

        index = pd.MultiIndex.from_product(
            [_label_index(self.stores, "store"), _label_index(self.brands, "brand")]
        )
        frame: pd.DataFrame = pd.DataFrame(
            {name: column.reshape(-1) for name, column in self._columns().items()}, index=index
        )
        frame.attrs.update(start=self.start, end=self.end)
        return frame

    def pooled_fulfilment_ratio(self, axis: int | None = None) -> FloatResult:
        """ΣA / (ΣA + ΣP) over ``axis`` (0: stores, 1: brands, None: all)."""
        return pooled_fulfilment_ratio(self.actual_sales, self.projected_stockout_sales, axis=axis)

    def _pooled(self, by: Literal["store", "brand"]) -> PooledMetrics:
        axis = 1 if by == "store" else 0
        labels = self.stores if by == "store" else self.brands
        closing = np.sum(self.closing_inventory, axis=axis, dtype=np.float64)
        daily = np.sum(self.average_daily_sales, axis=axis, dtype=np.float64)
        return PooledMetrics(
            by=by,
            labels=labels,
            start=self.start,
            end=self.end,
            days=np.sum(self.days, axis=axis, dtype=np.int64),
            stockout_days=np.sum(self.stockout_days, axis=axis, dtype=np.int64),
            actual_sales=np.sum(self.actual_sales, axis=axis, dtype=np.float64),
            projected_stockout_sales=np.sum(
                self.projected_stockout_sales, axis=axis, dtype=np.float64
            ),
            fulfilment_ratio=np.asarray(self.pooled_fulfilment_ratio(axis=axis)),
            stock_to_sales_ratio=np.asarray(stock_to_sales_ratio(closing, daily)),
            closing_inventory=closing,
            average_daily_sales=daily,
        )

    def by_store(self) -> PooledMetrics:
        """Pool each store's brands: sums, and F = ΣA / (ΣA + ΣP), never a mean of ratios.

        Examples
        --------
        >>> panel = Panel(["C001"], ["small", "big"], "2026-03-02",
        ...               [[[1, 0], [100, 100]]], [[[0, 0], [5, 5]]])
        >>> m = panel.metrics()
        >>> m.fulfilment_ratio.tolist()
        [[0.5, 1.0]]
        >>> round(float(m.by_store().fulfilment_ratio[0]), 4)  # not the mean 0.75
        0.995
        """
        return self._pooled("store")

    def by_brand(self) -> PooledMetrics:
        """Pool each brand over the stores: sums, and F = ΣA / (ΣA + ΣP)."""
        return self._pooled("brand")


@attrs.frozen(eq=False, repr=False)
class PooledMetrics:
    """Metrics pooled per store (over its brands) or per brand (over the stores).

    Attributes
    ----------
    by : {'store', 'brand'}
        What each entry is.
    labels : tuple
        The stores or brands.
    start, end : datetime.date
        The period.
    days, stockout_days : ndarray of int64
        Σ counted days and Σ stockout days over the pooled series [series-days].
    actual_sales, projected_stockout_sales : ndarray of float64
        ΣA and ΣP [cartons]; ΣP is NaN if any P is.
    fulfilment_ratio : ndarray of float64
        ΣA / (ΣA + ΣP) (pooled 销售满足度); 1.0 when ΣP == 0.
    closing_inventory, average_daily_sales : ndarray of float64
        Σ closing stock [cartons] and Σ average daily sales [cartons/day].
    stock_to_sales_ratio : ndarray of float64
        Σ closing stock / Σ average daily sales [days] (0.0 / +inf rules as usual).
    """

    by: Literal["store", "brand"]
    labels: tuple[Label, ...]
    start: dt.date
    end: dt.date
    days: IntArray = attrs.field(converter=_frozen_array)
    stockout_days: IntArray = attrs.field(converter=_frozen_array)
    actual_sales: FloatArray = attrs.field(converter=_frozen_array)
    projected_stockout_sales: FloatArray = attrs.field(converter=_frozen_array)
    fulfilment_ratio: FloatArray = attrs.field(converter=_frozen_array)
    stock_to_sales_ratio: FloatArray = attrs.field(converter=_frozen_array)
    closing_inventory: FloatArray = attrs.field(converter=_frozen_array)
    average_daily_sales: FloatArray = attrs.field(converter=_frozen_array)

    def __repr__(self) -> str:
        return f"PooledMetrics(by {self.by}, {len(self.labels)} {self.by}s)"

    @property
    def effective_days(self) -> IntArray:
        """Σ effective days = Σ D − Σ S."""
        return _read_only(np.asarray(self.days - self.stockout_days, dtype=np.int64))

    def _columns(self) -> dict[str, NDArray[Any]]:
        return {name: np.asarray(getattr(self, name)) for name in CYCLE_METRIC_FIELDS}

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per store (or brand): the label under ``by``, the period, the pooled metrics."""
        return _records((self.by,), (self.labels,), self.start, self.end, self._columns())

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame indexed by store (or brand), one column per pooled metric."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            self._columns(), index=_label_index(self.labels, self.by)
        )
        frame.attrs.update(start=self.start, end=self.end)
        return frame
