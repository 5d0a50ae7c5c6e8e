"""Writing reports safely (private: used by the command line).

A report is a list of column names and one numpy array per column.  Numbers
are rounded to a stated number of decimals; NaN and ±inf are written as empty
cells in CSV (a spreadsheet reads them as blanks, never as the text ``nan``)
and kept as such in Parquet, which stores them.  Floats are written in their
shortest form (``3``, ``0.5``) and text in double quotes: the same bytes with
pyarrow or without.

File safety:

* ``-`` writes to standard output;
* an output named ``.xlsx`` is an Excel workbook (:mod:`tobacco_metrics._workbook_out`;
  refused before the input is read without openpyxl); one named ``.xls``/``.xlsm``,
  a folder, or a file in a folder that does not exist is refused before the input is read;
* an output that is the input (the same device and inode, whatever the path)
  is refused;
* a symlink is written through (its target is replaced, the link stays), and
  a FIFO or device (``/dev/stdout``) is written into directly;
* a regular file is written to a temporary file beside it and renamed into
  place only when complete, so a failure never leaves a partial file; a new
  file gets the mode the umask gives, an existing file keeps its mode.
"""

from __future__ import annotations

import codecs
import contextlib
import math
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import attrs
import numpy as np
from numpy.typing import NDArray


@attrs.frozen(eq=False)
class Coded:
    """A text column stored as codes into labels (store and brand columns of a report)."""

    codes: NDArray[Any]
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)

    def text(self) -> NDArray[Any]:
        labels = np.empty(len(self.labels), dtype=object)
        labels[:] = self.labels
        values: NDArray[Any] = labels[self.codes]
        return values


Columns = dict[str, Any]


class OutputError(Exception):
    """An output that must not be written (the input itself, say)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_not_input(output: str, inputs: Sequence[str]) -> None:
    """Refuse an output that is one of the inputs (same device and inode)."""
    if output == "-":
        return
    try:
        target = os.stat(output)
    except OSError:
        return
    for name in inputs:
        if name == "-":
            continue
        try:
            source = os.stat(name)
        except OSError:
            continue
        if (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino) and stat.S_ISREG(
            target.st_mode
        ):
            raise OutputError(
                f"{output} is the input file {name}: write the report to another file"
            )


def is_workbook_name(path: str) -> bool:
    """Whether a report is to be written as a workbook (its name ends in ``.xlsx``).

    >>> is_workbook_name("report.XLSX"), is_workbook_name("report.csv"), is_workbook_name("-")
    (True, False, False)
    """
    return path.lower().endswith(".xlsx")


def check_output(output: str) -> None:
    """Refuse, before any work, an output that cannot be written: an Excel name, a folder
    that does not exist, or a folder."""
    if output == "-":
        return
    if output.lower().endswith((".xls", ".xlsm")):
        raise OutputError(
            f"{output}: reports are written as CSV, Parquet or an Excel workbook (.xlsx), not as "
            f"an Excel {'97-2003' if output.lower().endswith('.xls') else 'macro-enabled'} "
            "workbook: name the output .xlsx or .csv"
        )
    if is_workbook_name(output):
        from tobacco_metrics import _workbook_out

        _workbook_out.check_openpyxl()
    if os.path.isdir(output):
        raise OutputError(
            f"{output} is a folder: name a file in it, e.g. {output.rstrip('/')}/report.csv"
        )
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise OutputError(f"the folder of {output} does not exist: create {folder} first")


@contextlib.contextmanager
def open_output(path: str) -> Iterator[BinaryIO]:
    """A binary stream for ``path`` that replaces it only once complete (see the module)."""
    if path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    try:
        existing: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with open(path, "wb") as handle:  # a FIFO or a device: write into it
            yield handle
        return
    target = os.path.realpath(path)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    directory = os.path.dirname(target) or "."
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
        )
    except OSError as error:  # its message would name the temporary file
        raise OutputError(
            f"{path}: cannot write in the folder {directory} ({error.strerror})"
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _rounded(values: Any, decimals: int) -> Any:
    if isinstance(values, Coded):
        return values
    values = np.asarray(values)
    if values.dtype.kind == "f":
        rounded: NDArray[Any] = np.round(np.asarray(values, dtype=np.float64), decimals)
        return rounded
    return values


def _text(value: Any) -> str:
    """One CSV cell as pyarrow writes it: text quoted, floats shortest, NaN/inf empty."""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, float):
        if value != value or value in (math.inf, -math.inf):
            return ""
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def write(
    path: str,
    names: Sequence[str],
    parts: Iterable[Columns],
    *,
    decimals: int,
    engine: str = "auto",
    parquet: bool = False,
    bom: bool = False,
    sheet: str = "report",
) -> int:
    """Write a report, part by part (CSV, or Parquet when ``parquet``); returns its rows.

    Each part maps every one of ``names`` to a column; parts are converted and
    written one at a time, so a long report is never whole in memory twice.
    With ``bom`` a CSV starts with the UTF-8 byte-order mark, which Excel needs
    to read it as UTF-8 (without it, Excel on a Chinese Windows reads GBK and
    garbles every Chinese label).  A ``path`` ending in ``.xlsx`` is written as a
    workbook of one sheet named ``sheet`` (``engine``, ``parquet`` and ``bom`` unused).
    """
    if is_workbook_name(path):
        return _write_workbook(path, names, parts, decimals=decimals, sheet=sheet)
    use_arrow = _uses_arrow(engine, parquet)
    rows = 0
    with open_output(path) as handle:
        writer = _ArrowWriter(handle, names, parquet) if use_arrow else None
        if not parquet:
            _write_csv_header(handle, names, bom)
        for part in parts:
            rounded = {name: _rounded(part[name], decimals) for name in names}
            rows += len(rounded[names[0]])
            if writer is not None:
                writer.write(rounded)
            else:
                _write_text(handle, rounded)
        if writer is not None:
            writer.close()
    return rows


def _write_workbook(
    path: str, names: Sequence[str], parts: Iterable[Columns], *, decimals: int, sheet: str
) -> int:
    from tobacco_metrics import _workbook_out

    rounded = ({name: _rounded(part[name], decimals) for name in names} for part in parts)
    with open_output(path) as handle:
        return _workbook_out.write(handle, names, rounded, sheet=sheet)


def _uses_arrow(engine: str, parquet: bool) -> bool:
    """Whether a report is written through pyarrow: always for Parquet (OutputError
    without pyarrow), with ``engine='auto'`` when pyarrow imports, else when asked."""
    if not parquet and engine != "auto":
        return engine == "pyarrow"
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        if parquet:
            raise OutputError(
                "writing Parquet needs pyarrow: pip install 'tobacco-metrics[cli]'"
            ) from None
        return False
    return True


def _write_csv_header(handle: BinaryIO, names: Sequence[str], bom: bool) -> None:
    """The CSV header line (after the UTF-8 byte-order mark with ``bom``)."""
    if bom:
        handle.write(codecs.BOM_UTF8)
    handle.write((",".join(names) + "\n").encode())  # plain names: no quotes needed


def _write_text(handle: BinaryIO, columns: Columns) -> None:
    lists = [
        (column.text() if isinstance(column, Coded) else column).tolist()
        for column in columns.values()
    ]
    chunk: list[str] = []
    for row in zip(*lists, strict=True):
        chunk.append(",".join([_text(value) for value in row]))
        if len(chunk) == 10_000:
            handle.write(("\n".join(chunk) + "\n").encode())
            chunk.clear()
    if chunk:
        handle.write(("\n".join(chunk) + "\n").encode())


class _ArrowWriter:
    """Parts written through pyarrow: CSV text, or one Parquet file."""

    def __init__(self, handle: BinaryIO, names: Sequence[str], parquet: bool) -> None:
        self.handle = handle
        self.names = list(names)
        self.parquet = parquet
        self.writer: Any = None

    def _table(self, columns: Columns) -> Any:
        import pyarrow as pa
        import pyarrow.compute as pc

        arrays = []
        for name in self.names:
            values = columns.pop(name)
            if isinstance(values, Coded):
                labels = pa.array(list(values.labels), type=pa.string())
                arrays.append(pc.take(labels, pa.array(values.codes)))
            elif values.dtype.kind == "f" and not self.parquet:
                arrays.append(pa.array(values, mask=~np.isfinite(values)))
            elif values.dtype.kind == "O":
                arrays.append(pa.array(values.tolist(), type=pa.string()))
            else:
                arrays.append(pa.array(values))
            del values
        return pa.Table.from_arrays(arrays, names=self.names)

    def write(self, columns: Columns) -> None:
        table = self._table(columns)
        if self.parquet:
            import pyarrow.parquet as pq

            if self.writer is None:
                self.writer = pq.ParquetWriter(self.handle, table.schema)
            self.writer.write_table(table)
            return
        import pyarrow.csv as pcsv

        options = pcsv.WriteOptions(include_header=False, quoting_style="needed")
        pcsv.write_csv(table, self.handle, write_options=options)

    def close(self) -> None:
        if self.parquet and self.writer is None:  # no rows: an empty table of text columns
            import pyarrow as pa
            import pyarrow.parquet as pq

            empty = pa.table({name: pa.array([], type=pa.string()) for name in self.names})
            pq.write_table(empty, self.handle)
        elif self.writer is not None:
            self.writer.close()
