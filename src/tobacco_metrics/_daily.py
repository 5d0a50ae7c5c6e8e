"""Validated daily data shared by the stock and demand formulas (private).

``sales[d]`` and ``inventory[d]`` are the quantity sold on day *d* and the
closing stock at its end; the day axis is moved last (a view, never a copy).
The stockout rule of ``docs/formulas/stock.md`` is written here once:
a day is a stockout day iff it is counted, nothing sold and the closing stock
is at or below the token stock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics._typing import FloatArray, IntArray
from tobacco_metrics._validation import (
    aligned,
    bool_mask,
    broadcast_to_shape,
    daily_axis,
    format_position,
    library_of,
    normalize_axis,
    quantities,
    require_days,
    require_dimension,
    same_shape,
)
from tobacco_metrics.errors import EmptyInputError

__all__ = [
    "DailyData",
    "counted_days",
    "daily_data",
    "masked_as_excluded",
    "masked_days",
    "paired_daily",
    "stockout_counts",
    "stockout_flags",
    "valid_day_rate",
    "with_fallback",
]


class DayRange:
    """Mixin of the classes holding daily arrays from a first day: their number, end, dates.

    The class has a ``start`` date and a ``sales`` array whose last axis is
    the day; ``Panel`` and ``SimulatedDistrict`` take these three from here.
    """

    __slots__ = ()
    start: dt.date
    sales: NDArray[Any]

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
        """Every day, in order."""
        return tuple(self.start + dt.timedelta(days=day) for day in range(self.n_days))


@attrs.frozen
class DailyData:
    """Validated daily inputs with the day axis moved last (views, never copies)."""

    sales: NDArray[Any]
    inventory: NDArray[Any]
    token_stock: NDArray[Any]
    counted: NDArray[np.bool_] | None  # None: every day counts
    day_axis: int  # where the day axis was in the caller's arrays


def _last(array: NDArray[Any], day_axis: int) -> NDArray[Any]:
    """The array with ``day_axis`` moved last (the array itself when it already is)."""
    if day_axis == array.ndim - 1:
        return array
    return np.moveaxis(array, day_axis, -1)


def paired_daily(
    sales: ArrayLike,
    inventory: ArrayLike,
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    axis: int | None,
) -> tuple[int, Any, Any, Any, Any]:
    """The day axis, and the four daily inputs paired by label (as arrays), masked days
    excluded: what every function of daily sales and stock does first."""
    day = daily_axis(sales, inventory, axis)
    sales, inventory, token_stock, exclude = aligned(
        ("sales", sales),
        ("inventory", inventory),
        ("token_stock", token_stock),
        ("exclude", exclude),
    )
    sales, inventory, exclude = masked_as_excluded(sales, inventory, exclude)
    return day, sales, inventory, token_stock, exclude


def daily_data(
    sales: ArrayLike,
    inventory: ArrayLike,
    token_stock: ArrayLike,
    exclude: ArrayLike | None,
    axis: int | None,
) -> DailyData:
    """Check sales, stock, token stock and the exclude mask; move the day axis last.

    Labelled inputs (pandas, xarray) are paired by label, never by position:
    the same labels in another order are aligned to ``sales``', different
    labels refused; a labelled ``sales`` of two or more dimensions must name
    its day axis (``axis=None`` is the last axis otherwise). A masked day of a
    numpy masked array (sales or stock) is an excluded day.
    """
    axis, sales, inventory, token_stock, exclude = paired_daily(
        sales, inventory, token_stock, exclude, axis
    )
    sales_array = quantities(sales, "sales")
    inventory_array = quantities(inventory, "inventory")
    same_shape(sales_array, inventory_array, ("sales", "inventory"))
    shape = sales_array.shape
    require_dimension(sales_array, "sales", "the day axis")
    day_axis = normalize_axis(axis, sales_array.ndim)
    require_days(shape[day_axis], "sales")
    token = broadcast_to_shape(quantities(token_stock, "token_stock"), shape, "token_stock")
    counted = None
    if exclude is not None:
        excluded = broadcast_to_shape(bool_mask(exclude, "exclude"), shape, "exclude")
        counted = _last(~excluded, day_axis)
    return DailyData(
        sales=_last(sales_array, day_axis),
        inventory=_last(inventory_array, day_axis),
        token_stock=_last(token, day_axis),
        counted=counted,
        day_axis=day_axis,
    )


def masked_as_excluded(sales: Any, inventory: Any, exclude: Any) -> tuple[Any, Any, Any]:
    """Masked ``sales`` / ``inventory`` as their data, their masked days added to ``exclude``.

    The one rule of every path (``cycle_metrics``, Dask): a masked day is an
    excluded day.  A Dask ``exclude`` stays lazy (numpy's ``logical_or``
    dispatches to Dask); anything else is checked as a boolean mask first.
    """
    masked = masked_days(sales, inventory)
    sales, inventory = (
        np.ma.getdata(value) if isinstance(value, np.ma.MaskedArray) else value
        for value in (sales, inventory)
    )
    if masked is None:
        return sales, inventory, exclude
    if exclude is None:
        return sales, inventory, masked
    if library_of(exclude) != "dask":
        exclude = broadcast_to_shape(bool_mask(exclude, "exclude"), masked.shape, "exclude")
    return sales, inventory, np.logical_or(exclude, masked)


def masked_days(sales: Any, inventory: Any) -> NDArray[np.bool_] | None:
    """The days masked in either masked array (None when neither masks anything)."""
    masks = [
        np.ma.getmaskarray(value)
        for value in (sales, inventory)
        if isinstance(value, np.ma.MaskedArray) and np.ma.getmask(value) is not np.ma.nomask
    ]
    if not masks:
        return None
    if len(masks) == 2 and masks[0].shape != masks[1].shape:
        return None  # the shape check that follows names the problem
    mask: NDArray[np.bool_] = np.logical_or.reduce(masks) if len(masks) == 2 else masks[0]
    return mask if mask.any() else None


def stockout_flags(data: DailyData) -> NDArray[np.bool_]:
    """True on stockout days: counted, nothing sold, stock at or below the token stock."""
    flags: NDArray[np.bool_] = (data.sales == 0) & (data.inventory <= data.token_stock)
    if data.counted is not None:
        flags &= data.counted
    return flags


def counted_days(data: DailyData) -> IntArray:
    """Counted days per series; raises EmptyInputError where every day is excluded."""
    if data.counted is None:
        return np.full(data.sales.shape[:-1], data.sales.shape[-1], dtype=np.int64)
    days = np.asarray(np.count_nonzero(data.counted, axis=-1), dtype=np.int64)
    if (days == 0).any():
        if days.ndim == 0:
            raise EmptyInputError(
                "'exclude' excludes every day of the cycle: a cycle needs at least one counted day"
            )
        empty = np.argwhere(days == 0)
        listed = ", ".join(format_position(tuple(row)) for row in empty[:5])
        raise EmptyInputError(
            f"'exclude' excludes every day of {len(empty)} cycle(s), first at index {listed}: "
            "a cycle needs at least one counted day"
        )
    return days


def stockout_counts(data: DailyData) -> IntArray:
    """Stockout days per series (int64)."""
    return np.asarray(np.count_nonzero(stockout_flags(data), axis=-1), dtype=np.int64)


def valid_day_rate(total: ArrayLike, count: ArrayLike) -> FloatArray:
    """Σ sales on the valid days / their number [cartons/day]; NaN where there is none."""
    counts = np.asarray(count)
    rate = np.full(counts.shape, np.nan)
    np.divide(total, counts, out=rate, where=counts > 0)
    return rate


def with_fallback(rate: FloatArray, fallback_daily_rate: ArrayLike | None) -> FloatArray:
    """``rate`` with its NaN (no estimate) replaced by ``fallback_daily_rate`` when given."""
    if fallback_daily_rate is None:
        return rate
    fallback = broadcast_to_shape(
        np.asarray(quantities(fallback_daily_rate, "fallback_daily_rate"), dtype=np.float64),
        rate.shape,
        "fallback_daily_rate",
    )
    return np.where(np.isnan(rate), fallback, rate)
