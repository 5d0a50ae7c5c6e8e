"""The :class:`Panel` class: labelled stores × brands × days arrays of daily sales and stock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from tobacco_metrics import _convert as cv
from tobacco_metrics._cycle import model_daily_lost, with_projected
from tobacco_metrics._daily import DayRange
from tobacco_metrics._dataframes import same_rows
from tobacco_metrics._html import notebook_table, panel_html
from tobacco_metrics._labelled import (
    on_panel_axes,
    panel_from_xarray,
    panel_to_long_frame,
    panel_to_xarray,
)
from tobacco_metrics._results import frozen_array, same_fields, seal
from tobacco_metrics._series_labels import unique_labels
from tobacco_metrics._validation import (
    as_date,
    as_real_array,
    bool_mask,
    broadcast_to_shape,
    check_calendar_run,
    items,
    quantities,
)
from tobacco_metrics.errors import (
    EmptyInputError,
    InvalidValueError,
    ShapeMismatchError,
)
from tobacco_metrics.panel._kernel import panel_kernel, scan_checks
from tobacco_metrics.panel._long import from_long, is_pandas, key_text
from tobacco_metrics.panel._results import PanelCycleMetrics, PanelMetrics

if TYPE_CHECKING:  # optional extras, imported by the functions that use them
    import pandas as pd
    import polars as pl
    import xarray as xr

    from tobacco_metrics.demand import LostSalesMethod

__all__ = ["Panel"]

Label = Hashable


def _labels(values: Any) -> tuple[Any, ...]:
    """Converter: store or brand labels as a tuple (numpy scalars as Python values)."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"labels must be a sequence of labels, got a string: {values!r}")
    if isinstance(values, np.ndarray) or is_pandas(values):
        return tuple(values.tolist())
    return tuple(values)


def _values(value: Any, name: str) -> NDArray[Any]:
    """Converter: a real array, read-only and nobody else's to change; masks refused."""
    if isinstance(value, np.ma.MaskedArray) and np.ma.getmask(value) is not np.ma.nomask:
        if np.ma.getmaskarray(value).any():
            raise TypeError(
                f"{name!r} is a masked array with masked days: a Panel holds every day; pass "
                "numpy.ma.getdata(...) and the masked days as metrics(exclude=...)"
            )
        value = np.ma.getdata(value)
    array: NDArray[Any] = frozen_array(as_real_array(value, name))
    return array


def _sales_array(value: Any) -> NDArray[Any]:
    return _values(value, "sales")


def _inventory_array(value: Any) -> NDArray[Any]:
    return _values(value, "inventory")


def _carried_mask(value: Any) -> NDArray[np.bool_]:
    mask: NDArray[np.bool_] = frozen_array(bool_mask(value, "carried"))
    return mask


def _all_carried(panel: Panel) -> NDArray[np.bool_]:
    return seal(np.ones(panel.sales.shape[:2], dtype=np.bool_))


def _check_structure(panel: Panel) -> None:
    """The labels, shapes and period of a panel built by its constructor."""
    unique_labels("stores", panel.stores)
    unique_labels("brands", panel.brands)
    for name in ("sales", "inventory"):
        array = getattr(panel, name)
        if array.ndim != 3:
            raise ShapeMismatchError(
                f"{name!r} must be shaped (stores, brands, days): got {array.ndim} "
                f"dimension(s), shape {array.shape}"
            )
    if panel.sales.shape != panel.inventory.shape:
        raise ShapeMismatchError(
            f"'sales' and 'inventory' must have the same shape: "
            f"{panel.sales.shape} and {panel.inventory.shape}"
        )
    n_stores, n_brands, n_days = panel.sales.shape
    if (n_stores, n_brands) != (len(panel.stores), len(panel.brands)):
        raise ShapeMismatchError(
            f"the arrays' (stores, brands) shape {(n_stores, n_brands)} does not match "
            f"{len(panel.stores)} store and {len(panel.brands)} brand labels"
        )
    if panel.carried.shape != (n_stores, n_brands):
        raise ShapeMismatchError(
            f"'carried' must be shaped (stores, brands) {(n_stores, n_brands)}: "
            f"shape {panel.carried.shape}"
        )
    if n_days == 0:
        raise EmptyInputError("'sales' has no days: a panel needs at least one day")
    check_calendar_run(panel.start, n_days, "the panel")


def _checked_scan(panel: Panel) -> tuple[float | None, bool]:
    """The constructor's checks; returns what the value scan found for the kernel.

    The largest sale if every sale is whole (else None), and whether no value
    of either array has its sign bit set (no -0.0).  The default of the
    private ``_scan`` field, so it runs in ``__init__`` once every public
    field is converted, unless the caller passes the value (the "already
    checked" path of :meth:`Panel._from_checked`).
    """
    _check_structure(panel)
    whole_max, sales_signless = scan_checks(panel.sales, "sales", panel._describe_cell, whole=True)
    _, inventory_signless = scan_checks(panel.inventory, "inventory", panel._describe_cell)
    return whole_max, sales_signless and inventory_signless


def _restore(
    stores: tuple[Any, ...],
    brands: tuple[Any, ...],
    start: dt.date,
    sales: NDArray[Any],
    inventory: NDArray[Any],
    carried: NDArray[np.bool_],
) -> Panel:
    """Unpickle (or deep-copy) a panel: its new arrays made read-only, then checked again."""
    for array in (sales, inventory, carried):
        if array.base is None:
            array.flags.writeable = False
    return Panel(stores, brands, start, sales, inventory, carried=carried)


#: What two equal panels agree on (the private value scan follows from the arrays).
_COMPARED = ("stores", "brands", "start", "sales", "inventory", "carried")


@attrs.frozen(eq=False, repr=False)
class Panel(DayRange):
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
    carried : array_like of bool, optional
        Keyword only.  False for a store × brand the store does not carry (不经营
        的品规: no row at all in the export), shaped (stores, brands); default
        every series carried.  A series not carried is left out of every
        pooled figure and of the tables, and its per-series metrics are NaN
        (float metrics) or 0 (the day counts); see :meth:`metrics`.

    Attributes
    ----------
    sales, inventory : ndarray
        Read-only arrays in the dtype given (int32 and float32 stay as they
        are).  An array that nothing can write to any more (made read-only
        with ``array.setflags(write=False)``, as large exports should be) is
        kept without a copy; a writeable one, or a read-only view of memory
        that can still be written through its base, is copied, so that later
        writes cannot change the panel.  The arrays stay read-only in every
        copy (``copy``, ``deepcopy``, ``pickle``, :meth:`cycles` slices).
    carried : ndarray of bool
        Read-only, shaped (stores, brands).

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
    min and max per chunk); :meth:`metrics` trusts them.  The slices of
    :meth:`cycles` and the output of :meth:`from_long` are built from values
    already checked and skip the check (the private ``_from_checked`` path).

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

    stores: tuple[Label, ...] = attrs.field(converter=_labels)
    brands: tuple[Label, ...] = attrs.field(converter=_labels)
    start: dt.date = attrs.field(converter=cv.start_date)
    sales: NDArray[Any] = attrs.field(converter=_sales_array)
    inventory: NDArray[Any] = attrs.field(converter=_inventory_array)
    carried: NDArray[np.bool_] = attrs.field(
        kw_only=True,
        converter=_carried_mask,
        default=attrs.Factory(_all_carried, takes_self=True),
    )
    # The largest sale when every sale is a whole number (None otherwise): sums of
    # such values are exact in any order; and whether no value has its sign bit set
    # (no -0.0).  Its default runs the constructor's checks.
    _scan: tuple[float | None, bool] = attrs.field(
        kw_only=True,
        alias="_scan",
        repr=False,
        default=attrs.Factory(_checked_scan, takes_self=True),
    )

    @classmethod
    def _from_checked(
        cls,
        stores: tuple[Label, ...],
        brands: tuple[Label, ...],
        start: dt.date,
        sales: NDArray[Any],
        inventory: NDArray[Any],
        *,
        carried: NDArray[np.bool_],
        whole_max: float | None,
        signless: bool = False,
    ) -> Panel:
        """A panel from parts already checked: the slices of :meth:`cycles`, from_long's output.

        Skips the value scan and the label checks (the converters still make
        the arrays read-only, copying any that could still be written to).
        ``whole_max`` and ``signless`` must be what the check would find
        (``signless`` False: not known).
        """
        return cls(
            stores, brands, start, sales, inventory, carried=carried, _scan=(whole_max, signless)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and copy through the constructor (arrays read-only, values checked again)."""
        return _restore, (
            self.stores,
            self.brands,
            self.start,
            self.sales,
            self.inventory,
            self.carried,
        )

    # ----------------------------------------------------------------- construction

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        store: str | None = None,
        brand: str | None = None,
        date: str | None = None,
        sales: str | None = None,
        inventory: str | None = None,
        missing: Literal["error", "no_movement"] = "error",
    ) -> Panel:
        """Build a panel from a long-table dataframe as an ERP exports it (一户一品一日一行).

        Parameters
        ----------
        frame : dataframe
            A pandas or polars DataFrame, a ``pyarrow.Table`` or ``RecordBatch``,
            or any object with the Arrow PyCapsule (``__arrow_c_stream__``) or
            dataframe interchange (``__dataframe__``) interface; one row per
            store, brand and day.  Named pandas index levels count as columns.
        store, brand, date, sales, inventory : str, optional
            The name of the column holding each field.  By default each is found
            by its English name or a common ERP header (客户编码 / 客户代码 /
            零售户编码, 卷烟编码 / 卷烟代码 / 商品编码, 日期 / 业务日期,
            销量 / 销售量, 库存 / 库存量 / 期末库存, …), ignoring case and
            surrounding whitespace; without a code column, a licence number
            (许可证号) is the store and a brand name (卷烟名称, 品规) the brand.
        missing : {'error', 'no_movement'}
            A day without a row in a carried series: refuse (default), or read it
            as a day without movement (no sales, the stock of the day before), as
            in :meth:`from_long`.

        Returns
        -------
        Panel
            Labels as text, sorted; sales and inventory as float64 [cartons].

        Raises
        ------
        MissingDataError
            A column not found (the message lists the header), a missing value
            (naming the row), or days without a row (see ``missing``).
        InvalidValueError
            A header naming a column twice, two columns that could be the same
            field, an unparseable or ambiguous date, a negative or non-finite
            quantity (each naming the row, counted from 0), or dates spanning far
            more days than the rows fill (a mistyped year).  A table that would
            fill less than 1/32 of a dense panel of more than 2**22 cells is
            refused, by the rule of :meth:`from_long`.
        DuplicateEntryError
            Two different rows for the same store, brand and date (both named).
        TypeError
            Not a dataframe, or a column of a type that cannot hold the field.
        ImportError
            pyarrow is not installed.

        Notes
        -----
        The rules are the ``cycle`` command's (dates as ERPs write them,
        labels stripped, identical rows collapsed, a store × brand without rows
        not carried); :doc:`/tutorials/erp-export-to-report` lists them.

        Examples
        --------
        >>> import pandas as pd
        >>> export = pd.DataFrame({
        ...     "客户编码": ["C001", "C001", "C001", " C002"],
        ...     "卷烟编码": ["6901028075018"] * 4,
        ...     "日期": ["2026/3/2", "2026/3/3", "2026/3/3", "20260302"],
        ...     "销量": [3, 1, 1, 2],
        ...     "库存": [5, 4, 4, 0],
        ... })
        >>> panel = Panel.from_frame(export, missing="no_movement")  # row 2 repeats row 1
        >>> panel.stores, panel.n_days, panel.sales.tolist()
        (('C001', 'C002'), 2, [[[3.0, 1.0]], [[2.0, 0.0]]])
        """
        from tobacco_metrics import _readers  # reads through pyarrow, imported when called

        columns = {"store": store, "brand": brand, "date": date, "sales": sales}
        return _readers.read_frame(frame, {**columns, "inventory": inventory}, missing)

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
            The labels of each row (lists, numpy arrays, pandas columns or
            pyarrow arrays; any hashable type).  The panel's labels are sorted
            when they can be compared, otherwise kept in order of first
            appearance (a pandas Categorical keeps the order of its categories).
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
            :class:`MissingDataError` in both modes.  A store × brand with no
            row at all is neither: it is *not carried* (``carried`` False,
            left out of every pooled figure and table; see :meth:`metrics`).

        Returns
        -------
        Panel

        Raises
        ------
        DuplicateEntryError
            A (store, brand, date) occurs on more than one row; the message
            names the first duplicates and their rows.
        MissingDataError
            Cells without a row inside a carried series (counted, and some
            named), a missing label, or with ``'no_movement'`` a series missing
            on the first day.  In both modes, a table that would fill less than
            1/32 of a dense panel of more than 2**22 cells (a mistyped year
            stretching the days, or a sparse store × brand product) is refused
            before anything is allocated; the message names the outlier date,
            or the density.
        InvalidValueError
            A negative or non-finite value, or a bad date, naming the row.
        ShapeMismatchError
            Columns of different lengths.
        EmptyInputError
            No rows.

        Notes
        -----
        The table may come in any row order; a table sorted by store, brand and
        date (in the labels' sort order) with every cell present is recognised
        by comparing each column with the pattern of its first rows and copied
        straight through, without factorizing the labels.  pandas Categorical
        codes and pyarrow dictionary indices serve as the label codes as they
        are.  Rows are numbered from 0 in the messages.

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
        store, brand, date, sales, inventory = same_rows(
            ("store", store),
            ("brand", brand),
            ("date", date),
            ("sales", sales),
            ("inventory", inventory),
        )
        table = from_long(store, brand, date, sales, inventory, missing=missing)
        return cls._from_checked(
            table.stores,
            table.brands,
            table.start,
            table.sales,
            table.inventory,
            carried=table.carried,
            whole_max=table.whole_max,
            signless=table.signless,
        )

    # ----------------------------------------------------------------- description

    __hash__ = None  # type: ignore[assignment]  # equal by value, holding arrays

    def __eq__(self, other: object) -> bool:
        """Equal panels: the same labels, start, carried mask and arrays (dtype included)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        return same_fields(self, other, _COMPARED)

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

    def _describe_cell(self, index: tuple[int, ...]) -> str:
        store, brand, day = index
        date = self.start + dt.timedelta(days=day)
        return f"{key_text(self.stores[store], self.brands[brand], date)} (index {index})"

    def _describe_series(self, index: tuple[int, ...]) -> str:
        store, brand = index
        return f"({key_text(self.stores[store], self.brands[brand])})"

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
        for value in items(dates, "dates", "dates"):
            day = as_date(value, "dates").toordinal() - first
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
            Panel._from_checked(
                self.stores,
                self.brands,
                self.start + dt.timedelta(days=d0),
                self.sales[:, :, d0 : d0 + cycle_days],
                self.inventory[:, :, d0 : d0 + cycle_days],
                carried=self.carried,
                whole_max=self._scan[0],
                signless=self._scan[1],
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
        workers: int | Literal["auto"] = "auto",
        method: LostSalesMethod = "seed",
    ) -> PanelMetrics:
        """The cycle metrics of every store × brand over the panel's days, in one pass.

        Parameters
        ----------
        token_stock : array_like, optional
            Stock at or below which a day without sales counts as a stockout
            (刻意留有库存) [cartons]; >= 0; broadcast against (stores, brands,
            days), e.g. ``tokens[:, None, None]`` for one value per store; a
            labelled stores × brands table is one per series, paired by label.
            Default 0.
        exclude : array_like of bool, optional
            True on days not counted (holidays, closures, data holes),
            broadcast against (stores, brands, days); :meth:`day_mask` builds
            one from dates.
        fallback_daily_rate : array_like, optional
            Daily rate [cartons/day] valuing the stockout days of a series
            without any effective day; broadcast against (stores, brands).
        workers : int or 'auto', optional
            Threads to use.  ``'auto'`` (default) runs panels of fewer than
            2**22 cells on the calling thread (threads cost more than they
            save there) and larger ones on one thread per core.  The threads
            come from one pool kept for the process.  The results do not
            depend on it.
        method : {"seed", "censored", "weekday"}, optional
            How stockout days are valued, as for
            :func:`~tobacco_metrics.cycle_metrics`: ``"seed"`` (default) the
            source's formula; ``"censored"`` the lost sales the censored-demand
            model, fitted once on the whole panel (every store × brand informs
            the district's weekday and week effects), expects on each day.

        Returns
        -------
        PanelMetrics
            Arrays shaped (stores, brands), equal to what
            :func:`~tobacco_metrics.cycle_metrics` returns for the same arrays,
            except for the series not carried (``carried`` False): NaN float
            metrics and 0 day counts, and left out of the pooled figures.

        Raises
        ------
        EmptyInputError
            Every day of some carried store × brand excluded (a series not
            carried is left out, its exclusions too).
        InvalidValueError, ShapeMismatchError
            Bad options, as for :func:`~tobacco_metrics.cycle_metrics`; values
            whose sums or ratios overflow float64 (the same error on every path).

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
        token_stock, exclude, fallback_daily_rate = on_panel_axes(
            self, token_stock=token_stock, exclude=exclude, fallback_daily_rate=fallback_daily_rate
        )
        values = panel_kernel(
            self.sales,
            self.inventory,
            token_stock=token_stock,
            exclude=exclude,
            fallback_daily_rate=fallback_daily_rate,
            workers=workers,
            describe_series=self._describe_series,
            whole_max=self._scan[0],
            signless=self._scan[1],
            carried=self.carried,
        )
        counted = PanelMetrics._from_kernel(
            values,
            stores=self.stores,
            brands=self.brands,
            start=self.start,
            end=self.end,
            carried=self.carried,
        )
        if method == "seed":
            return counted
        daily = model_daily_lost(
            self.sales, self.inventory, method, self.start, token_stock=token_stock, exclude=exclude
        )
        return with_projected(counted, self._carried_only(daily.sum(axis=-1)))

    def _carried_only(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """NaN for the series not carried (the rule of every per-series metric)."""
        return np.where(self.carried, values, np.nan)

    def metrics_by_cycle(
        self,
        cycle_days: int = 7,
        *,
        partial: Literal["error", "keep", "drop"] = "error",
        token_stock: ArrayLike = 0,
        exclude: ArrayLike | None = None,
        fallback_daily_rate: ArrayLike | None = None,
        workers: int | Literal["auto"] = "auto",
        method: LostSalesMethod = "seed",
    ) -> PanelCycleMetrics:
        """The metrics of every delivery cycle of every store × brand, as one result.

        Parameters
        ----------
        cycle_days, partial
            As for :meth:`cycles`: days per cycle (default 7) and what to do
            with trailing days that do not fill a cycle.
        token_stock, exclude
            As for :meth:`metrics`, over the whole panel's (stores, brands,
            days); each cycle gets its own days of them.
        fallback_daily_rate, workers
            As for :meth:`metrics`, for every cycle.
        method : {"seed", "censored", "weekday"}, optional
            As for :meth:`metrics`; a model is fitted once on the whole panel
            and each cycle's P is the sum of its days' expected lost sales.

        Returns
        -------
        PanelCycleMetrics
            Arrays shaped (cycles, stores, brands): cycle *c* is what
            ``self.cycles(cycle_days, partial=partial)[c].metrics(...)`` gives.
            No cycle at all (``partial='drop'`` on a panel shorter than one
            cycle) gives 0 cycles, as the command line then writes no row.

        Examples
        --------
        >>> panel = Panel(["C001"], ["B"], "2026-03-02",
        ...               [[[6, 8, 0, 5, 0, 7, 4, 1, 1, 1, 1, 1, 1, 1]]],
        ...               [[[20, 12, 0, 25, 0, 18, 14, 5, 5, 5, 5, 5, 5, 5]]])
        >>> weekly = panel.metrics_by_cycle(7)
        >>> weekly.stockout_days.tolist(), weekly.starts
        ([[[2]], [[0]]], (datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)))
        >>> weekly.to_frame()["fulfilment_ratio"].round(3).tolist()
        [0.714, 1.0]
        """
        token_stock, exclude, fallback_daily_rate = on_panel_axes(
            self, token_stock=token_stock, exclude=exclude, fallback_daily_rate=fallback_daily_rate
        )
        cycles = self.cycles(cycle_days, partial=partial)
        token = quantities(token_stock, "token_stock")
        broadcast_to_shape(token, self.shape, "token_stock")
        excluded = None
        if exclude is not None:
            excluded = bool_mask(exclude, "exclude")
            broadcast_to_shape(excluded, self.shape, "exclude")
        daily = None
        if method != "seed":
            daily = model_daily_lost(
                self.sales, self.inventory, method, self.start, token_stock=token, exclude=excluded
            )
        results = []
        first = 0
        for cycle in cycles:
            days = slice(first, first + cycle.n_days)
            counted = cycle.metrics(
                token_stock=self._days_of(token, days),
                exclude=None if excluded is None else self._days_of(excluded, days),
                fallback_daily_rate=fallback_daily_rate,
                workers=workers,
            )
            if daily is not None:  # the model fitted once on the whole panel values each cycle
                counted = with_projected(counted, self._carried_only(daily[..., days].sum(-1)))
            results.append(counted)
            first += cycle.n_days
        return PanelCycleMetrics._stack(
            results, stores=self.stores, brands=self.brands, carried=self.carried
        )

    def _days_of(self, option: NDArray[Any], days: slice) -> NDArray[Any]:
        """The given days of an option broadcast against (stores, brands, days)."""
        if option.ndim and option.shape[-1] == self.n_days and self.n_days != 1:
            return option[..., days]
        return option

    # ----------------------------------------------------------------- round trips

    def to_xarray(self) -> xr.Dataset:
        """The panel as an xarray Dataset: ``sales`` and ``inventory`` over (store, brand, date).

        Dates are ``datetime64[ns]`` coordinates; the ``carried`` mask is a data
        variable over (store, brand). Needs xarray (``pip install
        "tobacco-metrics[xarray]"``). :meth:`from_xarray` gives the panel back.

        Examples
        --------
        >>> panel = Panel(["C001"], ["B"], "2026-03-02", [[[1, 0]]], [[[3, 3]]])
        >>> dataset = panel.to_xarray()
        >>> dataset["sales"].dims, str(dataset["date"].values[0])[:10]
        (('store', 'brand', 'date'), '2026-03-02')
        >>> back = Panel.from_xarray(dataset)
        >>> back.stores, back.brands, back.start == panel.start, back.sales.tolist()
        (('C001',), ('B',), True, [[[1, 0]]])
        """
        return panel_to_xarray(self)

    @classmethod
    def from_xarray(cls, dataset: Any) -> Panel:
        """A panel from an xarray Dataset: ``sales``, ``inventory`` over (store, brand, date).

        The inverse of :meth:`to_xarray`: dates must be consecutive days; the
        values are checked as by the constructor.
        """
        return panel_from_xarray(dataset, panel_class=cls)

    _repr_html_ = notebook_table(panel_html)

    @overload
    def to_long(self, frame: None = None) -> dict[str, NDArray[Any]]: ...
    @overload
    def to_long(self, frame: Literal["pandas"]) -> pd.DataFrame: ...
    @overload
    def to_long(self, frame: Literal["polars"]) -> pl.DataFrame: ...
    def to_long(
        self, frame: Literal["pandas", "polars"] | None = None
    ) -> dict[str, NDArray[Any]] | pd.DataFrame | pl.DataFrame:
        """The panel as long-table columns (store, brand, date, sales, inventory), sorted.

        ``Panel.from_long(**panel.to_long())`` gives the panel back: the
        series not carried have no rows. With ``frame="pandas"`` or
        ``"polars"`` the columns come as a DataFrame of that library (dates
        as ``datetime64``; needs that library).

        Examples
        --------
        >>> panel = Panel(["C001"], ["B"], "2026-03-02", [[[1, 0]]], [[[3, 3]]])
        >>> {name: column.tolist() for name, column in panel.to_long().items()}
        {'store': ['C001', 'C001'], 'brand': ['B', 'B'],
         'date': [datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)],
         'sales': [1, 0], 'inventory': [3, 3]}
        """
        if frame is not None:
            return panel_to_long_frame(self, frame)
        n_stores, n_brands, n_days = self.shape
        stores = np.fromiter(self.stores, dtype=object, count=n_stores)
        brands = np.fromiter(self.brands, dtype=object, count=n_brands)
        first = np.datetime64(self.start, "D")
        dates = first + np.arange(n_days)
        columns = {
            "store": np.repeat(stores, n_brands * n_days),
            "brand": np.tile(np.repeat(brands, n_days), n_stores),
            "date": np.tile(dates, n_stores * n_brands),
            "sales": self.sales.reshape(-1).copy(),
            "inventory": self.inventory.reshape(-1).copy(),
        }
        if not self.carried.all():
            rows = np.repeat(self.carried.reshape(-1), n_days)
            columns = {name: column[rows] for name, column in columns.items()}
        return columns

    def to_dict(self) -> dict[str, Any]:
        """The panel as a JSON-friendly dict (ISO start, nested lists); ``from_dict`` reads it.

        ``carried`` is included only when some series is not carried.
        """
        data = {
            "stores": list(self.stores),
            "brands": list(self.brands),
            "start": self.start.isoformat(),
            "sales": self.sales.tolist(),
            "inventory": self.inventory.tolist(),
        }
        if not self.carried.all():
            data["carried"] = self.carried.tolist()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Panel:
        """Build a panel from a dict such as :meth:`to_dict` returns (values checked)."""
        cv.check_known_keys(cls, data)  # the private "already checked" _scan is not for data
        if "carried" in data:
            data = {**data, "carried": np.asarray(data["carried"], dtype=np.bool_)}
        return cls(**data)
