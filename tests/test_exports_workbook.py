"""Excel workbooks read by the CLI: the same report as the same data in CSV, and refusals."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tobacco_metrics import cli

openpyxl = pytest.importorskip("openpyxl")  # the `excel` extra; .ci/run installs it

HEADER = ["store", "brand", "date", "sales", "inventory"]
START = dt.date(2026, 3, 2)


def run(*args: str | Path) -> int:
    return cli.main([str(arg) for arg in args])


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@dataclasses.dataclass(frozen=True)
class Formatted:
    """A cell's value with its number format (``0000``: 310 shows 0310)."""

    value: Any
    number_format: str


def write_book(path: Path, rows: list[list[Any]], title: str = "Sheet") -> Any:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for number, row in enumerate(rows, start=1):
        sheet.append([cell.value if isinstance(cell, Formatted) else cell for cell in row])
        for column, cell in enumerate(row, start=1):
            if isinstance(cell, Formatted):
                sheet.cell(number, column).number_format = cell.number_format
    book.save(path)
    return book


def reports(folder: Path, *args: str) -> tuple[bytes, bytes]:
    """The reports of export.csv and export.xlsx in ``folder``, both read with status 0."""
    out = []
    for name in ("export.csv", "export.xlsx"):
        target = folder / f"{name}.out"
        assert run(*args[:1], folder / name, "--out", target, *args[1:]) == 0, name
        out.append(target.read_bytes())
    return out[0], out[1]


# A cell of the sheet and the text a CSV of the same data holds.
Cell = tuple[Any, str]


def _date_cells(day: dt.date) -> st.SearchStrategy[Cell]:
    return st.sampled_from(
        [
            (dt.datetime.combine(day, dt.time()), day.isoformat()),  # a real Excel date
            (day.isoformat(), day.isoformat()),  # the same as text
            (f"{day.year}年{day.month}月{day.day}日",) * 2,
            (f"{day:%Y/%m/%d} 00:00:00",) * 2,
            (day.toordinal() - dt.date(1899, 12, 30).toordinal(),) * 2,  # a plain number
        ]
    ).map(lambda cell: (cell[0], str(cell[1])))


def _quantity_cells(value: int) -> st.SearchStrategy[Cell]:
    options: list[Cell] = [
        (value, str(value)),
        (float(value), str(value)),
        (value + 0.5, f"{value}.5"),
    ]
    if value >= 1000:
        options.append((f"{value:,}", f"{value:,}"))  # text with a thousands separator
    return st.sampled_from(options)


def _code_cells(draw: st.DrawFn, prefix: str) -> list[Cell]:
    """A column's codes as numbers, text of digits, text with letters, or numbers under a
    format of zeros (shown, and in CSV, with leading zeros), some of these as that text."""
    codes = draw(st.lists(st.integers(1, 999), min_size=1, max_size=3, unique=True))
    how = draw(st.sampled_from(["number", "digits", "letters", "zeros"]))
    if how == "zeros":
        zeros = draw(st.sampled_from(["00", "0000", "000000"]))
        shown = [f"{code:0{len(zeros)}d}" for code in codes]
        return [
            (Formatted(code, zeros) if draw(st.booleans()) else text, text)
            for code, text in zip(codes, shown, strict=True)
        ]
    return [
        (code, str(code))
        if how == "number"
        else (str(code), str(code))
        if how == "digits"
        else (f"{prefix}{code:03d}",) * 2
        for code in codes
    ]


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[Any]], list[list[str]]]:
    """A small export as sheet cells and as CSV text: codes as numbers, text or numbers
    formatted 0000 per column, dates as real dates or text, quantities as ints, floats or
    text."""
    columns = [_code_cells(draw, prefix) for prefix in ("C", "69010280")]
    n_days = draw(st.integers(1, 9))
    sheet: list[list[Any]] = [HEADER]
    text: list[list[str]] = [HEADER]
    for store in columns[0]:
        for brand in columns[1]:
            for offset in range(n_days):
                date = draw(_date_cells(START + dt.timedelta(days=offset)))
                sold = draw(_quantity_cells(draw(st.integers(0, 1500))))
                stock = draw(_quantity_cells(draw(st.integers(0, 1500))))
                cells = [store, brand, date, sold, stock]
                sheet.append([cell[0] for cell in cells])
                text.append([cell[1] for cell in cells])
    return sheet, text


@settings(max_examples=25, deadline=None)
@given(tables())
def test_a_workbook_reports_as_the_same_csv(table: tuple[list[list[Any]], list[list[str]]]) -> None:
    sheet, text = table
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_csv(folder / "export.csv", text)
        write_book(folder / "export.xlsx", sheet)
        from_csv, from_book = reports(folder, "cycle", "--partial", "keep")
    assert from_book == from_csv
    assert from_book.startswith(b"store,brand,cycle_start")
    assert from_book.count(b"\n") > 1


def _messy() -> tuple[list[list[Any]], list[list[str]]]:
    """An ERP's workbook: a merged title, a period line, Chinese headers with units, store
    codes as text, brand codes as numbers, dates as real dates and as Chinese text, a
    repeated row, a store's 小计 row, a 合计 row and formatted empty rows below."""
    sheet: list[list[Any]] = [
        ["XX市烟草公司 客户销售日报", None, None, None, None, None],
        ["统计日期：", "2026-03-02", "至", "2026-03-15"],
        ["客户编码", "卷烟编码", "日期", "销量(条)", "库存（条）", "备注"],
    ]
    text = [
        ["XX市烟草公司 客户销售日报", "", "", "", "", ""],
        ["统计日期：", "2026-03-02", "至", "2026-03-15"],
        ["客户编码", "卷烟编码", "日期", "销量(条)", "库存（条）", "备注"],
    ]
    for store, brand in [("0310", 6901028075018), ("0310", 6901028045134), ("C002", 6901028075018)]:
        for offset in range(14):
            day = START + dt.timedelta(days=offset)
            sold, stock = (offset * 7 + len(store)) % 6, (offset * 5 + brand) % 9
            if offset % 2:
                date: Any = dt.datetime.combine(day, dt.time())
                date_text = day.isoformat()
            else:
                date = date_text = f"{day.year}年{day.month}月{day.day}日"
            sheet.append([store, brand, date, sold, float(stock), None if offset else "新店"])
            text.append(
                [store, str(brand), date_text, str(sold), str(stock), "" if offset else "新店"]
            )
        sheet.append([store, "小计", None, 40, 50])
        text.append([store, "小计", "", "40", "50"])
    sheet.insert(8, sheet[5])
    text.insert(8, text[5])
    sheet.append(["合计", None, None, 300, 400])
    text.append(["合计", "", "", "300", "400"])
    return sheet, text


def _edit_sheet(path: Path, pattern: bytes, replacement: bytes) -> None:
    """Replace ``pattern`` (once, at least) in the XML of the workbook's first sheet."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[member], count = re.subn(pattern, replacement, parts[member])
    assert count
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("command", [("cycle",), ("quota", "--order-weekday", "TU")])
def test_a_messy_workbook_reports_as_its_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    sheet, text = _messy()
    write_csv(tmp_path / "export.csv", text)
    book = write_book(tmp_path / "export.xlsx", sheet, "销售")
    book.active.merge_cells("A1:F1")
    for row in range(len(sheet) + 1, len(sheet) + 4):  # empty rows that keep a format
        book.active.cell(row, 1).number_format = "0.00"
    book.save(tmp_path / "export.xlsx")
    # a wrong stated size (A1:B2), as some programs write: openpyxl trusts it unless told not to
    _edit_sheet(tmp_path / "export.xlsx", rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"')
    capsys.readouterr()
    from_csv, from_book = reports(tmp_path, *command)
    assert from_book == from_csv
    assert b'"0310","6901028045134"' in from_book
    err = capsys.readouterr().err
    assert "note: the header is on row 3: 2 rows above it skipped" in err
    assert (
        "note: 4 total rows skipped: row 19 (小计), row 34 (小计), row 49 (小计), row 50 (合计)"
        in err
    )
    assert "note: 1 row identical to another in every field collapsed" in err


def test_a_formula_is_read_as_the_value_excel_saved(tmp_path: Path) -> None:
    """A cell ``=D2*2`` saved with its value 4 reads 4, as its CSV does."""
    write_csv(tmp_path / "export.csv", [HEADER, ["C1", "B", "2026-03-02", "2", "4"]])
    write_book(tmp_path / "export.xlsx", [HEADER, ["C1", "B", _day(0), 2, 4]])
    _edit_sheet(tmp_path / "export.xlsx", rb'(<c r="E2"[^>]*>)(<v>4</v>)', rb"\1<f>D2*2</f>\2")
    from_csv, from_book = reports(tmp_path, "cycle", "--partial", "keep")
    assert from_book == from_csv
    assert from_book.splitlines()[1].split(b",")[11] == b"4"  # closing_inventory


def test_a_code_formatted_0000_is_one_store_with_its_text(tmp_path: Path) -> None:
    """310 shown as 0310 by its format and the text '0310' are the one store 0310, as in a
    CSV of the sheet; its report is the CSV's, byte for byte."""
    codes = [Formatted(310, "0000"), "0310", Formatted(310.0, "0000"), "0310"]
    brands = [Formatted(75018, "000000"), "075018", "075018", Formatted(75018, "000000")]
    sheet: list[list[Any]] = [HEADER]
    text: list[list[str]] = [HEADER]
    for offset, (store, brand) in enumerate(zip(codes, brands, strict=True)):
        sheet.append([store, brand, _day(offset), Formatted(offset, "0000"), 9])
        text.append(["0310", "075018", _day(offset).date().isoformat(), str(offset), "9"])
    write_csv(tmp_path / "export.csv", text)
    write_book(tmp_path / "export.xlsx", sheet)
    from_csv, from_book = reports(tmp_path, "cycle", "--partial", "keep")
    assert from_book == from_csv
    lines = from_book.splitlines()
    assert len(lines) == 2  # one store, one brand, one cycle
    assert lines[1].startswith(b'"0310","075018","2026-03-02","2026-03-05",4,')
    assert lines[1].split(b",")[7] == b"6"  # actual_sales 0+1+2+3: a quantity is its value


@pytest.mark.parametrize(
    ("number_format", "store"),
    [
        ("0000", "0310"),
        ("000000", "000310"),
        ("00", "310"),  # as many digits as the code: nothing to pad
        ("0", "310"),
        ("General", "310"),
        ("0.00", "310"),  # shown 310.00: read by value
        ("@", "310"),  # a number in a cell formatted as text afterwards: read by value
        ('"C"0000', "310"),  # shown C0310: only formats of zeros are read as shown
    ],
)
def test_only_a_format_of_zeros_is_read_as_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], number_format: str, store: str
) -> None:
    write_book(tmp_path / "in.xlsx", [HEADER, [Formatted(310, number_format), "B", _day(0), 1, 1]])
    assert run("cycle", tmp_path / "in.xlsx", "--out", "-", "--partial", "keep") == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(f'"{store}","B",')


def _book(
    rows: list[list[Any]], edit: Callable[[Any], None] | None = None
) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "in.xlsx"
        book = write_book(path, rows)
        if edit is not None:
            edit(book)
            book.save(path)
        return path

    return make


def _bytes(data: bytes, name: str = "in.xlsx") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return make


def _day(n: int) -> dt.datetime:
    return dt.datetime(2026, 3, 2 + n)


def _binary_workbook(folder: Path) -> Path:
    path = folder / "in.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\0")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            _book([HEADER, ["C1", "0310", _day(0), 1, 1], ["C1", 310, _day(1), 1, 1]]),
            "sheet 'Sheet': row 3: 'brand' 310 is a number while row 2's 'brand' '0310' is text",
        ),
        (
            _book([HEADER, [310, "B", _day(0), 1, 1], ["310", "B", _day(1), 1, 1]]),
            "row 3: 'store' '310' is text while row 2's 'store' 310 is a number",
        ),
        (
            _book(
                [HEADER, [Formatted(310, "0000"), "B", _day(0), 1, 1], [311, "B", _day(1), 1, 1]]
            ),
            "row 3: 'store' 311 is a number while row 2's 'store' '0310' is a number formatted "
            "0000: a column must hold its codes all as text (or numbers formatted with leading "
            "zeros, 0000) or all as numbers",
        ),
        (
            _book(
                [HEADER, [310, "B", _day(0), 1, 1], [Formatted(310, "0000"), "B", _day(1), 1, 1]]
            ),
            "row 3: 'store' '0310' is a number formatted 0000 while row 2's 'store' 310 is a "
            "number",
        ),
        (
            _book([HEADER, ["C1", "B", _day(0), 1, "=D2*2"]]),
            "row 2: column E holds a formula (=D2*2) whose value the workbook does not store",
        ),
        (
            _book([HEADER, ["C1", "B", _day(0), 1, 1], ["=A2", "=B2", "=C2+1", "=D2", "=E2"]]),
            "row 3: column A holds a formula (=A2) whose value the workbook does not store",
        ),
        (
            _book([HEADER, ["C1", 6901028075018123, _day(0), 1, 1]]),
            "row 2: 'brand' '6.9010280750181230e+15' is a code in scientific notation",
        ),
        (
            _book([HEADER, ["C1", "B", dt.datetime(2026, 3, 2, 8, 30), 1, 1]]),
            "sheet 'Sheet': row 2: 'date' '2026-03-02 08:30:00' is a date and time",
        ),
        (_book([HEADER, ["C1", "B", _day(0), None, 1]]), "row 2: 'sales' is empty"),
        (_book([HEADER, ["C1", "B", _day(0), True, 1]]), "'sales' must be a number: 'TRUE'"),
        (_book([["统计日期"], [None]]), "row 1: the header must"),
        (_book([]), "sheet 'Sheet': row 1: the sheet is empty: expected a header"),
        (
            _bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(100), "in.xls"),
            "line 1: an Excel 97-2003 workbook (.xls), which is not read: save it from Excel as "
            ".xlsx",
        ),
        (_binary_workbook, "cannot be read as one (a binary workbook, .xlsb)"),
        (_bytes(b"PK\x03\x04 damaged"), "an Excel workbook (or another ZIP archive) that cannot"),
    ],
    ids=[
        "number-after-text",
        "text-after-number",
        "number-after-zeros",
        "zeros-after-number",
        "formula-uncached",
        "formula-row-blank",
        "16-digits",
        "time-of-day",
        "empty",
        "boolean",
        "no-header",
        "empty-sheet",
        "xls",
        "xlsb",
        "damaged",
    ],
)
def test_a_workbook_is_refused_naming_the_cell(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    message: str,
) -> None:
    source = make(tmp_path)
    assert run("cycle", source, "--out", tmp_path / "o.csv") == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_a_missing_openpyxl_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_book(tmp_path / "in.xlsx", [HEADER, ["C1", "B", _day(0), 1, 1]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert run("cycle", tmp_path / "in.xlsx", "--out", tmp_path / "o.csv") == 2
    assert "needs openpyxl: pip install 'tobacco-metrics[excel]'" in capsys.readouterr().err


def _sheets(folder: Path) -> Path:
    """Three sheets: a hidden first one, the export, and the export a week later."""
    book = openpyxl.Workbook()
    book.active.title = "参数"
    book.active.sheet_state = "hidden"
    for title, first in (("第一周", 0), ("第二周", 7)):
        sheet = book.create_sheet(title)
        sheet.append(HEADER)
        for offset in range(first, first + 7):
            sheet.append(["C1", "B1", _day(offset), offset, 9])
    book.save(folder / "in.xlsx")
    return folder / "in.xlsx"


@pytest.mark.parametrize(
    ("options", "first", "note"),
    [
        ((), "2026-03-02", "read the first visible, '第一周' (--sheet NAME"),
        (("--sheet", "第二周"), "2026-03-09", ""),
        (("--sheet", "2"), "2026-03-02", ""),
        (("--sheet", "3"), "2026-03-09", ""),
    ],
)
def test_the_sheet_read(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: tuple[str, ...],
    first: str,
    note: str,
) -> None:
    assert run("cycle", _sheets(tmp_path), "--out", "-", *options) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1].split(",")[2] == f'"{first}"'
    assert ("the workbook has 3 sheets ('参数', '第一周', '第二周')" in err) == bool(note)
    assert note in err


def test_sheet_options_that_do_not_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("cycle", _sheets(tmp_path), "--out", "-", "--sheet", "汇总") == 2
    assert "--sheet 汇总: no such worksheet; the workbook has '参数', '第一周', '第二周'" in (
        capsys.readouterr().err
    )
    write_csv(tmp_path / "in.csv", [HEADER, ["C1", "B1", "2026-03-02", "1", "1"]])
    assert run("cycle", tmp_path / "in.csv", "--out", "-", "--sheet", "1", "--partial", "keep") == 0
    assert "note: --sheet 1 ignored: " in capsys.readouterr().err
    assert run("cycle", _sheets(tmp_path), "--out", "-", "--encoding", "gbk") == 0
    assert "note: --encoding ignored: a workbook's text is Unicode" in capsys.readouterr().err


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_a_damaged_workbook_is_refused_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], member: str
) -> None:
    # Bytes damaged inside a compressed part (a copy cut short, a bad sector): openpyxl's
    # zlib, zipfile and XML errors were raw tracebacks (zlib.error from the sheet's rows).
    rows: list[list[Any]] = [HEADER]
    rows += [
        [f"S{s:03d}", "B1", START + dt.timedelta(days=d), d % 3, 5]
        for s in range(300)
        for d in range(7)
    ]
    path = tmp_path / "export.xlsx"
    write_book(path, rows)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = bytes(255 - byte for byte in data[middle : middle + 16])
    path.write_bytes(bytes(data))
    assert run("cycle", path, "--out", tmp_path / "out.csv") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "cannot be read as one" in err[0]
    assert "save it from Excel" in err[0]
    assert not (tmp_path / "out.csv").exists()
