"""Reading a province's long-table files for :func:`tobacco_metrics.dask.read_long` (private).

Each file is parsed once: :func:`parse` (pass 1, a Dask task per file whose
result stays where it ran) reads it into a compact :class:`Parsed` form (the
file's own label codes, day numbers and values), of which :func:`survey`
sends the client only the labels, the first and last day and the value
dtypes; :func:`province_frame` makes the province's labels and period of
them, :func:`positions` each file's labels' places among them.  Then
:func:`split` (pass 2, on the parsed file, not the file) maps a file's codes
to the province's and cuts its rows by block of stores, and :func:`block`
builds one block's arrays through the rules of ``Panel.from_long``.  A CSV file is
read as the command line reads an export (:mod:`tobacco_metrics._io`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from tobacco_metrics import _headers, _io, _row_reader, _workbook
from tobacco_metrics._table_notes import reader_notes
from tobacco_metrics.errors import (
    DuplicateEntryError,
    EmptyInputError,
    InvalidValueError,
    TobaccoMetricsError,
)
from tobacco_metrics.panel import _long

_SUFFIXES = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "excel",
    ".xlsm": "excel",
}


def file_format(path: str, given: str | None) -> str:
    """The format of one file: ``given``, else told by its name's suffix."""
    if given is not None and given not in ("parquet", "csv", "excel"):
        raise InvalidValueError(f"'format' must be 'parquet', 'csv' or 'excel': {given!r}")
    name = path.lower().removesuffix(".gz").removesuffix(".bz2")
    named = (kind for suffix, kind in _SUFFIXES.items() if name.endswith(suffix))
    found = given or next(named, None)
    if found != "parquet" and os.path.isdir(path):  # (a Parquet dataset may be a directory)
        raise InvalidValueError(
            f"{path!r} is a directory: pass the files in it, e.g. "
            f"sorted(pathlib.Path({path!r}).glob('*.csv'))"
        )
    if found is None:
        raise InvalidValueError(
            f"cannot tell the format of {path!r} from its name: pass format='parquet', "
            "'csv' or 'excel'"
        )
    return found


def column_mapping(names: tuple[str, ...]) -> dict[str, str]:
    """The column names given to read_long, as a column mapping of the command line.

    A name left at its default (``"store"`` for the store column) is not mapped: the
    column is found as the command line finds it without ``--columns`` (that name, or
    a common ERP header such as 客户编码).
    """
    return {
        column: name for column, name in zip(_headers.COLUMNS, names, strict=True) if name != column
    }


def _header_names(
    path: str, mapping: dict[str, str], header: Sequence[str], groups: Sequence[str] = ()
) -> list[str]:
    """The header names of the five columns, found by the command line's header rules.

    A name matches a header that differs only in width, case or spaces
    (``销量`` finds ``销 量``); a header that counts cartons in another unit
    (``销量(包)``) is refused.  ``groups``: each name's group in a header of
    two rows, which a name given as ``GROUP/NAME`` picks.
    """
    try:
        where = _headers.resolve_columns(header, mapping, "{}='NAME'".format, groups)
    except TobaccoMetricsError as error:
        raise type(error)(f"{path!r}: {error}") from None
    return [str(header[position]) for position in where]


def as_keywords(message: str) -> str:
    """A message of the command line's reader, with read_long's keywords for its options."""
    message = message.replace("--encoding NAME", "encoding='NAME'")
    message = re.sub(r"--sheet (\S+)", r"sheet=\1", message)
    return re.sub(r"--columns (\w+)=([^\s:;,]+)", r"\1='\2'", message)


def reader_error(path: str, error: Exception) -> Exception:
    """An error of the command line's reader, as read_long raises it: naming the file."""
    if isinstance(error, _io.BadRowsError):
        shown = "; ".join(f"line {line}: {text}" for line, text in error.problems)
        more = error.total - len(error.problems)
        return InvalidValueError(
            f"{path!r}, {as_keywords(shown)}" + (f"; and {more} more" if more else "")
        )
    return type(error)(f"{path!r}: {as_keywords(str(error))}")


def _check_numbers(whole: Any, path: str, name: str, role: str) -> None:
    """Refuse a Parquet quantity column of text (``"1,234"``, a 合计 row's word), naming
    its first value that is not a number: the values follow ``Panel.from_long``'s rules."""
    import pyarrow as pa

    kind = whole.schema.field(name).type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind):
        return
    for row, value in enumerate(whole.to_table([name])[0].to_pylist()):
        try:
            float(value)
        except (TypeError, ValueError):
            raise InvalidValueError(
                f"{role!r} must hold numbers: {value!r} at row {row} of {path!r} (column "
                f"{name!r}, {kind}); store the quantities as numbers (a CSV export is read "
                "with its thousands separators and total rows)"
            ) from None
    raise InvalidValueError(
        f"{role!r} must be a column of numbers: {path!r} stores column {name!r} as {kind}"
    )


def _row_namer(path: str, rows: NDArray[np.int64] | None = None) -> Any:
    def row_name(row: int) -> str:
        return f"row {row if rows is None else int(rows[row])} of {path!r}"

    return row_name


def _days(column: Any, path: str) -> NDArray[np.int64]:
    """A date column as int64 days since 1970-01-01 (strictly checked, as Panel.from_long)."""
    import pyarrow as pa

    if pa.types.is_date32(column.type) and column.null_count == 0:
        days: NDArray[np.int64] = column.cast(pa.int32()).to_numpy().astype(np.int64)
        return days
    values = column.to_numpy(zero_copy_only=False)
    return _long.day_numbers(values, _row_namer(path))


@attrs.frozen(eq=False)
class Parsed:
    """One file parsed once (pass 1), kept for pass 2 in a compact form.

    ``stores`` and ``brands``: the file's labels (each used by a row), in the
    order first met; ``store`` and ``brand``: each row's position among them
    (int32, -1 for a missing label); ``day``: each row's day number since
    1970-01-01 (int32); ``sales`` and ``inventory``: the values as read.
    ``numbered``: the rows are the file's rows (Parquet), which an error
    names; a CSV file's rows are those the command line's reader kept.
    ``dtypes``: the value dtypes, None for a file without rows.  ``notes``: what
    the command line's reader decided (lines skipped, rows collapsed), as it
    prints them.
    """

    stores: list[Any]
    brands: list[Any]
    store: NDArray[np.int32]
    brand: NDArray[np.int32]
    day: NDArray[np.int32]
    sales: NDArray[Any]
    inventory: NDArray[Any]
    numbered: bool
    dtypes: tuple[np.dtype[Any], ...] | None
    notes: tuple[str, ...] = ()


def _used(labels: Sequence[Any], codes: NDArray[Any]) -> tuple[list[Any], NDArray[np.int32]]:
    """The labels some row uses, and the rows' codes among them (-1 kept)."""
    codes = np.asarray(codes, dtype=np.int32)
    used = np.zeros(len(labels) + 1, dtype=np.bool_)
    used[codes] = True  # -1 marks the extra last slot
    used = used[:-1]
    if used.all():
        return list(labels), codes
    remap = np.append(np.cumsum(used, dtype=np.int32) - 1, np.int32(-1))
    return [label for label, kept in zip(labels, used, strict=True) if kept], remap[codes]


def _export_parsed(path: str, names: tuple[str, ...], encoding: str | None) -> Parsed:
    """One CSV file or workbook read as the command line reads an export.

    The labels are text, the quantities float64.  An empty file (a header and
    no row) gives no row.
    """
    import pyarrow as pa

    source = _io.Source(path)
    if path.lower().endswith((".gz", ".bz2")):
        with pa.input_stream(path) as stream:  # decompressed by its suffix
            source = _io.Source(path, stream.read())
    mapping = column_mapping(names)
    dialect = None
    if not _workbook.is_workbook(source):  # (a workbook's header is found by its reader)
        try:
            dialect = _io.sniff(source, encoding, mapping)
        except _io.BadRowsError as error:
            raise reader_error(path, error) from None
        # a column not found, named by read_long's keywords (the reader names its options)
        _header_names(path, mapping, dialect.header, dialect.groups)
    try:
        table = _io.read_table(
            source, encoding=encoding, columns=mapping, dialect=dialect
        ).with_rows()
    except _io.BadRowsError as error:
        if [message for _, message in error.problems] != [_row_reader.NO_DATA_ROWS]:
            raise reader_error(path, error) from None
        table = None
    except TobaccoMetricsError as error:
        raise reader_error(path, error) from None
    if table is None:
        nothing = np.zeros(0, dtype=np.int32)
        values = np.zeros(0, dtype=np.float64)
        return Parsed([], [], nothing, nothing, nothing, values, values, False, None)
    stores, store = _used(table.stores, table.store)
    brands, brand = _used(table.brands, table.brand)
    return Parsed(
        stores,
        brands,
        store,
        brand,
        np.asarray(table.day, dtype=np.int32),
        np.asarray(table.sales, dtype=np.float64),
        np.asarray(table.inventory, dtype=np.float64),
        False,
        (np.dtype(np.float64),) * 2,
        tuple(as_keywords(note) for note in reader_notes(table)),
    )


def _parquet_table(path: str, names: tuple[str, ...]) -> tuple[Any, tuple[np.dtype[Any], ...]]:
    """The five columns of one Parquet file, called ``names``, and the dtypes of its
    sales and inventory columns."""
    import pyarrow as pa
    import pyarrow.dataset as pads

    dataset = pads.dataset(path, format="parquet")
    found = _header_names(path, column_mapping(names), dataset.schema.names)
    table = dataset.to_table(columns=found)
    dtypes = []
    for name, role in zip(found[3:], names[3:], strict=True):
        arrow_type: Any = dataset.schema.field(name).type
        if pa.types.is_decimal(arrow_type):  # a database's DECIMAL quantities: read as float64
            arrow_type = pa.float64()
            at = table.column_names.index(name)
            table = table.set_column(at, name, table.column(at).cast(arrow_type))
        else:
            _check_numbers(dataset, path, name, role)
        dtypes.append(np.dtype(arrow_type.to_pandas_dtype()))
    return table.rename_columns(list(names)), tuple(dtypes)


def _label_codes(column: Any) -> tuple[list[Any], NDArray[np.int32]]:
    """A Parquet label column's labels (in the order first met) and each row's code
    among them (-1 for a missing label)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if pa.types.is_null(array.type):
        return [], np.full(len(array), -1, dtype=np.int32)
    encoded = pc.dictionary_encode(array)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return encoded.dictionary.to_pylist(), np.asarray(codes, dtype=np.int32)


def _parquet_parsed(path: str, names: tuple[str, ...]) -> Parsed:
    """One Parquet file: its five columns, the labels coded, the dates as day numbers."""
    store, brand, date, sales, inventory = names
    table, dtypes = _parquet_table(path, names)
    days = _days(table.column(date), path)
    stores, store_codes = _label_codes(table.column(store))
    brands, brand_codes = _label_codes(table.column(brand))
    return Parsed(
        stores,
        brands,
        store_codes,
        brand_codes,
        days.astype(np.int32),
        table.column(sales).to_numpy(zero_copy_only=False),
        table.column(inventory).to_numpy(zero_copy_only=False),
        True,
        dtypes if days.size else None,  # an empty file: no value to type
    )


def parse(path: str, kind: str, names: tuple[str, ...], encoding: str | None) -> Parsed:
    """Pass 1 over one file: the file read once, kept in the compact form of :class:`Parsed`."""
    if kind == "parquet":
        return _parquet_parsed(path, names)
    return _export_parsed(path, names, encoding)


def survey(parsed: Parsed) -> tuple[Any, ...]:
    """What the client gathers of one parsed file: its labels, first and last day, the
    value dtypes (None for each of the days and the dtypes when it has no row) and the
    reader's notes."""
    days = parsed.day
    return (
        parsed.stores,
        parsed.brands,
        int(days.min()) if days.size else None,
        int(days.max()) if days.size else None,
        parsed.dtypes,
        parsed.notes,
    )


def positions(
    surveys: Sequence[Any], stores: tuple[Any, ...], brands: tuple[Any, ...]
) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """Each file's labels' positions among the province's ``stores`` and ``brands`` (the
    labels of its survey, in the file's order of codes), for :func:`split`."""
    store_at = {label: position for position, label in enumerate(stores)}
    brand_at = {label: position for position, label in enumerate(brands)}

    def placed(labels: Sequence[Any], where: dict[Any, int]) -> NDArray[np.int64]:
        return np.array([where.get(label, -1) for label in labels], dtype=np.int64)

    return [(placed(survey[0], store_at), placed(survey[1], brand_at)) for survey in surveys]


def split(
    parsed: Parsed,
    store_positions: NDArray[np.int64],
    brand_positions: NDArray[np.int64],
    per_block: int,
    n_blocks: int,
) -> list[dict[str, NDArray[Any]]]:
    """Pass 2 over one parsed file: its rows put on the province's labels (the file's
    codes mapped to the positions of :func:`positions`) and cut into the blocks of stores."""
    n_rows = len(parsed.day)
    if not n_rows:
        empty = np.zeros(0, dtype=np.int64)
        return [dict.fromkeys(("store", "brand", "day", "sales", "inventory", "row"), empty)] * (
            n_blocks
        )
    missing = np.array([-1], dtype=np.int64)  # a code -1 (a missing label) stays -1
    store_codes = np.concatenate([store_positions, missing])[parsed.store]
    columns = {
        "store": store_codes,
        "brand": np.concatenate([brand_positions, missing])[parsed.brand],
        "day": parsed.day.astype(np.int64),
        "sales": parsed.sales,
        "inventory": parsed.inventory,
        # a CSV file's rows as the command line read them: no row of the file to name
        "row": np.arange(n_rows) if parsed.numbered else np.full(n_rows, -1),
    }
    block = np.maximum(store_codes, 0) // per_block  # a missing store: reported by block 0
    if n_blocks == 1 or not (block[1:] < block[:-1]).any():  # already in block order
        sorted_columns = columns
        bounds = np.searchsorted(block, np.arange(n_blocks + 1))
    else:
        order = np.argsort(block, kind="stable")
        bounds = np.searchsorted(block[order], np.arange(n_blocks + 1))
        sorted_columns = {name: values[order] for name, values in columns.items()}
    return [
        {name: values[bounds[k] : bounds[k + 1]] for name, values in sorted_columns.items()}
        for k in range(n_blocks)
    ]


def block(
    pieces: list[dict[str, NDArray[Any]]],
    paths: tuple[str, ...],
    first: int,
    stores: tuple[Any, ...],
    brands: tuple[Any, ...],
    span: tuple[int, int],
    missing: str,
    dtypes: tuple[np.dtype[Any], np.dtype[Any]],
) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.bool_], NDArray[np.float64]]:
    """One block of stores: its rows from every file, through the rules of Panel.from_long."""

    shape = (len(stores), len(brands), span[1])
    sizes = [len(piece["row"]) for piece in pieces]
    if not sum(sizes):  # no row for these stores: nothing carried
        return (
            np.zeros(shape, dtype=dtypes[0]),
            np.zeros(shape, dtype=dtypes[1]),
            np.zeros(shape[:2], dtype=np.bool_),
            np.zeros(shape[0], dtype=np.float64),  # every sale 0: whole, largest 0
        )
    column = {
        name: pieces[0][name] if len(pieces) == 1 else np.concatenate([p[name] for p in pieces])
        for name in ("store", "brand", "day", "sales", "inventory")
    }
    ends = np.cumsum(sizes)

    def row_name(row: int) -> str:  # only when a row is named: no column of row numbers
        piece = int(np.searchsorted(ends, row, side="right"))
        line = int(pieces[piece]["row"][row - (int(ends[piece - 1]) if piece else 0)])
        return f"row {line} of {paths[piece]!r}" if line >= 0 else f"a row of {paths[piece]!r}"

    column["store"] = column["store"] - first  # into this block's stores (-1 only in block 0)
    try:
        table = _block_table(column, row_name, stores, brands, span, missing)
    except DuplicateEntryError:
        # Rows identical in every field are collapsed, as the command line collapses
        # them in one export: the rules hold across files and within a Parquet file.
        kept = _not_repeated(column, len(brands), span)
        if kept is None:
            raise
        column = {name: values[kept] for name, values in column.items()}
        table = _block_table(
            column, lambda row: row_name(int(kept[row])), stores, brands, span, missing
        )
    whole_max = np.nan if table.whole_max is None else table.whole_max
    return (
        table.sales.astype(dtypes[0], copy=False),
        table.inventory.astype(dtypes[1], copy=False),
        table.carried,
        np.full(shape[0], whole_max, dtype=np.float64),
    )


def _block_table(
    column: dict[str, NDArray[Any]],
    row_name: Any,
    stores: tuple[Any, ...],
    brands: tuple[Any, ...],
    span: tuple[int, int],
    missing: str,
) -> Any:
    """A block's coded rows through ``Panel.from_long``'s rules, on the province's frame."""
    return _long.from_long(
        column["store"],
        column["brand"],
        column["day"].view("datetime64[D]"),
        column["sales"],
        column["inventory"],
        missing=missing,
        row_name=row_name,
        stores=stores,
        brands=brands,
        span=span,
        coded=True,
    )


def _not_repeated(
    column: dict[str, NDArray[Any]], n_brands: int, span: tuple[int, int]
) -> NDArray[np.intp] | None:
    """The rows to keep when each row identical in every field to an earlier one (same
    store, brand, day, sales and stock) is dropped; None when no row is such a repeat."""
    store, brand = column["store"], column["brand"]
    labelled = (store >= 0) & (brand >= 0)  # a missing label: refused, never collapsed
    key = (store * n_brands + brand) * span[1] + (column["day"] - span[0])
    order = np.argsort(key, kind="stable")
    again = np.flatnonzero(key[order][1:] == key[order][:-1]) + 1
    later, earlier = order[again], order[again - 1]
    same = labelled[later] & labelled[earlier]
    for name in ("sales", "inventory"):
        same &= column[name][later] == column[name][earlier]
    if not same.any():
        return None
    keep = np.ones(len(key), dtype=np.bool_)
    keep[later[same]] = False
    return np.flatnonzero(keep)


def province_frame(
    surveys: Sequence[Any], files: Sequence[str]
) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[int, int], tuple[np.dtype[Any], ...]]:
    """The whole province's labels, day span and value dtypes from the files' surveys."""
    for position, column in enumerate(("store", "brand")):
        _refuse_mixed_label_kinds(surveys, files, position, column)
    stores = _labels(survey[0] for survey in surveys)
    brands = _labels(survey[1] for survey in surveys)
    if all(survey[2] is None for survey in surveys) or not stores or not brands:
        raise EmptyInputError(f"the files have no rows: {', '.join(files)}")
    return stores, brands, _day_span(surveys), _value_dtypes(surveys)


def _day_span(surveys: Sequence[Any]) -> tuple[int, int]:
    """(first day, number of days) from the first to the last day of any file with rows."""
    first_day = min(survey[2] for survey in surveys if survey[2] is not None)
    last_day = max(survey[3] for survey in surveys if survey[3] is not None)
    return first_day, last_day - first_day + 1


def _value_dtypes(surveys: Sequence[Any]) -> tuple[np.dtype[Any], ...]:
    """The (sales, inventory) dtypes that hold every file's values (numpy's result type)."""
    return tuple(
        np.result_type(*(survey[4][i] for survey in surveys if survey[4] is not None))
        for i in (0, 1)
    )


def _refuse_mixed_label_kinds(
    surveys: Sequence[Any], files: Sequence[str], position: int, column: str
) -> None:
    """Refuse ``column`` labels (the surveys' item ``position``) that are text in one file
    and numbers in another.

    A CSV file's labels are text: 0310 in it and 310 in a Parquet file of integer
    codes would be two stores, so text and numbers are not mixed across files.
    """
    kinds: dict[str, str] = {}
    for survey, path in zip(surveys, files, strict=True):
        for label in survey[position][:1]:
            kinds.setdefault("text" if isinstance(label, str) else "numbers", path)
    if len(kinds) > 1:
        raise InvalidValueError(
            f"the {column} labels are text in {kinds['text']!r} and numbers in "
            f"{kinds['numbers']!r}: a code such as '0310' in one and 310 in the other "
            "would be two labels; store the column as text in every file (CSV labels "
            "are read as text)"
        )


def _labels(found: Any) -> tuple[Any, ...]:
    """The union of the files' labels, sorted when they are mutually orderable."""
    union: dict[Any, None] = {}
    for labels in found:
        union.update(dict.fromkeys(labels))
    try:
        return tuple(sorted(union))
    except TypeError:
        return tuple(union)
