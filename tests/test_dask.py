"""Tests of tobacco_metrics.dask: the panel kernel over Dask blocks, identical to numpy."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

da = pytest.importorskip("dask.array")

import tobacco_metrics as tm  # noqa: E402
from tobacco_metrics.dask import DaskCycleMetrics, cycle_metrics  # noqa: E402
from tobacco_metrics.errors import (  # noqa: E402
    EmptyInputError,
    InvalidValueError,
    ShapeMismatchError,
)

FIELDS = (
    "days",
    "stockout_days",
    "effective_days",
    "actual_sales",
    "projected_stockout_sales",
    "fulfilment_ratio",
    "stock_to_sales_ratio",
    "closing_inventory",
    "average_daily_sales",
)


def assert_same(got: tm.CycleMetrics, expected: tm.CycleMetrics) -> None:
    for name in FIELDS:
        actual = np.asarray(getattr(got, name))
        wanted = np.asarray(getattr(expected, name))
        assert actual.dtype == wanted.dtype, name
        np.testing.assert_array_equal(actual, wanted, err_msg=name, strict=True)


def district(dtype: Any = np.float32, shape: tuple[int, int, int] = (23, 9, 30)) -> tuple[Any, Any]:
    """A district with fractional and whole sales, stockouts and series out every day."""
    rng = np.random.default_rng(2026)
    sales = rng.poisson(1.5, shape).astype(np.float64)
    if np.dtype(dtype).kind == "f":
        sales[::3] *= 0.25  # a third of the stores sell fractions of cartons
    sales[rng.random(shape) < 0.3] = 0
    stock = rng.poisson(1.0, shape).astype(np.float64)
    sales[4, 2] = 0
    stock[4, 2] = 0  # out every day
    return sales.astype(dtype), stock.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
@pytest.mark.parametrize("chunks", [(5, 9, 30), (4, 2, 30), (23, 9, 30), (7, 4, 10)])
def test_dask_equals_numpy_with_the_local_scheduler(dtype: Any, chunks: tuple[int, ...]) -> None:
    sales, stock = district(dtype)
    m = cycle_metrics(da.from_array(sales, chunks=chunks), da.from_array(stock, chunks=chunks))
    assert isinstance(m, DaskCycleMetrics)
    assert isinstance(m.actual_sales, da.Array)
    assert m.actual_sales.shape == (23, 9)
    assert m.actual_sales.chunks[0] == da.from_array(sales, chunks=chunks).chunks[0]
    assert_same(m.compute(scheduler="sync"), tm.cycle_metrics(sales, stock))
    assert_same(m.compute(scheduler="threads"), tm.cycle_metrics(sales, stock))


def test_dask_options_as_numpy_arrays() -> None:
    sales, stock = district()
    rng = np.random.default_rng(1)
    token = rng.choice([0.0, 0.5, 1.0], size=(23, 1, 1))
    holidays = np.zeros(30, dtype=bool)
    holidays[[3, 17]] = True
    fallback = rng.random((23, 9))
    options: dict[str, Any] = {
        "token_stock": token,
        "exclude": holidays,
        "fallback_daily_rate": fallback,
    }
    m = cycle_metrics(da.from_array(sales, chunks=(6, 5, 30)), stock, **options)
    assert_same(m.compute(scheduler="sync"), tm.cycle_metrics(sales, stock, **options))


def test_dask_options_as_dask_arrays() -> None:
    sales, stock = district()
    rng = np.random.default_rng(2)
    token = rng.integers(0, 2, size=(23, 9, 30))
    exclude = rng.random((23, 9, 30)) < 0.2
    exclude[..., 0] = False
    fallback = np.full((1, 9), 2.0)
    m = cycle_metrics(
        da.from_array(sales, chunks=(6, 5, 30)),
        da.from_array(stock, chunks=(6, 5, 30)),
        token_stock=da.from_array(token, chunks=(10, 9, 30)),
        exclude=da.from_array(exclude, chunks=(4, 4, 30)),
        fallback_daily_rate=da.from_array(fallback),
    )
    expected = tm.cycle_metrics(
        sales, stock, token_stock=token, exclude=exclude, fallback_daily_rate=fallback
    )
    assert_same(m.compute(scheduler="sync"), expected)


def test_dask_lazy_helpers() -> None:
    sales, stock = district()
    m = cycle_metrics(
        da.from_array(sales, chunks=(5, 9, 30)), da.from_array(stock, chunks=(5, 9, 30))
    )
    expected = tm.cycle_metrics(sales, stock)
    lazy: Any = m  # dask's Array methods carry no type annotations
    np.testing.assert_array_equal(lazy.effective_days.compute(), expected.effective_days)
    np.testing.assert_array_equal(lazy.average_daily_sales.compute(), expected.average_daily_sales)
    for axis in (None, 0, 1):
        pooled: Any = tm.pooled_fulfilment_ratio(
            expected.actual_sales, expected.projected_stockout_sales, axis=axis
        )
        # sums across blocks are added in another order than numpy's: equal to rounding
        np.testing.assert_allclose(
            lazy.pooled_fulfilment_ratio(axis=axis).compute(),
            pooled,
            rtol=1e-14,
        )
    assert "shape=(23, 9)" in repr(m)


def test_dask_rechunks_days_into_one_chunk() -> None:
    sales, stock = district()
    m = cycle_metrics(
        da.from_array(sales, chunks=(5, 9, 7)), da.from_array(stock, chunks=(3, 2, 11))
    )
    assert_same(m.compute(scheduler="sync"), tm.cycle_metrics(sales, stock))


def test_dask_shape_errors_are_raised_at_once() -> None:
    sales, stock = district()
    with pytest.raises(
        ShapeMismatchError, match=r"'sales' must be shaped \(stores, brands, days\)"
    ):
        cycle_metrics(da.from_array(sales[0]), da.from_array(stock[0]))
    with pytest.raises(
        ShapeMismatchError, match="'sales' and 'inventory' must have the same shape"
    ):
        cycle_metrics(da.from_array(sales), da.from_array(stock[:3]))
    with pytest.raises(ShapeMismatchError, match="'exclude' with shape"):
        cycle_metrics(sales, stock, exclude=np.zeros(29, dtype=bool))
    with pytest.raises(ShapeMismatchError, match="'token_stock' with shape"):
        cycle_metrics(sales, stock, token_stock=np.zeros((2, 23, 9, 30)))
    with pytest.raises(ShapeMismatchError, match=r"give shape \(\d+, \d+, 1\)"):
        cycle_metrics(sales, stock, token_stock=np.zeros(sales.shape[:2]))
    with pytest.raises(InvalidValueError, match="'token_stock' must be >= 0"):
        cycle_metrics(sales, stock, token_stock=-1)


def test_dask_value_errors_name_the_global_position() -> None:
    sales, stock = district()
    sales[17, 6, 12] = -3
    m = cycle_metrics(
        da.from_array(sales, chunks=(5, 4, 30)), da.from_array(stock, chunks=(5, 4, 30))
    )
    with pytest.raises(
        InvalidValueError, match=r"'sales' must be >= 0: -3.0 at index \(17, 6, 12\)"
    ):
        m.compute(scheduler="sync")
    exclude = np.zeros((23, 9, 30), dtype=bool)
    exclude[11, 8] = True
    m = cycle_metrics(sales.clip(0), stock, exclude=exclude)
    with pytest.raises(EmptyInputError, match=r"first index \(11, 8\)"):
        m.compute(scheduler="sync")
    # Two blocks with such series: the count is said to be the failing block's (it read
    # as the panel's, 1 where the numpy path says 3).
    exclude[0, 0] = exclude[22, 8] = True
    m = cycle_metrics(
        da.from_array(sales.clip(0), chunks=(12, 9, 30)),
        da.from_array(stock, chunks=(12, 9, 30)),
        exclude=exclude,
    )
    with pytest.raises(EmptyInputError) as raised:
        m.compute(scheduler="sync")
    # Whichever block runs first: stores 0..11 hold (0, 0) and (11, 8), 12..22 (22, 8).
    assert re.search(
        r"of 2 store × brand series, .*in the block of stores 0\.\.11;"
        r"|of 1 store × brand series, .*in the block of stores 12\.\.22;",
        str(raised.value),
    )


def test_dask_equals_numpy_on_a_distributed_local_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    sales, stock = district(shape=(40, 6, 21))
    expected = tm.cycle_metrics(sales, stock, token_stock=1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        m = cycle_metrics(
            da.from_array(sales, chunks=(10, 6, 21)),
            da.from_array(stock, chunks=(10, 6, 21)),
            token_stock=1,
        )
        got = m.compute()
        assert len(client.scheduler_info()["workers"]) == 2
        # blocks over stores and brands, each gathered and placed as it arrives
        grid = cycle_metrics(
            da.from_array(sales, chunks=(15, 4, 21)), stock, token_stock=1
        ).compute()
        bad = sales.copy()
        bad[33, 5, 2] = np.nan
        with pytest.raises(InvalidValueError, match=r"at index \(33, 5, 2\)"):
            cycle_metrics(da.from_array(bad, chunks=(10, 3, 21)), stock).compute()
    assert_same(got, expected)
    assert_same(grid, expected)


def test_the_package_does_not_import_dask() -> None:
    code = "import sys, tobacco_metrics\nassert 'dask' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("sales", "inventory"),
    [
        ([[[1e308, 1e308, 0.5]]], [[[5.0, 5.0, 5.0]]]),  # Σ sales past float64
        ([[[1e-320, 0.0, 0.0]]], [[[5.0, 5.0, 5.0]]]),  # a subnormal daily rate: cover past it
    ],
)
def test_dask_overflow_is_the_numpy_error(sales: Any, inventory: Any) -> None:
    metrics = cycle_metrics(da.from_array(np.asarray(sales)), da.from_array(np.asarray(inventory)))
    with pytest.raises(InvalidValueError, match="too large to compute with in float64"):
        metrics.compute(scheduler="threads")


def test_dask_pooled_ratio_after_an_overflowing_sum_is_an_error_not_one() -> None:
    sales = np.full((2, 1, 2), 0.5e308)  # each series sums to 1e308; two of them overflow
    metrics = cycle_metrics(
        da.from_array(sales, chunks=(1, 1, 2)), da.from_array(np.ones_like(sales), chunks=(1, 1, 2))
    )
    assert metrics.compute(scheduler="threads").fulfilment_ratio.tolist() == [[1.0], [1.0]]
    for axis in (None, 0):
        with pytest.raises(InvalidValueError, match="too large to compute with in float64"):
            metrics.pooled_fulfilment_ratio(axis=axis).compute(scheduler="threads")  # type: ignore[no-untyped-call]
    pooled = metrics.pooled_fulfilment_ratio(axis=1)
    assert pooled.compute(scheduler="threads").tolist() == [  # type: ignore[no-untyped-call]
        1.0,
        1.0,
    ]


# --------------------------------------------------------------------------- read_long

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tobacco_metrics.dask import DaskPanel, read_long  # noqa: E402
from tobacco_metrics.errors import (  # noqa: E402
    DuplicateEntryError,
    MissingDataError,
    TobaccoMetricsError,
)


def _write(frame: Any, folder: Any, n_files: int) -> list[str]:
    """The rows cut into n_files files, Parquet and CSV in turn."""
    paths = []
    for number, part in enumerate(np.array_split(np.arange(len(frame)), n_files)):
        piece = frame.iloc[part]
        if number % 2:
            path = folder / f"part{number}.csv"
            piece.to_csv(path, index=False)
        else:
            path = folder / f"part{number}.parquet"
            piece.to_parquet(path, index=False)
        paths.append(str(path))
    return paths


def _table(present: Any, sales: Any, inventory: Any, order: Any) -> Any:
    import datetime as dt

    store, brand, day = np.nonzero(present)
    frame = pd.DataFrame(
        {
            "store": [f"S{i:02d}" for i in store],
            "brand": [f"B{j}" for j in brand],
            "date": [dt.date(2026, 3, 1) + dt.timedelta(days=int(k)) for k in day],
            "sales": sales[present],
            "inventory": inventory[present],
        }
    )
    return frame.iloc[order[: len(frame)] if len(order) >= len(frame) else np.arange(len(frame))]


@st.composite
def long_tables(draw: Any) -> Any:
    shape = (
        draw(st.integers(1, 5)),
        draw(st.integers(1, 3)),
        draw(st.integers(1, 6)),
    )
    n = int(np.prod(shape))
    present = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))).reshape(shape)
    if not present.any():
        present[0, 0, 0] = True
    halves = st.integers(0, 40).map(lambda v: v / 2)
    sales = np.array(draw(st.lists(halves, min_size=n, max_size=n))).reshape(shape)
    inventory = np.array(draw(st.lists(halves, min_size=n, max_size=n))).reshape(shape)
    order = np.array(draw(st.permutations(range(n))))
    return _table(present, sales, inventory, order[order < int(present.sum())])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    long_tables(),
    st.integers(1, 3),
    st.integers(1, 3),
    st.sampled_from(["error", "no_movement"]),
)
def test_read_long_equals_panel_from_long(
    tmp_path_factory: Any, frame: Any, n_files: int, per_block: int, missing: Any
) -> None:
    folder = tmp_path_factory.mktemp("long")
    paths = _write(frame, folder, n_files)
    try:
        panel = tm.Panel.from_long(
            frame["store"],
            frame["brand"],
            frame["date"],
            frame["sales"],
            frame["inventory"],
            missing=missing,
        )
    except TobaccoMetricsError as error:
        with pytest.raises(type(error)):
            read_long(paths, missing=missing, stores_per_block=per_block).sales.compute()  # type: ignore[no-untyped-call]
        return
    got = read_long(paths, missing=missing, stores_per_block=per_block)
    assert got.stores == panel.stores
    assert got.brands == panel.brands
    assert got.start == panel.start
    sales, inventory, carried = da.compute(got.sales, got.inventory, got.carried)
    np.testing.assert_array_equal(sales, panel.sales, strict=True)
    np.testing.assert_array_equal(inventory, panel.inventory, strict=True)
    np.testing.assert_array_equal(carried, panel.carried, strict=True)
    expected = panel.metrics(workers=1)
    lazy = got.metrics()
    result = lazy.compute()
    for name in FIELDS:
        np.testing.assert_array_equal(
            getattr(result, name), getattr(expected, name), err_msg=name, strict=True
        )
    for axis in (None, 0, 1):  # the series not carried are left out of the pooled figures
        pooled = lazy.pooled_fulfilment_ratio(axis).compute(scheduler="sync")  # type: ignore[no-untyped-call]
        # Dask adds the partial sums in its own order: the last bits may differ (documented)
        np.testing.assert_allclose(
            pooled, expected.pooled_fulfilment_ratio(axis), rtol=1e-14, err_msg=str(axis)
        )


def _frame() -> Any:
    return pd.DataFrame(
        {
            "store": ["S1", "S1", "S2", "S2"],
            "brand": ["B1", "B1", "B1", "B1"],
            "date": pd.to_datetime(["2026-03-01", "2026-03-02"] * 2),
            "sales": [6.0, 0.0, 3.0, 2.0],
            "inventory": [20.0, 0.0, 5.0, 4.0],
        }
    )


def test_read_long_by_hand(tmp_path: Any) -> None:
    frame = _frame()
    frame.iloc[:2].to_parquet(tmp_path / "a.parquet", index=False)
    frame.iloc[2:].to_csv(tmp_path / "b.csv", index=False)
    panel = read_long([tmp_path / "a.parquet", tmp_path / "b.csv"], stores_per_block=1)
    assert isinstance(panel, DaskPanel)
    assert panel.stores == ("S1", "S2")
    assert panel.brands == ("B1",)
    assert panel.sales.chunks[0] == (1, 1)
    assert "2 stores × 1 brands × 2 days" in repr(panel)
    result = panel.metrics().compute()
    # S1: A = 6, E = 1, one stockout day: P = 6 / 1 × 1 = 6; S2: no stockout.
    assert result.projected_stockout_sales.tolist() == [[6.0], [0.0]]
    assert result.fulfilment_ratio.tolist() == [[0.5], [1.0]]


def test_read_long_errors_name_the_file(tmp_path: Any) -> None:
    frame = _frame()
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    # S1 × B1 on 1 March in both files, with other sales (rows identical in every field
    # are collapsed, as the command line collapses them)
    frame.iloc[:1].assign(sales=7.0).to_csv(tmp_path / "b.csv", index=False)
    panel = read_long([tmp_path / "a.parquet", tmp_path / "b.csv"])
    with pytest.raises(DuplicateEntryError, match=r"b\.csv"):
        panel.sales.compute()  # type: ignore[no-untyped-call]
    with pytest.raises(MissingDataError, match="no column 'qty'"):
        read_long(tmp_path / "a.parquet", sales="qty")
    with pytest.raises(InvalidValueError, match="format"):
        read_long(tmp_path / "a.data")
    with pytest.raises(EmptyInputError):
        read_long([])
    frame.iloc[:3].to_parquet(tmp_path / "c.parquet", index=False)
    with pytest.raises(MissingDataError, match="no row"):
        read_long(tmp_path / "c.parquet").metrics().compute()
    bad = frame.assign(sales=[6.0, -1.0, 3.0, 2.0])
    bad.to_csv(tmp_path / "d.csv", index=False)
    # named by the file's line, as the command line names it (the header is line 1)
    with pytest.raises(InvalidValueError, match=r"d\.csv', line 3: 'sales' must be >= 0"):
        read_long(tmp_path / "d.csv").sales.compute()  # type: ignore[no-untyped-call]


_EXPORT = (
    "某市烟草公司 零售户进销存明细\n"
    "零售户编码;卷烟编码;日期;销量;库存\n"
    "0310;6901028;2026-03-01;6;20\n"
    "0310;6901028;2026-03-02;0;0\n"
    "310;6901028;2026-03-01;3;5\n"
    "310;6901028;2026-03-02;2;4\n"
)


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_read_long_reads_a_csv_as_the_command_line_does(
    tmp_path: Any, suffix: str, encoding: str
) -> None:
    # A GBK export with a title line, semicolons and Chinese headers: the encoding,
    # the delimiter and the title are detected as the command line detects them, and
    # the store codes are text, so 0310 and 310 are two stores (they were both read as
    # the integer 310; GBK was a UnicodeDecodeError).
    import gzip

    data = _EXPORT.encode(encoding)
    path = tmp_path / f"export{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    with pytest.warns(tm.ExportNote, match=r"export\.csv(\.gz)?: the header is on line 2"):
        panel = read_long(
            path, store="零售户编码", brand="卷烟编码", date="日期", sales="销量", inventory="库存"
        )
    assert panel.stores == ("0310", "310")
    assert panel.brands == ("6901028",)
    result = panel.metrics().compute()
    assert result.actual_sales.tolist() == [[6.0], [5.0]]
    assert result.projected_stockout_sales.tolist() == [[6.0], [0.0]]


@pytest.mark.filterwarnings("ignore::tobacco_metrics.ExportNote")  # not their subject
def test_read_long_reads_a_workbook_as_the_command_line_does(tmp_path: Any) -> None:
    # A province's exports as Excel workbooks: read by the command line's reader (the
    # title row skipped, codes as text, Excel dates as days), the same panel as the CSV.
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    lines = [line.split(";") for line in _EXPORT.splitlines()]
    for line in lines[:2]:
        sheet.append(line)
    for store, brand, day, sold, stock in lines[2:]:
        sheet.append([store, brand, dt.date.fromisoformat(day), int(sold), int(stock)])
    book.save(tmp_path / "export.xlsx")
    (tmp_path / "export.csv").write_bytes(_EXPORT.encode("gb18030"))
    got = read_long(tmp_path / "export.xlsx")
    expected = read_long(tmp_path / "export.csv")
    assert (got.stores, got.brands, got.start) == (("0310", "310"), ("6901028",), expected.start)
    for name in ("sales", "inventory", "carried"):
        np.testing.assert_array_equal(*da.compute(getattr(got, name), getattr(expected, name)))
    with pytest.raises(InvalidValueError, match="'format' must be 'parquet', 'csv' or 'excel'"):
        read_long(tmp_path / "export.xlsx", format="xls")


@pytest.mark.filterwarnings("ignore::tobacco_metrics.ExportNote")  # not their subject
def test_read_long_refusals(tmp_path: Any) -> None:
    frame = _frame()
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    for bad, error in ((0, InvalidValueError), (True, TypeError), (2.5, TypeError)):
        with pytest.raises(error, match="'stores_per_block' must be"):
            read_long(tmp_path / "a.parquet", stores_per_block=bad)  # type: ignore[arg-type]
    # Integer codes in Parquet and text in a CSV file: 310 and '0310' would be two stores.
    frame.assign(store=[310, 310, 311, 311]).to_parquet(tmp_path / "codes.parquet", index=False)
    (tmp_path / "b.csv").write_text("store,brand,date,sales,inventory\n0310,B1,2026-03-03,1,1\n")
    with pytest.raises(InvalidValueError, match=r"text in .*b\.csv.* numbers in .*codes\.parquet"):
        read_long([tmp_path / "codes.parquet", tmp_path / "b.csv"])
    # A column named but not in the header: the header is named, not a line of data
    # whose two equal quantities looked like a header with a name twice.
    (tmp_path / "c.csv").write_bytes(_EXPORT.encode("gb18030"))
    with pytest.raises(MissingDataError, match=r"no column '客户代码' \(it has 零售户编码"):
        read_long(tmp_path / "c.csv", store="客户代码")
    with pytest.raises(InvalidValueError, match="unknown encoding 'no-such-codec'"):
        read_long(tmp_path / "c.csv", encoding="no-such-codec")
    # Names left at their defaults find the columns as the command line does (零售户编码
    # is a store's code): the export is read without naming its columns.
    assert read_long(tmp_path / "c.csv").stores == ("0310", "310")
    # A quantity that is not a number is named with its file and line (it was "got str
    # 'abc' at index 0", naming neither).
    (tmp_path / "d.csv").write_text(
        "store,brand,date,sales,inventory\nS1,B1,2026-03-01,6,1\nS1,B1,2026-03-02,abc,1\n"
    )
    with pytest.raises(InvalidValueError, match=r"d\.csv', line 3: .*'abc'"):
        read_long(tmp_path / "d.csv")


def test_read_long_reads_decimal_quantities(tmp_path: Any) -> None:
    # A database's DECIMAL columns in Parquet (they were a raw "Cannot change data-type
    # for array of references" TypeError) are read as float64.
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _frame()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name, scale in (("sales", 2), ("inventory", 0)):
        values = [
            decimal.Decimal(str(value)).quantize(decimal.Decimal(10) ** -scale)
            for value in frame[name]
        ]
        table = table.set_column(
            table.column_names.index(name), name, pa.array(values, pa.decimal128(10, scale))
        )
    pq.write_table(table, tmp_path / "a.parquet")
    panel = read_long(tmp_path / "a.parquet")
    expected = read_long(_written(frame, tmp_path))
    assert panel.sales.dtype == np.float64
    got, want = panel.metrics().compute(), expected.metrics().compute()
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)


def _written(frame: Any, folder: Any) -> Any:
    path = folder / "plain.parquet"
    frame.to_parquet(path, index=False)
    return path


def test_read_long_metrics_with_options_equal_panel(tmp_path: Any) -> None:
    frame = _frame()
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    got = read_long(tmp_path / "a.parquet").metrics(token_stock=1, exclude=[False, True])
    panel = tm.Panel.from_long(
        frame["store"], frame["brand"], frame["date"], frame["sales"], frame["inventory"]
    )
    expected = panel.metrics(token_stock=1, exclude=[False, True], workers=1)
    result = got.compute()
    for name in FIELDS:
        np.testing.assert_array_equal(
            getattr(result, name), getattr(expected, name), err_msg=name, strict=True
        )


# --------------------------------------------------------------------------- path equality edges


def test_dask_refuses_the_dtypes_numpy_refuses_at_once() -> None:
    flags = np.ones((2, 2, 3), dtype=np.bool_)
    with pytest.raises(TypeError, match="'sales' must hold real numbers"):
        tm.cycle_metrics(flags, flags.astype(np.int64))
    with pytest.raises(TypeError, match="'sales' must hold real numbers"):
        cycle_metrics(flags, flags.astype(np.int64))  # before: counted True as 1 carton
    with pytest.raises(TypeError, match="'inventory' must hold real numbers"):
        cycle_metrics(da.from_array(flags.astype(np.int64)), da.from_array(flags))


def test_dask_refuses_a_panel_without_days_at_once() -> None:
    empty = np.zeros((2, 3, 0))
    with pytest.raises(EmptyInputError, match="'sales' has no days"):
        tm.cycle_metrics(empty, empty)
    with pytest.raises(EmptyInputError, match="'sales' has no days"):
        cycle_metrics(empty, empty)  # before: an IndexError when computed


@pytest.mark.parametrize("lazy", [False, True])
def test_dask_excludes_the_masked_days_as_numpy_does(lazy: bool) -> None:
    sales, stock = district(np.float64, (5, 3, 8))
    hidden = np.zeros(sales.shape, dtype=np.bool_)
    hidden[0, 0, -1] = hidden[2, 1, :3] = hidden[4, 2, 1] = True
    masked = np.ma.masked_array(sales, mask=hidden)
    holiday = np.arange(8) == 4
    expected = tm.cycle_metrics(masked, stock, exclude=holiday)
    assert int(expected.days[2, 1]) == 4  # the 3 masked days and the holiday are not counted
    given: Any = da.from_array(masked, chunks=(2, 2, 8), asarray=False) if lazy else masked
    exclude: Any = da.from_array(holiday, chunks=4) if lazy else holiday
    assert_same(cycle_metrics(given, stock, exclude=exclude).compute(scheduler="sync"), expected)


def test_excluding_every_day_of_a_series_not_carried_is_not_refused(tmp_path: Any) -> None:
    """Before: EmptyInputError on Panel and DaskPanel for a series "left out of everything"."""
    frame = pd.concat([_frame(), _frame().iloc[:2].assign(brand="B2")])  # S2 lacks B2
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    panel = tm.Panel.from_long(
        frame["store"], frame["brand"], frame["date"], frame["sales"], frame["inventory"]
    )
    closed = np.zeros(panel.shape, dtype=bool)
    closed[1, 1] = True  # S2 × B2 (not carried): every day
    closed[0, 0, 0] = True
    only_carried = closed & panel.carried[:, :, np.newaxis]
    expected = panel.metrics(exclude=only_carried, workers=1)
    for method in ("seed", "censored"):
        got = panel.metrics(exclude=closed, workers=1, method=method)
        want = panel.metrics(exclude=only_carried, workers=1, method=method)
        for name in FIELDS:
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name), strict=True)
    lazy = read_long(tmp_path / "a.parquet", stores_per_block=1)
    result = lazy.metrics(exclude=closed).compute()
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(result, name), getattr(expected, name), strict=True)
    closed[0, 1] = True  # a carried series out every day is still refused
    with pytest.raises(tm.EmptyInputError, match=r"1 store × brand series, first \(store 'S1'"):
        panel.metrics(exclude=closed)


def test_dask_panel_pools_only_the_carried_series(tmp_path: Any) -> None:
    frame = pd.concat([_frame(), _frame().iloc[:2].assign(brand="B2")])  # S2 lacks B2
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    lazy = read_long(tmp_path / "a.parquet", stores_per_block=1).metrics()
    panel = tm.Panel.from_long(
        frame["store"], frame["brand"], frame["date"], frame["sales"], frame["inventory"]
    )
    assert panel.carried.tolist() == [[True, True], [True, False]]
    expected = panel.metrics(workers=1)
    for axis in (None, 0, 1):  # before: NaN wherever S2 × B2 (NaN metrics) was pooled
        got = lazy.pooled_fulfilment_ratio(axis).compute(scheduler="sync")  # type: ignore[no-untyped-call]
        np.testing.assert_array_equal(got, expected.pooled_fulfilment_ratio(axis), strict=True)
    # S1: A = 6 + 6, P = 6 + 6 (out one day of two, each); S2: A = 5, P = 0
    assert expected.pooled_fulfilment_ratio(1).tolist() == [0.5, 1.0]
