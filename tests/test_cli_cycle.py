"""End-to-end tests of ``python -m tobacco_metrics cycle`` on generated CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tobacco_metrics as tm
from tobacco_metrics import cli

START = dt.date(2026, 3, 2)
HEADER = ["store", "brand", "date", "sales", "inventory"]


def generate(
    path: Path,
    *,
    n_stores: int = 3,
    n_brands: int = 4,
    n_days: int = 14,
    seed: int = 0,
    shuffle: bool = True,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Write a long CSV (rows in random order) and return its (sales, inventory) panel."""
    rng = np.random.default_rng(seed)
    shape = (n_stores, n_brands, n_days)
    sales = rng.poisson(1.2, shape).astype(float)
    sales[rng.random(shape) < 0.25] = 0
    sales[0, 0, :3] = [0.5, 1.25, 0]  # fractional cartons
    stock = rng.poisson(1.0, shape).astype(float)
    sales[1, 1] = 0
    stock[1, 1] = 0  # a brand the store does not carry: out every day
    rows = [
        [
            f"C{i:03d}",
            f"69010280{j:05d}",
            (START + dt.timedelta(days=d)).isoformat(),
            repr(float(sales[i, j, d])),
            repr(float(stock[i, j, d])),
        ]
        for i in range(n_stores)
        for j in range(n_brands)
        for d in range(n_days)
    ]
    if shuffle:
        rows = [rows[k] for k in rng.permutation(len(rows))]
    write(path, rows)
    return sales, stock


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def run(*args: str | Path) -> int:
    return cli.main([str(arg) for arg in args])


def number(text: str) -> float:
    return float(text)


def test_cycle_writes_one_row_per_store_brand_and_cycle(tmp_path: Path) -> None:
    sales, stock = generate(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    assert run("cycle", tmp_path / "in.csv", "--out", out) == 0
    rows = read(out)
    assert list(rows[0]) == list(cli.CYCLE_COLUMNS)
    assert len(rows) == 3 * 4 * 2
    # cycle-major, then stores, then brands
    assert [(r["store"], r["brand"], r["cycle_start"]) for r in rows[:2]] == [
        ("C000", "6901028000000", "2026-03-02"),
        ("C000", "6901028000001", "2026-03-02"),
    ]
    assert rows[12]["cycle_start"] == "2026-03-09"
    assert rows[12]["cycle_end"] == "2026-03-15"
    for cycle, days in enumerate((slice(0, 7), slice(7, 14))):
        expected = tm.cycle_metrics(sales[..., days], stock[..., days])
        for position, row in enumerate(rows[cycle * 12 : (cycle + 1) * 12]):
            i, j = divmod(position, 4)
            for name in cli.CYCLE_COLUMNS[4:-1]:
                value = np.asarray(getattr(expected, name))[i, j]
                if not math.isfinite(value):
                    assert row[name] == ""  # NaN and inf: empty cells
                else:
                    assert number(row[name]) == round(value, 4), (name, i, j)
    out_every_day = next(r for r in rows if (r["store"], r["brand"]) == ("C001", "6901028000001"))
    assert out_every_day["stockout_days"] == "7"
    assert out_every_day["fulfilment_ratio"] == ""


def test_cycle_options_token_holidays_and_cycle_length(tmp_path: Path) -> None:
    sales, stock = generate(tmp_path / "in.csv", n_days=10)
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("# Qingming\n2026-03-04\n\n2026-04-05  # outside the data\n")
    out = tmp_path / "out.csv"
    assert (
        run(
            "cycle",
            tmp_path / "in.csv",
            "--out",
            out,
            "--token-stock",
            "1",
            "--holidays",
            holidays,
            "--cycle-days",
            "4",
            "--partial",
            "keep",
        )
        == 0
    )
    rows = read(out)
    assert sorted({(r["cycle_start"], r["cycle_end"]) for r in rows}) == [
        ("2026-03-02", "2026-03-05"),
        ("2026-03-06", "2026-03-09"),
        ("2026-03-10", "2026-03-11"),
    ]
    exclude = np.zeros(4, dtype=bool)
    exclude[2] = True
    expected = tm.cycle_metrics(sales[..., :4], stock[..., :4], token_stock=1, exclude=exclude)
    first = [r for r in rows if r["cycle_start"] == "2026-03-02"]
    assert [int(r["days"]) for r in first] == [3] * 12
    assert [int(r["stockout_days"]) for r in first] == expected.stockout_days.ravel().tolist()
    drop = tmp_path / "drop.csv"
    assert (
        run("cycle", tmp_path / "in.csv", "--out", drop, "--cycle-days", "4", "--partial", "drop")
        == 0
    )
    assert len(read(drop)) == 2 * 12


def test_cycle_skips_a_cycle_that_is_all_holidays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(tmp_path / "in.csv", n_days=6)
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2026-03-05\n2026-03-06\n2026-03-07\n")
    out = tmp_path / "out.csv"
    assert (
        run("cycle", tmp_path / "in.csv", "--out", out, "--cycle-days", "3", "--holidays", holidays)
        == 0
    )
    assert {r["cycle_start"] for r in read(out)} == {"2026-03-02"}
    assert "cycle 2026-03-05 to 2026-03-07 is all holidays" in capsys.readouterr().err


def test_cycle_missing_days_as_no_movement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / "in.csv",
        [
            ["C1", "B", "2026-03-02", "2", "5"],
            ["C1", "B", "2026-03-04", "1", "4"],
            ["C2", "B", "2026-03-02", "0", "0"],
            ["C2", "B", "2026-03-03", "0", "0"],
            ["C2", "B", "2026-03-04", "3", "7"],
        ],
    )
    out = tmp_path / "out.csv"
    assert run("cycle", tmp_path / "in.csv", "--out", out, "--cycle-days", "3") == 2
    err = capsys.readouterr().err
    assert "1 of 6 (store, brand, date) cells have no row" in err
    assert "(store 'C1', brand 'B', 2026-03-03)" in err
    assert "--missing no_movement" in err
    assert not out.exists()
    assert (
        run(
            "cycle",
            tmp_path / "in.csv",
            "--out",
            out,
            "--cycle-days",
            "3",
            "--missing",
            "no_movement",
        )
        == 0
    )
    first = read(out)[0]
    assert first["actual_sales"] == "3"
    assert first["stockout_days"] == "0"
    assert first["closing_inventory"] == "4"
    assert first["no_movement_days"] == "1"


def test_bad_rows_are_reported_by_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    generate(source, shuffle=False)
    lines = source.read_text().splitlines()
    lines[4] = "C000,6901028000000,2026-03-05,-2,1"  # line 5
    lines[8] = "C000,6901028000001,03/02/2026,1,1"  # line 9
    lines[10] = "C000,6901028000001,2026-03-04,nan,1"  # line 11
    lines[11] = "C000,6901028000001,2026-03-05,1"  # line 12
    lines[12] = "C000,6901028000001,2026-03-06,1,inf"  # line 13
    lines[13] = ",6901028000001,2026-03-07,1,1"  # line 14
    lines[14] = "C000,6901028000001,2026-03-08,two,1"  # line 15
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    out.write_text("an older report\n")
    assert run("cycle", source, "--out", out) == 2
    err = capsys.readouterr().err
    assert "in.csv: 7 bad rows:" in err
    for expected in (
        "line 5: 'sales' must be >= 0: '-2'",
        "line 9: 'date' '03/02/2026' is ambiguous (day or month first?)",
        "line 11: 'sales' must be finite: 'nan'",
        "line 12: expected 5 fields, got 4",
        "line 13: 'inventory' must be finite: 'inf'",
        "line 14: 'store' is empty",
        "line 15: 'sales' must be a number: 'two'",
        "nothing was written",
    ):
        assert expected in err
    assert out.read_text() == "an older report\n"  # left as it was
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_many_bad_rows_are_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["C1", "B", (START + dt.timedelta(days=d)).isoformat(), "-1", "0"] for d in range(30)]
    write(tmp_path / "in.csv", rows)
    assert run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv") == 2
    err = capsys.readouterr().err
    assert "30 bad rows" in err
    assert "… and 10 more" in err
    assert "line 21:" in err
    assert not (tmp_path / "out.csv").exists()


def test_conflicting_duplicate_rows_name_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    generate(source, n_days=7, shuffle=False)
    lines = source.read_text().splitlines()
    source.write_text("\n".join([*lines, lines[3] + "1"]) + "\n")  # other stock, same key
    assert run("cycle", source, "--out", tmp_path / "out.csv") == 2
    err = capsys.readouterr().err
    assert (
        "(store 'C000', brand '6901028000000', 2026-03-04) has two different rows, "
        "line 4 and line 86" in err
    )
    assert not (tmp_path / "out.csv").exists()


def test_identical_duplicate_rows_are_collapsed_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    generate(source, n_days=7, shuffle=False)
    lines = source.read_text().splitlines()
    source.write_text("\n".join([*lines, lines[3], lines[5], lines[3]]) + "\n")
    assert run("cycle", source, "--out", tmp_path / "out.csv") == 0
    assert "note: 3 rows identical to another in every field collapsed" in capsys.readouterr().err
    assert run("cycle", source, "--out", tmp_path / "again.csv", "--engine", "python") == 0
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "again.csv").read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("store,brand,date,sales\n", "missing inventory"),
        ("store,brand,date,sales,inventory\n", "no data rows"),
    ],
)
def test_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    (tmp_path / "in.csv").write_text(content)
    assert run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv") == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_columns_in_any_order_and_extra_columns(tmp_path: Path) -> None:
    write(
        tmp_path / "in.csv",
        [["x", "2026-03-02", "3", "B", "C1", "1"], ["y", "2026-03-03", "0", "B", "C1", "0"]],
        header=["note", "date", "inventory", "brand", "store", "sales"],
    )
    assert (
        run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv", "--cycle-days", "2") == 0
    )
    row = read(tmp_path / "out.csv")[0]
    assert (row["store"], row["actual_sales"], row["stockout_days"]) == ("C1", "1", "1")


def test_a_partial_cycle_is_refused_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(tmp_path / "in.csv", n_days=9)
    assert run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv") == 2
    err = capsys.readouterr().err
    assert "the last cycle would have 2 days; pass --partial keep or --partial drop" in err
    assert not (tmp_path / "out.csv").exists()


def test_bad_holiday_file_and_missing_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(tmp_path / "in.csv")
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2026-03-04\nMarch 5\n")
    assert (
        run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv", "--holidays", holidays)
        == 2
    )
    assert "holidays.txt: line 2: 'March 5' is not a date" in capsys.readouterr().err
    assert run("cycle", tmp_path / "nowhere.csv", "--out", tmp_path / "out.csv") == 2
    assert "No such file" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("option", "value"), [("--cycle-days", "0"), ("--cycle-days", "x"), ("--token-stock", "-1")]
)
def test_bad_options_are_usage_errors(tmp_path: Path, option: str, value: str) -> None:
    with pytest.raises(SystemExit) as stop:
        run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv", option, value)
    assert stop.value.code == 2


def test_progress_lines_for_large_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "in.csv")
    monkeypatch.setattr(cli, "PROGRESS_ROWS", 50)
    assert run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv") == 0
    assert capsys.readouterr().err == ""  # stderr is not a terminal: silent
    assert run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv", "--progress") == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("progress: 168 rows read in ")
    assert err[0].endswith(
        ": 3 stores × 4 brands × 14 days (12 series carried); computing the cycles"
    )
    assert err[1].startswith(f"progress: wrote 24 rows to {tmp_path / 'out.csv'} in ")


def test_small_inputs_run_quietly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate(tmp_path / "in.csv")
    assert run("cycle", tmp_path / "in.csv", "--out", tmp_path / "out.csv") == 0
    assert capsys.readouterr().err == ""


def test_python_dash_m_end_to_end(tmp_path: Path) -> None:
    generate(tmp_path / "in.csv")
    # The child imports the package the tests import, even from a relative PYTHONPATH.
    source = str(Path(tm.__file__).resolve().parent.parent)
    paths = [source, *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-m", "tobacco_metrics", "cycle", "in.csv", "--out", "out.csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(read(tmp_path / "out.csv")) == 24
    demo = subprocess.run(
        [sys.executable, "-m", "tobacco_metrics", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert demo.stdout.startswith("Cycle report: 8 stores")
