"""The chunked kernel behind :meth:`Panel.metrics` and :mod:`tobacco_metrics.dask` (private).

The panel is cut into chunks of stores (and brands) small enough to stay in
the CPU cache while every per-day quantity is derived from them (stockout
flags, Σ sales, closing stock); each block of series is then finished by the
per-cycle rules of :mod:`tobacco_metrics._cycle`, the same functions
:func:`~tobacco_metrics.cycle_metrics` calls.  No temporary as large as the
panel is made, no float64 copy of a float32 panel either.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _cycle
from tobacco_metrics._results import seal
from tobacco_metrics._typing import FloatArray, IntArray
from tobacco_metrics._validation import (
    bool_mask,
    broadcast_to_shape,
    finite_non_negative_high,
    format_position,
    overflow_guard,
    quantities,
)
from tobacco_metrics.errors import EmptyInputError, InvalidValueError

__all__ = [
    "Describe",
    "count_phrase",
    "exact_threshold",
    "panel_kernel",
    "scan_checks",
]

Describe = Callable[[tuple[int, ...]], str]


# Cells of one chunk: the float32 sales and inventory of a chunk (2 MiB each) and
# its two boolean masks stay in the L2/L3 caches while every per-day quantity is
# derived from them, and numpy's cost per call is spread over enough cells.
CHUNK_CELLS = 1 << 19
CHUNK_CELLS_MIN = 1 << 15
# Cells of one block: the unit handed to a worker thread and the span over which
# the per-series formulas (P, F, days of cover) are finished, in temporaries of
# a few hundred KiB.
BLOCK_CELLS = 1 << 20
# Counts of up to 255 days are summed in uint8 (exact).
_UINT8_DAYS = 255


def count_phrase(count: int, what: str = "such values") -> str:
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


def scan_checks(
    array: NDArray[Any],
    name: str,
    describe: Describe,
    *,
    whole: bool = False,
    max_cells: int = CHUNK_CELLS,
) -> tuple[float | None, bool]:
    """Check that every value is finite and >= 0, chunk by chunk; raise InvalidValueError if not.

    The clean case costs one pass per chunk while it is in cache.  With
    ``whole``, also test whether every value is a whole number; the first item
    is the largest value if so (None otherwise): the kernel then knows that
    sums of these values are exact in any order.  The second item is True
    when every value of an integer array, or every chunk of a float array,
    passed the one-pass unsigned check: the values' bits are then zero
    exactly where the values are 0, which lets the kernel test "no sales and
    no stock" in one pass.  False means "not known".
    """
    kind = array.dtype.kind
    is_whole = whole
    signless = True
    largest = 0.0
    work: NDArray[Any] = np.empty(0, dtype=array.dtype)
    same: NDArray[np.bool_] = np.empty(0, dtype=np.bool_)
    if is_whole and kind == "f":  # the largest piece's cells (whole rows of a strided view)
        cells = max((chunk.size for _, chunk in _pieces(array, max_cells)), default=0)
        work, same = _carve([(cells, array.dtype), (cells, np.dtype(np.bool_))], "scan")
    for _, chunk in _pieces(array, max_cells):
        if chunk.size == 0:
            continue
        high = finite_non_negative_high(chunk)  # one pass; None when it cannot tell
        if high is None:
            signless = kind in "iu"  # a float -0.0 (or a dtype the unsigned check skips)
            high = chunk.max()
            if kind != "u":
                low = chunk.min()
                if not (low >= 0 and high < np.inf):  # NaN fails both tests
                    _raise_bad_values(array, name, describe, max_cells)
        largest = max(largest, float(high))
        if is_whole and kind == "f":
            rounded = np.rint(chunk, out=work[: chunk.size].reshape(chunk.shape))
            is_whole = bool(
                np.equal(rounded, chunk, out=same[: chunk.size].reshape(chunk.shape)).all()
            )
    return (largest if is_whole else None), signless


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
                f"{name!r} must be {expected}: {first[1]} at {describe(index)}{count_phrase(count)}"
            )
    raise AssertionError("unreachable: a chunk failed the check")  # pragma: no cover


# --------------------------------------------------------------------------- the kernel


def exact_threshold(token: NDArray[Any], dtype: np.dtype[Any]) -> NDArray[Any] | None:
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
    # A stockout is "no sales and no stock" (token 0, no day excluded) and both arrays have
    # unsigned bits of one width that are zero exactly where the value is 0: one pass.
    bits: np.dtype[Any] | None
    rules: bool = True  # finish each block by the per-series rules (else D, S, A, closing only)


def _options(
    shape: tuple[int, int, int],
    sales_dtype: np.dtype[Any],
    inventory_dtype: np.dtype[Any],
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    fallback_daily_rate: ArrayLike | None,
    describe_series: Describe,
    whole_max: float | None,
    signless: bool,
    carried: NDArray[np.bool_] | None = None,
) -> _Options:
    n_stores, n_brands, n_days = shape
    token = quantities(token_stock, "token_stock")
    broadcast_to_shape(token, shape, "token_stock")  # the shape check
    threshold: Any = None
    token_view: NDArray[Any] | None = None
    small = token.size <= max(n_stores * n_brands, 1)
    exact = exact_threshold(token, inventory_dtype) if small else None
    if exact is not None and exact.size == 1:
        threshold = exact.reshape(())[()]
    elif exact is not None:
        token_view = np.broadcast_to(exact, shape)
    else:
        token_view = np.broadcast_to(token, shape)

    exclude_view, days = _counted_days(exclude, shape, describe_series, carried)
    fallback = _cycle.fallback_rates(fallback_daily_rate)
    fallback_view = None
    if fallback is not None:
        fallback_view = broadcast_to_shape(fallback, (n_stores, n_brands), "fallback_daily_rate")
    bound = _EXACT_BOUND.get(sales_dtype)
    bits = _one_pass_bits(sales_dtype, inventory_dtype, exclude is None, threshold, signless)
    return _Options(
        shape=shape,
        threshold=threshold,
        token=token_view,
        exclude=exclude_view,
        days=days,
        fallback=fallback_view,
        constant_days=np.float64(n_days) if exclude is None else None,
        exact_sums=bound is not None and whole_max is not None and whole_max * n_days < bound,
        bits=bits,
    )


def _counted_days(
    exclude: ArrayLike | None,
    shape: tuple[int, int, int],
    describe_series: Describe,
    carried: NDArray[np.bool_] | None,
) -> tuple[NDArray[np.bool_] | None, IntArray]:
    """The excluded days as an (S, B, D) view (None: none) and each series' counted days.

    A carried series with every day excluded is an EmptyInputError; one not
    carried is left out of everything, its exclusions too.
    """
    n_stores, n_brands, n_days = shape
    if exclude is None:
        return None, np.broadcast_to(seal(np.asarray(n_days, dtype=np.int64)), (n_stores, n_brands))
    excluded = bool_mask(exclude, "exclude")
    exclude_view = broadcast_to_shape(excluded, shape, "exclude")
    padded: tuple[int, ...] = (1,) * (3 - excluded.ndim) + tuple(excluded.shape)
    base: NDArray[np.bool_] = excluded.reshape(padded)
    if base.shape[-1] == 1:
        counted = np.where(base[..., 0], 0, n_days).astype(np.int64)
    else:
        counted = n_days - np.count_nonzero(base, axis=-1).astype(np.int64)
    days: IntArray = np.broadcast_to(seal(counted), (n_stores, n_brands))
    empty = days == 0
    if carried is not None and empty.any():
        # A series not carried is blanked by the caller: it keeps its day count so
        # that its (discarded) arithmetic divides by no zero.
        days = seal(np.where(empty & ~carried, n_days, days))
        empty &= carried
    if empty.any():
        where = np.argwhere(empty)
        listed = "; ".join(describe_series(tuple(int(i) for i in row)) for row in where[:5])
        raise EmptyInputError(
            f"'exclude' excludes every day of {len(where)} store × brand series, "
            f"first {listed}: a cycle needs at least one counted day"
        )
    return exclude_view, days


def _one_pass_bits(
    sales_dtype: np.dtype[Any],
    inventory_dtype: np.dtype[Any],
    no_exclusions: bool,
    threshold: Any,
    signless: bool,
) -> np.dtype[Any] | None:
    """The unsigned dtype to test "no sales and no stock" in one pass on, or None.

    Only for token 0 without excluded days, sales and stock of one width whose
    bits are zero exactly where the value is 0 (integers, or floats without a
    -0.0: ``signless``).
    """
    zero_token = no_exclusions and threshold is not None and threshold == 0
    one_width = sales_dtype.itemsize == inventory_dtype.itemsize
    integers = sales_dtype.kind in "iu" and inventory_dtype.kind in "iu"
    return (
        np.dtype(f"u{sales_dtype.itemsize}")
        if zero_token and one_width and (signless or integers)
        else None
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
    call cycle_metrics makes (:func:`tobacco_metrics._cycle.day_sums`, which
    sums each series pairwise whatever the chunk's memory layout).
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
    _cycle.day_sums(sales, counted, out=out, work=work)


def _last_counted(
    inventory: NDArray[Any], counted: NDArray[np.bool_], shared: bool
) -> NDArray[Any]:
    """The stock of each series' last counted day (its last day when none is counted).

    ``shared``: every store's row of ``counted`` is the same (one calendar for
    the panel), so the last counted day is found on the first row only.
    """
    n_days = counted.shape[-1]
    if shared:
        last = n_days - 1 - np.argmax(counted[0, :, ::-1], axis=-1)
        return inventory[:, np.arange(counted.shape[1]), last]
    last = n_days - 1 - np.argmax(counted[..., ::-1], axis=-1)
    return np.take_along_axis(inventory, last[..., np.newaxis], axis=-1)[..., 0]


def _stockout_counts(flags: NDArray[np.bool_], out: IntArray) -> None:
    """Count True along the last axis into ``out`` (int64)."""
    n_days = flags.shape[-1]
    if n_days <= _UINT8_DAYS:
        out[...] = np.einsum("ijk->ij", flags.view(np.uint8))
    else:
        out[...] = 0
        for d0 in range(0, n_days, _UINT8_DAYS):
            out += np.einsum("ijk->ij", flags[..., d0 : d0 + _UINT8_DAYS].view(np.uint8))


# The kernel's results: one (stores, brands) array per metric the kernel computes.
Outputs = dict[str, NDArray[Any]]


@attrs.frozen
class _Scratch:
    """One worker's chunk buffers, allocated once per call and reused for every chunk."""

    flags: NDArray[np.bool_]
    low: NDArray[np.bool_]
    work: NDArray[Any]
    counted: NDArray[np.bool_]
    rules: _cycle.Scratch  # the block-sized buffers of the per-series rules

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
            ],
            "kernel",
        )
        stockouts, effective, total, work, flags, low, counted, selling, mask = views
        rules = _cycle.Scratch(stockouts, effective, total, selling, mask)
        return cls(flags=flags, low=low, work=work, counted=counted, rules=rules)


def _carve(
    parts: Sequence[tuple[int, np.dtype[Any]]], kept: str | None = None
) -> list[NDArray[Any]]:
    """1-D arrays of the given lengths and dtypes, carved from one allocation.

    One large allocation instead of many: the operating system maps it in a few
    (huge) pages, where separate arrays of a few MiB each would be faulted in
    4 KiB at a time on every call.  With ``kept`` (scratch space only, never a
    result), the allocation is the calling thread's buffer of that name, kept
    for the next call: see :func:`_kept_buffer`.
    """
    offsets = []
    size = 0
    for length, dtype in parts:
        size = -(-size // 8) * 8  # keep every part 8-byte aligned
        offsets.append(size)
        size += length * dtype.itemsize
    buffer = np.empty(size, dtype=np.uint8) if kept is None else _kept_buffer(kept, size)
    return [
        buffer[offset : offset + length * dtype.itemsize].view(dtype)
        for offset, (length, dtype) in zip(offsets, parts, strict=True)
    ]


# Each thread's scratch buffers, kept between calls (a few MiB a thread at most).
_KEPT = threading.local()
_KEPT_BYTES = 1 << 25


def _kept_buffer(name: str, size: int) -> NDArray[np.uint8]:
    """``size`` bytes of the calling thread's buffer ``name``, grown when too small.

    A buffer of a few MiB allocated afresh on every call is mapped afresh by
    the operating system and costs one page fault per 4 KiB written, where the
    C allocator hands large blocks back at once: Dask's worker processes set
    ``MALLOC_TRIM_THRESHOLD_``, which does that, and the faults made the
    kernel 1.5× slower there (about 2,000 faults for a block of 4 M cells).
    A thread never runs two kernels at once, so its buffers are free again
    when a call returns.
    """
    if size > _KEPT_BYTES:  # not kept: a rare shape should not hold memory for good
        return np.empty(size, dtype=np.uint8)
    buffers: dict[str, NDArray[np.uint8]] = _KEPT.__dict__.setdefault("buffers", {})
    buffer = buffers.get(name)
    if buffer is None or buffer.size < size:
        buffer = buffers[name] = np.empty(size, dtype=np.uint8)
    return buffer[:size]


def _block(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    options: _Options,
    out: Outputs,
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
        shared = False  # every store's excluded days the same (one calendar): a broadcast view
        if options.exclude is not None:
            shared = options.exclude[rows].strides[0] == 0
            counted = np.logical_not(
                options.exclude[rows], out=scratch.counted[:cells].reshape(chunk_shape)
            )
        _row_sums(
            sales_chunk,
            counted,
            scratch.work[:cells].reshape(chunk_shape) if scratch.work.size else scratch.work,
            low,
            out["actual_sales"][rows],
            options.exact_sums,
        )
        if options.bits is not None:  # days with sales or stock, then the others counted
            np.logical_or(
                sales_chunk.view(options.bits), inventory_chunk.view(options.bits), out=flags
            )
            out["closing_inventory"][rows] = inventory_chunk[..., -1]
            counts = out["stockout_days"][rows]
            _stockout_counts(flags, counts)
            np.subtract(n_days, counts, out=counts)
            continue
        np.equal(sales_chunk, 0, out=flags)
        if options.threshold is not None:
            np.less_equal(inventory_chunk, options.threshold, out=low)
        else:
            assert options.token is not None
            np.less_equal(inventory_chunk, options.token[rows], out=low)
        np.logical_and(flags, low, out=flags)
        if counted is None:
            out["closing_inventory"][rows] = inventory_chunk[..., -1]
        else:
            np.logical_and(flags, counted, out=flags)
            out["closing_inventory"][rows] = _last_counted(inventory_chunk, counted, shared)
        _stockout_counts(flags, out["stockout_days"][rows])
    if not options.rules:
        return
    block = (slice(s0, s1), slice(b0, b1))
    values: dict[str, Any] = {name: array[block] for name, array in out.items()}
    if options.constant_days is not None:
        values["days"] = options.constant_days
    fallback = None if options.fallback is None else options.fallback[block]
    _cycle.finish(values, fallback, scratch.rules)


def _chunk_cells(total_cells: int, n_days: int, workers: int) -> int:
    """Cells per chunk: large enough to amortise numpy's per-call cost, small beside the panel.

    Each worker holds about two bytes of buffers per chunk cell; the chunks of
    all workers together stay near 1/16 of the panel's cells.
    """
    return max(CHUNK_CELLS_MIN, min(CHUNK_CELLS, total_cells // (16 * workers)), n_days)


def _compute(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    options: _Options,
    workers: int,
    into: Outputs | None = None,
) -> Outputs:
    """Run the kernel over the panel; returns the read-only result arrays (stores × brands).

    With ``into`` (each kernel field's (stores, brands) array), the results are
    written there instead, and left writeable.
    """
    n_stores, n_brands, n_days = sales.shape
    series = n_stores * n_brands
    names = [name for name in _cycle.KERNEL_FIELDS if name != "days"]
    out: Outputs = {"days": options.days}
    if into is None:
        arrays = _carve([(series, _cycle.DTYPES[name]) for name in names])
        out.update(
            {name: a.reshape(n_stores, n_brands) for name, a in zip(names, arrays, strict=True)}
        )
    else:
        out.update({name: into[name] for name in names})
    chunk_cells = _chunk_cells(sales.size, n_days, workers)
    block_cells = max(chunk_cells, min(BLOCK_CELLS, sales.size // 8))
    blocks = list(_tiles(n_stores, n_brands, n_days, block_cells))
    block_rows = max(((s1 - s0) * (b1 - b0) for s0, s1, b0, b1 in blocks), default=0)
    workers = max(1, min(workers, len(blocks)))
    pending = iter(blocks)
    lock = threading.Lock()

    def next_block() -> tuple[int, int, int, int] | None:
        with lock:
            return next(pending, None)

    @overflow_guard  # in each worker thread: numpy's error state is per thread
    def work() -> None:
        scratch = _Scratch.allocate(chunk_cells, block_rows, sales.dtype, options)
        while (rect := next_block()) is not None:
            _block(sales, inventory, options, out, rect, scratch, chunk_cells)

    if workers == 1:
        work()
    else:
        pool = _thread_pool(workers)
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
    if into is not None:
        into["days"][...] = options.days
        return into
    for array in out.values():
        seal(array)
    return out


# One pool of threads for the whole process, created when first needed and kept:
# a pool made per call costs more than the work on small panels.
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
#: With workers="auto", panels of fewer cells than this run on the calling thread.
AUTO_CELLS = 1 << 22


def _thread_pool(workers: int) -> ThreadPoolExecutor:
    """The process's pool, grown (replaced) if it has fewer than ``workers`` threads."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._max_workers < workers:
            old = _POOL
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tobacco-metrics")
            if old is not None:
                old.shutdown(wait=False)
        return _POOL


def _check_workers(workers: int | Literal["auto"], cells: int) -> int:
    """The number of threads: ``workers`` checked, or for "auto" one per core above AUTO_CELLS."""
    if isinstance(workers, str) and workers == "auto":
        return 1 if cells < AUTO_CELLS else max(1, os.cpu_count() or 1)
    if isinstance(workers, (bool, np.bool_)) or not isinstance(workers, (int, np.integer)):
        raise TypeError(f"'workers' must be an int or 'auto', got {type(workers).__name__}")
    if workers < 1:
        raise InvalidValueError(f"'workers' must be >= 1: {workers}")
    return int(workers)


def panel_kernel(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    *,
    token_stock: ArrayLike = 0,
    exclude: ArrayLike | None = None,
    fallback_daily_rate: ArrayLike | None = None,
    workers: int | Literal["auto"] = 1,
    describe_series: Describe = format_position,
    whole_max: float | None = None,
    signless: bool = False,
    into: Outputs | None = None,
    carried: NDArray[np.bool_] | None = None,
    rules: bool = True,
) -> dict[str, NDArray[Any]]:
    """Every metric of validated (S, B, D) arrays (used by Panel.metrics and tobacco_metrics.dask).

    ``whole_max``: the largest sales value if every value is known to be whole
    (None: unknown, each chunk is tested).  ``signless``: no value of either
    array has its sign bit set (no -0.0; :func:`scan_checks` tells).  ``into``: each name of
    ``KERNEL_FIELDS`` mapped to a writeable (S, B) array of that field's dtype
    or of float64 (the day counts are whole, exact there); the kernel's fields
    are written there and ``into`` is returned, without the derived fields
    (tobacco_metrics.dask passes the planes of one (k, S, B) float64 array: a
    block's whole result in one allocation).  ``carried`` (S, B): False for the
    series not carried, whose figures the caller blanks (their exclusions are
    not refused).  ``rules=False``: only D, S, A and the closing
    stock are written, the fields of :data:`~tobacco_metrics._cycle.RULE_FIELDS`
    are left as they were in ``into`` (uninitialised without it: the caller
    applies the rules it needs, or reads only D, S, A, E and the closing stock).
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
        signless,
        carried,
    )
    if not rules:
        options = attrs.evolve(options, rules=False)
    outputs = _compute(sales, inventory, options, _check_workers(workers, sales.size), into)
    if into is not None:
        return into
    values = _cycle.derived(outputs)
    return {name: seal(np.asarray(value)) for name, value in values.items()}
