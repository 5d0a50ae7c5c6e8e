"""Exports as ERP systems write them: through the CLI (both engines) and Panel.from_frame."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tobacco_metrics as tm
from tobacco_metrics import _readers, cli
from tobacco_metrics.errors import DuplicateEntryError, InvalidValueError, MissingDataError
from tobacco_metrics.stock import CYCLE_METRIC_FIELDS

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

START = dt.date(2026, 3, 2)
CHINESE = ["客户编码", "卷烟编码", "日期", "销量", "库存", "客户名称"]
STORES = ["C001", "C002", "C003"]
BRANDS = ["6901028045134", "6901028075018", "6901028180566"]
N_DAYS = 14


def truth() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rng = np.random.default_rng(3)
    shape = (3, 3, N_DAYS)
    sales = rng.integers(0, 6, shape).astype(float)
    stock = rng.integers(0, 4, shape).astype(float)
    sales[0, 0, 2] = stock[0, 0, 2] = 0  # a stockout
    sales[2, 2] = stock[2, 2] = 0  # C003 does not carry the third brand: no rows at all
    return sales, stock


def date_text(day: int) -> str:
    when = START + dt.timedelta(days=day)
    style = day % 3
    if style == 0:
        return when.isoformat()
    if style == 1:
        return f"{when.year}/{when.month}/{when.day} 00:00:00"
    return when.strftime("%Y%m%d")


def dirty_rows(*, gap: bool = False) -> list[list[str]]:
    """The export: mixed date formats, padded labels, a repeated row, a series not carried."""
    sales, stock = truth()
    rows = []
    for i, store in enumerate(STORES):
        for j, brand in enumerate(BRANDS):
            if (i, j) == (2, 2):
                continue
            for d in range(N_DAYS):
                if gap and (i, j, d) == (1, 0, 5):
                    continue
                label = f" {store} " if d % 4 == 0 else store
                rows.append(
                    [
                        label,
                        brand,
                        date_text(d),
                        f"{sales[i, j, d]:g}",
                        f"{stock[i, j, d]:g}",
                        f"零售户{i}",
                    ]
                )
    rows.append(list(rows[7]))  # an identical row
    return rows


def encode(rows: list[list[str]], *, encoding: str = "gbk", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CHINESE)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def run(*args: str | Path) -> int:
    return cli.main([str(arg) for arg in args])


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expected_rows() -> dict[tuple[str, str, str], dict[str, float]]:
    sales, stock = truth()
    out = {}
    for cycle in range(2):
        days = slice(7 * cycle, 7 * cycle + 7)
        metrics = tm.cycle_metrics(sales[..., days], stock[..., days])
        start = (START + dt.timedelta(days=7 * cycle)).isoformat()
        for i, store in enumerate(STORES):
            for j, brand in enumerate(BRANDS):
                if (i, j) == (2, 2):
                    continue
                out[store, brand, start] = {
                    name: float(np.asarray(getattr(metrics, name))[i, j])
                    for name in CYCLE_METRIC_FIELDS
                }
    return out


def check_report(rows: list[dict[str, str]]) -> None:
    expected = expected_rows()
    assert len(rows) == len(expected) == 16
    for row in rows:
        want = expected[row["store"], row["brand"], row["cycle_start"]]
        for name, value in want.items():
            if math.isfinite(value):
                assert float(row[name]) == float(np.round(value, 4)), name
            else:
                assert row[name] == "", name


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gbk", ","), ("gb18030", ";"), ("utf-8-sig", "\t"), ("utf-8", ";"), ("utf-16", "\t")],
)
@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_dirty_export_needs_no_option(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    encoding: str,
    delimiter: str,
    engine: str,
) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows(), encoding=encoding, delimiter=delimiter))
    out = tmp_path / "report.csv"
    assert run("cycle", source, "--out", out, "--engine", engine) == 0
    err = capsys.readouterr().err
    assert "note: 1 row identical to another in every field collapsed" in err
    assert "note: 1 store × brand pair without any row not carried" in err
    rows = read(out)
    check_report(rows)
    assert {row["no_movement_days"] for row in rows} == {"0"}


def test_both_engines_write_the_same_bytes(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows(gap=True)))
    outputs = []
    for engine in ("pyarrow", "python"):
        for by in ("brand", "store"):
            out = tmp_path / f"{engine}-{by}.csv"
            assert (
                run(
                    "cycle",
                    source,
                    "--out",
                    out,
                    "--engine",
                    engine,
                    "--by",
                    by,
                    "--missing",
                    "no_movement",
                )
                == 0
            )
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]


def test_a_gap_with_sales_is_counted_as_a_no_movement_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows(gap=True)))
    out = tmp_path / "report.csv"
    assert run("cycle", source, "--out", out) == 2
    err = capsys.readouterr().err
    assert "1 of 112 (store, brand, date) cells have no row" in err
    assert "(store 'C002', brand '6901028045134', 2026-03-07)" in err
    assert "--missing no_movement" in err
    assert len([line for line in err.splitlines() if not line.startswith("note: ")]) == 1
    assert run("cycle", source, "--out", out, "--missing", "no_movement") == 0
    filled = {(r["store"], r["brand"], r["cycle_start"]): r["no_movement_days"] for r in read(out)}
    assert filled.pop(("C002", "6901028045134", "2026-03-02")) == "1"
    assert set(filled.values()) == {"0"}


def test_by_store_pools_only_the_carried_brands(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows()))
    out = tmp_path / "stores.csv"
    assert run("cycle", source, "--out", out, "--by", "store") == 0
    rows = read(out)
    assert [(r["store"], r["brands"]) for r in rows[:3]] == [
        ("C001", "3"),
        ("C002", "3"),
        ("C003", "2"),
    ]
    sales, stock = truth()
    metrics = tm.cycle_metrics(sales[2, :2, :7], stock[2, :2, :7])
    pooled = tm.pooled_fulfilment_ratio(metrics.actual_sales, metrics.projected_stockout_sales)
    assert float(rows[2]["fulfilment_ratio"]) == round(float(pooled), 4)
    assert int(rows[2]["days"]) == 14  # 2 carried brands × 7 days, not 3 × 7
    assert int(rows[2]["stockout_days"]) == int(metrics.stockout_days.sum())


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow", "capsule"])
def test_panel_from_frame_matches_the_cli(tmp_path: Path, kind: str) -> None:
    rows = dirty_rows()
    source = tmp_path / "export.csv"
    source.write_bytes(encode(rows))
    out = tmp_path / "report.csv"
    assert run("cycle", source, "--out", out, "--decimals", "15") == 0
    report = {(r["store"], r["brand"], r["cycle_start"]): r for r in read(out)}
    frame: Any = pd.DataFrame(rows, columns=CHINESE)
    frame["销量"] = frame["销量"].astype(float)
    if kind == "polars":
        frame = pl.from_pandas(frame)
    elif kind == "pyarrow":
        frame = pa.Table.from_pandas(frame)
    elif kind == "capsule":

        class Capsule:
            def __init__(self, table: Any) -> None:
                self.table = table

            def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
                return self.table.__arrow_c_stream__(requested_schema)

        frame = Capsule(pa.Table.from_pandas(frame))
    panel = tm.Panel.from_frame(frame)
    assert panel.stores == tuple(STORES)
    assert panel.brands == tuple(BRANDS)
    for cycle in panel.cycles(7):
        metrics = cycle.metrics()
        for i, store in enumerate(STORES):
            for j, brand in enumerate(BRANDS):
                row = report.get((store, brand, cycle.start.isoformat()))
                if row is None:
                    assert (i, j) == (2, 2)
                    continue
                for name in CYCLE_METRIC_FIELDS:
                    value = float(np.asarray(getattr(metrics, name))[i, j])
                    text = row[name]
                    assert (
                        (text == "")
                        if not math.isfinite(value)
                        else (float(text) == float(np.round(value, 15)))
                    ), name


def test_panel_from_frame_names_columns_and_rows() -> None:
    frame = pd.DataFrame(
        {
            "shop": ["C1", "C1"],
            "sku": ["B", "B"],
            "day": [dt.date(2026, 3, 2), dt.date(2026, 3, 3)],
            "sold": [1, 2],
            "left": [3, 1],
        }
    )
    panel = tm.Panel.from_frame(
        frame, store="shop", brand="sku", date="day", sales="sold", inventory="left"
    )
    assert panel.sales.tolist() == [[[1.0, 2.0]]]
    with pytest.raises(MissingDataError, match=r"missing store, brand, date, sales, inventory"):
        tm.Panel.from_frame(frame)
    with pytest.raises(MissingDataError, match=r"store='shops': the header has no column 'shops'"):
        tm.Panel.from_frame(frame, store="shops")
    frame.loc[1, "sold"] = -1
    with pytest.raises(InvalidValueError, match=r"row 1: 'sales' must be >= 0: -1.0"):
        tm.Panel.from_frame(
            frame, store="shop", brand="sku", date="day", sales="sold", inventory="left"
        )
    with pytest.raises(TypeError, match="must be a dataframe"):
        tm.Panel.from_frame([[1, 2]])


def test_panel_from_frame_refuses_conflicts_and_bad_dates() -> None:
    base = {
        "store": ["C1", "C1", "C1"],
        "brand": ["B", "B", "B"],
        "date": ["2026-03-02", "2026-03-03", "2026/3/3"],
        "sales": [1.0, 2.0, 3.0],
        "inventory": [1.0, 1.0, 1.0],
    }
    with pytest.raises(
        DuplicateEntryError,
        match=r"\(store 'C1', brand 'B', 2026-03-03\) has two different rows, row 1 and row 2",
    ):
        tm.Panel.from_frame(pd.DataFrame(base))
    base["date"] = ["2026-03-02", "03/04/2026", "2026-03-04"]
    with pytest.raises(InvalidValueError, match=r"row 1: 'date' '03/04/2026' is ambiguous"):
        tm.Panel.from_frame(pl.DataFrame(base))
    base["date"] = ["2026-03-02", "2026-03-03", "2126-03-04"]
    with pytest.raises(
        InvalidValueError, match=r"2126-03-04 looks mistyped \(on the row of store 'C1', brand 'B';"
    ):
        tm.Panel.from_frame(pd.DataFrame(base))
    timestamps = pd.DataFrame(
        {
            **base,
            "date": pd.to_datetime(
                ["2026-03-02", "2026-03-03", "2026-03-04 12:00"], format="mixed"
            ),
        }
    )
    with pytest.raises(InvalidValueError, match=r"row 2: 'date' .* is a date and time"):
        tm.Panel.from_frame(timestamps)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-02", "2026-03-02"),
        ("2026/3/2", "2026-03-02"),
        ("2026.3.2", "2026-03-02"),
        ("20260302", "2026-03-02"),
        ("2026-03-02 00:00:00", "2026-03-02"),
        ("2026-03-02T00:00", "2026-03-02"),
        (" 2026/03/02 00:00:00.000 ", "2026-03-02"),
        ("46083", "2026-03-02"),  # Excel's day number
        ("46083.0", "2026-03-02"),  # ... once a spreadsheet made it a float
        ("2026年3月2日", "2026-03-02"),
        ("2026年03月02日 00:00:00", "2026-03-02"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_date_formats(text: str, day: str) -> None:
    assert _readers.date_text(_readers.parse_day(text)) == day


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("03/02/2026", "ambiguous"),
        ("3-2-26", "ambiguous"),
        ("2026-02-30", "not a calendar date"),
        ("0000-01-01", "not a calendar date"),
        ("2026-03-02 08:30:00", "a date and time"),
        ("46083.5", "a date and time"),
        ("2026年3月", "not a date"),
        ("March 2", "not a date"),
        ("NaT", "not a date"),
        ("", "not a date"),
        ("2026030", "not a date"),
    ],
)
def test_bad_dates(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        _readers.parse_day(text)


def test_header_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "export.csv"
    source.write_text("store,brand,date,sales,inventory,Sales\nC1,B,2026-03-02,1,1,1\n")
    assert run("cycle", source, "--out", tmp_path / "o.csv") == 2
    assert "the header names 'Sales' twice (columns 4 and 6): rename one" in capsys.readouterr().err
    source.write_text("客户编码,卷烟编码,日期,销量,库存,期末库存\nC1,B,2026-03-02,1,1,1\n")
    assert run("cycle", source, "--out", tmp_path / "o.csv") == 2
    err = capsys.readouterr().err
    assert "the header has '库存' and '期末库存', which could both be 'inventory'" in err
    assert "--columns inventory=NAME" in err
    assert (
        run(
            "cycle",
            source,
            "--out",
            tmp_path / "o.csv",
            "--columns",
            "inventory=期末库存",
            "--cycle-days",
            "1",
        )
        == 0
    )
    source.write_text("a,b,c,d,e\nC1,B,2026-03-02,1,1\n")
    assert (
        run(
            "cycle",
            source,
            "--out",
            tmp_path / "o.csv",
            "--cycle-days",
            "1",
            "--columns",
            "store=a,brand=b,date=c,sales=d,inventory=e",
        )
        == 0
    )
    with pytest.raises(SystemExit):
        run("cycle", source, "--out", tmp_path / "o.csv", "--columns", "shop=a")
    assert not (tmp_path / "o.csv.tmp").exists()


def test_decimals_and_empty_cells(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "store,brand,date,sales,inventory\n"
        + "".join(
            f"C1,B,2026-03-0{d + 2},{s},{i}\n" for d, (s, i) in enumerate([(1, 5), (0, 0), (2, 3)])
        )
        + "".join(f"C1,X,2026-03-0{d + 2},0,4\n" for d in range(3))
    )
    out = tmp_path / "out.csv"
    assert run("cycle", source, "--out", out, "--cycle-days", "3", "--decimals", "2") == 0
    first, second = read(out)
    assert first["projected_stockout_sales"] == "1.5"  # 3 / 2 effective days × 1
    assert first["fulfilment_ratio"] == "0.67"  # 3 / 4.5
    assert first["stock_to_sales_ratio"] == "3"  # 3 / 1
    assert second["stock_to_sales_ratio"] == ""  # stock that does not sell: +inf


def test_stdin_and_stdout(tmp_path: Path) -> None:
    data = encode(dirty_rows())
    done = subprocess.run(
        [sys.executable, "-m", "tobacco_metrics", "cycle", "-", "--out", "-"],
        input=data,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(tm.__file__).parents[1])},
    )
    assert done.returncode == 0, done.stderr
    check_report(list(csv.DictReader(io.StringIO(done.stdout.decode()))))


def test_version_and_closed_pipe() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(tm.__file__).parents[1])}
    version = subprocess.run(
        [sys.executable, "-m", "tobacco_metrics", "--version"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert version.stdout.strip().endswith(tm.__version__)
    piped = subprocess.run(
        f"'{sys.executable}' -m tobacco_metrics demo | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert piped.stdout.startswith("Cycle report")
    assert piped.stderr == ""


def test_parquet_in_and_out(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows()))
    frame = pd.read_csv(source, encoding="gbk", dtype=str)
    frame.to_parquet(tmp_path / "export.parquet")
    assert run("cycle", tmp_path / "export.parquet", "--out", tmp_path / "report.parquet") == 0
    report = pd.read_parquet(tmp_path / "report.parquet")
    assert run("cycle", source, "--out", tmp_path / "report.csv") == 0
    check_report(read(tmp_path / "report.csv"))
    assert len(report) == 16
    assert np.isnan(report["fulfilment_ratio"]).sum() == sum(
        not math.isfinite(v["fulfilment_ratio"]) for v in expected_rows().values()
    )


def test_quota_command(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows()))
    out = tmp_path / "quota.csv"
    assert run("quota", source, "--out", out, "--order-weekday", "TU") == 0
    rows = read(out)
    sales, stock = truth()
    assert {r["month"] for r in rows} == {"2026-04"}
    assert {r["order_day"] for r in rows} == {
        "2026-04-07",
        "2026-04-14",
        "2026-04-21",
        "2026-04-28",
    }
    assert len(rows) == 8 * 4
    monthly = tm.reasonable_quota(sales[0, 1], stock[0, 1], cycle_days=30)
    mine = [r for r in rows if (r["store"], r["brand"]) == ("C001", BRANDS[1])]
    assert {int(r["monthly_quota"]) for r in mine} == {int(monthly)}
    limits = tm.weekly_limits(int(monthly), 2026, 4, order_weekday=1)
    assert [int(r["weekly_limit"]) for r in mine] == [limit.limit for limit in limits]
    assert float(mine[0]["cycle_quota"]) == float(
        tm.reasonable_quota(sales[0, 1], stock[0, 1], cycle_days=7)
    )


def test_quota_command_moves_an_order_day_off_a_holiday(tmp_path: Path) -> None:
    # Qingming, Monday 6 April 2026: a Monday store's first April order goes to Tuesday 7
    # (nothing before it in its week); its cycle is 6 days, to Monday 13.
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows()))
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2026-04-04\n2026-04-05\n2026-04-06\n")
    out = tmp_path / "quota.csv"
    assert run("quota", source, "--out", out, "--order-weekday", "MO", "--holidays", holidays) == 0
    rows = read(out)
    mine = [r for r in rows if (r["store"], r["brand"]) == ("C001", BRANDS[1])]
    assert [r["order_day"] for r in mine] == [
        "2026-04-07",
        "2026-04-13",
        "2026-04-20",
        "2026-04-27",
    ]
    assert [int(r["days_covered"]) for r in mine] == [6, 7, 7, 7]
    total = int(mine[0]["monthly_quota"])
    limits = tm.weekly_limits(total, 2026, 4, order_weekday=0, holidays=["2026-04-06"])
    assert [int(r["weekly_limit"]) for r in mine] == [limit.limit for limit in limits]


# --------------------------------------------------------------------------- files


def small_export(path: Path) -> None:
    path.write_text("store,brand,date,sales,inventory\nC1,B,2026-03-02,1,1\nC1,B,2026-03-03,0,0\n")


def test_the_output_cannot_be_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    small_export(source)
    before = source.read_bytes()
    assert run("cycle", source, "--out", source, "--cycle-days", "2") == 2
    (tmp_path / "link.csv").symlink_to(source)
    assert run("cycle", source, "--out", tmp_path / "link.csv", "--cycle-days", "2") == 2
    assert "is the input file" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_symlinks_are_written_through_and_modes_kept(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    small_export(source)
    target = tmp_path / "target.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("cycle", source, "--out", link, "--cycle-days", "2") == 0
    assert link.is_symlink()
    assert target.read_text().startswith("store,brand")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    old = os.umask(0o027)
    try:
        assert run("cycle", source, "--out", tmp_path / "new.csv", "--cycle-days", "2") == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.csv",
        "link.csv",
        "new.csv",
        "target.csv",
    ]


def test_a_fifo_is_written_into(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    small_export(source)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run("cycle", source, "--out", fifo, "--cycle-days", "2") == 0
    output, _ = reader.communicate(timeout=30)
    assert output.startswith(b"store,brand")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"store,brand,date,sales,inventory\n" + b"C1,B,2026-03-02,1,1\n" * 4000 + b"\xff\xfe\n",
            "line 4002: neither UTF-8 nor GB18030 text: pass --encoding NAME",
        ),
        (
            b'store,brand,date,sales,inventory\nC1,"' + b"x" * 140_000 + b",2026-03-02,1,1\n",
            'line 2: expected 5 fields, got 2: a quote (") opened on this line is not closed',
        ),
        (b"\x00\xff\xfe\x81" * 10, "neither UTF-8 nor GB18030"),
        (
            b"store,brand,date,sales,inventory\nC1,B,2026-03-02,1,1\nC1,B,2126-03-03,0,0\n"
            + b"".join(b"C1,B,2026-03-%02d,1,1\n" % d for d in range(3, 29)),
            "2126-03-03 looks mistyped",
        ),
    ],
    ids=["undecodable", "huge-field", "binary", "mistyped-year"],
)
@pytest.mark.parametrize("missing", ["error", "no_movement"])
def test_unreadable_files_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str, missing: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    assert (
        run("cycle", source, "--out", tmp_path / "o.csv", "--missing", missing, "--partial", "keep")
        == 2
    )
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


def test_a_sparse_table_is_refused_with_its_density(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [f"S{i},B{i},2026-03-02,1,1\n" for i in range(2100)]
    source = tmp_path / "in.csv"
    source.write_text("store,brand,date,sales,inventory\n" + "".join(rows))
    assert run("cycle", source, "--out", tmp_path / "o.csv", "--cycle-days", "1") == 2
    err = capsys.readouterr().err
    assert "too sparse for a dense panel: 2,100 stores × 2,100 brands × 1 days" in err
    assert "mistyped" not in err


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_gbk_text_after_an_ascii_start_is_read(tmp_path: Path, engine: str) -> None:
    rows = "".join(f"C{i:05d},B,2026-03-02,1,1\n" for i in range(4000))  # > 64 KiB of ASCII
    source = tmp_path / "in.csv"
    source.write_bytes(
        ("store,brand,date,sales,inventory\n" + rows + "门店,B,2026-03-02,2,0\n").encode("gbk")
    )
    out = tmp_path / "out.csv"
    assert run("cycle", source, "--out", out, "--cycle-days", "1", "--engine", engine) == 0
    last = read(out)[-1]
    assert (last["store"], last["actual_sales"]) == ("门店", "2")


def test_a_holiday_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    small_export(source)
    holidays = tmp_path / "holidays.txt"
    holidays.write_bytes("2026-03-02\n# 清明\n".encode("gbk"))
    assert run("cycle", source, "--out", tmp_path / "o.csv", "--holidays", holidays) == 2
    assert "holidays.txt: line 2: not UTF-8 text" in capsys.readouterr().err


def without_pyarrow(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a Python where ``import pyarrow`` fails."""
    code = (
        "import sys; sys.modules['pyarrow'] = None; "
        "from tobacco_metrics.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(tm.__file__).parents[1])},
    )


def test_without_pyarrow_the_standard_library_writes_the_same_report(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(encode(dirty_rows(gap=True), delimiter=";"))
    plain = without_pyarrow(
        "cycle", source, "--out", tmp_path / "plain.csv", "--missing", "no_movement"
    )
    assert plain.returncode == 0, plain.stderr
    assert run("cycle", source, "--out", tmp_path / "fast.csv", "--missing", "no_movement") == 0
    assert (tmp_path / "plain.csv").read_bytes() == (tmp_path / "fast.csv").read_bytes()
    parquet = without_pyarrow(
        "cycle", source, "--out", tmp_path / "r.parquet", "--missing", "no_movement"
    )
    assert parquet.returncode == 2
    assert "writing Parquet needs pyarrow: pip install 'tobacco-metrics[cli]'" in parquet.stderr
    assert not (tmp_path / "r.parquet").exists()


def test_the_core_imports_without_pyarrow_or_pandas() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tobacco_metrics; "
            "print(sorted(m for m in ('pyarrow', 'pandas', 'polars') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(tm.__file__).parents[1])},
    )
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------------- messy exports


def messy_export() -> bytes:
    """The dirty export as an ERP or a spreadsheet writes it, with everything around it.

    A title and a blank line above a header with units, full-width brackets and
    spaces; unnamed trailing columns; Chinese dates and float Excel day numbers;
    thousands separators and full-width digits; the header again mid-file (two
    exports joined); rows of empty cells; a 小计 row and a 合计 row.
    """
    header = ["客户编码", " 卷烟 编码", "日期：", "销量（条）", "库存(条)", "客户名称", "", ""]
    lines = [["2026年3月 卷烟销售日报"], [], header]
    for n, row in enumerate(dirty_rows()):
        when = _readers.date_text(_readers.parse_day(row[2]))
        year, month, day = (int(part) for part in when.split("-"))
        if n % 5 == 1:
            row[2] = f"{year}年{month}月{day}日"
        elif n % 5 == 2:
            row[2] = f"{_readers.parse_day(row[2]) + 25569}.0"  # Excel's day number, a float
        if n % 7 == 3:
            row[3] = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in row[3])
        if n % 11 == 4:
            row[4] = f"{row[4]},000"[:-4]  # the same number, quoted by the writer as text
        lines.append([*row, "", ""])
        if n == 60:
            lines.append(header)
        if n == 61:
            lines.append(["", "", "", "", "", "", "", ""])
    lines.append(["小计", "", "", "380", "", "", "", ""])
    lines.append(["合计", "合计", "", "380", "", "", "", ""])
    lines.append([",,,,"])
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(lines)
    return text.getvalue().replace('",,,,"', ",,,,").encode("gbk")


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_a_messy_export_reads_as_the_clean_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(messy_export())
    assert run("cycle", source, "--out", tmp_path / "o.csv", "--engine", engine) == 0
    check_report(read(tmp_path / "o.csv"))
    err = capsys.readouterr().err
    assert "note: the header is on line 3: 2 lines above it skipped" in err
    assert "note: 2 total rows skipped: line 119 (小计), line 120 (合计)" in err
    assert "note: 1 repeated header row skipped (line 65)" in err
    frame = pd.read_csv(source, encoding="gbk", dtype=str, skiprows=2, keep_default_na=False)
    frame = frame[frame["客户编码"].str.strip().isin(STORES)].iloc[:, :5]
    panel = tm.Panel.from_frame(frame)  # full-width digits and "1,234" in a text column
    sales, _ = truth()
    assert np.array_equal(panel.sales, sales)


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        # A column mapped to a name the header does not have: the header is named, not a
        # line of data whose two equal quantities looked like a header naming '0' twice.
        (
            "客户编码,卷烟编码,日期,销量,库存\n0310,B,2026-03-01,0,0\n",
            ("--columns", "store=store"),
            "line 1: --columns store=store: the header has no column 'store' (it has 客户编码",
        ),
        # A column missing under a title line: the header line is named, not the title.
        (
            "2026年3月 日报\n客户编码,卷烟编码,日期,销量\nC1,B,2026-03-01,1\n",
            (),
            "line 2: the header must name",
        ),
    ],
)
def test_a_header_problem_is_named_on_the_header_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    options: tuple[str, ...],
    message: str,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    assert run("cycle", source, "--out", tmp_path / "o.csv", *options) != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_thousands_separators_and_what_is_not_a_number() -> None:
    assert [_readers.quantity(t, "sales") for t in ("1,234", "12,345.5", "+7", " 3 ")] == [
        1234.0,
        12345.5,
        7.0,
        3.0,
    ]
    for text, reason in [
        ("1_0", "must be a number: '1_0'"),  # float() would read 10
        ("12,34", "must be a number"),
        ("-", "must be a number: '-' (write 0 for none)"),
        ("", "is empty"),
        ("nan", "must be finite"),
        ("-1", "must be >= 0"),
    ]:
        with pytest.raises(ValueError, match=re.escape(reason)):
            _readers.quantity(text, "sales")


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "store,brand,date,sales,inventory\nC1,6.90103E+12,2026-03-02,1,1\n",
            "line 2: 'brand' '6.90103E+12' is a code in scientific notation",
        ),
        (
            "客户编码,卷烟编码,日期,销量(箱),库存\nC1,B,2026-03-02,1,1\n",
            "line 1: the header '销量(箱)' counts sales in '箱': the library counts cartons",
        ),
        (
            "store,brand,date,sales,inventory\nC1,B,2026-03-02,1_0,1\n",
            "line 2: 'sales' must be a number: '1_0'",
        ),
        ("PK\x03\x04 workbook", "line 1: an Excel workbook (or another ZIP archive)"),
    ],
    ids=["scientific-code", "unit-not-cartons", "underscore", "xlsx"],
)
def test_spreadsheet_damage_is_refused_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, content: str, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    assert run("cycle", source, "--out", tmp_path / "o.csv", "--engine", engine) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


def test_a_unit_header_is_read_when_named(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("客户编码,卷烟编码,日期,销量(箱),库存\nC1,B,2026-03-02,1,1\n")
    out = tmp_path / "o.csv"
    assert (
        run(
            "cycle",
            source,
            "--out",
            out,
            "--cycle-days",
            "1",
            "--columns",
            "sales＝销量（箱），store=客户编码",
        )
        == 0
    )
    assert read(out)[0]["actual_sales"] == "1"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(encode(dirty_rows(), encoding=encoding))
    assert run("cycle", source, "--out", tmp_path / "o.csv") == 0
    check_report(read(tmp_path / "o.csv"))


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("missing/report.csv", "the folder of {tmp}/missing/report.csv does not exist"),
        ("", "{tmp}/ is a folder: name a file in it"),
        ("report.xls", "not as an Excel 97-2003 workbook: name the output .xlsx or .csv"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(encode(dirty_rows()))
    assert run("cycle", source, "--out", f"{tmp_path}/{out}") == 2
    err = capsys.readouterr().err
    assert message.format(tmp=tmp_path) in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv"]


def test_from_frame_reads_spreadsheet_cells() -> None:
    frame = pd.DataFrame(
        {
            "客户编码": ["C1", "C1"],
            "卷烟编码": ["B", "B"],
            "日期": [46083.0, 46084.0],  # Excel's day numbers, as floats
            "销量（条）": pd.Series(["１２", 3], dtype=object),  # full-width text and an int
            "库存": ["1,234", "0"],
        }
    )
    panel = tm.Panel.from_frame(frame)
    assert panel.start == dt.date(2026, 3, 2)
    assert panel.sales.tolist() == [[[12.0, 3.0]]]
    assert panel.inventory.tolist() == [[[1234.0, 0.0]]]
    frame["销量（条）"] = ["１２", "1_0"]
    with pytest.raises(InvalidValueError, match=r"row 1: 'sales' must be a number: '1_0'"):
        tm.Panel.from_frame(frame)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_trailing_totals_and_empty_rows_keep_the_fast_engine(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
) -> None:
    from tobacco_metrics import _io

    def no_fallback(*args: object) -> None:
        raise AssertionError("read again by the standard library")

    monkeypatch.setattr(_io, "_read_text", no_fallback)
    rows = dirty_rows()
    trailer = "合计,,,380,,\r\n,,,,,\r\n\r\n小计,合计,2026-03-15,1,1,\r\n,,,,,\r\n"
    source = tmp_path / "in.csv"
    source.write_bytes(encode(rows, encoding=encoding) + trailer.encode(encoding))
    out = tmp_path / "o.csv"
    assert (
        run("cycle", source, "--out", out, "--engine", "pyarrow", "--missing", "no_movement") == 0
    )
    lines = len(rows) + 1
    assert f"2 total rows skipped: line {lines + 1} (合计), line {lines + 4} (小计)" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_minus_zero_is_read_as_zero(tmp_path: Path, engine: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text("store,brand,date,sales,inventory\nC1,B,2026-03-02,-0,-0.0\n")
    out = tmp_path / "o.csv"
    assert run("cycle", source, "--out", out, "--cycle-days", "1", "--engine", engine) == 0
    assert out.read_text().splitlines()[1].split(",")[7:12] == ["0", "", "", "0", "0"]
    frame = pd.DataFrame(
        {
            "store": ["C1"],
            "brand": ["B"],
            "date": ["2026-03-02"],
            "sales": [-0.0],
            "inventory": ["-0"],
        }
    )
    panel = tm.Panel.from_frame(frame)
    assert not np.signbit(panel.sales).any()
    assert not np.signbit(panel.inventory).any()


def test_a_folder_that_cannot_be_written_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", f"{tmp_path}/.o.csv.x1y2.tmp")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    source = tmp_path / "in.csv"
    source.write_bytes(encode(dirty_rows()))
    assert run("cycle", source, "--out", tmp_path / "o.csv") == 2
    err = capsys.readouterr().err
    assert f"o.csv: cannot write in the folder {tmp_path} (Permission denied)" in err
    assert ".tmp" not in err


@pytest.mark.parametrize("engine", ["pyarrow", "python"])
def test_bom_starts_the_report_for_excel_and_changes_nothing_else(
    tmp_path: Path, engine: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "客户编码,卷烟编码,日期,销量,库存\n店一,兰州,2026-03-02,3,5\n店一,兰州,2026-03-03,0,0\n",
        encoding="utf-8",
    )
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    common = ("--cycle-days", "2", "--engine", engine)
    assert run("cycle", source, "--out", plain, *common) == 0
    assert run("cycle", source, "--out", marked, "--bom", *common) == 0
    assert not plain.read_bytes().startswith(codecs.BOM_UTF8)  # the default stays as it was
    assert marked.read_bytes() == codecs.BOM_UTF8 + plain.read_bytes()
    with marked.open(newline="", encoding="utf-8-sig") as handle:
        row = next(csv.DictReader(handle))
    assert (row["store"], row["brand"]) == ("店一", "兰州")
