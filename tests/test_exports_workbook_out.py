"""Reports written as Excel workbooks (``--out report.xlsx``): the CSV report's cells."""

from __future__ import annotations

import csv
import datetime as dt
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tobacco_metrics import _exports, _workbook_out, cli

openpyxl = pytest.importorskip("openpyxl")  # the `excel` extra (and the `test` extra)

START = dt.date(2026, 3, 2)
TEXT = {"store", "brand", "month"}
COMMANDS = {
    "cycle": ["--partial", "keep"],
    "store": ["--partial", "keep", "--by", "store"],
    "quota": ["--month", "2026-04", "--order-weekday", "WE"],
}


def run(*args: str | Path) -> int:
    return cli.main([str(arg) for arg in args])


def write_export(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["store", "brand", "date", "sales", "inventory"])
        writer.writerows(rows)


def csv_cells(path: Path) -> list[list[Any]]:
    """The CSV report's cells parsed: text, a date, a number, or None (empty)."""
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))

    def parse(name: str, text: str) -> Any:
        if name in TEXT:
            return text
        if text == "":
            return None
        if name in _workbook_out.DATE_COLUMNS:
            return dt.date.fromisoformat(text)
        return float(text)

    return [header] + [[parse(n, t) for n, t in zip(header, row, strict=True)] for row in rows]


def book_cells(path: Path, sheet: str) -> list[list[Any]]:
    """The workbook's cells: text as text, dates as dates, numbers as floats, None empty."""
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [sheet]
    worksheet = book[sheet]
    assert worksheet.freeze_panes == "A2"
    header = [cell.value for cell in worksheet[1]]
    assert all(cell.font.bold for cell in worksheet[1])
    rows = []
    for row in worksheet.iter_rows(min_row=2):
        values: list[Any] = []
        for name, cell in zip(header, row, strict=True):
            if name in TEXT:
                assert cell.data_type == "s"
                values.append(cell.value)
            elif cell.value is None:
                values.append(None)
            elif name in _workbook_out.DATE_COLUMNS:
                assert isinstance(cell.value, dt.datetime)
                assert cell.number_format == "yyyy-mm-dd"
                values.append(cell.value.date())
            else:
                assert cell.data_type == "n"
                assert isinstance(cell.value, (int, float))
                values.append(float(cell.value))
        rows.append(values)
    return [header, *rows]


def both(folder: Path, command: str, source: Path) -> tuple[list[list[Any]], list[list[Any]]]:
    """The CSV and the workbook report of ``source``, each parsed."""
    options = COMMANDS[command]
    name = "cycle" if command == "store" else command
    for suffix in ("csv", "xlsx"):
        out = folder / f"report-{command}.{suffix}"
        assert run(name, source, "--out", out, *options) == 0
    return (
        csv_cells(folder / f"report-{command}.csv"),
        book_cells(folder / f"report-{command}.xlsx", name),
    )


def hand_made_rows() -> list[list[Any]]:
    rows = []
    for store in ("0310", "C2"):
        for brand in ("6901028075018", "007", "=SUM(A1)", "#N/A"):
            for day in range(10):
                date = (START + dt.timedelta(day)).isoformat()
                if brand == "007" and store == "C2":  # out of stock every day: empty cells
                    rows.append([store, brand, date, 0, 0])
                else:
                    rows.append([store, brand, date, day % 3, (day * 7) % 5 + 0.5])
    return rows


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_workbook_holds_the_csv_reports_cells(tmp_path: Path, command: str) -> None:
    source = tmp_path / "in.csv"
    write_export(source, hand_made_rows())
    from_csv, from_book = both(tmp_path, command, source)
    assert from_book == from_csv
    assert len(from_book) > 2
    labels = {row[0] for row in from_book[1:]}
    assert labels == {"0310", "C2"}  # the leading zero kept: text cells
    if command != "store":
        brands = {row[1] for row in from_book[1:]}
        assert brands == {"6901028075018", "007", "=SUM(A1)", "#N/A"}  # text, not a formula
    assert any(cell is None for row in from_book[1:] for cell in row)  # NaN: empty cells


def test_cells_by_hand(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    write_export(source, hand_made_rows())
    assert run("cycle", source, "--out", tmp_path / "r.xlsx", "--decimals", "2") == 2  # partial
    assert not (tmp_path / "r.xlsx").exists()
    assert run("cycle", source, "--out", tmp_path / "r.xlsx", "--partial", "drop") == 0
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["cycle"]
    first = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "007")
    assert [cell.value for cell in first[:4]] == [
        "0310",
        "007",
        dt.datetime(2026, 3, 2),
        dt.datetime(2026, 3, 8),
    ]
    assert first[4].value == 7  # days
    # 0310 × 007 sells 0,1,2,0,1,2,0 with stock 0.5,2.5,4.5,1.5,3.5,0.5,2.5: no stockout day
    assert first[7].value == 6  # actual sales
    ratio = {cell.value: i for i, cell in enumerate(sheet[1])}["stock_to_sales_ratio"]
    assert first[ratio].value == round(2.5 / (6 / 7), 4)  # rounded as the CSV: 2.9167


def test_decimals_round_as_the_csv(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    write_export(source, hand_made_rows())
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"r.{suffix}"
        assert run("cycle", source, "--out", out, "--partial", "keep", "--decimals", "1") == 0
    assert book_cells(tmp_path / "r.xlsx", "cycle") == csv_cells(tmp_path / "r.csv")
    assert 2.9 in {row[10] for row in csv_cells(tmp_path / "r.csv")[1:]}


@st.composite
def exports(draw: st.DrawFn) -> list[list[Any]]:
    labels = st.text("0123456789AB", min_size=1, max_size=13)
    stores = draw(st.lists(labels, min_size=1, max_size=3, unique=True))
    brands = draw(st.lists(labels, min_size=1, max_size=2, unique=True))
    n_days = draw(st.integers(1, 9))
    amounts = st.integers(0, 6).map(lambda n: n / 2)
    return [
        [store, brand, (START + dt.timedelta(day)).isoformat(), draw(amounts), draw(amounts)]
        for store in stores
        for brand in brands
        for day in range(n_days)
    ]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=exports(), command=st.sampled_from(sorted(COMMANDS)))
def test_drawn_exports_give_the_same_cells(
    tmp_path: Path, rows: list[list[Any]], command: str
) -> None:
    source = tmp_path / "in.csv"
    write_export(source, rows)
    from_csv, from_book = both(tmp_path, command, source)
    assert from_book == from_csv
    assert len(from_book) == len(from_csv) > 1


def test_a_macro_workbook_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # (.xls is refused with the other outputs that cannot be written, in test_exports.py)
    source = tmp_path / "in.csv"
    write_export(source, hand_made_rows())
    assert run("cycle", source, "--out", tmp_path / "report.xlsm") == 2
    message = "not as an Excel macro-enabled workbook: name the output .xlsx"
    assert message in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv"]


def test_without_openpyxl_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    # the input does not exist: the output is refused first
    assert run("quota", tmp_path / "absent.csv", "--out", tmp_path / "r.xlsx") == 2
    err = capsys.readouterr().err
    assert "writing an Excel workbook needs openpyxl: pip install 'tobacco-metrics[excel]'" in err
    assert list(tmp_path.iterdir()) == []


def test_the_input_is_never_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    book.active.append(["store", "brand", "date", "sales", "inventory"])
    book.active.append(["C1", "B", START, 1, 1])
    book.save(tmp_path / "in.xlsx")
    before = (tmp_path / "in.xlsx").read_bytes()
    assert run("cycle", tmp_path / "in.xlsx", "--out", tmp_path / "in.xlsx") == 2
    assert "is the input file" in capsys.readouterr().err
    assert (tmp_path / "in.xlsx").read_bytes() == before


def test_a_failed_workbook_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old")
    part = {
        "store": _exports.Coded(np.zeros(2, np.int32), ("C\x01",)),
        "sales": np.array([1.0, math.nan]),
    }
    from openpyxl.worksheet._writer import ALL_TEMP_FILES  # openpyxl's files of rows

    temporary = list(ALL_TEMP_FILES)
    with pytest.raises(_exports.OutputError, match=r"control character.*write the report as \.csv"):
        _exports.write(str(out), ["store", "sales"], [part], decimals=2, sheet="cycle")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r.xlsx"]
    assert out.read_bytes() == b"old"
    assert temporary == ALL_TEMP_FILES  # removed


def test_a_label_longer_than_a_cell_is_refused(tmp_path: Path) -> None:
    # Excel holds 32,767 characters in a cell and openpyxl would write a longer text cut
    # short: refused, the old file kept, rather than a label silently clipped.
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old")
    part = {
        "store": _exports.Coded(np.zeros(1, np.int32), ("S" * 32_768,)),
        "sales": np.array([1.0]),
    }
    with pytest.raises(_exports.OutputError, match=r"'store' label of 32,768 characters"):
        _exports.write(str(out), ["store", "sales"], [part], decimals=2, sheet="cycle")
    assert out.read_bytes() == b"old"
    part["store"] = _exports.Coded(np.zeros(1, np.int32), ("S" * 32_767,))
    _exports.write(str(out), ["store", "sales"], [part], decimals=2, sheet="cycle")
    assert openpyxl.load_workbook(out).active["A2"].value == "S" * 32_767


def test_an_empty_report_has_its_header(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    part = {"store": np.array([], dtype=object), "sales": np.array([], dtype=np.float64)}
    assert _exports.write(str(out), ["store", "sales"], [part], decimals=2, sheet="quota") == 0
    assert book_cells(out, "quota") == [["store", "sales"]]
