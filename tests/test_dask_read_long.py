"""dask.read_long over many files: the rules of the command line on their concatenation.

Path equality: ``read_long(files)`` gives the panel (and the metrics) that the
command line's reader gives over the files concatenated under one header, however
the rows are cut into files, whatever their column order or header language, with
files holding no row, identical rows repeated in other files, and on a cluster.
"""

from __future__ import annotations

import csv
import gc
import itertools
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

da = pytest.importorskip("dask.array")

from tobacco_metrics import cli  # noqa: E402
from tobacco_metrics.dask import read_long  # noqa: E402
from tobacco_metrics.errors import (  # noqa: E402
    DuplicateEntryError,
    EmptyInputError,
    InvalidValueError,
    TobaccoMetricsError,
)

COLUMNS = ("store", "brand", "date", "sales", "inventory")
# The same five columns under a common ERP header (the command line finds either).
CHINESE = dict(zip(COLUMNS, ("客户编码", "卷烟编码", "日期", "销量", "库存"), strict=True))
HEADER = ",".join(COLUMNS) + "\n"
ROWS_A = "S1,B1,2026-03-01,6,20\nS1,B1,2026-03-02,0,0\n"
ROWS_B = "S2,B1,2026-03-01,3,5\nS2,B1,2026-03-02,2,4\n"


def _write(path: Path, rows: list[tuple[str, ...]], order: tuple[int, ...], chinese: bool) -> None:
    names = [CHINESE[name] if chinese else name for name in COLUMNS]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([names[at] for at in order])
        writer.writerows([[row[at] for at in order] for row in rows])


def _arrays(panel: Any) -> tuple[Any, ...]:
    sales, inventory, carried = da.compute(panel.sales, panel.inventory, panel.carried)
    return panel.stores, panel.brands, panel.start, sales, inventory, carried


def _outcome(paths: list[Path], missing: str) -> Any:
    """The panel's labels and arrays, or the class of the error raised."""
    try:
        return _arrays(read_long(paths, missing=missing, stores_per_block=2))
    except TobaccoMetricsError as error:
        return type(error)


@st.composite
def exports(draw: Any) -> Any:
    """Rows of a small export (cells present at random, some repeated identically)."""
    cells = [
        (f"S{store}", f"B{brand}", f"2026-03-0{day + 1}")
        for store in range(draw(st.integers(1, 4)))
        for brand in range(draw(st.integers(1, 2)))
        for day in range(draw(st.integers(1, 4)))
    ]
    kept = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=len(cells), unique=True))
    values = st.integers(0, 9).map(str)
    rows = [(*cell, draw(values), draw(values)) for cell in kept]
    repeats = draw(st.lists(st.sampled_from(rows), max_size=3))
    return draw(st.permutations(rows + repeats))


@pytest.mark.filterwarnings("ignore::tobacco_metrics.ExportNote")  # notes: test_exports_messy
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    exports(),
    st.lists(st.integers(0, 12), max_size=3),
    st.lists(st.permutations(range(5)).map(tuple), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.sampled_from(["error", "no_movement"]),
)
def test_read_long_over_files_equals_their_concatenation(
    tmp_path_factory: Any,
    rows: list[tuple[str, ...]],
    cuts: list[int],
    orders: list[tuple[int, ...]],
    chinese: list[bool],
    missing: str,
) -> None:
    # The rows cut anywhere into files (a file may hold no row), each file with its own
    # column order and header language; an identical row may be in two files.
    folder = tmp_path_factory.mktemp("files")
    bounds = [0, *sorted(min(cut, len(rows)) for cut in cuts), len(rows)]
    paths = []
    for number, (start, end) in enumerate(itertools.pairwise(bounds)):
        path = folder / f"part{number}.csv"
        _write(path, rows[start:end], orders[number], chinese[number])
        paths.append(path)
    whole = folder / "whole.csv"
    _write(whole, rows, tuple(range(5)), False)
    got, expected = _outcome(paths, missing), _outcome([whole], missing)
    if isinstance(got, type) or isinstance(expected, type):
        assert got is expected
        return
    for one, other in zip(got, expected, strict=True):
        if isinstance(one, np.ndarray):
            np.testing.assert_array_equal(one, other, strict=True)
        else:
            assert one == other


def test_identical_rows_in_two_files_are_collapsed_as_the_command_line_does(
    tmp_path: Path,
) -> None:
    # S1 × B1 on 2 March in two files, identical in every field: the command line
    # collapses such rows in one export, and read_long now does across files (it
    # refused them as duplicates).  Rows that differ are still refused, naming both files.
    (tmp_path / "a.csv").write_text(HEADER + ROWS_A + ROWS_B)
    (tmp_path / "b.csv").write_text(HEADER + "S1,B1,2026-03-02,0,0\n")
    (tmp_path / "c.csv").write_text(HEADER + "S1,B1,2026-03-02,1,0\n")
    panel = read_long([tmp_path / "a.csv", tmp_path / "b.csv"])
    result = panel.metrics().compute()
    # S1: A = 6, E = 1, one stockout day: P = 6; S2: A = 5, no stockout
    assert result.actual_sales.tolist() == [[6.0], [5.0]]
    assert result.projected_stockout_sales.tolist() == [[6.0], [0.0]]
    (tmp_path / "all.csv").write_text(HEADER + ROWS_A + ROWS_B + "S1,B1,2026-03-02,0,0\n")
    out = tmp_path / "report.csv"
    assert (
        cli.main(["cycle", str(tmp_path / "all.csv"), "--out", str(out), "--cycle-days", "2"]) == 0
    )
    with out.open(encoding="utf-8") as file:
        report = {(row["store"], row["brand"]): row for row in csv.DictReader(file)}
    assert float(report[("S1", "B1")]["projected_stockout_sales"]) == 6.0
    assert float(report[("S2", "B1")]["actual_sales"]) == 5.0
    with pytest.raises(DuplicateEntryError, match=r"a\.csv' and a row of '.*c\.csv'"):
        read_long([tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"]).sales.compute()  # type: ignore[no-untyped-call]


def test_identical_rows_in_one_parquet_file_are_collapsed(tmp_path: Path) -> None:
    # The command line collapses them in a Parquet export too (read_long refused them).
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "store": ["S1", "S1", "S1"],
            "brand": ["B1", "B1", "B1"],
            "date": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-03-02"]),
            "sales": [6.0, 6.0, 0.0],
            "inventory": [20.0, 20.0, 0.0],
        }
    )
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    result = read_long(tmp_path / "a.parquet").metrics().compute()
    assert result.actual_sales.tolist() == [[6.0]]
    frame.assign(sales=[6.0, 7.0, 0.0]).to_parquet(tmp_path / "b.parquet", index=False)
    with pytest.raises(DuplicateEntryError, match=r"row 0 of .*b\.parquet' and row 1 of"):
        read_long(tmp_path / "b.parquet").sales.compute()  # type: ignore[no-untyped-call]


def test_read_long_refuses_paths_it_cannot_read_as_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(HEADER + ROWS_A)
    # a directory: it was "cannot tell the format of '…' from its name"
    with pytest.raises(InvalidValueError, match="is a directory: pass the files in it"):
        read_long(tmp_path)
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(InvalidValueError, match=r"folder\.csv' is a directory"):
        read_long([tmp_path / "a.csv", tmp_path / "folder.csv"])
    # the same file twice (as two spellings): it was a DuplicateEntryError on its rows
    with pytest.raises(InvalidValueError, match=r"names the same file as .*a\.csv'"):
        read_long([tmp_path / "a.csv", str(tmp_path / "." / "a.csv")])
    # bytes: it was "expected str, bytes or os.PathLike object, not int"
    with pytest.raises(TypeError, match="'paths' must be a path or a sequence of paths"):
        read_long(bytes(tmp_path / "a.csv"))
    with pytest.raises(TypeError, match=r"'paths' must hold paths .*: 3 at index 1"):
        read_long([tmp_path / "a.csv", 3])
    with pytest.raises(EmptyInputError, match="no file to read"):
        read_long(sorted(tmp_path.glob("*.parquet")))  # a glob that matched nothing


def test_read_long_edges_of_the_frame(tmp_path: Path) -> None:
    # A header-only file, a file whose days do not overlap the others' (the period spans
    # both, the gap filled under no_movement), a compressed file, one day, one store.
    import gzip

    (tmp_path / "a.csv").write_text(HEADER + ROWS_A)
    (tmp_path / "empty.csv").write_text(HEADER)
    later = "S1,B1,2026-03-05,3,5\nS1,B1,2026-03-06,2,4\n"
    (tmp_path / "later.csv.gz").write_bytes(gzip.compress((HEADER + later).encode()))
    panel = read_long(
        [tmp_path / "empty.csv", tmp_path / "a.csv", tmp_path / "later.csv.gz"],
        missing="no_movement",
    )
    assert panel.sales.shape == (1, 1, 6)
    expected = read_long(tmp_path / "a.csv", missing="no_movement")
    assert expected.sales.shape == (1, 1, 2)
    # 03-03 and 03-04 without movement at the stock of 03-02 (0): two more stockout days
    assert panel.inventory.compute().ravel().tolist() == [20.0, 0.0, 0.0, 0.0, 5.0, 4.0]  # type: ignore[no-untyped-call]
    (tmp_path / "one_day.csv").write_text(HEADER + "S1,B1,2026-03-01,6,20\nS2,B1,2026-03-01,0,0\n")
    one_day = read_long(tmp_path / "one_day.csv", stores_per_block=1)
    assert one_day.sales.chunks == ((1, 1), (1,), (1,))
    assert one_day.metrics().compute().stockout_days.tolist() == [[0], [1]]
    one_store = read_long(tmp_path / "a.csv", stores_per_block=5)
    assert one_store.sales.chunks == ((1,), (1,), (2,))


def test_read_long_on_a_distributed_local_cluster(tmp_path: Path) -> None:
    # The parsed files stay on the workers as futures, held by the panel's tasks as long
    # as the panel lives (a persisted Delayed's future was released before the blocks ran).
    distributed = pytest.importorskip("distributed")
    (tmp_path / "a.csv").write_text(HEADER + ROWS_A)
    (tmp_path / "b.csv").write_text(HEADER + ROWS_B)
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    expected = read_long(files, stores_per_block=1).metrics().compute()
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        panel = read_long(files, stores_per_block=1)
        assert len(_parsed(client)) == 2  # the two parsed files, on the workers
        got = panel.metrics().compute()
        # the blocks built again from the parsed files, not the files
        total = panel.sales.sum().compute()  # type: ignore[no-untyped-call]
        assert float(total) == 11.0
        del panel
        gc.collect()
        deadline = time.monotonic() + 10
        while _parsed(client) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _parsed(client)  # released with the panel
    for name in ("actual_sales", "projected_stockout_sales", "fulfilment_ratio"):
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))


def _parsed(client: Any) -> list[str]:
    """The keys of the parsed files the cluster holds."""
    return [key for key in client.who_has() if str(key).startswith("parse-")]
