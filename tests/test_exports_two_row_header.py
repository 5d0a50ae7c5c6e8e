"""Exports whose header takes two rows: a group row over sub-columns, or a row of units.

Each file must give exactly the report of the same data under a clean one-row
header, with either CLI engine (and from a workbook with real merged cells);
two groups over the same names are refused by line, naming the ``--columns``
that chooses one.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tobacco_metrics as tm
from test_exports_messy import BRANDS, HEADER, clean_rows, lines
from tobacco_metrics import _header_rows, _io, cli
from tobacco_metrics.errors import InvalidValueError

pytest.importorskip("pyarrow")


def run(source: Path, out: Path, engine: str, *options: str) -> int:
    return cli.main(["cycle", str(source), "--out", str(out), "--engine", engine, *options])


@pytest.fixture
def clean_report(tmp_path: Path) -> str:
    """The report of the clean export, the one-row header over the same rows."""
    source = tmp_path / "clean.csv"
    source.write_text(lines([HEADER, *clean_rows()]), encoding="utf-8")
    assert run(source, tmp_path / "clean_report.csv", "python") == 0
    return (tmp_path / "clean_report.csv").read_text(encoding="utf-8")


GROUPS = ["客户编码", "卷烟编码", "日期", "销售情况", "库存情况"]
SUBS = ["", "", "", "销量", "库存"]
MERGED = ["客户编码", "卷烟编码", "日期", "本期", ""]
UNITS = ["", "", "", "(条)", "(条)"]
TWO_PERIODS = ["客户编码", "卷烟编码", "日期", "本期", "", "上期", ""]
TWICE = ["", "", "", "销量", "库存", "销量", "库存"]


def two_periods(rows: list[list[str]]) -> list[list[str]]:
    """The rows with a previous period's sales and stock after this period's."""
    return [[*row, "9", "8"] for row in rows]


@dataclasses.dataclass(frozen=True)
class Case:
    content: bytes
    note: str = "the header takes two lines, 1 and 2"
    options: tuple[str, ...] = ()


def utf8(rows: list[list[str]]) -> bytes:
    return lines(rows).encode("utf-8")


READ_AS_CLEAN: dict[str, Case] = {
    "group-over-sub-columns": Case(utf8([GROUPS, SUBS, *clean_rows()])),
    "merged-group": Case(utf8([MERGED, SUBS, *clean_rows()])),
    "units-under-a-header": Case(utf8([HEADER, UNITS, *clean_rows()])),
    "units-above-the-header": Case(utf8([UNITS, HEADER, *clean_rows()])),
    "full-width-unit-words": Case(utf8([HEADER, ["", "", "", "（单位：条）", "单位：条"]])),
    "a-group-over-a-unit": Case(
        utf8([["客户编码", "卷烟编码", "日期", "销售情况", "库存"], ["", "", "", "销量", "条"]])
    ),
    "gbk": Case(lines([MERGED, SUBS, *clean_rows()]).encode("gbk")),
    "title-above": Case(
        utf8([["2026年3月销售日报"], [], MERGED, SUBS, *clean_rows()]),
        "the header takes two lines, 3 and 4",
    ),
    "exports-joined-with-totals": Case(
        utf8(
            [
                *(MERGED, SUBS, *clean_rows()[:14], ["小计", "", "", "9", "9"]),
                *(MERGED, SUBS, *clean_rows()[14:], ["合计", "", "", "9", "9"]),
            ]
        ),
        "2 repeated header rows skipped (lines 18, 19)",
    ),
    "two-periods-chosen": Case(
        utf8([TWO_PERIODS, TWICE, *two_periods(clean_rows())]),
        options=("--columns", "sales=本期/销量,inventory=本期／库存"),
    ),
    "a-group-row-above-a-whole-header": Case(
        utf8([["", "", "", "本期", "", "上期", ""], [*HEADER, "销量", "库存"]])
        + utf8(two_periods(clean_rows())),
        options=("--columns", "sales=本期/销量,inventory=本期/库存"),
    ),
}
# the unit rows above carry no data: add it
for _name in ("full-width-unit-words", "a-group-over-a-unit"):
    READ_AS_CLEAN[_name] = Case(READ_AS_CLEAN[_name].content + utf8(clean_rows()))


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
@pytest.mark.parametrize("case", list(READ_AS_CLEAN))
def test_a_two_row_header_writes_the_clean_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_report: str, case: str, engine: str
) -> None:
    given_case = READ_AS_CLEAN[case]
    source = tmp_path / "in.csv"
    source.write_bytes(given_case.content)
    out = tmp_path / "out.csv"
    capsys.readouterr()
    assert run(source, out, engine, *given_case.options) == 0, capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == clean_report
    err = capsys.readouterr().err
    assert given_case.note in err
    assert "error" not in err


REFUSED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "two-periods": (
        lines([TWO_PERIODS, TWICE, *two_periods(clean_rows())]),
        (),
        "line 1: the header has '本期/销量' and '上期/销量', which could each be 'sales'; "
        "'本期/库存' and '上期/库存', which could each be 'inventory': choose with "
        "--columns sales=本期/销量,inventory=本期/库存",
    ),
    "two-periods-under-a-title": (
        lines([["销售日报"], TWO_PERIODS, TWICE, *two_periods(clean_rows())]),
        (),
        "line 2: the header has '本期/销量' and '上期/销量'",
    ),
    "two-periods-a-name-without-its-group": (
        lines([TWO_PERIODS, TWICE, *two_periods(clean_rows())]),
        ("--columns", "sales=销量,inventory=本期/库存"),
        "line 1: --columns sales=销量: the header has '本期/销量' and '上期/销量': name one "
        "as --columns sales=本期/销量",
    ),
    "two-periods-a-group-not-there": (
        lines([TWO_PERIODS, TWICE, *two_periods(clean_rows())]),
        ("--columns", "sales=去年/销量,inventory=本期/库存"),
        "line 1: --columns sales=去年/销量: the header has no column '去年/销量'",
    ),
    "boxes-in-the-units-row": (
        lines([HEADER, ["", "", "", "(箱)", "(条)"], *clean_rows()]),
        (),
        "line 1: the header '销量(箱)' counts sales in '箱': the library counts cartons",
    ),
    "packs-under-a-group": (
        lines([MERGED, ["", "", "", "销量", "库存"], ["", "", "", "包", ""], *clean_rows()]),
        (),
        # a third row of units is not read as a header: its row is data, refused
        "line 3: 'store' is empty",
    ),
    # a row of text without numbers or dates under a whole header is data, not a header row
    "quantities-as-dashes-under-a-header": (
        lines([HEADER, ["0310", BRANDS[0], "", "—", "—"], *clean_rows()]),
        (),
        "line 2: 'date' '' is",
    ),
    "a-bad-header-over-text-data": (
        lines([["客户编码", "卷烟编码", "日期", "销售额", "库存"], ["C1", "B1", "昨天", "—", "—"]]),
        (),
        "line 1: the header must name store, brand, date, sales, inventory",
    ),
}


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
@pytest.mark.parametrize("case", list(REFUSED))
def test_an_unclear_two_row_header_is_refused_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, engine: str
) -> None:
    content, options, message = REFUSED[case]
    (tmp_path / "in.csv").write_text(content, encoding="utf-8")
    assert run(tmp_path / "in.csv", tmp_path / "out.csv", engine, *options) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert "\n" not in err  # one line
    assert not (tmp_path / "out.csv").exists()


def test_a_workbook_with_merged_cells_writes_the_clean_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_report: str
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年3月销售日报"])
    sheet.merge_cells("A1:G1")
    sheet.append(TWO_PERIODS)
    sheet.append(TWICE)
    for column in "ABC":  # the identifier columns span both header rows
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:E2")
    sheet.merge_cells("F2:G2")
    for row in two_periods(clean_rows()):
        sheet.append([*row[:3], *(int(cell) for cell in row[3:])])
    source = tmp_path / "in.xlsx"
    book.save(source)
    out = tmp_path / "out.csv"
    options = ("--columns", "sales=本期/销量,inventory=本期/库存")
    assert run(source, out, "python", *options) == 0, capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == clean_report
    assert "the header takes two rows, 2 and 3" in capsys.readouterr().err
    assert run(source, out, "python") == 2
    assert "row 2: the header has '本期/销量' and '上期/销量'" in capsys.readouterr().err


# Hypothesis: a clean header split into a group row and a sub-row reads as the clean one.
ALIASES = {
    "store": ("客户编码", "零售户编码", "store"),
    "brand": ("卷烟编码", "商品编码", "brand"),
    "date": ("日期", "业务日期", "date"),
    "sales": ("销量", "销售数量", "销量(条)"),
    "inventory": ("库存", "期末库存", "库存（条）"),
}
GROUP_NAMES = ("本期", "销售情况", "基本信息", "数据", "本月累计")


@st.composite
def split_headers(draw: st.DrawFn) -> tuple[list[int], list[str], list[str], list[str]]:
    """An order of the five columns, a one-row header, and the same split into two rows:
    runs of columns either named in the group row only or under a group name."""
    order = draw(st.permutations(range(5)))
    names = [draw(st.sampled_from(ALIASES[list(ALIASES)[k]])) for k in order]
    upper: list[str] = []
    lower: list[str] = []
    at = 0
    while at < 5:
        size = draw(st.integers(1, 5 - at))
        if draw(st.booleans()):  # a group over the run's names (a merged cell)
            upper += [draw(st.sampled_from(GROUP_NAMES))] + [""] * (size - 1)
            lower += names[at : at + size]
        else:  # names in the group row, spanning both rows
            upper += names[at : at + size]
            lower += [""] * size
        at += size
    return list(order), names, upper, lower


def _table(content: str) -> tuple[Any, ...]:
    table = _io.read_table(_io.Source("in.csv", content.encode("utf-8")), engine="python")
    table = table.with_rows()
    return (
        table.stores,
        table.brands,
        *(np.asarray(getattr(table, name)).tolist() for name in ("store", "brand", "day")),
        *(np.asarray(getattr(table, name)).tolist() for name in ("sales", "inventory")),
    )


@settings(max_examples=60, deadline=None)
@given(split_headers())
def test_a_header_split_into_two_rows_reads_as_the_one_row_header(
    header: tuple[list[int], list[str], list[str], list[str]],
) -> None:
    order, names, upper, lower = header
    rows = [[row[k] for k in order] for row in clean_rows()]
    one_row = _table(lines([names, *rows]))
    assert _table(lines([upper, lower, *rows])) == one_row


CARTONS = ("(条)", "（条）", "条", "单位：条", "（单位：条）", "[条]", "(cartons)")


@settings(max_examples=40, deadline=None)
@given(
    st.permutations(range(5)),
    st.lists(st.sampled_from(("", *CARTONS)), min_size=5, max_size=5).filter(any),
    st.booleans(),
)
def test_a_row_of_carton_units_reads_as_the_header_alone(
    order: list[int], units: list[str], above: bool
) -> None:
    names = [HEADER[k] for k in order]
    rows = [[row[k] for k in order] for row in clean_rows()]
    header = [units, names] if above else [names, units]
    assert _table(lines([*header, *rows])) == _table(lines([names, *rows]))


@pytest.mark.parametrize(
    ("upper", "lower"),
    [
        (HEADER, ["0310", BRANDS[0], "2026-03-02", "1", "1"]),  # a data row
        (HEADER, ["0310", BRANDS[0], "", "", ""]),  # quantities empty
        (HEADER, ["", "", "", "-", "-1"]),  # a number
        (["销售日报"], HEADER),  # a title over a whole header
        (HEADER, ["注：单位为条"]),  # a note under it
    ],
)
def test_rows_that_are_not_a_second_header_row(upper: list[str], lower: list[str]) -> None:
    assert _header_rows.two_rows(upper, lower) is None


@pytest.mark.filterwarnings("ignore::tobacco_metrics.ExportNote")  # the notes: below
@pytest.mark.parametrize("case", ["merged-group", "units-under-a-header", "title-above"])
def test_read_long_reads_a_two_row_header_as_the_one_row_header(tmp_path: Path, case: str) -> None:
    dask = pytest.importorskip("tobacco_metrics.dask")
    (tmp_path / "clean.csv").write_text(lines([HEADER, *clean_rows()]), encoding="utf-8")
    (tmp_path / "in.csv").write_bytes(READ_AS_CLEAN[case].content)
    clean, got = (dask.read_long(tmp_path / name) for name in ("clean.csv", "in.csv"))
    assert (got.stores, got.brands, got.start) == (clean.stores, clean.brands, clean.start)
    for name in ("sales", "inventory"):
        assert np.array_equal(getattr(got, name).compute(), getattr(clean, name).compute())


@pytest.mark.filterwarnings("ignore::tobacco_metrics.ExportNote")
def test_read_long_and_read_export_pick_one_period_by_group(tmp_path: Path) -> None:
    """A name under a group is GROUP/NAME for the functions' keywords as for --columns."""
    dask = pytest.importorskip("tobacco_metrics.dask")
    source = tmp_path / "in.csv"
    source.write_bytes(READ_AS_CLEAN["two-periods-chosen"].content)
    clean = tm.Panel.from_frame(pd.DataFrame(clean_rows(), columns=HEADER))
    chosen = {"sales": "本期/销量", "inventory": "本期/库存"}
    province = dask.read_long(source, **chosen)
    np.testing.assert_array_equal(province.sales.compute(), clean.sales)
    read = tm.read_export(source, sales="本期/销量", inventory="本期/库存")
    np.testing.assert_array_equal(read.inventory, clean.inventory)
    with pytest.raises(InvalidValueError, match="'本期/销量' and '上期/销量'"):
        tm.read_export(source)
