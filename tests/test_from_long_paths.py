"""The fast paths of Panel.from_long give what the general path gives, bit for bit.

Fast paths: rows already the panel's cells in order (no factorizing), label
columns in runs (factorized once per run), datetime64 columns read on their
int64 view, pandas Categorical codes and Arrow dictionary indices used as
codes.  Each is switched off with ``mock.patch`` to get the general path's
answer for the same table; errors must carry the same message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics.errors import MissingDataError, TobaccoMetricsError
from tobacco_metrics.panel import _columns, _long

START = np.datetime64("2026-03-02", "D")


@contextlib.contextmanager
def general_path() -> Iterator[None]:
    """from_long with every fast path switched off."""
    with (
        mock.patch.object(_long, "_sorted_complete", return_value=None),
        mock.patch.object(_columns, "_run_heads", return_value=None),
        mock.patch.object(_long, "_datetime_days", return_value=None),
    ):
        yield


def outcome(columns: dict[str, Any], **options: Any) -> Any:
    """The LongTable's fields (dtypes included), or the error's type and message."""
    try:
        table = _long.from_long(**columns, **options)
    except (TobaccoMetricsError, TypeError) as error:
        return type(error).__name__, str(error)
    return (
        table.stores,
        table.brands,
        table.start,
        table.sales.dtype,
        table.sales.tolist(),
        table.inventory.dtype,
        table.inventory.tolist(),
        table.carried.tolist(),
        table.whole_max,
    )


@st.composite
def long_tables(draw: st.DrawFn) -> dict[str, Any]:
    """A long table sorted by store, brand and date, then perhaps disturbed."""
    n_stores = draw(st.integers(1, 4))
    n_brands = draw(st.integers(1, 4))
    n_days = draw(st.integers(1, 6))
    text = draw(st.booleans())
    store_ids = sorted(draw(st.sets(st.integers(0, 99), min_size=n_stores, max_size=n_stores)))
    brand_ids = sorted(draw(st.sets(st.integers(0, 99), min_size=n_brands, max_size=n_brands)))
    if draw(st.booleans()):
        brand_ids.reverse()  # labels not in their sort order
    stores: Any = np.asarray([f"C{i:03d}" for i in store_ids] if text else store_ids)
    brands: Any = np.asarray([f"B{i:02d}" for i in brand_ids] if text else brand_ids)
    n_rows = n_stores * n_brands * n_days
    dtype = draw(st.sampled_from([np.int64, np.float64, np.float32]))
    values = st.integers(0, 50).map(float)
    columns = {
        "store": np.repeat(stores, n_brands * n_days),
        "brand": np.tile(np.repeat(brands, n_days), n_stores),
        "date": np.tile(START + np.arange(n_days), n_stores * n_brands),
        "sales": np.asarray(draw(st.lists(values, min_size=n_rows, max_size=n_rows)), dtype),
        "inventory": np.asarray(draw(st.lists(values, min_size=n_rows, max_size=n_rows)), dtype),
    }
    unit = draw(st.sampled_from(["D", "s", "ms", "ns"]))
    columns["date"] = columns["date"].astype(f"datetime64[{unit}]")
    change = draw(st.sampled_from(["none", "shuffle", "drop", "duplicate", "bad value", "time"]))
    row = draw(st.integers(0, n_rows - 1))
    if change == "shuffle":
        order = np.asarray(draw(st.permutations(range(n_rows))))
        columns = {name: column[order] for name, column in columns.items()}
    elif change == "drop" and n_rows > 1:
        columns = {name: np.delete(column, row) for name, column in columns.items()}
    elif change == "duplicate":
        columns = {name: np.insert(column, row, column[row]) for name, column in columns.items()}
    elif change == "bad value":
        columns["sales"] = columns["sales"].astype(np.float64)
        columns["sales"][row] = draw(st.sampled_from([-1.0, np.nan, 0.5]))
    elif change == "time" and unit != "D":
        columns["date"][row] += 1
    return columns


def containers(columns: dict[str, Any], kind: str) -> dict[str, Any]:
    """The same columns as numpy arrays, pandas Series (labels categorical) or Arrow arrays."""
    if kind == "pandas categorical":
        return {
            name: pd.Series(column, dtype="category" if name in ("store", "brand") else None)
            for name, column in columns.items()
        }
    if kind == "arrow":
        return {name: pa.chunked_array([pa.array(column)]) for name, column in columns.items()}
    if kind == "arrow dictionary":
        return {
            name: pa.array(column).dictionary_encode() if name in ("store", "brand") else column
            for name, column in columns.items()
        }
    return columns


@settings(max_examples=150, deadline=None)
@given(
    long_tables(),
    st.sampled_from(["numpy", "pandas categorical", "arrow", "arrow dictionary"]),
    st.sampled_from(["error", "no_movement"]),
)
def test_fast_paths_equal_the_general_path(
    columns: dict[str, Any], kind: str, missing: str
) -> None:
    with mock.patch.object(_columns, "RUN_SAMPLE", 4):  # runs looked for in small tables too
        fast = outcome(containers(columns, kind), missing=missing)
    labels = {
        name: column.tolist() for name, column in columns.items() if name in ("store", "brand")
    }
    with general_path():  # labels as Python lists: the general factorizing
        general = outcome({**columns, **labels}, missing=missing)
    assert fast == general


def test_sorted_complete_rows_skip_the_factorizing() -> None:
    columns: dict[str, Any] = {
        "store": np.repeat([7, 9], 6),
        "brand": np.tile(np.repeat([1, 2], 3), 2),
        "date": np.tile(START + np.arange(3), 4),
        "sales": np.arange(12.0),
        "inventory": np.arange(12.0),
    }
    with mock.patch.object(_long, "factorize", side_effect=AssertionError("factorized")):
        table = _long.from_long(**columns)
    assert (table.stores, table.brands, str(table.start)) == ((7, 9), (1, 2), "2026-03-02")
    assert table.sales.reshape(-1).tolist() == list(range(12))


@pytest.mark.parametrize(
    ("store", "brand"),
    [
        ([9, 9, 7, 7], [1, 1, 1, 1]),  # stores not in their sort order
        ([7, 7, 7, 7], [1, 2, 2, 1]),  # a brand's days not together
        ([7, 7, 9, 9], [1, 2, 2, 1]),  # stores with the brands in other orders
    ],
)
def test_rows_out_of_order_take_the_general_path(store: list[int], brand: list[int]) -> None:
    date = START + np.asarray([0, 1, 0, 1] if len(set(brand)) == 1 else [0, 0, 0, 0])
    columns: dict[str, Any] = {"store": np.asarray(store), "brand": np.asarray(brand), "date": date}
    columns |= {"sales": np.arange(4.0), "inventory": np.arange(4.0)}
    assert _long._sorted_complete(columns["store"], columns["brand"], date.view(np.int64)) is None
    with general_path():
        expected = outcome(columns)
    assert outcome(columns) == expected


def test_midnights_in_seconds_are_days_and_times_are_refused() -> None:
    days = (START + np.arange(3)).astype("datetime64[s]")
    numbers = _long._datetime_days(days)
    assert numbers is not None
    assert numbers.tolist() == (START + np.arange(3)).view(np.int64).tolist()
    days[1] += 1
    assert _long._datetime_days(days) is None
    assert _long._datetime_days(np.array(["NaT"], dtype="datetime64[D]")) is None


def test_arrow_columns_are_read_as_their_values() -> None:
    table = pa.table(
        {
            "store": ["C2", "C2", "C1", "C1"],
            "brand": pa.array(["B", "B", "B", "B"]).dictionary_encode(),
            "date": pa.array(np.tile(START + np.arange(2), 2)),
            "sales": pa.array([1, 0, 3, 2], type=pa.int32()),
            "inventory": [4.0, 4.0, 1.0, 0.0],
        }
    )
    built = _long.from_long(**{name: table.column(name) for name in table.column_names})
    assert (built.stores, built.brands, str(built.start)) == (("C1", "C2"), ("B",), "2026-03-02")
    assert built.sales.dtype == np.int32
    assert built.sales.tolist() == [[[3, 2]], [[1, 0]]]
    assert built.inventory.tolist() == [[[1.0, 0.0]], [[4.0, 4.0]]]
    columns = {name: table.column(name) for name in table.column_names}
    with pytest.raises(MissingDataError, match="'store' is missing at row 1"):
        _long.from_long(**{**columns, "store": pa.array(["C2", None, "C1", "C1"])})
    aware = pa.array(np.tile(START + np.arange(2), 2)).cast(pa.timestamp("s", tz="UTC"))
    with pytest.raises(TypeError, match="timezone-aware"):
        _long.from_long(**{**columns, "date": aware})


def test_categorical_labels_keep_the_categories_order_and_drop_unused_ones() -> None:
    store = pd.Series(pd.Categorical(["a", "a", "b", "b"], categories=["z", "b", "a"]))
    built = _long.from_long(
        store, ["x"] * 4, np.tile(START + np.arange(2), 2), [1, 2, 3, 4], [0] * 4
    )
    assert built.stores == ("b", "a")
    assert built.sales.tolist() == [[[3, 4]], [[1, 2]]]
    # A Categorical itself (not in a Series) is read alike: it was an AttributeError (.cat)
    plain = _long.from_long(
        store.array, ["x"] * 4, np.tile(START + np.arange(2), 2), [1, 2, 3, 4], [0] * 4
    )
    assert (plain.stores, plain.sales.tolist()) == (built.stores, built.sales.tolist())
    # from_frame drops the unused categories too (it kept 'z' as a store not carried)
    frame = pd.DataFrame(
        {
            "store": store,
            "brand": ["x"] * 4,
            "date": np.tile(START + np.arange(2), 2),
            "sales": [1, 2, 3, 4],
            "inventory": [0] * 4,
        }
    )
    panel = tm.Panel.from_frame(frame)
    assert panel.stores == ("a", "b")  # sorted, as from_frame sorts every label
    assert panel.carried.all()


@given(
    hnp.arrays(np.float64, (2, 2, 7), elements=st.sampled_from([0.0, -0.0, 1.0, 2.5])),
    hnp.arrays(np.float64, (2, 2, 7), elements=st.sampled_from([0.0, -0.0, 1.0, 3.0])),
)
def test_from_long_panels_with_negative_zeros_equal_cycle_metrics(
    sales: NDArray[np.float64], inventory: NDArray[np.float64]
) -> None:
    """A -0.0 in the rows turns the kernel's one-pass stockout test off: the figures stay exact."""
    store, brand, day = np.indices(sales.shape).reshape(3, -1)
    panel = tm.Panel.from_long(
        store,
        brand,
        np.datetime64("2026-03-02") + day,
        sales.reshape(-1),
        inventory.reshape(-1),
    )
    got = panel.metrics(workers=1)
    expected = tm.cycle_metrics(sales, inventory)
    for name in ("stockout_days", "actual_sales", "projected_stockout_sales", "fulfilment_ratio"):
        np.testing.assert_array_equal(getattr(got, name), getattr(expected, name), err_msg=name)


def _period_frame(freq: str, start: str) -> pd.DataFrame:
    days = pd.period_range(start, periods=2, freq=freq)
    frame: pd.DataFrame = pd.DataFrame(
        {
            "store": ["a", "a", "b", "b"],
            "brand": ["x", "x", "x", "x"],
            "date": days[[1, 0, 0, 1]],
            "sales": [1.0, 2.0, 3.0, 4.0],
            "inventory": [3.0, 1.0, 0.0, 2.0],
        }
    )
    return frame


def _columns_of(frame: pd.DataFrame, **replaced: Any) -> dict[str, Any]:
    names = ("store", "brand", "date", "sales", "inventory")
    return {name: replaced.get(name, frame[name]) for name in names}


def test_a_daily_period_column_is_its_days_on_both_paths() -> None:
    """It was refused on both (an Arrow extension type; Period objects one by one)."""
    frame = _period_frame("D", "2026-03-02")
    want = tm.Panel.from_frame(frame.assign(date=frame["date"].dt.start_time))
    for got in (
        tm.Panel.from_frame(frame),
        tm.Panel.from_long(**_columns_of(frame)),
        tm.Panel.from_long(**_columns_of(frame, date=pd.PeriodIndex(frame["date"]))),
    ):
        assert got.start == want.start == dt.date(2026, 3, 2)
        assert np.array_equal(got.sales, want.sales)
        assert np.array_equal(got.inventory, want.inventory)


@pytest.mark.parametrize("freq", ["M", "W"])
def test_a_period_longer_than_a_day_is_refused(freq: str) -> None:
    frame = _period_frame(freq, "2026-03")
    with pytest.raises(TypeError, match="'date' must hold days, got periods of"):
        tm.Panel.from_frame(frame)
    with pytest.raises(TypeError, match="'date' must hold days, got periods of"):
        tm.Panel.from_long(**_columns_of(frame))
