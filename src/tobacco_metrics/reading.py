"""Reading an ERP export file into a :class:`~tobacco_metrics.Panel` (明细表 → 面板).

The formulas of the library do no I/O.  This module is the one place a
notebook or a script reads a file itself, with the reader of the command
line, so that what ``tobacco-metrics cycle export.csv`` reads and what
``read_export("export.csv")`` reads are one panel.
"""

from __future__ import annotations

import os
import warnings
from typing import Literal

from tobacco_metrics import _headers, _io, _long_files
from tobacco_metrics._readers import build_panel
from tobacco_metrics._table_notes import table_notes
from tobacco_metrics.errors import ExportNote, InvalidValueError, TobaccoMetricsError
from tobacco_metrics.panel import Panel

__all__ = ["read_export"]


def read_export(
    path: str | os.PathLike[str],
    *,
    store: str = "store",
    brand: str = "brand",
    date: str = "date",
    sales: str = "sales",
    inventory: str = "inventory",
    missing: Literal["error", "no_movement"] = "error",
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Panel:
    """Read an ERP export (a long table, 明细表) as the command line reads it.

    The file holds one row per store, brand and day: a CSV or text file in
    UTF-8, UTF-16 or GBK (GB18030), a Parquet file, or an Excel workbook
    (``.xlsx``/``.xlsm``, the ``excel`` extra).  It is read by the command
    line's reader, which takes what real exports hold: title lines above the
    header, Chinese headers (客户编码, 卷烟编码, 日期, 销量, 库存, …), total
    rows (合计, 小计) and notes below the table, dates such as
    ``2026年3月2日`` or ``2026/3/2``, thousands separators, codes written as
    ``="0310"``, identical repeated rows.  Every such decision is issued as an
    :class:`~tobacco_metrics.errors.ExportNote` warning, as the command line
    prints it; everything else that is not a clean row is an error naming
    its line.

    Parameters
    ----------
    path : str or os.PathLike
        The export file.
    store, brand, date, sales, inventory : str, optional
        The header names of the five columns.  A name left at its default
        finds its column as the command line does without ``--columns``:
        that name, or a common ERP header, width, case and spaces aside.
    missing : {'error', 'no_movement'}, optional
        What a (store, brand, date) cell without a row means, as for
        :meth:`Panel.from_long <tobacco_metrics.Panel.from_long>`.
    encoding : str, optional
        The text encoding of a CSV file; by default detected.
    sheet : str or int, optional
        A workbook's sheet: its name, or its position counted from 1 (as
        the command line's ``--sheet``); by default the first visible one.

    Returns
    -------
    Panel
        Labels as text (``0310`` stays ``'0310'``), sorted; quantities
        [cartons] float64; a store × brand without any row not carried.

    Raises
    ------
    InvalidValueError, MissingDataError, DuplicateEntryError
        A file the command line refuses: the message names the file and
        its line (a workbook's row).
    OSError
        The file cannot be read.

    Warns
    -----
    ExportNote
        One per decision of the reader (lines skipped, rows collapsed, labels
        alike but for width or case, pairs not carried).

    See Also
    --------
    tobacco_metrics.Panel.from_frame : a table already in a dataframe.
    tobacco_metrics.dask.read_long : many files, a province, chunked over stores.

    Examples
    --------
    >>> import tempfile, warnings, pathlib
    >>> import tobacco_metrics as tm
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = (
    ...     "门店日报,2026年3月\\n"
    ...     "客户编码,卷烟编码,日期,销量(条),库存(条)\\n"
    ...     "0310,6901028075018,2026/3/2,3,5\\n"
    ...     "0310,6901028075018,2026/3/3,5,0\\n"
    ...     "合计,,,8,5\\n"
    ... )
    >>> _ = (folder / "export.csv").write_bytes(text.encode("gbk"))
    >>> with warnings.catch_warnings(record=True) as notes:
    ...     warnings.simplefilter("always")
    ...     panel = tm.read_export(folder / "export.csv")
    >>> panel
    Panel(1 stores × 1 brands × 2 days, 2026-03-02 to 2026-03-03, sales float64, inventory float64)
    >>> panel.stores, panel.sales.tolist()
    (('0310',), [[[3.0, 5.0]]])
    >>> [str(note.message) for note in notes]
    ['the header is on line 2: 1 line above it skipped', '1 total row skipped: line 5 (合计)']
    """
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"'path' must be a str or os.PathLike of str, got {type(path).__name__}")
    names = (store, brand, date, sales, inventory)
    for column, given in zip(_headers.COLUMNS, names, strict=True):
        if not isinstance(given, str) or not given.strip():
            raise TypeError(f"{column!r} must be a header name (a non-empty str): {given!r}")
    if missing not in ("error", "no_movement"):
        raise InvalidValueError(f"'missing' must be 'error' or 'no_movement': {missing!r}")
    chosen = _sheet(sheet)
    try:
        table = _io.read_table(
            _io.Source(name),
            encoding=encoding,
            columns=_long_files.column_mapping(names),
            sheet=chosen,
        )
        for note in table_notes(table):
            warnings.warn(_long_files.as_keywords(note), ExportNote, stacklevel=2)
        panel, _ = build_panel(table, missing)
    except (_io.BadRowsError, TobaccoMetricsError) as error:
        raise _long_files.reader_error(name, error) from None
    return panel


def _sheet(sheet: object) -> str | None:
    """A sheet as the reader takes it: its name, or its position from 1 as text."""
    if sheet is None or isinstance(sheet, str):
        return sheet
    if isinstance(sheet, bool) or not isinstance(sheet, int):
        raise TypeError(f"'sheet' must be a sheet name or a position from 1, got {sheet!r}")
    if sheet < 1:
        raise InvalidValueError(f"'sheet' positions count from 1: {sheet}")
    return str(sheet)
