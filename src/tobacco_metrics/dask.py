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

import datetime as dt
import os
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import dask as _dask
import dask.array as _dask_array
import numpy as np
from dask.array import Array
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _cycle, _long_files
from tobacco_metrics._daily import masked_as_excluded
from tobacco_metrics._results import seal
from tobacco_metrics._validation import (
    as_real_array,
    bool_mask,
    integer,
    overflow_guard,
    quantities,
    require_days,
    shape_refusal,
)
from tobacco_metrics.errors import (
    EmptyInputError,
    ExportNote,
    InvalidValueError,
    ShapeMismatchError,
)
from tobacco_metrics.panel import _long
from tobacco_metrics.panel._kernel import panel_kernel, scan_checks
from tobacco_metrics.stock import CycleMetrics

__all__ = ["DaskCycleMetrics", "DaskPanel", "cycle_metrics", "read_long"]

# Dask's functions carry no type annotations: call them through Any.
da: Any = _dask_array
dask: Any = _dask

# One block's result: the kernel's per-series fields stacked along a first axis, in float64
# (day counts are whole and exact there), so the kernel writes every field into one
# allocation, a block travels as one array and each field of it is contiguous.
_STACKED = _cycle.KERNEL_FIELDS
# What a series not carried gets (as Panel.metrics): 0 days, NaN float metrics.
_BLANK = np.array([0.0 if _cycle.DTYPES[name].kind in "iu" else np.nan for name in _STACKED])


def _metrics_block(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    stores: NDArray[np.int64],
    brands: NDArray[np.int64],
    token_stock: NDArray[Any],
    exclude: NDArray[np.bool_] | None,
    fallback: NDArray[Any] | None,
    known_max: NDArray[np.float64] | None = None,
    carried: NDArray[np.bool_] | None = None,
) -> NDArray[np.float64]:
    """One block: check its values, run the panel kernel into its stacked fields (k, s, b).

    Blockwise hands the arrays indexed over the days (one chunk) as one-item
    lists (``concatenate=False``: no copy of the block).  ``known_max``: the
    block's values were checked when it was built (read_long), its largest
    sale (NaN: not every sale whole); ``carried``: False where a series gets
    the blank result.
    """
    sales, inventory, token_stock = _one(sales), _one(inventory), _one(token_stock)
    sales, inventory, exclude = masked_as_excluded(
        sales, inventory, None if exclude is None else _one(exclude)
    )
    s0 = int(stores[0]) if stores.size else 0
    b0 = int(brands[0]) if brands.size else 0

    def describe_cell(index: tuple[int, ...]) -> str:
        store, brand, day = index
        return f"index {(store + s0, brand + b0, day)}"

    def describe_series(index: tuple[int, ...]) -> str:
        store, brand = index
        return f"index {(store + s0, brand + b0)}"

    whole_max, signless = _block_scan(sales, inventory, known_max, describe_cell)
    result = np.empty((len(_STACKED), *sales.shape[:2]), dtype=np.float64)
    try:
        panel_kernel(
            sales,
            inventory,
            token_stock=token_stock,
            exclude=exclude,
            fallback_daily_rate=fallback,
            describe_series=describe_series,
            whole_max=whole_max,
            signless=signless,
            into=dict(zip(_STACKED, result, strict=True)),
            carried=carried,
        )
    except EmptyInputError as error:
        # The count is this block's: the blocks are checked as they run, each on its own.
        last = s0 + sales.shape[0] - 1
        raise EmptyInputError(
            f"{error} (counted in the block of stores {s0}..{last}; other blocks are "
            "checked as they run)"
        ) from None
    if carried is not None and not carried.all():
        result[:, ~carried] = _BLANK[:, np.newaxis]
    return result


def _block_scan(
    sales: NDArray[Any],
    inventory: NDArray[Any],
    known_max: NDArray[np.float64] | None,
    describe_cell: Callable[[tuple[int, ...]], str],
) -> tuple[float | None, bool]:
    """The block's largest sale when all are whole (None otherwise) and the ``signless`` flag
    of :func:`scan_checks` (False: not known): its values checked now, or (``known_max``)
    as read_long checked them."""
    if known_max is None:
        whole_max, sales_signless = scan_checks(sales, "sales", describe_cell, whole=True)
        _, stock_signless = scan_checks(inventory, "inventory", describe_cell)
        return whole_max, sales_signless and stock_signless
    first = float(known_max.flat[0]) if known_max.size else 0.0
    return (None if np.isnan(first) else first), False  # signless: not known for these blocks


def _one(block: Any) -> Any:
    """The block itself from blockwise's nested list of the one chunk along the days."""
    while isinstance(block, list):
        (block,) = block
    return block


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
    array: Any = value if isinstance(value, Array) else da.from_array(np.asarray(value), name=False)
    given = tuple(array.shape)
    if array.ndim > len(shape):
        raise shape_refusal(name, given, shape)
    array = array.reshape((1,) * (len(shape) - array.ndim) + given)
    for size, full in zip(array.shape, shape, strict=True):
        if size not in (1, full):
            raise shape_refusal(name, given, shape)
    aligned: Array = array.rechunk(
        tuple(
            axis_chunks if size == full and full != 1 else (size,)
            for size, full, axis_chunks in zip(array.shape, shape, chunks, strict=True)
        )
    )
    return aligned


def _real_dtype(array: Array, name: str) -> None:
    """TypeError for a dtype every other path refuses (bool, complex, ...), before computing."""
    as_real_array(np.empty(0, dtype=array.dtype), name)


def _from_numpy(value: Any) -> Any:
    """A numpy input as a Dask array without hashing its data (``name=False``)."""
    return da.from_array(np.asarray(value), name=False)


@attrs.frozen(eq=False, repr=False)
class DaskCycleMetrics(_cycle.MetricArrays[Array, Array]):
    """The metrics of :func:`tobacco_metrics.cycle_metrics` as lazy Dask arrays (stores, brands).

    The fields are those of :class:`tobacco_metrics.CycleMetrics`: ``days``,
    ``stockout_days`` and ``effective_days`` are int64, the others float64.
    Nothing is computed until :meth:`compute` (or ``dask.compute`` on the
    fields, or ``.to_zarr`` …).
    """

    # The kernel's fields stacked along a first axis (k, stores, brands), when the fields
    # were sliced from them: compute() then gathers one array instead of nine.
    _stacked: Array | None = attrs.field(default=None, kw_only=True, alias="stacked")
    # (stores, brands): False for the series not carried (DaskPanel.metrics), which the
    # pooled figures leave out, as PanelMetrics does; None: every series carried.
    _carried: Array | None = attrs.field(default=None, kw_only=True, alias="carried")

    def __repr__(self) -> str:
        return f"DaskCycleMetrics(shape={self.actual_sales.shape})"

    def pooled_fulfilment_ratio(self, axis: int | None = None) -> Array:
        """ΣA / (ΣA + ΣP) over ``axis`` (0: stores, 1: brands, None: all), lazily.

        NaN where any pooled P is NaN; 1.0 where ΣP == 0 (as
        :func:`tobacco_metrics.pooled_fulfilment_ratio`).  The series not
        carried (:meth:`DaskPanel.metrics`) are left out, as in
        :meth:`tobacco_metrics.PanelMetrics.pooled_fulfilment_ratio`.  Dask
        adds the blocks' partial sums in its own order, so the last bit may
        differ from numpy's sum over the whole axis.
        """
        actual, projected = self.actual_sales, self.projected_stockout_sales
        if self._carried is not None:  # their NaN figures count as nothing
            actual = da.where(self._carried, actual, 0.0)
            projected = da.where(self._carried, projected, 0.0)
        actual = _guarded_sum(actual, axis)
        projected = _guarded_sum(projected, axis)
        pooled: Array = da.map_blocks(_pooled_block, actual, projected, dtype=np.float64)
        return pooled

    def compute(self, **kwargs: Any) -> CycleMetrics:
        """Compute every field in one graph; ``kwargs`` go to :func:`dask.compute`."""
        if self._stacked is not None:
            fields = _cycle.derived(_gathered(self._stacked, kwargs))
            # fresh arrays nobody else holds: sealed, CycleMetrics keeps them without a copy
            return CycleMetrics(**{name: seal(values) for name, values in fields.items()})
        values = dask.compute(*(getattr(self, name) for name in _cycle.FIELDS), **kwargs)
        return CycleMetrics(**dict(zip(_cycle.FIELDS, values, strict=True)))


def _gathered(stacked: Any, kwargs: dict[str, Any]) -> dict[str, NDArray[Any]]:
    """The kernel's fields computed, each block gathered to the caller and copied into place.

    Each block comes straight from its worker (no task concatenating them on
    one worker first) and each field of it is copied once, in its dtype, into
    the field's array of the whole panel; on a ``distributed`` cluster each
    block is copied as soon as it arrives, while the workers compute the next.
    """
    blocks = stacked.to_delayed()[0]
    # one allocation for every field (a few large pages rather than one fault per 4 KiB)
    planes = np.empty(stacked.shape, dtype=np.float64)
    fields = {
        name: plane.view(_cycle.DTYPES[name]) for name, plane in zip(_STACKED, planes, strict=True)
    }
    starts = [np.cumsum((0, *axis_chunks)) for axis_chunks in stacked.chunks[1:]]

    def place(index: tuple[int, ...], block: NDArray[np.float64]) -> None:
        i, j = index
        rows = slice(starts[0][i], starts[0][i + 1]), slice(starts[1][j], starts[1][j + 1])
        for position, name in enumerate(_STACKED):
            fields[name][rows] = block[position]

    indices = list(np.ndindex(blocks.shape))
    client = _cluster_client(kwargs)
    if client is None:
        computed = dask.compute(*blocks.ravel(), **kwargs)
        for index, block in zip(indices, computed, strict=True):
            place(index, block)
        return fields
    import distributed

    as_completed: Any = distributed.as_completed  # distributed carries no type annotations
    futures = client.compute(list(blocks.ravel()))
    where = {future.key: index for future, index in zip(futures, indices, strict=True)}
    for future, block in as_completed(futures, with_results=True):
        place(where[future.key], block)
    return fields


def _cluster_client(kwargs: dict[str, Any]) -> Any:
    """The ``distributed.Client`` that :func:`dask.compute` would use here, else None."""
    if set(kwargs) - {"scheduler"}:
        return None  # options only dask.compute knows
    scheduler = dask.base.get_scheduler(scheduler=kwargs.get("scheduler"))
    client = getattr(scheduler, "__self__", None)
    if client is None or type(client).__module__.split(".")[0] != "distributed":
        return None
    return client


def _fields(stacked: Any) -> dict[str, Any]:
    """The kernel's fields, lazily, from their stack along the first axis."""
    return {
        name: stacked[position].astype(_cycle.DTYPES[name])
        for position, name in enumerate(_STACKED)
    }


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
        ``inventory`` is rechunked like ``sales``.  The masked days of a
        numpy masked array (or of masked blocks) are excluded days, as in
        :func:`tobacco_metrics.cycle_metrics`.
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
    TypeError
        Sales or stock that are not real numbers (bool, complex, ...), at once.
    ShapeMismatchError
        Arrays that are not (stores, brands, days) or do not broadcast.
    EmptyInputError
        No days, at once.
    InvalidValueError, EmptyInputError
        Bad values, or every day of a series excluded: raised when the blocks
        are computed (the message gives the global index).
    """
    return _cycle_metrics(sales, inventory, token_stock, exclude, fallback_daily_rate)


def _cycle_metrics(
    sales: Any,
    inventory: Any,
    token_stock: Any,
    exclude: Any,
    fallback_daily_rate: Any,
    known_max: Array | None = None,
    carried: Array | None = None,
) -> DaskCycleMetrics:
    """cycle_metrics; ``known_max`` (stores,): each block's checked whole max (NaN: None);
    ``carried`` (stores, brands): False for the series that get the blank result."""
    sales, inventory, exclude = masked_as_excluded(sales, inventory, exclude)
    sales_array, inventory_array = _daily_arrays(sales, inventory)
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
    arguments += _option_argument(exclude, bool_mask, shape, chunks, "exclude")
    arguments += _option_argument(
        fallback_daily_rate, quantities, shape[:2], chunks[:2], "fallback_daily_rate"
    )
    known: Any = known_max
    arguments += [None, None] if known is None else [known.rechunk((chunks[0],)), "i"]
    if carried is not None:
        mask: Any = carried
        arguments += [mask.rechunk(chunks[:2]), "ij"]
    stacked = da.blockwise(
        _metrics_block,
        "fij",
        *arguments,
        new_axes={"f": len(_STACKED)},
        concatenate=False,
        dtype=np.float64,
        meta=np.empty((0, 0, 0), dtype=np.float64),
    )
    kept: Any = carried
    if kept is not None:
        kept = kept.rechunk(chunks[:2])
    return DaskCycleMetrics(**_cycle.derived(_fields(stacked)), stacked=stacked, carried=kept)


def _daily_arrays(sales: Any, inventory: Any) -> tuple[Array, Array]:
    """Sales and inventory as Dask arrays (stores, brands, days) of real numbers, of one
    shape, with at least one day, chunked alike with one chunk along the days."""
    sales_array = sales if isinstance(sales, Array) else _from_numpy(sales)
    _real_dtype(sales_array, "sales")
    if sales_array.ndim != 3:
        raise ShapeMismatchError(
            f"'sales' must be shaped (stores, brands, days): shape {sales_array.shape}"
        )
    sales_array = sales_array.rechunk({2: -1})
    inventory_array = inventory if isinstance(inventory, Array) else _from_numpy(inventory)
    _real_dtype(inventory_array, "inventory")
    if inventory_array.shape != sales_array.shape:
        raise ShapeMismatchError(
            f"'sales' and 'inventory' must have the same shape: "
            f"{sales_array.shape} and {inventory_array.shape}"
        )
    require_days(sales_array.shape[2], "sales")
    return sales_array, inventory_array.rechunk(sales_array.chunks)


def _option_argument(
    value: Any,
    convert: Callable[[Any, str], Any],
    shape: tuple[int, ...],
    chunks: Any,
    name: str,
) -> list[Any]:
    """The ``da.blockwise`` (array, index) pair of an optional argument: ``value`` checked
    by ``convert`` (unless a Dask array) and laid on ``shape`` (index "ijk" for the
    panel's three axes, "ij" for stores × brands); ``[None, None]`` without it."""
    if value is None:
        return [None, None]
    if not isinstance(value, Array):
        value = convert(value, name)
    return [_aligned(value, shape, chunks, name), "ijk"[: len(shape)]]


# --------------------------------------------------------------------------- files → Dask panel

# Cells of one block of the panel read by read_long (64 MB of float32 sales).
BLOCK_CELLS = 1 << 24


@attrs.frozen(eq=False, repr=False)
class DaskPanel:
    """A (stores, brands, days) panel held as Dask arrays, as built by :func:`read_long`.

    ``sales`` and ``inventory`` are chunked over stores with one chunk along
    the days; ``carried`` (stores, brands) is False where a store × brand has
    no row at all in the files (as ``Panel.carried``).
    Labels are sorted as :meth:`tobacco_metrics.Panel.from_long` sorts them.
    """

    stores: tuple[Any, ...]
    brands: tuple[Any, ...]
    start: dt.date
    sales: Array
    inventory: Array
    carried: Array
    # (stores,): each block's largest sale when all are whole (NaN otherwise), as checked
    # when the block was built, so the metrics do not check the values again.
    _whole_max: Array | None = attrs.field(default=None, kw_only=True, alias="whole_max")

    def __repr__(self) -> str:
        return (
            f"DaskPanel({len(self.stores)} stores × {len(self.brands)} brands × "
            f"{self.sales.shape[2]} days from {self.start}, "
            f"{self.sales.numblocks[0]} blocks)"
        )

    def metrics(
        self,
        *,
        token_stock: ArrayLike | Array = 0,
        exclude: ArrayLike | Array | None = None,
        fallback_daily_rate: ArrayLike | Array | None = None,
    ) -> DaskCycleMetrics:
        """The cycle metrics of every store × brand over the whole period, lazily.

        As :func:`cycle_metrics`; a series not carried has NaN float metrics and
        0 day counts, as in :meth:`tobacco_metrics.Panel.metrics`.
        """
        return _cycle_metrics(
            self.sales,
            self.inventory,
            token_stock,
            exclude,
            fallback_daily_rate,
            self._whole_max,
            self.carried,
        )


def read_long(
    paths: Any,
    *,
    store: str = "store",
    brand: str = "brand",
    date: str = "date",
    sales: str = "sales",
    inventory: str = "inventory",
    missing: str = "error",
    format: str | None = None,
    stores_per_block: int | None = None,
    encoding: str | None = None,
) -> DaskPanel:
    """A province's panel from long-table files (Parquet or CSV), chunked over stores.

    Each file is read once, by one Dask task (on the cluster when a
    ``distributed.Client`` is active), into a compact form kept where it was
    read (its label codes, day numbers and values: 28 bytes a row of a CSV
    file) until the panel is dropped; only its labels and first and last days
    come to the caller, which makes the panel's labels and period of them.
    Then each parsed file's rows are put on those labels and cut by block of
    stores, and each block of the panel is built from its rows of every file
    by the rules of :meth:`tobacco_metrics.Panel.from_long`.  The caller
    never holds the rows.

    Parameters
    ----------
    paths : str, os.PathLike or sequence of them
        The files, each a long table with one row per store, brand and day
        (明细表): ``.parquet``/``.pq``, ``.csv``/``.txt`` (optionally
        ``.gz``) or Excel workbooks ``.xlsx``/``.xlsm`` (their first visible
        sheet; the ``excel`` extra), or all of the kind named by ``format``.
        A store's rows may be spread over several files; a file may hold
        no row (a header only).  A directory is refused (pass its files), and
        so is a file named twice.
    store, brand, date, sales, inventory : str
        The column names.  A name left at its default finds its column as the
        command line does without ``--columns``: that name, or a common ERP
        header (客户编码, 卷烟编码, 日期, 销量, 库存, …), width, case and
        spaces aside.  In Parquet, dates as Arrow dates, timestamps at
        midnight or ISO strings; sales [cartons] and inventory (closing stock)
        [cartons] finite and >= 0.
    missing : {"error", "no_movement"}
        As for :meth:`tobacco_metrics.Panel.from_long`.
    format : {"parquet", "csv", "excel"}, optional
        The format of every file, when their names do not tell.
    stores_per_block : int, optional
        Stores per block, >= 1; by default blocks of about 2**24 cells.
    encoding : str, optional
        The text encoding of the CSV files.  By default detected file by file
        as the command line does: UTF-8 (with or without a BOM), UTF-16 with
        a BOM, or GB18030 (which reads GBK and GB2312 exports).  Each CSV
        file and workbook is read by the command line's reader: the delimiter, title
        lines, total rows (合计, 小计), Chinese dates, thousands separators and
        identical repeated rows are read as the command line reads them; the
        store and brand labels are text (``0310`` stays ``'0310'``) and the
        quantities float64.

    Returns
    -------
    DaskPanel
        Labels (sorted), the first date, lazy ``sales``/``inventory``
        (stores, brands, days) and ``carried`` (stores, brands).  The files
        are read here; the blocks are built when the results are computed.

    Warns
    -----
    tobacco_metrics.ExportNote
        What the command line's reader decided in a CSV file or workbook
        (lines skipped, such as titles and totals; rows collapsed), one
        warning per note, led by the file's name, as the command line prints
        them.

    Raises
    ------
    TypeError
        ``paths`` holding something other than paths (bytes, numbers).
    EmptyInputError
        No file, or no row in any file.
    MissingDataError
        A named column absent from a file; cells without a row under
        ``missing="error"`` (raised when the block is computed).
    InvalidValueError, DuplicateEntryError
        A directory, a file named twice; a CSV file the command line
        refuses, naming the file and its line.
        Otherwise as for :meth:`tobacco_metrics.Panel.from_long` over the
        files, naming the file (and the row of a Parquet file); the blocks'
        checks run when they are computed.

    Notes
    -----
    The arrays, their ``carried`` mask and :meth:`DaskPanel.metrics` are
    identical to ``Panel.from_long`` over the concatenated files (each CSV
    file as the command line reads it) followed by
    :meth:`tobacco_metrics.Panel.metrics`, with the command line's rule for
    repeated rows: rows identical in every field (in two files, or twice in
    a Parquet file) are collapsed into one; two different rows for one
    store, brand and day are refused, naming both files.

    Examples
    --------
    >>> import os, tempfile
    >>> from tobacco_metrics.dask import read_long
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "march.csv")
    >>> with open(path, "w") as file:
    ...     _ = file.write("store,brand,date,sales,inventory\\n"
    ...                    "S1,B1,2026-03-01,6,20\\nS1,B1,2026-03-02,0,0\\n")
    >>> panel = read_long([path])
    >>> panel
    DaskPanel(1 stores × 1 brands × 2 days from 2026-03-01, 1 blocks)
    >>> panel.metrics().compute().projected_stockout_sales.tolist()
    [[6.0]]
    """
    if missing not in ("error", "no_movement"):
        raise InvalidValueError(f"'missing' must be 'error' or 'no_movement': {missing!r}")
    if stores_per_block is not None:
        integer(stores_per_block, "stores_per_block", 1)
    files = _file_paths(paths)
    kinds = tuple(_long_files.file_format(path, format) for path in files)
    names = (store, brand, date, sales, inventory)
    delayed = dask.delayed
    parsed, surveys = _parsed_files(files, kinds, names, encoding)
    _warn_notes(files, surveys)
    stores, brands, span, dtypes = _long_files.province_frame(surveys, files)
    first_day = span[0]
    per_block = _block_stores(stores_per_block, len(brands) * span[1])
    n_blocks = -(-len(stores) // per_block)
    pieces = [
        delayed(_long_files.split, pure=True, nout=n_blocks)(
            one, store_positions, brand_positions, per_block, n_blocks
        )
        for one, (store_positions, brand_positions) in zip(
            parsed, _long_files.positions(surveys, stores, brands), strict=True
        )
    ]
    arrays: list[list[Array]] = [[], [], [], []]
    for k in range(n_blocks):
        first = k * per_block
        block_stores = stores[first : first + per_block]
        block = delayed(_long_files.block, pure=True, nout=4)(
            [piece[k] for piece in pieces],
            files,
            first,
            block_stores,
            brands,
            span,
            missing,
            dtypes,
        )
        shape = (len(block_stores), len(brands), span[1])
        parts = ((shape, dtypes[0]), (shape, dtypes[1]), (shape[:2], np.dtype(np.bool_)))
        for position, (part_shape, dtype) in enumerate((*parts, (shape[:1], np.float64))):
            arrays[position].append(da.from_delayed(block[position], shape=part_shape, dtype=dtype))
    sales_array, inventory_array, carried, whole_max = (da.concatenate(parts) for parts in arrays)
    return DaskPanel(
        stores=stores,
        brands=brands,
        start=_long.date_of(first_day),
        sales=sales_array,
        inventory=inventory_array,
        carried=carried,
        whole_max=whole_max,
    )


def _warn_notes(files: tuple[str, ...], surveys: tuple[Any, ...]) -> None:
    """Each file's reader notes, as the command line prints them, as ExportNote warnings."""
    for path, survey in zip(files, surveys, strict=True):
        for note in survey[5]:
            warnings.warn(f"{path}: {note}", ExportNote, stacklevel=3)  # read_long's caller


def _parsed_files(
    files: tuple[str, ...], kinds: tuple[str, ...], names: tuple[str, ...], encoding: str | None
) -> tuple[list[Any], tuple[Any, ...]]:
    """Each file parsed once (kept where it was parsed) and the surveys of them."""
    delayed = dask.delayed
    # Each file parsed once, by one task (pure=False: a file read again is read
    # afresh); the parsed files stay where they were made and only their surveys come to
    # the client.  On a cluster they are futures, held by the tasks that take them
    # (a persisted Delayed's future is not kept by the graphs built on it).
    parse = [
        delayed(_long_files.parse, pure=False)(path, kind, names, encoding)
        for path, kind in zip(files, kinds, strict=True)
    ]
    client = _cluster_client({})
    # (optimize_graph=False: each file's few tasks need no culling, which costs
    # seconds over a thousand files)
    if client is None:
        parsed = dask.persist(*parse, optimize_graph=False)
    else:
        parsed = client.compute(parse, optimize_graph=False)
    surveys = dask.compute(
        *(delayed(_long_files.survey)(one) for one in parsed), optimize_graph=False
    )
    return list(parsed), surveys


def _file_paths(paths: Any) -> tuple[str, ...]:
    """One path or a sequence of them as a tuple of path strings.

    EmptyInputError for none (a glob that matched nothing), TypeError for an
    item that is not a path, InvalidValueError for a file named twice.
    """
    if isinstance(paths, (bytes, bytearray)):
        raise TypeError(f"'paths' must be a path or a sequence of paths: got {paths!r}")
    listed = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = []
    for index, path in enumerate(listed):
        name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
        if not isinstance(name, str):
            raise TypeError(
                f"'paths' must hold paths (str or os.PathLike): {path!r} at index {index}"
            )
        files.append(name)
    if not files:
        raise EmptyInputError("no file to read")
    seen: dict[str, int] = {}
    for index, name in enumerate(files):
        first = seen.setdefault(os.path.realpath(name), index)
        if first != index:
            raise InvalidValueError(
                f"{name!r} names the same file as {files[first]!r}: pass each file once"
            )
    return tuple(files)


def _block_stores(stores_per_block: int | None, series_days: int) -> int:
    """Stores per block: as given, else as many as keep a block near :data:`BLOCK_CELLS`
    cells (``series_days``: brands × days, the cells of one store), at least one."""
    if stores_per_block is None:
        return max(1, BLOCK_CELLS // series_days)
    return stores_per_block
