"""Stock metrics on Dask arrays: a province's panel, beyond one machine's memory.

``tobacco_metrics.dask.cycle_metrics`` takes ``sales`` and ``inventory`` as
Dask arrays shaped (stores, brands, days), chunked over stores (and brands if
need be) with **one chunk along days**, and returns the metrics of
:func:`tobacco_metrics.cycle_metrics` as lazy Dask arrays shaped (stores,
brands).  Each block runs the chunked kernel of :class:`tobacco_metrics.Panel`,
so the numbers are identical to the numpy path, block boundaries or not.

This module needs the optional extra ``dask`` (``pip install
"tobacco-metrics[dask]"``); ``import tobacco_metrics`` never imports it.

Examples
--------
>>> import dask.array as da
>>> import numpy as np
>>> from tobacco_metrics.dask import cycle_metrics
>>> sales = da.from_array(np.array([[[6, 8, 0, 5, 0, 7, 4]]] * 4), chunks=(2, 1, 7))
>>> inventory = da.from_array(np.array([[[20, 12, 0, 25, 0, 18, 14]]] * 4), chunks=(2, 1, 7))
>>> m = cycle_metrics(sales, inventory)
>>> m.projected_stockout_sales  # doctest: +ELLIPSIS
dask.array<..., shape=(4, 1), dtype=float64, chunksize=(2, 1), chunktype=numpy.ndarray>
>>> m.compute().projected_stockout_sales.ravel().tolist()
[12.0, 12.0, 12.0, 12.0]
"""

from __future__ import annotations

from typing import Any

import attrs
import dask as _dask
import dask.array as _dask_array
import numpy as np
from dask.array import Array
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _cycle
from tobacco_metrics._validation import bool_mask, overflow_guard, quantities
from tobacco_metrics.errors import ShapeMismatchError
from tobacco_metrics.panel._kernel import panel_kernel, scan_values
from tobacco_metrics.stock import CycleMetrics

__all__ = ["DaskCycleMetrics", "cycle_metrics"]

# Dask's functions carry no type annotations: call them through Any.
da: Any = _dask_array
dask: Any = _dask

# The kernel's per-series outputs, stacked along a last axis of one block's result.
_STACKED = _cycle.KERNEL_FIELDS


def _metrics_block(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    stores: NDArray[np.int64],
    brands: NDArray[np.int64],
    token_stock: NDArray[Any],
    exclude: NDArray[np.bool_] | None,
    fallback: NDArray[Any] | None,
) -> NDArray[np.float64]:
    """One block: check its values, run the panel kernel, stack the results (k, b, 7)."""
    s0 = int(stores[0]) if stores.size else 0
    b0 = int(brands[0]) if brands.size else 0

    def describe_cell(index: tuple[int, ...]) -> str:
        store, brand, day = index
        return f"index {(store + s0, brand + b0, day)}"

    def describe_series(index: tuple[int, ...]) -> str:
        store, brand = index
        return f"index {(store + s0, brand + b0)}"

    whole_max = scan_values(sales, "sales", describe_cell, whole=True)
    scan_values(inventory, "inventory", describe_cell)
    outputs = panel_kernel(
        sales,
        inventory,
        token_stock=token_stock,
        exclude=exclude,
        fallback_daily_rate=fallback,
        describe_series=describe_series,
        whole_max=whole_max,
    )
    stacked = np.empty((*sales.shape[:2], len(_STACKED)), dtype=np.float64)
    for position, name in enumerate(_STACKED):
        stacked[..., position] = outputs[name]
    return stacked


def _aligned(
    value: Any,
    shape: tuple[int, ...],
    chunks: tuple[tuple[int, ...], ...],
    name: str,
) -> Array:
    """``value`` as a Dask array broadcastable to ``shape``, chunked like the data.

    Axes of length 1 stay of length 1 (Dask broadcasts them block by block), so
    a per-store token stock or a holiday mask over the days is never
    materialised at the size of the panel.
    """
    array: Any = value if isinstance(value, Array) else da.from_array(np.asarray(value))
    if array.ndim > len(shape):
        raise ShapeMismatchError(
            f"{name!r} with shape {array.shape} does not broadcast to the data's shape {shape}"
        )
    array = array.reshape((1,) * (len(shape) - array.ndim) + tuple(array.shape))
    for size, full in zip(array.shape, shape, strict=True):
        if size not in (1, full):
            raise ShapeMismatchError(
                f"{name!r} with shape {array.shape} does not broadcast to the data's shape {shape}"
            )
    aligned: Array = array.rechunk(
        tuple(
            axis_chunks if size == full and full != 1 else (size,)
            for size, full, axis_chunks in zip(array.shape, shape, chunks, strict=True)
        )
    )
    return aligned


@attrs.frozen(eq=False, repr=False)
class DaskCycleMetrics(_cycle.MetricArrays[Array, Array]):
    """The metrics of :func:`tobacco_metrics.cycle_metrics` as lazy Dask arrays (stores, brands).

    The fields are those of :class:`tobacco_metrics.CycleMetrics`: ``days``,
    ``stockout_days`` and ``effective_days`` are int64, the others float64.
    Nothing is computed until :meth:`compute` (or ``dask.compute`` on the
    fields, or ``.to_zarr`` …).
    """

    def __repr__(self) -> str:
        return f"DaskCycleMetrics(shape={self.actual_sales.shape})"

    def pooled_fulfilment_ratio(self, axis: int | None = None) -> Array:
        """ΣA / (ΣA + ΣP) over ``axis`` (0: stores, 1: brands, None: all), lazily.

        NaN where any pooled P is NaN; 1.0 where ΣP == 0 (as
        :func:`tobacco_metrics.pooled_fulfilment_ratio`).  Dask adds the
        blocks' partial sums in its own order, so the last bit may differ from
        numpy's sum over the whole axis.
        """
        actual = _guarded_sum(self.actual_sales, axis)
        projected = _guarded_sum(self.projected_stockout_sales, axis)
        pooled: Array = da.map_blocks(_pooled_block, actual, projected, dtype=np.float64)
        return pooled

    def compute(self, **kwargs: Any) -> CycleMetrics:
        """Compute every field in one graph; ``kwargs`` go to :func:`dask.compute`."""
        values = dask.compute(*(getattr(self, name) for name in _cycle.FIELDS), **kwargs)
        return CycleMetrics(**dict(zip(_cycle.FIELDS, values, strict=True)))


@overflow_guard
def _sum_block(values: NDArray[Any], axis: Any = None, keepdims: bool = False) -> Any:
    """Σ in float64 of one block or of partial sums; past float64 is an InvalidValueError."""
    return np.sum(values, axis=axis, dtype=np.float64, keepdims=keepdims)


def _guarded_sum(values: Array, axis: int | None) -> Array:
    total: Array = da.reduction(
        values, _sum_block, _sum_block, axis=axis, dtype=np.float64, concatenate=True
    )
    return total


@overflow_guard
def _pooled_block(actual: NDArray[np.float64], projected: NDArray[np.float64]) -> Any:
    return _cycle.fulfilment(np.asarray(actual), np.asarray(projected))


def cycle_metrics(
    sales: Any,
    inventory: Any,
    *,
    token_stock: ArrayLike | Array = 0,
    exclude: ArrayLike | Array | None = None,
    fallback_daily_rate: ArrayLike | Array | None = None,
) -> DaskCycleMetrics:
    """The cycle metrics of a (stores, brands, days) panel held as Dask arrays.

    Parameters
    ----------
    sales, inventory : dask.array.Array or array_like
        Quantity sold and closing stock each day [cartons], shaped (stores,
        brands, days); finite, >= 0.  Chunk them over stores (and brands);
        the days are gathered into one chunk if they are not already.
        ``inventory`` is rechunked like ``sales``.
    token_stock, exclude, fallback_daily_rate
        As for :func:`tobacco_metrics.cycle_metrics` and
        :meth:`tobacco_metrics.Panel.metrics` (numpy or Dask arrays; token and
        exclude broadcast against (stores, brands, days), the fallback rate
        against (stores, brands)).

    Returns
    -------
    DaskCycleMetrics
        Lazy results shaped (stores, brands), chunked like the stores and
        brands of ``sales``; :meth:`DaskCycleMetrics.compute` gives a
        :class:`tobacco_metrics.CycleMetrics` identical to the numpy path.

    Raises
    ------
    ShapeMismatchError
        Arrays that are not (stores, brands, days) or do not broadcast.
    InvalidValueError, EmptyInputError
        Bad values, raised when the blocks are computed (the message gives the
        global index).
    """
    sales_array = sales if isinstance(sales, Array) else da.asarray(sales)
    if sales_array.ndim != 3:
        raise ShapeMismatchError(
            f"'sales' must be shaped (stores, brands, days): shape {sales_array.shape}"
        )
    sales_array = sales_array.rechunk({2: -1})
    inventory_array = inventory if isinstance(inventory, Array) else da.asarray(inventory)
    if inventory_array.shape != sales_array.shape:
        raise ShapeMismatchError(
            f"'sales' and 'inventory' must have the same shape: "
            f"{sales_array.shape} and {inventory_array.shape}"
        )
    inventory_array = inventory_array.rechunk(sales_array.chunks)
    shape = tuple(int(size) for size in sales_array.shape)
    chunks = sales_array.chunks

    if not isinstance(token_stock, Array):
        token_stock = quantities(token_stock, "token_stock")
    token = _aligned(token_stock, shape, chunks, "token_stock")
    arguments: list[Any] = [
        sales_array,
        "ijk",
        inventory_array,
        "ijk",
        da.arange(shape[0], chunks=chunks[0]),
        "i",
        da.arange(shape[1], chunks=chunks[1]),
        "j",
        token,
        "ijk",
    ]
    if exclude is None:
        arguments += [None, None]
    else:
        if not isinstance(exclude, Array):
            exclude = bool_mask(exclude, "exclude")
        arguments += [_aligned(exclude, shape, chunks, "exclude"), "ijk"]
    if fallback_daily_rate is None:
        arguments += [None, None]
    else:
        if not isinstance(fallback_daily_rate, Array):
            fallback_daily_rate = quantities(fallback_daily_rate, "fallback_daily_rate")
        arguments += [
            _aligned(fallback_daily_rate, shape[:2], chunks[:2], "fallback_daily_rate"),
            "ij",
        ]
    stacked = da.blockwise(
        _metrics_block,
        "ijf",
        *arguments,
        new_axes={"f": len(_STACKED)},
        concatenate=True,
        dtype=np.float64,
        meta=np.empty((0, 0, 0), dtype=np.float64),
    )
    fields = {
        name: stacked[..., position].astype(_cycle.DTYPES[name])
        for position, name in enumerate(_STACKED)
    }
    return DaskCycleMetrics(**_cycle.derived(fields))
