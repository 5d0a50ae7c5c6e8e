"""The evidence a quota review weighs, per series, from the figures of its cycles (private).

:func:`tobacco_metrics.quota_review` cuts its window into cycles and weighs,
per series: ΣA and ΣP over the unrationed cycles (their pooled fulfilment),
the mean days of cover over the cycles, and whether any cycle, or any
unrationed cycle, had a stockout day.  :func:`evidence` is that rule, written
once, over (series…, cycles) arrays of cycle metrics.

A large plain panel takes :func:`window_evidence` instead of
:func:`~tobacco_metrics.cycle_metrics` over the whole window: one pass of the
chunked kernel gives D, S, A and the closing stock of every cycle, a block of
series at a time (:func:`tobacco_metrics._chunked.cycle_sums`); the block's
seed rate, P (by :func:`~tobacco_metrics._cycle.projected_sales`, on the
cycles with a stockout day: it is 0 on the others) and days of cover (by
:func:`~tobacco_metrics._cycle.days_of_cover`) follow, then :func:`evidence`
on the block.  No per-cycle array of the whole panel is made, and the results
are the other path's, bit for bit (each series' sums are numpy's, see below).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from tobacco_metrics._chunked import Scan, cycle_sums, exact_totals
from tobacco_metrics._cycle import average_daily_sales, days_of_cover, projected_sales
from tobacco_metrics._daily import valid_day_rate
from tobacco_metrics._typing import FloatArray

__all__ = ["Evidence", "count_true", "evidence", "void_cycles", "window_evidence"]

_UINT8_COUNT = 255  # flags along an axis this long or shorter are counted in uint8


class Evidence(NamedTuple):
    """A quota review's figures per series (arrays over the series, or 0-d for one)."""

    actual: FloatArray  # ΣA over the unrationed cycles [cartons]
    projected: FloatArray  # ΣP over the unrationed cycles [cartons]
    cover: FloatArray  # mean days of cover over the cycles [days]
    any_stockout: NDArray[np.bool_]  # a stockout day in the window
    unrationed_stockout: NDArray[np.bool_]  # a stockout day in an unrationed cycle


def count_true(flags: NDArray[np.bool_]) -> NDArray[Any]:
    """The number of True along the last axis (an unsigned or int64 array)."""
    if flags.shape[-1] <= _UINT8_COUNT:
        return np.asarray(np.einsum("...j->...", np.ascontiguousarray(flags).view(np.uint8)))
    return np.asarray(np.count_nonzero(flags, axis=-1))


def void_cycles(excluded: NDArray[np.bool_], cycles: int) -> NDArray[np.bool_]:
    """(series…, cycles): True where every day of a cycle is excluded (a read-only view).

    ``excluded`` has the shape of the daily data, the day axis last holding
    ``cycles`` whole cycles.  A broadcast mask (one calendar for every series)
    is decided on its own values, once, not on every series.
    """
    base = excluded[tuple(slice(0, 1) if step == 0 else slice(None) for step in excluded.strides)]
    lead = excluded.shape[:-1]
    if base.shape[-1] == 1:  # one value for every day: the cycles follow it
        return np.broadcast_to(base, (*lead, cycles))
    counts = count_true(base.reshape(*base.shape[:-1], cycles, -1))
    return np.broadcast_to(counts == excluded.shape[-1] // cycles, (*lead, cycles))


# numpy's pairwise sum: runs this long or shorter are added in one loop of 8 partial sums
_PAIRWISE_BLOCK = 128


def row_sums(values: NDArray[Any]) -> FloatArray:
    """Σ over the last axis in float64, each row added as ``np.sum(axis=-1)`` adds it.

    numpy sums a row of a C-ordered float64 array pairwise from +0.0: runs
    under 8 terms one by one, runs up to 128 in 8 partial sums combined as
    ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) then the rest one by
    one, longer runs split in two (a multiple of 8 first).  The same
    additions here run a column at a time over all the rows, not a row at a
    time: the same bits (a test compares them with numpy's), without numpy's
    per-row cost, which dominates rows as short as a window's cycles.
    """
    array = np.asarray(values, dtype=np.float64)
    columns = np.moveaxis(array.reshape(-1, array.shape[-1]), -1, 0)
    total = _pairwise(columns, 0, columns.shape[0])
    return np.add(0.0, total, out=total).reshape(array.shape[:-1])


def _pairwise(columns: FloatArray, start: int, n: int) -> FloatArray:
    """numpy's pairwise sum of ``columns[start:start + n]`` (a new array)."""
    if n < 8:
        total: FloatArray = np.add(0.0, columns[start])
        for index in range(start + 1, start + n):
            np.add(total, columns[index], out=total)
        return total
    if n <= _PAIRWISE_BLOCK:
        whole = start + n - n % 8
        # the 8 partial sums start at the first 8 terms (read, not copied)
        partial = [columns[start + j] for j in range(8)]
        if whole > start + 8:
            partial = [np.add(partial[j], columns[start + 8 + j]) for j in range(8)]
            for first in range(start + 16, whole, 8):
                for j in range(8):
                    np.add(partial[j], columns[first + j], out=partial[j])
        pairs = [np.add(partial[j], partial[j + 1]) for j in (0, 2, 4, 6)]
        np.add(pairs[0], pairs[1], out=pairs[0])
        np.add(pairs[2], pairs[3], out=pairs[2])
        total = pairs[0]
        np.add(total, pairs[2], out=total)
        for index in range(whole, start + n):
            np.add(total, columns[index], out=total)
        return total
    half = n // 2
    half -= half % 8
    first_half = _pairwise(columns, start, half)
    np.add(first_half, _pairwise(columns, start + half, n - half), out=first_half)
    return first_half


def evidence(
    actual: FloatArray,
    projected: FloatArray,
    cover: FloatArray,
    stockouts: NDArray[Any],
    unrationed: NDArray[np.bool_] | None,
    void: NDArray[np.bool_] | None = None,
) -> Evidence:
    """The review's figures per series from its cycles' A, P, days of cover and stockout days.

    The last axis of each array is the cycle.  ``unrationed`` is None when no
    cycle was rationed.  Each sum is :func:`row_sums` (numpy's ``sum``); the
    mean of the days of cover is numpy's ``mean``: that sum divided by the
    number of cycles.  ``void`` marks the cycles whose every day was excluded
    (holidays): no evidence at all — left out of every sum, of the stockouts
    and of the mean cover (NaN when every cycle is void).
    """
    if void is not None:
        unrationed = ~void if unrationed is None else unrationed & ~void
    if unrationed is None:
        actual_terms, projected_terms = actual, projected
    else:
        actual_terms = np.where(unrationed, actual, 0.0)
        projected_terms = np.where(unrationed, projected, 0.0)
    stocked_out = np.asarray(stockouts) > 0
    if void is None:
        mean_cover = np.true_divide(row_sums(cover), cover.shape[-1])
    else:
        stocked_out &= ~void
        kept = np.asarray(count_true(~void), dtype=np.float64)
        mean_cover = np.divide(
            row_sums(np.where(void, 0.0, cover)),
            kept,
            out=np.full(kept.shape, np.nan),
            where=kept > 0,
        )
    any_stockout = np.any(stocked_out, axis=-1)
    return Evidence(
        actual=row_sums(actual_terms),
        projected=row_sums(projected_terms),
        cover=mean_cover,
        any_stockout=any_stockout,
        unrationed_stockout=(
            any_stockout if unrationed is None else np.any(stocked_out & unrationed, axis=-1)
        ),
    )


def window_evidence(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    token: NDArray[Any],
    length: int,
    scan: Scan,
    rationed: NDArray[np.bool_] | None,
    rate: FloatArray | None,
    out: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
) -> tuple[FloatArray, Evidence] | None:
    """The daily rate and :func:`evidence` of each series of a large panel, in one pass.

    ``sales``, ``inventory`` as :func:`~tobacco_metrics._chunked.scanned_daily`
    took them, with ``scan`` its result; whole cycles of ``length`` days;
    ``token`` broadcast to their shape; ``rationed`` (series…, cycles) or None.
    ``rate``: the daily demand per series (series…), or None for the seed
    rate, Σ sales on the valid days / their number, taken from the cycles'
    totals (exact sums only: None is returned for other sales, as when the
    kernel does not take the values).  Results over the series (shaped as
    the leading axes of ``sales``).  P is
    valued at the rate (0 without one) on a cycle without an effective day.
    ``out``: the excluded days and the void cycles (every day excluded), as
    :func:`evidence` takes them: a void cycle is no evidence, nor part of the rate.
    """
    exact = exact_totals(scan, sales)
    if rate is None and not exact:
        return None
    blocks = cycle_sums(sales, inventory, token, length, scan, out)
    if blocks is None:
        return None
    series = sales.size // sales.shape[-1]
    cycles = sales.shape[-1] // length
    rates = _flat_rates(rate, series)
    flat_rationed = _by_series(rationed, series, cycles)
    flat_void = _by_series(None if out is None else out[1], series, cycles)
    parts = _evidence_arrays(series)
    scratch: dict[str, Any] = {}
    for first, end, sums in blocks:
        if not scratch:  # the first block is the largest; cycle-major as the kernel's figures
            scratch = _scratch_buffers(cycles, end - first)
        unrationed, void = _block_masks(flat_rationed, flat_void, first, end)
        if rate is None:  # the seed rate: whole sales, so the cycles' totals are the window's
            rates[first:end] = _seed_rate(
                sums["actual_sales"], sums["stockout_days"], sums["days"], void, sales.shape[-1]
            )
        found = _block_evidence(sums, rates[first:end], scratch, unrationed, void)
        for part, value in zip(parts, found, strict=True):
            part[first:end] = value
    lead = sales.shape[:-1]
    return rates.reshape(lead), Evidence._make(part.reshape(lead) for part in parts)


def _flat_rates(rate: FloatArray | None, series: int) -> FloatArray:
    """The daily rate per series as a flat float64 array; without ``rate`` an empty one,
    for the seed rates each block fills."""
    return np.empty(series) if rate is None else np.asarray(rate, dtype=np.float64).reshape(-1)


def _by_series(
    flags: NDArray[np.bool_] | None, series: int, cycles: int
) -> NDArray[np.bool_] | None:
    """(series…, cycles) flags as (series, cycles); None for None."""
    return None if flags is None else flags.reshape(series, cycles)


def _evidence_arrays(series: int) -> list[NDArray[Any]]:
    """Empty arrays over the series for the fields of :class:`Evidence`, in order: three of
    figures (float64), two of flags (bool)."""
    figures = [np.empty(series) for _ in range(3)]
    flags = [np.empty(series, dtype=np.bool_) for _ in range(2)]
    return [*figures, *flags]


def _block_masks(
    flat_rationed: NDArray[np.bool_] | None,
    flat_void: NDArray[np.bool_] | None,
    first: int,
    end: int,
) -> tuple[NDArray[np.bool_] | None, NDArray[np.bool_] | None]:
    """The unrationed and the void cycles of the series ``first:end``, cycle-major as the
    kernel's figures of a block (None where the window has none)."""
    unrationed = None if flat_rationed is None else _cycle_major(~flat_rationed[first:end])
    void = None if flat_void is None else _cycle_major(flat_void[first:end])
    return unrationed, void


def _scratch_buffers(cycles: int, rows: int) -> dict[str, Any]:
    """Work arrays (cycles, rows) for :func:`_block_evidence`: P, days of cover and E
    (float), and two masks (bool)."""
    return {
        name: np.empty((cycles, rows), dtype=dtype)
        for name, dtype in (("p", float), ("c", float), ("e", float), ("m", bool), ("n", bool))
    }


def _block_evidence(
    sums: Mapping[str, NDArray[Any]],
    block_rate: FloatArray,
    scratch: Mapping[str, NDArray[Any]],
    unrationed: NDArray[np.bool_] | None,
    void: NDArray[np.bool_] | None,
) -> Evidence:
    """:func:`evidence` of one block of series from its (cycles, series) sums: P valued at
    ``block_rate`` (0 where NaN) and the days of cover, computed in the ``scratch`` buffers
    (of :func:`_scratch_buffers`, at least as many rows as the block)."""
    actual, stockouts, days = sums["actual_sales"], sums["stockout_days"], sums["days"]
    lay = {name: buffer[:, : actual.shape[-1]] for name, buffer in scratch.items()}
    effective = np.subtract(days, stockouts, out=lay["e"])
    projected = projected_sales(
        actual,
        effective,
        stockouts,
        np.where(np.isnan(block_rate), 0.0, block_rate),
        out=lay["p"],
        work=effective,
        mask=lay["m"],
    )
    average = average_daily_sales(actual, days, out=lay["e"])  # E is used up
    cover = days_of_cover(
        sums["closing_inventory"],
        average,
        out=lay["c"],
        work=average,
        mask=lay["m"],
        stocked=lay["n"],
    )
    return evidence(actual.T, projected.T, cover.T, stockouts.T, unrationed, void)


def _cycle_major(flags: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(series, cycles) flags laid out cycle by cycle, as the kernel's figures of a block are.

    numpy combines arrays of one memory layout in one fast loop; a C-ordered
    mask beside the transposed figures would be read across rows.
    """
    laid_out: NDArray[np.bool_] = np.ascontiguousarray(flags.T).T
    return laid_out


def _seed_rate(
    actual: FloatArray,
    stockouts: FloatArray,
    days: FloatArray,
    void: NDArray[np.bool_] | None,
    n_days: int,
) -> FloatArray:
    """Σ sales on the valid days / their number, from (cycles, series) sums of whole sales.

    The valid days are the counted days that are no stockout: ``n_days`` − ΣS
    without exclusions, Σ(D − S) over the cycles that are not void with them
    (a void cycle counts its days but none is valid; it sold nothing counted).
    """
    # Whole numbers below 2**53: every order of the additions gives the same sums.
    total = np.add(0.0, np.add.reduce(actual, axis=0))
    if void is None:
        return valid_day_rate(total, n_days - np.add.reduce(stockouts, axis=0))
    valid = np.subtract(days, stockouts)
    np.putmask(valid, void.T, 0.0)
    return valid_day_rate(total, np.add.reduce(valid, axis=0))
