"""Reading a province's long-table files for :func:`tobacco_metrics.dask.read_long` (private).

Each function here runs on one file or one block of stores, in a Dask task:
:func:`survey` (pass 1: a file's labels, days and value dtypes), :func:`split`
(pass 2: a file's rows coded and cut by block of stores), :func:`block` (one
block's arrays through the rules of ``Panel.from_long``) and
:func:`province_frame` (the labels and period of every file).  A CSV file is
read as the command line reads an export (:mod:`tobacco_metrics._io`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tobacco_metrics import _headers, _io, _row_reader, _workbook
from tobacco_metrics.errors import EmptyInputError, InvalidValueError, TobaccoMetricsError
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
    if given is not None:
        if given not in ("parquet", "csv", "excel"):
            raise InvalidValueError(f"'format' must be 'parquet', 'csv' or 'excel': {given!r}")
        return given
    name = path.lower().removesuffix(".gz").removesuffix(".bz2")
    for suffix, kind in _SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    raise InvalidValueError(
        f"cannot tell the format of {path!r} from its name: pass format='parquet', 'csv' or 'excel'"
    )


def _mapping(names: tuple[str, ...]) -> dict[str, str]:
    """The column names given to read_long, as a column mapping of the command line.

    A name left at its default (``"store"`` for the store column) is not mapped: the
    column is found as the command line finds it without ``--columns`` (that name, or
    a common ERP header such as 客户编码).
    """
    return {
        column: name for column, name in zip(_headers.COLUMNS, names, strict=True) if name != column
    }


def _header_names(path: str, mapping: dict[str, str], header: Sequence[str]) -> list[str]:
    """The header names of the five columns, found by the command line's header rules.

    A name matches a header that differs only in width, case or spaces
    (``销量`` finds ``销 量``); a header that counts cartons in another unit
    (``销量(包)``) is refused.
    """
    try:
        where = _headers.resolve_columns(header, mapping, "{}='NAME'".format)
    except TobaccoMetricsError as error:
        raise type(error)(f"{path!r}: {error}") from None
    return [str(header[position]) for position in where]


def _as_keywords(message: str) -> str:
    """A message of the command line's reader, with read_long's keywords for its options."""
    message = message.replace("--encoding NAME", "encoding='NAME'")
    message = re.sub(r"--sheet (\S+)", r"sheet=\1", message)
    return re.sub(r"--columns (\w+)=([^\s:;,]+)", r"\1='\2'", message)


def _reader_error(path: str, error: Exception) -> Exception:
    """An error of the command line's reader, as read_long raises it: naming the file."""
    if isinstance(error, _io.BadRowsError):
        shown = "; ".join(f"line {line}: {text}" for line, text in error.problems)
        more = error.total - len(error.problems)
        return InvalidValueError(
            f"{path!r}, {_as_keywords(shown)}" + (f"; and {more} more" if more else "")
        )
    return type(error)(f"{path!r}: {_as_keywords(str(error))}")


def _export_table(path: str, names: tuple[str, ...], encoding: str | None) -> Any:
    """One CSV file or workbook read as the command line reads an export, as an Arrow table.

    The five columns are called ``names``: the labels as text, the dates as
    Arrow dates, the quantities as float64.  An empty file (a header and no
    row) gives an empty table.
    """
    import pyarrow as pa

    source = _io.Source(path)
    if path.lower().endswith((".gz", ".bz2")):
        with pa.input_stream(path) as stream:  # decompressed by its suffix
            source = _io.Source(path, stream.read())
    mapping = _mapping(names)
    if not _workbook.is_workbook(source):  # (a workbook's header is found by its reader)
        try:
            header = _io.sniff(source, encoding, mapping).header
        except _io.BadRowsError as error:
            raise _reader_error(path, error) from None
        _header_names(path, mapping, header)  # a column not found, named by read_long's keywords
    try:
        table = _io.read_table(source, encoding=encoding, columns=mapping).with_rows()
    except _io.BadRowsError as error:
        if [message for _, message in error.problems] != [_row_reader.NO_DATA_ROWS]:
            raise _reader_error(path, error) from None
        table = None
    except TobaccoMetricsError as error:
        raise _reader_error(path, error) from None
    if table is None:
        text, dates = pa.array([], pa.string()), pa.array([], pa.date32())
        columns = [text, text, dates, *(pa.array([], pa.float64()),) * 2]
    else:
        columns = [
            pa.DictionaryArray.from_arrays(table.store, table.stores).dictionary_decode(),
            pa.DictionaryArray.from_arrays(table.brand, table.brands).dictionary_decode(),
            pa.array(table.day, pa.int32()).cast(pa.date32()),
            pa.array(table.sales, pa.float64()),
            pa.array(table.inventory, pa.float64()),
        ]
    return pa.table(columns, names=list(names))


def _read(
    path: str, kind: str, names: tuple[str, ...], encoding: str | None, wanted: int = 5
) -> tuple[Any, tuple[np.dtype[Any], ...]]:
    """The first ``wanted`` of the five columns of one file, called ``names``, and the
    dtypes of its sales and inventory columns."""
    if kind != "parquet":
        return _export_table(path, names, encoding).select(list(names[:wanted])), (
            np.dtype(np.float64),
        ) * 2
    import pyarrow as pa
    import pyarrow.dataset as pads

    dataset = pads.dataset(path, format=kind)
    found = _header_names(path, _mapping(names), dataset.schema.names)
    table = dataset.to_table(columns=found[:wanted])
    dtypes = []
    for name, role in zip(found[3:], names[3:], strict=True):
        arrow_type: Any = dataset.schema.field(name).type
        if pa.types.is_decimal(arrow_type):  # a database's DECIMAL quantities: read as float64
            arrow_type = pa.float64()
            if name in table.column_names:
                at = table.column_names.index(name)
                table = table.set_column(at, name, table.column(at).cast(arrow_type))
        else:
            _check_numbers(dataset, path, name, role)
        dtypes.append(np.dtype(arrow_type.to_pandas_dtype()))
    return table.rename_columns(list(names[:wanted])), tuple(dtypes)


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


def survey(path: str, kind: str, names: tuple[str, ...], encoding: str | None) -> tuple[Any, ...]:
    """Pass 1 over one file: its labels, first and last day, and the value dtypes."""
    import pyarrow.compute as pc

    store, brand, date = names[:3]
    table, value_dtypes = _read(path, kind, names, encoding, wanted=3)
    days = _days(table.column(date), path)
    dtypes = value_dtypes if days.size else None  # an empty CSV file has columns of no type
    return (
        pc.unique(table.column(store).drop_null()).to_pylist(),
        pc.unique(table.column(brand).drop_null()).to_pylist(),
        int(days.min()) if days.size else None,
        int(days.max()) if days.size else None,
        dtypes,
    )


def _codes(column: Any, labels: tuple[Any, ...]) -> NDArray[np.int64]:
    """Each row's position in ``labels`` (-1 for a missing label), by a hash lookup."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        value_set = pa.array(labels).cast(column.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        import pandas as pd

        categories = pd.Categorical(column.to_pandas(), categories=pd.Index(labels))
        return np.asarray(categories.codes, dtype=np.int64)
    found = pc.fill_null(pc.index_in(column, value_set=value_set), -1)
    codes: NDArray[np.int64] = found.to_numpy().astype(np.int64)
    return codes


def split(
    path: str,
    kind: str,
    names: tuple[str, ...],
    encoding: str | None,
    stores: tuple[Any, ...],
    brands: tuple[Any, ...],
    per_block: int,
    n_blocks: int,
) -> list[dict[str, NDArray[Any]]]:
    """Pass 2 over one file: its rows coded and cut into the blocks of stores."""
    store, brand, date, sales, inventory = names
    table, _dtypes = _read(path, kind, names, encoding)
    if not table.num_rows:  # an empty CSV file has columns of no type
        empty = np.zeros(0, dtype=np.int64)
        return [dict.fromkeys(("store", "brand", "day", "sales", "inventory", "row"), empty)] * (
            n_blocks
        )
    store_codes = _codes(table.column(store), stores)
    columns = {
        "store": store_codes,
        "brand": _codes(table.column(brand), brands),
        "day": _days(table.column(date), path),
        "sales": table.column(sales).to_numpy(zero_copy_only=False),
        "inventory": table.column(inventory).to_numpy(zero_copy_only=False),
        # a CSV file's rows as the command line read them: no row of the file to name
        "row": np.arange(len(store_codes)) if kind == "parquet" else np.full(len(store_codes), -1),
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

    store_codes = column["store"] - first  # into this block's stores (-1 only in block 0)
    table = _long.from_long(
        store_codes,
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
    whole_max = np.nan if table.whole_max is None else table.whole_max
    return (
        table.sales.astype(dtypes[0], copy=False),
        table.inventory.astype(dtypes[1], copy=False),
        table.carried,
        np.full(shape[0], whole_max, dtype=np.float64),
    )


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
