"""The analyst-in-a-notebook sweep: dataframe and labelled inputs the other tests do not try.

Each test is a regression test of a defect found by that sweep (see docs/guarantees.md,
"Labelled and dataframe inputs"): a right number or an error that names the argument;
never a silently wrong number, a positional pairing of differently labelled inputs, a
raw error from inside numpy or pandas, or a warning.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tobacco_metrics as tm
from tobacco_metrics import ShapeMismatchError

HAS_POLARS = importlib.util.find_spec("polars") is not None
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
HAS_XARRAY = importlib.util.find_spec("xarray") is not None
DAYS = pd.date_range("2026-03-02", periods=3)
DATES = [day.date() for day in DAYS]
INVENTORY = np.array([5.0, 0.0, 5.0])
needs_polars = pytest.mark.skipif(not HAS_POLARS, reason="polars not installed")
needs_pyarrow = pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow not installed")
needs_xarray = pytest.mark.skipif(not HAS_XARRAY, reason="xarray not installed")


# --------------------------------------------------------------------------- pyarrow tables


@needs_pyarrow
def test_pyarrow_tables_pair_their_columns_by_name() -> None:
    """Before: a Table's columns were paired by position (store b's stock read as a's)."""
    import pyarrow as pa

    sales = pa.table({"a": [1.0, 0.0, 1.0], "b": [1.0, 1.0, 1.0]})
    stock = pa.table({"b": [1.0, 1.0, 1.0], "a": [5.0, 0.0, 5.0]})
    assert tm.stockout_days(sales, stock, axis=0).tolist() == [1, 0]  # before: [0, 0]
    batch = pa.record_batch({"b": [1.0, 1.0, 1.0], "a": [5.0, 0.0, 5.0]})
    assert tm.stockout_days(sales, batch, axis=0).tolist() == [1, 0]
    with pytest.raises(ShapeMismatchError, match="different labels"):
        tm.stockout_days(sales, stock.rename_columns(["b", "c"]), axis=0)
    with pytest.raises(ShapeMismatchError, match="axis=0 has 3 unlabelled positions"):
        tm.stockout_days(sales, stock)  # like a polars frame: the day axis must be named


# --------------------------------------------------------------------------- column kinds


def _frames(columns: dict[str, list[Any]]) -> list[Any]:
    frames = []
    if HAS_POLARS:
        import polars as pl

        frames.append(pl.DataFrame(columns))
    if HAS_PYARROW:
        import pyarrow as pa

        frames.append(pa.table(columns))
    return frames


@pytest.mark.parametrize("frame", _frames({"date": DATES, "C1": [1.0, 0.0, 1.0]}))
def test_a_date_column_in_a_frame_is_refused_not_read_as_numbers(frame: Any) -> None:
    """Before: polars read the dates as 20514, 20515, … cartons; pyarrow raised from numpy."""
    with pytest.raises(TypeError, match=r"'sales' mixes column dtypes: 'date' is Date|date32"):
        tm.stockout_days(frame, frame, axis=0)
    with pytest.raises(TypeError, match="'weights' mixes column dtypes"):
        tm.split_total([10, 3, 4], frame)  # before (polars): the date column took every carton
    with pytest.raises(TypeError, match="'cartons' must hold real numbers, but its column 'date'"):
        tm.cartons_to_packs(frame)


@pytest.mark.parametrize("frame", _frames({"C1": [1.0, 0.0, 1.0], "open": [True, True, False]}))
def test_a_boolean_column_among_numbers_is_refused(frame: Any) -> None:
    """Before: True and False in a polars or pyarrow frame counted as 1 and 0 cartons."""
    with pytest.raises(TypeError, match=r"'sales' mixes column dtypes: 'C1' is .* 'open' is"):
        tm.stockout_days(frame, frame, axis=0)
    with pytest.raises(TypeError, match="its column 'open' is of dtype"):
        tm.cartons_to_packs(frame)


@pytest.mark.parametrize("frame", _frames({"C1": [False, True, False], "C2": [False, False, True]}))
def test_a_frame_of_boolean_columns_is_a_mask(frame: Any) -> None:
    sales = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]])
    stock = np.array([[5.0, 5.0], [0.0, 0.0], [5.0, 5.0]])
    assert tm.stockout_days(sales, stock, axis=0, exclude=frame).tolist() == [0, 1]


@needs_polars
def test_a_polars_lazy_frame_asks_to_be_collected() -> None:
    """Before: a PerformanceWarning, then "got objects that are not numbers"."""
    import polars as pl

    lazy: Any = pl.DataFrame({"C1": [1.0, 0.0, 1.0]}).lazy()
    with pytest.raises(TypeError, match=r"'sales' is a polars LazyFrame.*collect\(\)"):
        tm.stockout_days(lazy, lazy, axis=0)
    with pytest.raises(TypeError, match="'weights' is a polars LazyFrame"):
        tm.split_total([10, 3, 4], lazy)


def test_a_pandas_date_column_is_named_as_such() -> None:
    """Before: "got objects that are not numbers" (which value, where?)."""
    frame = pd.DataFrame({"date": DAYS, "C1": [1.0, 0.0, 1.0]})
    with pytest.raises(TypeError, match=r"got Timestamp .* at index \(0, 0\) \(3 such values\)"):
        tm.stockout_days(frame, frame, axis=0)


# --------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    "index",
    [
        pd.date_range("2026-03-02", periods=3, tz="Asia/Shanghai"),
        pd.date_range("2026-03-07", periods=3, tz="America/New_York"),  # over a DST change
        pd.date_range("2026-03-01 16:00", periods=3, tz="UTC"),
    ],
    ids=["Shanghai", "New York DST", "UTC afternoon"],
)
def test_days_with_a_time_zone_are_days(index: pd.DatetimeIndex) -> None:
    """Before: a numpy UserWarning ("no explicit representation of timezones")."""
    assert tm.stockout_days(pd.Series([1.0, 0.0, 1.0], index=index), INVENTORY) == 1
    gap = pd.Series([1.0, 0.0, 1.0], index=index[[0, 1]].append(index[2:] + pd.Timedelta("1D")))
    with pytest.raises(tm.MissingDataError, match=r"1 day\(s\) missing"):
        tm.stockout_days(gap, INVENTORY)
