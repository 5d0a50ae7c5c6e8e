"""Panels from dataframes: pandas, polars, pyarrow and any Arrow-compatible table.

An ERP export loaded into a dataframe becomes a :class:`~tobacco_metrics.Panel`
with the rules the command line applies to files (see
:doc:`/tutorials/erp-export-to-report`): English or common Chinese headers,
the date formats ERP systems write, labels stripped, identical rows collapsed,
conflicting rows refused, and store × brand pairs without any row treated as
not carried.  The frame is read through Apache Arrow, so pyarrow is needed
(``pip install "tobacco-metrics[cli]"``); it is imported only when called.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from tobacco_metrics import _readers
from tobacco_metrics.panel import Panel

__all__ = ["panel_from_frame"]


def _dates_as_text(frame: Any) -> Any:
    """A copy of a pandas frame whose object columns hold ISO text instead of date objects."""
    copy = frame.copy()
    for name in copy.columns:
        if copy[name].dtype == object:
            copy[name] = copy[name].map(
                lambda value: value.isoformat() if isinstance(value, dt.date) else value
            )
    return copy


def _arrow_table(frame: Any) -> Any:
    """The frame as a ``pyarrow.Table``; TypeError for something that is not a table."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - the environment has pyarrow
        raise ImportError(
            "panel_from_frame reads frames through Apache Arrow: pip install "
            "'tobacco-metrics[cli]' (or pyarrow)"
        ) from None
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    try:
        if type(frame).__module__.startswith("pandas") and hasattr(frame, "columns"):
            try:
                return pa.Table.from_pandas(frame, preserve_index=None)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                # an object column mixing dates and text (dates typed in by hand beside
                # parsed ones): the dates as ISO text, which the date reader parses like CSV
                return pa.Table.from_pandas(_dates_as_text(frame), preserve_index=None)
        if hasattr(frame, "__arrow_c_stream__"):
            return pa.table(frame)
        if hasattr(frame, "__dataframe__"):
            import pyarrow.interchange as interchange

            return interchange.from_dataframe(frame)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
        raise TypeError(f"'frame' cannot be read as a table: {error}") from None
    raise TypeError(
        "'frame' must be a dataframe (pandas, polars, pyarrow, or an object with the Arrow "
        f"PyCapsule or dataframe interchange interface), got {type(frame).__name__}"
    )


def panel_from_frame(
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
        surrounding whitespace.
    missing : {'error', 'no_movement'}
        A day without a row in a carried series: refuse (default), or read it
        as a day without movement (no sales, the stock of the day before), as
        in :meth:`Panel.from_long`.

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
        more days than the rows fill (a mistyped year).
    DuplicateEntryError
        Two different rows for the same store, brand and date (both named).
    TypeError
        Not a dataframe, or a column of a type that cannot hold the field.
    ImportError
        pyarrow is not installed.

    Notes
    -----
    The rules, shared with ``python -m tobacco_metrics cycle``:

    * dates may be dates, midnight timestamps, or text such as ``2026-03-02``,
      ``2026/3/2``, ``20260302`` (with an optional ``00:00:00``) or a
      five-digit Excel day number; ``03/02/2026`` is refused as ambiguous;
    * labels are read as text and stripped (``" C001"`` is ``"C001"``);
    * rows identical in all five fields are collapsed into one; two rows for
      one (store, brand, date) that differ are an error;
    * a store × brand pair without any row is not carried: the panel has
      zero sales and zero stock for it on every day.

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
    >>> panel = panel_from_frame(export, missing="no_movement")  # row 2 repeats row 1
    >>> panel
    Panel(2 stores × 1 brands × 2 days, 2026-03-02 to 2026-03-03, sales float64, inventory float64)
    >>> panel.stores, panel.sales.tolist()
    (('C001', 'C002'), [[[3.0, 1.0]], [[2.0, 0.0]]])
    """
    table = _arrow_table(frame)
    mapping = {
        name: column
        for name, column in (
            ("store", store),
            ("brand", brand),
            ("date", date),
            ("sales", sales),
            ("inventory", inventory),
        )
        if column is not None
    }
    long = _readers.from_arrow(
        table, mapping, lambda column: f"{column}='NAME'", lambda row: f"row {row}"
    )
    panel, _ = _readers.build_panel(long, missing)
    return panel
