"""Messy ERP exports: each is read as its clean form, or refused naming line and column.

Each case is one thing a real export (or the spreadsheet it went through) does to
the clean file below; the CLI must write the clean file's report with either
engine, or refuse the file with a one-line message, and ``Panel.from_frame``
must read the same cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tobacco_metrics as tm
from tobacco_metrics import _readers, cli
from tobacco_metrics.errors import InvalidValueError, MissingDataError

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

HEADER = ["客户编码", "卷烟编码", "日期", "销量", "库存"]
STORES = ("0310", "0311")
BRANDS = ("6901028045134", "6901028075018")


def clean_rows() -> list[list[str]]:
    """Two stores (codes with a leading zero) × two brands × seven days."""
    return [
        [store, brand, f"2026-03-{2 + day:02d}", str((3 * day + i) % 5), str((day + j) % 4)]
        for i, store in enumerate(STORES)
        for j, brand in enumerate(BRANDS)
        for day in range(7)
    ]


def lines(rows: list[list[str]], delimiter: str = ",", end: str = "\n") -> str:
    return "".join(delimiter.join(row) + end for row in rows)


def run(source: Path, out: Path, engine: str) -> int:
    return cli.main(["cycle", str(source), "--out", str(out), "--engine", engine])


@pytest.fixture
def clean_report(tmp_path: Path) -> str:
    source = tmp_path / "clean.csv"
    source.write_text(lines([HEADER, *clean_rows()]), encoding="utf-8")
    assert run(source, tmp_path / "clean_report.csv", "python") == 0
    return (tmp_path / "clean_report.csv").read_text(encoding="utf-8")


def ctrl_z() -> bytes:
    """CRLF lines and the DOS end-of-file mark after the last."""
    return lines([HEADER, *clean_rows()], end="\r\n").encode("gbk") + b"\x1a"


def store_subtotals() -> bytes:
    """A 小计 row under each store's code (date empty), and a 总计 row at the end."""
    rows = [HEADER]
    for store in STORES:
        rows += [row for row in clean_rows() if row[0] == store]
        rows.append([store, "小计", "", "99", "9"])
    rows.append(["总计", "", "", "198", "18"])
    return lines(rows).encode("gbk")


def header_with_trailing_delimiter() -> bytes:
    """A header ending in a delimiter (an unnamed column) over rows without it."""
    return (lines([[*HEADER, ""]]) + lines(clean_rows())).encode("utf-8")


def rows_with_trailing_delimiters() -> bytes:
    """Rows ending in empty cells the header has no names for."""
    return lines([HEADER, *[[*row, "", ""] for row in clean_rows()]]).encode("utf-8")


def joined_with_boms() -> bytes:
    """Two "CSV UTF-8" files joined with ``cat``: a BOM before the second header."""
    halves = [[row for row in clean_rows() if row[0] == store] for store in STORES]
    return b"".join(("\ufeff" + lines([HEADER, *half])).encode("utf-8") for half in halves)


def text_formulas() -> bytes:
    """Codes (and a date, a quantity) written as Excel's ="0310" to keep leading zeros."""
    rows = [[f'="{row[0]}"', f'="{row[1]}"', *row[2:]] for row in clean_rows()]
    rows[0][2] = f'="{rows[0][2]}"'
    rows[0][3] = f'="{rows[0][3]}"'
    return lines([HEADER, *rows]).encode("gbk")


def excel_text_marks() -> bytes:
    """Excel's text mark before codes (so a spreadsheet keeps 0310 and all 13 digits of a
    barcode), and before some dates and quantities; a brand name in apostrophes is a
    name, not a mark (it was read as the label "'0310", a store apart from 0310)."""
    rows = [HEADER]
    for number, row in enumerate(clean_rows()):
        store, brand, day, sold, stock = row
        marked = [f"'{store}", f"'{brand}", day, sold, stock]
        if number % 3 == 0:
            marked[2:4] = [f"'{day}", f"'{sold}"]
        rows.append(marked if number % 2 else row)
    return lines(rows).encode("gbk")


def invisible_characters() -> bytes:
    """A zero-width space and a no-break space around some store codes."""
    rows = clean_rows()
    rows[0][0] = "\u200b" + rows[0][0]
    rows[1][0] = rows[1][0] + "\u00a0"
    rows[2][1] = "\ufeff" + rows[2][1]
    return lines([HEADER, *rows]).encode("utf-8")


def full_width_punctuation() -> bytes:
    """Numbers and dates typed with a Chinese input method: full-width point, comma, dash."""
    wide = str.maketrans({chr(ord("0") + i): chr(0xFF10 + i) for i in range(10)})
    rows = clean_rows()
    rows[0][3] = f"{rows[0][3]}．0".translate(wide)
    rows[1][4] = f'"0，00{rows[1][4]}"'.translate(wide)
    rows[2][2] = rows[2][2].replace("-", "－").translate(wide)
    return lines([HEADER, *rows]).encode("gbk")


def units_after_a_slash() -> bytes:
    """Units written 销量/条 and 库存（单位：条）."""
    return lines(
        [["客户编码", "卷烟编码", "日期", "销量/条", "库存（单位：条）"], *clean_rows()]
    ).encode("gbk")


def licence_and_brand_names() -> bytes:
    """The store under its licence number (许可证号) and the brand under 品规: no code columns."""
    header = ["许可证号", "客户名称", "品规", "日期", "销量", "期末库存"]
    rows = [[row[0], "张三", *row[1:]] for row in clean_rows()]
    return lines([header, *rows]).encode("gbk")


def wide_header() -> bytes:
    """Six hundred remark columns: a header line longer than the 64 KiB sample."""
    extra = [f"备注字段{i}" * 20 for i in range(600)]
    rows = [[*row, *[""] * 600] for row in clean_rows()]
    return lines([[*HEADER, *extra], *rows]).encode("utf-8")


def dates_with_weekdays() -> bytes:
    """Dates with their weekday after them, as some ERP reports print them."""
    names = "一二三四五六日"
    rows = clean_rows()
    for n, row in enumerate(rows):
        day = int(row[2][-2:])
        weekday = names[(day - 2) % 7]  # 2 March 2026 is a Monday
        row[2] = [f"{row[2]} 星期{weekday}", f"{row[2]}(周{weekday})", row[2]][n % 3]
    return lines([HEADER, *rows]).encode("gbk")


TITLE = [["XX市烟草公司零售户进销存报表"], ["统计日期：", "2026-03-02", "至", "2026-03-08", ""], []]


def joined_with_titles() -> bytes:
    """Two exports, each with its title lines above its header, joined one after the other."""
    halves = [[row for row in clean_rows() if row[0] == store] for store in STORES]
    return b"".join(lines([*TITLE, HEADER, *half]).encode("gbk") for half in halves)


READ_AS_CLEAN: dict[str, tuple[Callable[[], bytes], str]] = {
    "ctrl-z": (ctrl_z, ""),
    "store-subtotals": (
        store_subtotals,
        "note: 3 total rows skipped: line 16 (小计), line 31 (小计), line 32 (总计)",
    ),
    "header-trailing-delimiter": (header_with_trailing_delimiter, ""),
    "rows-trailing-delimiters": (rows_with_trailing_delimiters, ""),
    "joined-with-boms": (joined_with_boms, "note: 1 repeated header row skipped (line 16)"),
    "joined-with-titles": (
        joined_with_titles,
        "note: 2 title lines above a repeated header skipped (lines 19, 20)",
    ),
    "text-formulas": (text_formulas, ""),
    "excel-text-marks": (excel_text_marks, ""),
    "invisible-characters": (invisible_characters, ""),
    "full-width-punctuation": (full_width_punctuation, ""),
    "units-after-a-slash": (units_after_a_slash, ""),
    "licence-and-brand-names": (licence_and_brand_names, ""),
    "wide-header": (wide_header, ""),
    "dates-with-weekdays": (dates_with_weekdays, ""),
}


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
@pytest.mark.parametrize("case", list(READ_AS_CLEAN))
def test_a_messy_export_writes_the_clean_report(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    clean_report: str,
    case: str,
    engine: str,
) -> None:
    content, note = READ_AS_CLEAN[case]
    source = tmp_path / "in.csv"
    source.write_bytes(content())
    out = tmp_path / "out.csv"
    capsys.readouterr()
    assert run(source, out, engine) == 0, capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == clean_report
    err = capsys.readouterr().err
    assert note in err
    assert "error" not in err


REFUSED: dict[str, tuple[str, str]] = {
    "packs-after-a-slash": (
        lines([["客户编码", "卷烟编码", "日期", "销量/包", "库存"], *clean_rows()]),
        "line 1: the header '销量/包' counts sales in '包': the library counts cartons",
    ),
    # data lines repeat a value ("0" twice): the header must not be taken for a title and a
    # data line for the header
    "unknown-header-under-a-title": (
        lines([["统计日期：", "2026-03-02"], ["客户编码", "卷烟编码", "日期", "销售额", "库存"]])
        + lines(clean_rows()),
        "line 2: the header must name store, brand, date, sales, inventory",
    ),
    "unquoted-thousands": (
        lines([HEADER, *clean_rows()[:3], ["0310", BRANDS[0], "2026-03-09", "1,234", "1"]]),
        "line 5: expected 5 fields, got 6: perhaps a number with a thousands separator "
        "(1,234) is not in quotes",
    ),
    "row-longer-with-a-value": (
        lines([HEADER, *clean_rows()[:3], ["0310", BRANDS[0], "2026-03-09", "1", "1", "x"]]),
        "line 5: expected 5 fields, got 6; nothing was written",
    ),
    # a data row with a bad value just above a repeated header is not a title line
    "bad-row-above-a-repeated-header": (
        lines([HEADER, *clean_rows()[:3], ["0310", BRANDS[0], "2026-13-09", "1", "1"], HEADER]),
        "line 5: 'date' '2026-13-09' is not a calendar date",
    ),
    # a weekday after a date must be the date's own: which of the two is wrong?
    "date-with-another-weekday": (
        lines([HEADER, *clean_rows()[:3], ["0310", BRANDS[0], "2026-03-09 星期二", "1", "1"]]),
        "line 5: 'date' '2026-03-09 星期二' is a 星期一, not the 星期二 written after it",
    ),
    "row-shorter-under-a-name": (
        lines([[*HEADER, "客户名称"], ["0310", BRANDS[0], "2026-03-02", "1", "1"]]),
        "line 2: expected 6 fields, got 5; nothing was written",
    ),
}


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
@pytest.mark.parametrize("case", list(REFUSED))
def test_a_messy_export_is_refused_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, engine: str
) -> None:
    content, message = REFUSED[case]
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run(source, out, engine) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def clean_frame() -> Any:
    return pd.DataFrame(clean_rows(), columns=HEADER)


def clean_panel() -> tm.Panel:
    return tm.Panel.from_frame(clean_frame())


def test_from_frame_reads_text_formulas_invisible_and_full_width_cells() -> None:
    frame = clean_frame()
    frame.loc[0, "客户编码"] = '="0310"'
    frame.loc[2, "客户编码"] = "'0310"  # Excel's text mark
    frame.loc[3, "卷烟编码"] = "'" + BRANDS[0]
    frame.loc[1, "卷烟编码"] = "\u200b" + BRANDS[0]
    frame.loc[2, "销量"] = "".join(chr(0xFF10 + int(c)) for c in frame.loc[2, "销量"]) + "．０"
    frame.loc[3, "日期"] = "２０２６－０３－０５"
    panel, clean = tm.Panel.from_frame(frame), clean_panel()
    assert panel.stores == clean.stores
    assert panel.brands == clean.brands
    assert np.array_equal(panel.sales, clean.sales)


def test_from_frame_reads_codes_pandas_read_as_floats() -> None:
    # a total row made the code columns float64; dropping it leaves 310.0 and 6.9e12
    frame = clean_frame()
    frame["客户编码"] = frame["客户编码"].astype(float)
    frame["卷烟编码"] = frame["卷烟编码"].astype(float)
    panel = tm.Panel.from_frame(frame)
    assert panel.stores == ("310", "311")
    assert panel.brands == BRANDS
    polars = pl.from_pandas(frame)
    assert tm.Panel.from_frame(polars).brands == BRANDS
    halves = frame.assign(客户编码=frame["客户编码"] + 0.5)
    assert tm.Panel.from_frame(halves).stores == ("310.5", "311.5")


def test_from_frame_refuses_a_nan_label() -> None:
    # polars keeps NaN (pandas would turn it into a null): not a store called "nan"
    frame = pl.from_pandas(clean_frame().assign(客户编码=lambda f: f["客户编码"].astype(float)))
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(float("nan"))
        .otherwise(pl.col("客户编码"))
        .alias("客户编码")
    )
    with pytest.raises(MissingDataError, match="row 3: 'store' is missing"):
        tm.Panel.from_frame(frame)


def test_from_frame_refuses_a_header_pandas_renamed() -> None:
    text = lines([[*HEADER, "销量"], *[[*row, "100"] for row in clean_rows()]])
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    assert "销量.1" in frame.columns
    with pytest.raises(InvalidValueError, match=r"'销量' and '销量\.1', which could both be"):
        tm.Panel.from_frame(frame)
    assert np.array_equal(tm.Panel.from_frame(frame, sales="销量").sales, clean_panel().sales)


def test_from_frame_refuses_a_column_name_twice() -> None:
    # pandas keeps two columns of one name (a table joined twice); pyarrow's raw
    # "Duplicate column names found" ValueError is now the export's header rule.
    frame = clean_frame()
    twice = pd.concat([frame, frame[["销量"]]], axis=1)
    with pytest.raises(InvalidValueError, match=r"header names '销量' twice \(columns 4 and 6\)"):
        tm.Panel.from_frame(twice)


def test_from_frame_reads_licence_and_brand_name_headers() -> None:
    frame = clean_frame().rename(columns={"客户编码": "许可证号", "卷烟编码": "卷烟名称"})
    assert np.array_equal(tm.Panel.from_frame(frame).sales, clean_panel().sales)
    # a code column is preferred to a name column: no ambiguity
    both = clean_frame().assign(卷烟名称="中华", 许可证号="330100")
    assert tm.Panel.from_frame(both).brands == BRANDS


def test_excel_unicode_text_reads_quoted_thousands(tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 LE with a BOM, tabs, CRLF, 1,234 in quotes."""
    rows = clean_rows()
    rows[0][3] = '"1,234"'
    source = tmp_path / "in.txt"
    source.write_bytes(
        codecs.BOM_UTF16_LE + lines([HEADER, *rows], "\t", "\r\n").encode("utf-16-le")
    )
    for engine in ("pyarrow", "python"):
        out = tmp_path / f"{engine}.csv"
        assert run(source, out, engine) == 0
        with out.open(encoding="utf-8", newline="") as handle:
            report = list(csv.DictReader(handle))
        assert report[0]["actual_sales"] == str(1234 + sum(int(r[3]) for r in clean_rows()[1:7]))


_LABEL = st.text(
    alphabet=st.characters(categories=["L", "N"], include_characters="-_()（）"),
    min_size=1,
    max_size=8,
)
_EDGE = st.text(alphabet=" \t\u3000\u00a0\u200b\ufeff", max_size=3)


@given(label=_LABEL, before=_EDGE, after=_EDGE, formula=st.booleans())
def test_cell_text_undoes_padding_and_text_formulas(
    label: str, before: str, after: str, formula: bool
) -> None:
    written = f'="{label}"' if formula else label
    assert _readers.cell_text(before + written + after) == label


def test_labels_alike_but_for_width_are_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 中华(硬) typed with and without a Chinese input method: two brands, as written (an
    # ERP may keep labels apart so), but the reader says so instead of splitting silently.
    header = ["客户编码", "品规", "日期", "销量", "库存"]
    rows = [
        ["0310", "中华(硬)", "2026-03-02", "1", "2"],
        ["0310", "中华（硬）", "2026-03-02", "1", "2"],
        ["0311", "中华(硬)", "2026-03-02", "1", "2"],
    ]
    source = tmp_path / "in.csv"
    source.write_bytes(lines([header, *rows]).encode("gbk"))
    assert (
        cli.main(["cycle", str(source), "--out", str(tmp_path / "o.csv"), "--cycle-days", "1"]) == 0
    )
    err = capsys.readouterr().err
    assert (
        "note: brands '中华(硬)' and '中华（硬）' differ only in character width, case or "
        "spaces: read as different" in err
    )
    assert "note: stores" not in err


# --------------------------------------------------------------------------- dask.read_long


@pytest.mark.parametrize("case", list(READ_AS_CLEAN))
def test_read_long_reads_a_messy_export_as_the_command_line_does(tmp_path: Path, case: str) -> None:
    # The province path reads each CSV file with the command line's reader: every messy
    # export the command line reads gives the clean panel (they were refused, or read with
    # a total row as a store, before).
    dask = pytest.importorskip("dask")
    from tobacco_metrics.dask import read_long

    source = tmp_path / "in.csv"
    source.write_bytes(READ_AS_CLEAN[case][0]())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = read_long(source, stores_per_block=1)
    # the command line's notes on the file, each an ExportNote naming it
    assert all(issubclass(warning.category, tm.ExportNote) for warning in caught)
    with warnings.catch_warnings(record=True) as noted:
        warnings.simplefilter("always")
        tm.read_export(source)
    file_notes = [str(w.message) for w in noted if "not carried" not in str(w.message)]
    assert [str(warning.message) for warning in caught] == [
        f"{source}: {note}" for note in file_notes
    ]
    clean = clean_panel()
    assert (panel.stores, panel.brands, panel.start) == (clean.stores, clean.brands, clean.start)
    sales, inventory = dask.compute(panel.sales, panel.inventory)
    np.testing.assert_array_equal(sales, clean.sales)
    np.testing.assert_array_equal(inventory, clean.inventory)


@pytest.mark.parametrize("case", list(REFUSED))
def test_read_long_refuses_a_messy_export_by_line(tmp_path: Path, case: str) -> None:
    pytest.importorskip("dask")
    from tobacco_metrics.dask import read_long

    content, message = REFUSED[case]
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises((InvalidValueError, MissingDataError)) as raised:
        read_long(source)
    line, reason = message.removesuffix("; nothing was written").split(": ", 1)
    text = str(raised.value)
    assert reason in text
    assert f"{line}: {reason}" in text or reason.startswith("the header")  # header: by name
    assert "--" not in text  # read_long's keywords, not the command line's options


# --------------------------------------------------------------------------- read_export


@pytest.mark.parametrize("case", list(READ_AS_CLEAN))
def test_read_export_reads_a_messy_export_as_the_command_line_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    """The same panel as the command line's, and its notes as ExportNote warnings."""
    content, note = READ_AS_CLEAN[case]
    source = tmp_path / "in.csv"
    source.write_bytes(content())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = tm.read_export(source)
    clean = clean_panel()
    assert (panel.stores, panel.brands, panel.start) == (clean.stores, clean.brands, clean.start)
    np.testing.assert_array_equal(panel.sales, clean.sales)
    np.testing.assert_array_equal(panel.inventory, clean.inventory)
    np.testing.assert_array_equal(panel.carried, clean.carried)
    assert all(issubclass(warning.category, tm.ExportNote) for warning in caught)
    assert run(source, tmp_path / "out.csv", "pyarrow") == 0
    printed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: ")]
    assert [f"note: {warning.message}" for warning in caught] == printed
    assert note in printed or not note


@pytest.mark.parametrize("case", list(REFUSED))
def test_read_export_refuses_a_messy_export_by_line(tmp_path: Path, case: str) -> None:
    content, message = REFUSED[case]
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises((InvalidValueError, MissingDataError)) as raised:
        tm.read_export(source)
    line, reason = message.removesuffix("; nothing was written").split(": ", 1)
    text = str(raised.value)
    assert f"{line}: {reason}" in text
    assert str(source) in text
    assert "--" not in text  # a library's message, not the command line's
    assert "nothing was written" not in text


def test_read_export_reads_a_workbook_sheet_by_name_or_position(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active.append(["门店日报"])
    data = book.create_sheet("明细")
    for row in [HEADER, *clean_rows()]:
        data.append(row)
    book.save(tmp_path / "in.xlsx")
    clean = clean_panel()
    for sheet in ("明细", 2):
        panel = tm.read_export(tmp_path / "in.xlsx", sheet=sheet)
        np.testing.assert_array_equal(panel.sales, clean.sales)
    with pytest.raises(InvalidValueError, match="'sheet' positions count from 1: 0"):
        tm.read_export(tmp_path / "in.xlsx", sheet=0)
    with pytest.raises(TypeError, match="'sheet' must be a sheet name or a position"):
        tm.read_export(tmp_path / "in.xlsx", sheet=2.0)  # type: ignore[arg-type]


def test_read_export_names_its_arguments(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(lines([HEADER, *clean_rows()]), encoding="utf-8")
    with pytest.raises(InvalidValueError, match=r"sales='销售': the header has no column"):
        tm.read_export(source, sales="销售")
    with pytest.raises(InvalidValueError, match="'missing' must be 'error' or 'no_movement'"):
        tm.read_export(source, missing="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'store' must be a header name"):
        tm.read_export(source, store=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"'path' must be a str or os\.PathLike"):
        tm.read_export(b"in.csv")  # type: ignore[arg-type]
    assert tm.read_export(str(source), sales="销量").stores == clean_panel().stores
