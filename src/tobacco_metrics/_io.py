"""Reading export files for the command line (private: the core does no I/O).

An ERP export is a long CSV (or Parquet) file with one row per store, brand
and day.  The encoding (UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, or
GB18030, which covers GBK and GB2312) and the delimiter (comma, semicolon or
tab) are detected from the first 64 KiB (read on, up to 64 MiB, while the first
lines are longer); the columns are found by the header rules of
:mod:`tobacco_metrics._headers` (in a header of one line, or of two lines by the
rules of :mod:`tobacco_metrics._header_rows`), and rows that are not data (blank, total, title
and repeated header rows) by :mod:`tobacco_metrics._export_rows`.  An Excel
workbook is read by :mod:`tobacco_metrics._workbook`, its rows through the same
loop as CSV text (:func:`tobacco_metrics._row_reader.read_rows`).

Two engines read a CSV: pyarrow when installed (the ``cli`` extra) and the
standard library's ``csv`` module otherwise.  The pyarrow engine reads a
plain dense export in two streaming passes, labels and dates first, then each
block's quantities straight into the panel's cells, so its peak memory is about
the panel's; other shapes (a long date span, a sparse table) are read in one
pass into compact row arrays.  At the first problem in a file the pyarrow
engine stops and the standard-library engine reads the file again, so every
error names its line the same way whichever engine is installed.  The
standard-library engine collects every bad row with its line number, so a user
fixes a file in one go.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import os
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, BinaryIO

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics import _export_rows as _rows
from tobacco_metrics import _header_rows, _headers, _readers
from tobacco_metrics._calendar import calendar_problems
from tobacco_metrics._readers import LongTable
from tobacco_metrics._row_reader import SHOWN, read_rows
from tobacco_metrics._row_reader import BadRowsError as BadRowsError  # where the CLI finds it
from tobacco_metrics.errors import MissingDataError, TobaccoMetricsError
from tobacco_metrics.panel._long import too_sparse

_SAMPLE = 1 << 16
_WIDEST = 1 << 26  # the most read to find the header of a wide export
HEADER_LINES = 30  # the header is looked for in this many first lines
_WORKBOOKS = (b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"))  # .xlsx (a ZIP), .xls


def has_pyarrow() -> bool:
    """Whether pyarrow can be imported (the fast engine)."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


@attrs.frozen
class Source:
    """An input: a path, or ``-`` for standard input (read whole into ``data``)."""

    name: str
    data: bytes | None = None

    @classmethod
    def open(cls, name: str) -> Source:
        if name == "-":
            return cls("<stdin>", sys.stdin.buffer.read())
        return cls(name)

    def binary(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        return open(self.name, "rb")

    def head(self, size: int = _SAMPLE) -> bytes:
        with self.binary() as handle:
            return handle.read(size)

    @property
    def is_parquet(self) -> bool:
        return self.name.lower().endswith((".parquet", ".pq"))


@attrs.frozen
class Dialect:
    """What the first 64 KiB of a CSV say: encoding, delimiter and header.

    The header is the first of the first lines that names the five columns
    (an export may put a title and a date above it); ``skip`` counts the lines
    above it.  ``guessed`` is True when UTF-8 was assumed from a sample of ASCII only: GBK
    text further on is then read by trying GB18030 once UTF-8 fails.
    """

    encoding: str
    delimiter: str
    header: list[str]
    guessed: bool = False
    skip: int = 0  # lines above the header (an export's title), skipped
    # Where rows that are not data end the file (blank, empty cells, totals): the byte
    # offset the pyarrow engine stops at, and those total rows with their line numbers.
    end: int | None = None
    trailer: tuple[tuple[int, list[str]], ...] = ()
    # A header of two rows (:mod:`tobacco_metrics._header_rows`): each name's group, and
    # the two rows as written (a repeated header is either of them).
    groups: tuple[str, ...] = ()
    written: tuple[list[str], ...] = ()

    @property
    def depth(self) -> int:
        """The rows the header takes: 1, or 2 for a header of two rows."""
        return len(self.written) or 1


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str:
    """``utf-16-le`` or ``-be`` when every other byte is mostly zero (ASCII digits and
    commas in UTF-16), else ``''``."""
    for encoding, zeros, others in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if len(sample) >= 8 and zeros.count(0) * 2 > len(zeros) >= others.count(0) * 8:
            return encoding
    return ""


def sniff(
    source: Source, encoding: str | None, columns: Mapping[str, str] | None = None
) -> Dialect:
    """Detect (or check) the encoding, then find the header line and its delimiter."""
    sample = source.head()
    if sample.startswith(_WORKBOOKS):
        raise BadRowsError(
            source.name,
            [
                (
                    1,
                    "an Excel workbook (or another ZIP archive), not CSV text: save it from Excel "
                    "as CSV (CSV UTF-8) or Parquet and read that",
                )
            ],
            1,
        )
    encoding, guessed = _encoding(source, sample, encoding)
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError as error:
        line = sample[: error.start].count(b"\n") + 1
        raise BadRowsError(
            source.name, [(line, f"not {encoding} text: pass --encoding NAME")], 1
        ) from None
    lines = _first_lines(source, sample, text, encoding)
    return _header(source, encoding, lines, guessed, columns)


def _first_lines(source: Source, sample: bytes, text: str, encoding: str) -> list[str]:
    """The whole lines of the sample; read on (up to 64 MiB) while the lines the header is
    looked for in are longer than the sample (a wide export)."""
    size = _SAMPLE
    while len(sample) == size and size < _WIDEST and len(text.splitlines()) <= HEADER_LINES:
        size *= 4
        sample = source.head(size)
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text = decoder.decode(sample, final=False)
    lines = text.lstrip("\ufeff").splitlines()
    if len(sample) == size and len(lines) > 1:
        lines.pop()  # cut off by the sample's end
    return lines


def _encoding(source: Source, sample: bytes, given: str | None) -> tuple[str, bool]:
    """The encoding named (checked) or detected, and whether it is a guess (ASCII so far)."""
    if given is not None:
        try:
            encoding = codecs.lookup(given).name
        except LookupError:
            raise BadRowsError(source.name, [(1, f"unknown encoding {given!r}")], 1) from None
        if encoding in ("utf-8", "utf_8") and sample.startswith(codecs.BOM_UTF8):
            return "utf-8-sig", False
        return encoding, False
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    without_bom = _utf16_without_bom(sample)
    if without_bom:
        return without_bom, False
    if _decodes(sample, "utf-8"):
        return "utf-8", sample.isascii() and len(sample) == _SAMPLE
    if _decodes(sample, "gb18030"):
        return "gb18030", False
    raise BadRowsError(
        source.name,
        [(1, "the file is neither UTF-8 nor GB18030/GBK text: pass --encoding NAME")],
        1,
    )


def _header(
    source: Source,
    encoding: str,
    lines: list[str],
    guessed: bool,
    columns: Mapping[str, str] | None,
) -> Dialect:
    """The first of the first lines that names the columns as header; else the first line
    that names any of them (a header with a problem that read_table names), else the first."""
    dialects = [
        _header_dialect(source, encoding, line, number, guessed)
        for number, line in enumerate(lines[:HEADER_LINES])
        if line.strip()
    ]
    if not dialects:
        raise BadRowsError(source.name, [(1, "the file is empty: expected a header")], 1)
    return pick_header(dialects, columns)


def pick_header(dialects: list[Dialect], columns: Mapping[str, str] | None) -> Dialect:
    """Of the dialects of the first non-blank lines (or rows), the header's: see _header;
    a line and the next make one header by the rules of :mod:`tobacco_metrics._header_rows`."""
    for dialect, below in itertools.zip_longest(dialects, dialects[1:]):
        if below is not None and below.skip == dialect.skip + 1:
            both = _two_rows(dialect, below, columns)
            if both is not None:
                return both
        try:
            _headers.resolve_columns(dialect.header, columns, _option, dialect.groups)
        except MissingDataError:  # not the header: a title line above it, say
            continue
        except TobaccoMetricsError:
            if not _headers.known_names(dialect.header, columns):
                continue  # a data line ('0' twice), not a header
        return dialect
    return max(dialects, key=lambda dialect: _headers.known_names(dialect.header, columns))


def _two_rows(
    dialect: Dialect, below: Dialect, columns: Mapping[str, str] | None
) -> Dialect | None:
    """The header of two rows that ``dialect``'s line and the next make; None if they do not."""
    if below.delimiter != dialect.delimiter:
        return None
    both = _header_rows.two_rows(dialect.header, below.header, columns)
    if both is None:
        return None
    names, groups = both
    written = (list(dialect.header), list(below.header))
    return attrs.evolve(dialect, header=names, groups=tuple(groups), written=written)


def _header_dialect(
    source: Source, encoding: str, line: str, number: int, guessed: bool
) -> Dialect:
    """The dialect if line ``number`` (from 0) is the header: its delimiter and names."""
    counts = {delimiter: line.count(delimiter) for delimiter in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    try:
        header = next(csv.reader([line], delimiter=delimiter))
    except csv.Error as error:
        raise BadRowsError(
            source.name, [(number + 1, f"the header cannot be read: {error}")], 1
        ) from None
    return Dialect(encoding, delimiter, header, guessed, number)


def _option(column: str) -> str:
    return f"--columns {column}=NAME"


def header_columns(
    name: str, dialect: Dialect, columns: Mapping[str, str] | None, unit: str = "line"
) -> list[int]:
    """Where the header puts the five columns; BadRowsError naming its line if it cannot."""
    try:
        return _headers.resolve_columns(dialect.header, columns, _option, dialect.groups)
    except TobaccoMetricsError as error:
        raise BadRowsError(name, [(dialect.skip + 1, str(error))], 1, unit) from None


def read_table(
    source: Source,
    *,
    encoding: str | None = None,
    columns: Mapping[str, str] | None = None,
    engine: str = "auto",
    sheet: str | None = None,
    dialect: Dialect | None = None,
) -> LongTable:
    """Read and check an export (CSV, Parquet or an Excel workbook's ``sheet``); errors name
    the line (the row for Parquet and workbooks).  ``dialect``: what :func:`sniff` found
    in this CSV with these ``encoding`` and ``columns``, when the caller sniffed it."""
    from tobacco_metrics import _workbook

    if _workbook.is_workbook(source):
        return _workbook.read_workbook(source, columns, sheet, encoding)
    table = _read_table(source, encoding, columns, engine, dialect)
    if sheet is None:
        return table
    note = f"--sheet {sheet} ignored: {source.name} is not a workbook but holds one table"
    return attrs.evolve(table, notes=(*table.notes, note))


def _read_table(
    source: Source,
    encoding: str | None,
    columns: Mapping[str, str] | None,
    engine: str,
    dialect: Dialect | None = None,
) -> LongTable:
    """Read and check a CSV or Parquet export."""
    if source.is_parquet:
        return _read_parquet(source, columns)
    if dialect is None:
        dialect = sniff(source, encoding, columns)
    where = header_columns(source.name, dialect, columns)
    if (engine == "auto" and has_pyarrow()) or engine == "pyarrow":
        dialect = _with_trailer(source, dialect, where)
        try:
            table = _read_cells(source, dialect, where)
            if table is None:
                table = _read_arrow_csv(source, dialect, where)
        except _RetryError:
            table = None
        if table is not None:
            return attrs.evolve(
                table,
                notes=_rows.notes(
                    dialect.skip, dialect.header, list(dialect.trailer), written=dialect.written
                ),
            )
    try:
        return _read_text(source, dialect, where)
    except _UndecodableError as error:
        if not dialect.guessed:
            raise BadRowsError(*error.args) from None
    try:  # ASCII at the start, then not UTF-8: GBK text, most likely
        return _read_table(source, "gb18030", columns, engine)
    except BadRowsError as error:
        if "not gb18030 text" not in str(error):
            raise
        line = error.problems[0][0]
        message = "neither UTF-8 nor GB18030 text: pass --encoding NAME"
        raise BadRowsError(source.name, [(line, message)], 1) from None


class _UndecodableError(Exception):
    """A line that does not decode (arguments as BadRowsError's)."""


def _read_parquet(source: Source, columns: Mapping[str, str] | None) -> LongTable:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise BadRowsError(
            source.name,
            [(1, "reading Parquet needs pyarrow: pip install 'tobacco-metrics[cli]'")],
            1,
        ) from None
    import pyarrow as pa

    try:
        table = pq.read_table(source.binary() if source.data is not None else source.name)
    except (pa.ArrowException, OSError) as error:
        raise BadRowsError(source.name, [(1, f"not a Parquet file: {error}")], 1) from None
    return _readers.from_arrow(table, columns, _option, lambda row: f"row {row}")


class _RetryError(Exception):
    """The fast path met a problem: read again with the standard library for the message."""


def _retry(row: int) -> str:
    raise _RetryError


class _Limited(io.RawIOBase):
    """The first ``limit`` bytes of a binary stream (all of it when None)."""

    def __init__(self, handle: BinaryIO, limit: int | None) -> None:
        self.handle = handle
        self.left = limit if limit is not None else 1 << 62

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.handle.read(min(len(buffer), self.left))
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)


def _with_trailer(source: Source, dialect: Dialect, where: list[int]) -> Dialect:
    """The dialect with the rows that end the file without data (blank rows, rows of empty
    cells, 合计 rows) found, so that the pyarrow engine stops before them."""
    if dialect.encoding not in ("utf-8", "utf-8-sig", "gb18030"):
        return dialect  # a newline byte is a newline only in these
    with source.binary() as handle:
        size = handle.seek(0, os.SEEK_END)
        start = handle.seek(max(0, size - _SAMPLE))
        tail = handle.read()
        pieces = tail.split(b"\n")
        end, junk = size, []
        for number, piece in reversed(list(enumerate(pieces))):
            if number == 0 and start > 0:
                break  # cut by the sample: not a whole line
            try:
                text = piece.decode(dialect.encoding).lstrip("\ufeff")
                row = next(csv.reader([text], delimiter=dialect.delimiter), [])
            except (UnicodeDecodeError, csv.Error):
                break
            if not _rows.is_blank(row) and not _rows.is_total(row, where):
                break
            end -= len(piece) + (number < len(pieces) - 1)
            if not _rows.is_blank(row):
                junk.append((end, row))
        if end == size:
            return dialect
        handle.seek(0)
        lines = _count_lines(handle, end)
    trailer = tuple(
        (lines + 1 + tail[end - start : at - start].count(b"\n"), row) for at, row in reversed(junk)
    )
    return attrs.evolve(dialect, end=end, trailer=trailer)


def _count_lines(handle: BinaryIO, end: int) -> int:
    """The newlines in the first ``end`` bytes of ``handle``."""
    count = 0
    while end > 0:
        block = handle.read(min(end, 1 << 24))
        if not block:
            break
        count += block.count(b"\n")
        end -= len(block)
    return count


def _arrow_batches(source: Source, dialect: Dialect, where: list[int], columns: int) -> Any:
    """The CSV's record batches (2 MiB blocks), with the first ``columns`` of the five."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f"c{i}" for i in range(len(dialect.header))]
    label = pa.dictionary(pa.int32(), pa.string())
    kinds = [label, label, label, pa.float64(), pa.float64()]
    wanted = [names[i] for i in where[:columns]]
    encoding = "utf8" if dialect.encoding in ("utf-8", "utf-8-sig") else dialect.encoding
    whole = source.data is None and dialect.end is None
    with contextlib.nullcontext() if whole else source.binary() as handle:
        reader = pcsv.open_csv(
            source.name if handle is None else _Limited(handle, dialect.end),
            read_options=pcsv.ReadOptions(
                encoding=encoding,
                skip_rows=dialect.skip + dialect.depth,
                column_names=names,
                block_size=1 << 21,
            ),
            parse_options=pcsv.ParseOptions(delimiter=dialect.delimiter),
            convert_options=pcsv.ConvertOptions(
                column_types=dict(zip(wanted, kinds, strict=False)),
                include_columns=wanted,
                null_values=[],
                strings_can_be_null=False,
            ),
        )
        for batch in reader:
            yield [batch.column(name) for name in wanted]


def _dictionary(column: Any) -> list[str]:
    """The dictionary of an Arrow dictionary column, stripped; _RetryError on a null or ''."""
    if column.null_count:
        raise _RetryError
    texts = [_readers.cell_text(str(text)) for text in column.dictionary.to_pylist()]
    if not all(texts):
        raise _RetryError
    return texts


def _read_cells(source: Source, dialect: Dialect, where: list[int]) -> LongTable | None:
    """Two passes straight into the panel's cells: little more memory than the panel.

    Pass 1 reads the labels and dates; pass 2 scatters each block's quantities
    into their cells, collapsing identical repeats.  None when the table is not a
    plain dense one (a long date span or a sparse table: the one-pass reader
    words those); _RetryError at a bad value (the standard library names it).
    """
    import pyarrow as pa

    try:
        stores, brands, day_of, rows = _cell_labels(source, dialect, where)
        if not rows:
            return None
        first = min(day_of.values())
        n_days = max(day_of.values()) - first + 1
        n_cells = len(stores) * len(brands) * n_days
        if n_days > 2 * 366 or too_sparse(n_cells, rows):
            return None
        cells = _DenseCells(stores, brands, day_of, first, n_days)
        for store, brand, date, sold, stock in _arrow_batches(source, dialect, where, 5):
            cells.add(store, brand, date, sold, stock)
    except (pa.ArrowException, UnicodeDecodeError, ValueError, KeyError):
        raise _RetryError from None
    return cells.table(rows)


def _cell_labels(
    source: Source, dialect: Dialect, where: list[int]
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, int], int]:
    """Pass 1 of :func:`_read_cells`: sorted store and brand labels, each date's day, the rows."""
    stores: set[str] = set()
    brands: set[str] = set()
    day_of: dict[str, int] = {}
    rows = 0
    for store, brand, date in _arrow_batches(source, dialect, where, 3):
        stores.update(_dictionary(store))
        brands.update(_dictionary(brand))
        for text in _dictionary(date):
            if text not in day_of:
                day_of[text] = _readers.parse_day(text)
        rows += len(store)
    _check_no_totals(stores | brands)
    return tuple(sorted(stores)), tuple(sorted(brands)), day_of, rows


def _check_no_totals(labels: Iterable[str]) -> None:
    """_RetryError at a label 合计 (…) or in scientific notation: the standard-library
    reader decides on its row."""
    for label in labels:
        if _headers.header_key(label)[0] in _rows.TOTAL_WORDS or _readers.is_scientific(label):
            raise _RetryError


def _checked_quantities(column: Any) -> NDArray[np.float64]:
    """A quantity column as numpy; _RetryError at a non-finite or negative value."""
    values = _readers.arrow_quantity_values(column)
    if not (np.isfinite(values).all() and (values >= 0).all()):
        raise _RetryError
    return values


def _repeats_in_block(
    key: NDArray[np.intp], values: list[NDArray[np.float64]]
) -> NDArray[np.bool_]:
    """The rows repeating an earlier row of the block's cell; _RetryError if they differ."""
    order = np.argsort(key, kind="stable")
    again = np.flatnonzero(key[order][1:] == key[order][:-1]) + 1
    repeat = np.zeros(len(key), dtype=np.bool_)
    if again.size:
        later, earlier = order[again], order[again - 1]
        if any((column[later] != column[earlier]).any() for column in values):
            raise _RetryError
        repeat[later] = True
    return repeat


class _DenseCells:
    """Pass 2 of :func:`_read_cells`: the (stores × brands × days) cells, filled block by block."""

    def __init__(
        self,
        stores: tuple[str, ...],
        brands: tuple[str, ...],
        day_of: dict[str, int],
        first: int,
        n_days: int,
    ) -> None:
        self.stores, self.brands = stores, brands
        self.code = [
            {label: i for i, label in enumerate(stores)},
            {label: i for i, label in enumerate(brands)},
        ]
        self.day_of, self.first, self.n_days = day_of, first, n_days
        n_cells = len(stores) * len(brands) * n_days
        self.sales = np.zeros(n_cells, dtype=np.float64)
        self.inventory = np.zeros(n_cells, dtype=np.float64)
        self.seen = np.zeros(n_cells, dtype=np.bool_)
        self.collapsed = 0

    def _keys(self, store: Any, brand: Any, date: Any) -> NDArray[np.intp]:
        """Each row's cell: (store, brand, day) as one flat index."""
        key = np.zeros(len(store), dtype=np.intp)
        for k, column in enumerate((store, brand)):
            lookup = np.asarray([self.code[k][t] for t in _dictionary(column)], dtype=np.intp)
            key *= len(self.brands) if k else 1
            key += lookup[_readers.arrow_values(column.indices, np.int32)]
        key *= self.n_days
        lookup = np.asarray([self.day_of[t] - self.first for t in _dictionary(date)], dtype=np.intp)
        key += lookup[_readers.arrow_values(date.indices, np.int32)]
        return key

    def _repeats_of_earlier_blocks(
        self, key: NDArray[np.intp], values: list[NDArray[np.float64]], fresh: NDArray[np.bool_]
    ) -> NDArray[np.bool_]:
        """The ``fresh`` rows whose cell an earlier block filled; _RetryError if they differ."""
        before = self.seen[key] & fresh
        if before.any():
            cells = key[before]
            if (self.sales[cells] != values[0][before]).any() or (
                self.inventory[cells] != values[1][before]
            ).any():
                raise _RetryError
        return before

    def add(self, store: Any, brand: Any, date: Any, sold: Any, stock: Any) -> None:
        """Scatter one block's rows into their cells, an identical repeat counted once."""
        key = self._keys(store, brand, date)
        values = [_checked_quantities(sold), _checked_quantities(stock)]
        repeat = _repeats_in_block(key, values)
        repeat |= self._repeats_of_earlier_blocks(key, values, ~repeat)
        if repeat.any():
            self.collapsed += int(np.count_nonzero(repeat))
            fresh = ~repeat
            key, values = key[fresh], [column[fresh] for column in values]
        self.sales[key] = values[0]
        self.inventory[key] = values[1]
        self.seen[key] = True

    def table(self, rows: int) -> LongTable:
        """The cells as a dense LongTable of ``rows`` input rows."""
        n_stores, n_brands, n_days = len(self.stores), len(self.brands), self.n_days
        empty = np.zeros(0, dtype=np.int32)
        return LongTable(
            stores=self.stores,
            brands=self.brands,
            store=empty,
            brand=empty,
            day=empty,
            sales=np.zeros(0),
            inventory=np.zeros(0),
            carried=self.seen.reshape(-1, n_days).any(axis=1).reshape(n_stores, n_brands),
            collapsed=self.collapsed,
            seen=self.seen,
            dense=(self.sales, self.inventory),
            span=(self.first, n_days, rows - self.collapsed),
        )


def _read_arrow_csv(source: Source, dialect: Dialect, where: list[int]) -> LongTable | None:
    import pyarrow as pa

    try:
        rows = _Rows()
        for columns in _arrow_batches(source, dialect, where, len(where)):
            rows.add(columns)
        return rows.table()
    except (_RetryError, pa.ArrowException, TobaccoMetricsError, UnicodeDecodeError, ValueError):
        return None


class _Rows:
    """Rows converted batch by batch into growing arrays (no Arrow table kept whole).

    Labels get codes by first appearance across batches, sorted at the end.
    """

    def __init__(self) -> None:
        self.labels: list[dict[str, int]] = [{}, {}]
        self.codes = [array("i"), array("i")]
        self.days = array("i")
        self.sales = array("d")
        self.inventory = array("d")

    def add(self, columns: list[Any]) -> None:
        store, brand, date, sold, stock = columns
        for k, column in enumerate((store, brand)):
            names, codes = _readers.arrow_labels(column, _headers.COLUMNS[k], _retry)
            table = self.labels[k]
            lookup = np.fromiter(
                (table.setdefault(name, len(table)) for name in names),
                dtype=np.int32,
                count=len(names),
            )
            self.codes[k].frombytes(lookup[codes].tobytes())
        self.days.frombytes(_readers.arrow_days(date, _retry).tobytes())
        self.sales.frombytes(_readers.arrow_quantities(sold, "sales", _retry).tobytes())
        self.inventory.frombytes(_readers.arrow_quantities(stock, "inventory", _retry).tobytes())

    def table(self) -> LongTable | None:
        if not self.days:
            return None
        _check_no_totals([*self.labels[0], *self.labels[1]])
        stores, store_codes = _readers.sorted_labels(
            list(self.labels[0]), np.frombuffer(self.codes[0], dtype=np.int32)
        )
        self.codes[0] = array("i")
        brands, brand_codes = _readers.sorted_labels(
            list(self.labels[1]), np.frombuffer(self.codes[1], dtype=np.int32)
        )
        self.codes[1] = array("i")
        return _readers.assemble(
            stores,
            brands,
            store_codes,
            brand_codes,
            np.frombuffer(self.days, dtype=np.int32),
            np.frombuffer(self.sales, dtype=np.float64),
            np.frombuffer(self.inventory, dtype=np.float64),
            _retry,
        )


def _read_text(source: Source, dialect: Dialect, where: list[int]) -> LongTable:
    """The standard-library reader: every bad row collected with its line number."""
    # No limit on a field's length (the default is 131,072 characters): pyarrow has
    # none, and both engines must read the same files.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    with source.binary() as raw:
        handle = io.TextIOWrapper(raw, encoding=dialect.encoding, newline="")
        rows = _csv_rows(source, dialect, handle)
        return read_rows(
            source.name, dialect.header, dialect.skip, where, rows, written=dialect.written
        )


def _csv_rows(source: Source, dialect: Dialect, handle: Any) -> Iterator[tuple[int, list[str]]]:
    """The rows below the header with the number of the line each ends on."""
    reader = csv.reader(handle, delimiter=dialect.delimiter)
    try:
        for _ in range(dialect.skip + dialect.depth):  # a title above the header, the header
            next(reader, None)
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise BadRowsError(source.name, [(reader.line_num + 1, str(error))], 1) from None
    except UnicodeDecodeError:
        line = _undecodable_line(source, dialect.encoding)
        message = f"not {dialect.encoding} text: pass --encoding NAME"
        raise _UndecodableError(source.name, [(line, message)], 1) from None


def _undecodable_line(source: Source, encoding: str) -> int:
    """The number of the first line that does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with source.binary() as raw:
        for number, line in enumerate(raw, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return number + 1


def read_dates(path: str | os.PathLike[str]) -> dict[dt.date, int]:
    """One date per line (formats as in exports), UTF-8; blank lines and ``#`` comments
    ignored: each date and the first line it is on, in file order."""
    name = os.fspath(path)
    dates: dict[dt.date, int] = {}
    problems: list[tuple[int, str]] = []
    total = 0
    with open(name, "rb") as raw:
        data = raw.read()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadRowsError(name, [(line, "not UTF-8 text: save the file as UTF-8")], 1) from None
    for number, text in enumerate(content.splitlines(), start=1):
        value = text.split("#", 1)[0].strip()
        if not value:
            continue
        try:
            day = dt.date.fromisoformat(_readers.date_text(_readers.parse_day(value)))
        except ValueError as error:
            total += 1
            if len(problems) < SHOWN:
                problems.append((number, f"{value!r} is {error}"))
        else:
            dates.setdefault(day, number)
    if total:
        raise BadRowsError(name, problems, total)
    return dates


def read_calendar(
    holidays: str | os.PathLike[str] | None, makeup_workdays: str | os.PathLike[str] | None
) -> tuple[list[dt.date], list[dt.date]]:
    """The holidays and the make-up working days of two date files (either may be None),
    each read once and checked by the library's calendar rule: a make-up day it refuses
    (a weekday, or a day also in the holidays) is a bad row of the make-up file."""
    holiday_lines = read_dates(holidays) if holidays is not None else {}
    makeup_lines = read_dates(makeup_workdays) if makeup_workdays is not None else {}
    refused = calendar_problems(frozenset(holiday_lines), frozenset(makeup_lines))
    if refused:
        assert makeup_workdays is not None  # only make-up days are refused
        problems = sorted(
            (
                makeup_lines[day],
                message
                + (
                    f" ({os.fspath(holidays)}: line {holiday_lines[day]})"
                    if day in holiday_lines and holidays is not None
                    else ""
                ),
            )
            for day, message in refused
        )
        raise BadRowsError(os.fspath(makeup_workdays), problems[:SHOWN], len(problems))
    return list(holiday_lines), list(makeup_lines)


def progress_printer(stream: Any, enabled: bool) -> Callable[[str], None]:
    """A callback printing ``progress: …`` lines on ``stream`` when enabled."""

    def report(message: str) -> None:
        if enabled:
            print(f"progress: {message}", file=stream, flush=True)

    return report
