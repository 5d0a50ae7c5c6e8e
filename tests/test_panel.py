"""Tests of tobacco_metrics.panel: Panel, PanelMetrics, PooledMetrics and the chunked kernel."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tracemalloc
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics.errors import (
    DuplicateEntryError,
    EmptyInputError,
    InvalidValueError,
    MissingDataError,
    ShapeMismatchError,
)
from tobacco_metrics.panel import Panel, PanelMetrics, PooledMetrics
from tobacco_metrics.panel import _kernel as kernel_module

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
START = dt.date(2026, 3, 2)


def assert_same_metrics(got: Any, expected: tm.CycleMetrics) -> None:
    """Every field equal to cycle_metrics', NaN where it has NaN, with the same dtype."""
    for name in FIELDS:
        actual = np.asarray(getattr(got, name))
        wanted = np.asarray(getattr(expected, name))
        assert actual.dtype == wanted.dtype, name
        np.testing.assert_array_equal(actual, wanted, err_msg=name, strict=True)


def small_chunks(cells: int, block: int) -> Any:
    """Patch the kernel's chunk and block sizes so small panels cross many boundaries."""
    patches = [
        mock.patch.object(kernel_module, "CHUNK_CELLS", cells),
        mock.patch.object(kernel_module, "CHUNK_CELLS_MIN", 1),
        mock.patch.object(kernel_module, "BLOCK_CELLS", block),
    ]

    class _Both:
        def __enter__(self) -> None:
            for patch in patches:
                patch.__enter__()

        def __exit__(self, *exc: Any) -> None:
            for patch in reversed(patches):
                patch.__exit__(*exc)

    return _Both()


# --------------------------------------------------------------------------- strategies

DTYPES = (np.float32, np.float64, np.int32, np.int64, np.uint16)


@st.composite
def daily_panels(draw: st.DrawFn) -> dict[str, Any]:
    """Sales and stock (possibly fractional, zero-heavy, all-stockout series) plus options."""
    n_stores = draw(st.integers(1, 5))
    n_brands = draw(st.integers(1, 4))
    n_days = draw(st.integers(1, 24))
    shape = (n_stores, n_brands, n_days)
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    fractional = dtype.kind == "f" and draw(st.booleans())
    small = st.integers(0, 6)
    sales = draw(hnp.arrays(np.int64, shape, elements=small))
    stock = draw(hnp.arrays(np.int64, shape, elements=small))
    sales = np.where(draw(hnp.arrays(np.bool_, shape)), 0, sales)  # many days without sales
    if fractional:
        scale = draw(st.sampled_from([0.1, 0.25, 1 / 3, 1e-3, 1e5]))
        sales = sales * scale
        stock = stock * scale
    if draw(st.booleans()):  # some series out every day
        out = draw(hnp.arrays(np.bool_, (n_stores, n_brands, 1)))
        sales = np.where(out, 0, sales)
        stock = np.where(out, 0, stock)
    token_kind = draw(st.sampled_from(["zero", "int", "float", "store", "full"]))
    token: Any = {
        "zero": 0,
        "int": draw(st.integers(0, 3)),
        "float": draw(st.sampled_from([0.1, 0.5, 1.0, 2.7, np.float32(0.3)])),
        "store": draw(
            hnp.arrays(np.float64, (n_stores, 1, 1), elements=st.sampled_from([0, 0.5, 2]))
        ),
        "full": draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 2))),
    }[token_kind]
    exclude_kind = draw(st.sampled_from(["none", "days", "full"]))
    exclude: NDArray[np.bool_] | None = None
    if exclude_kind == "days":
        exclude = draw(hnp.arrays(np.bool_, (n_days,)))
        exclude[draw(st.integers(0, n_days - 1))] = False
    elif exclude_kind == "full":
        exclude = draw(hnp.arrays(np.bool_, shape))
        exclude[..., draw(st.integers(0, n_days - 1))] = False
    fallback_kind = draw(st.sampled_from(["none", "scalar", "series"]))
    fallback: Any = {
        "none": None,
        "scalar": 1.5,
        "series": draw(
            hnp.arrays(np.float64, (n_stores, n_brands), elements=st.sampled_from([0.0, 0.5, 3.0]))
        ),
    }[fallback_kind]
    return {
        "sales": sales.astype(dtype),
        "inventory": stock.astype(dtype),
        "token_stock": token,
        "exclude": exclude,
        "fallback_daily_rate": fallback,
        "chunk": draw(st.sampled_from([1, 7, 64, 1 << 16])),
        "block": draw(st.sampled_from([1, 30, 1 << 21])),
        "workers": draw(st.sampled_from([1, 1, 2])),
    }


def options(case: dict[str, Any]) -> dict[str, Any]:
    return {name: case[name] for name in ("token_stock", "exclude", "fallback_daily_rate")}


def panel_of(sales: Any, inventory: Any) -> Panel:
    n_stores, n_brands, _ = np.shape(sales)
    return Panel(
        [f"C{i:03d}" for i in range(n_stores)],
        [f"B{j}" for j in range(n_brands)],
        START,
        sales,
        inventory,
    )


# --------------------------------------------------------------------------- equivalence


@given(daily_panels())
def test_panel_metrics_equal_cycle_metrics(case: dict[str, Any]) -> None:
    expected = tm.cycle_metrics(case["sales"], case["inventory"], **options(case))
    panel = panel_of(case["sales"], case["inventory"])
    with small_chunks(case["chunk"], case["block"]):
        got = panel.metrics(**options(case), workers=case["workers"])
    assert_same_metrics(got, expected)
    assert_same_metrics(got.to_cycle_metrics(), expected)


@given(daily_panels())
def test_kernel_without_known_whole_values_equals_cycle_metrics(case: dict[str, Any]) -> None:
    """The path Dask blocks take: whole values not known in advance, tested chunk by chunk."""
    expected = tm.cycle_metrics(case["sales"], case["inventory"], **options(case))
    with small_chunks(case["chunk"], case["block"]):
        got = kernel_module.panel_kernel(
            case["sales"], case["inventory"], **options(case), whole_max=None
        )
    for name in ("days", "stockout_days", "actual_sales", "projected_stockout_sales"):
        np.testing.assert_array_equal(got[name], getattr(expected, name), strict=True)
    np.testing.assert_array_equal(got["fulfilment_ratio"], expected.fulfilment_ratio)
    np.testing.assert_array_equal(got["stock_to_sales_ratio"], expected.stock_to_sales_ratio)
    np.testing.assert_array_equal(got["closing_inventory"], expected.closing_inventory)


@given(daily_panels(), st.data())
def test_negative_zeros_keep_the_rule_of_zero(case: dict[str, Any], data: st.DataObject) -> None:
    """-0.0 is 0: a panel holding some is not "signless", and its metrics are still exact."""
    sales, inventory = case["sales"].copy(), case["inventory"].copy()
    if sales.dtype.kind == "f":
        for array in (sales, inventory):
            where = data.draw(hnp.arrays(np.bool_, array.shape)) & (array == 0)
            array[where] = -0.0
    expected = tm.cycle_metrics(sales, inventory, **options(case))
    panel = panel_of(sales, inventory)
    assert panel._scan[1] == (not (np.signbit(sales).any() or np.signbit(inventory).any()))
    with small_chunks(case["chunk"], case["block"]):
        got = panel.metrics(**options(case), workers=case["workers"])
    assert_same_metrics(got, expected)


@pytest.mark.parametrize(
    ("dtypes", "token", "exclude", "signless", "bits"),
    [
        ((np.float32, np.float32), 0, None, True, np.uint32),
        ((np.float64, np.float64), 0.0, None, True, np.uint64),
        ((np.int32, np.float32), 0, None, True, np.uint32),
        ((np.int64, np.int64), 0, None, False, np.uint64),  # integers have no -0
        ((np.float32, np.float32), 0, None, False, None),  # a -0.0 may be there
        ((np.int32, np.float32), 0, None, False, None),
        ((np.float32, np.float64), 0, None, True, None),  # widths differ
        ((np.float32, np.float32), 0.5, None, True, None),  # stock at or below a token
        ((np.float32, np.float32), 0, [False, True], True, None),  # excluded days
    ],
)
def test_one_pass_stockouts_only_where_bits_tell_zeros(
    dtypes: tuple[Any, Any], token: Any, exclude: Any, signless: bool, bits: Any
) -> None:
    """The test of "no sales and no stock" on the values' bits, only where it is exact."""
    found = kernel_module._options(
        (1, 1, 2),
        np.dtype(dtypes[0]),
        np.dtype(dtypes[1]),
        token,
        exclude,
        None,
        str,
        None,
        signless,
    ).bits
    assert found == (None if bits is None else np.dtype(bits))


def test_scan_checks_tell_a_negative_zero() -> None:
    values = np.array([[[0.0, 2.0], [1.0, 0.0]]], dtype=np.float32)
    assert kernel_module.scan_checks(values, "sales", str, whole=True) == (2.0, True)
    values[0, 1, 1] = -0.0
    assert kernel_module.scan_checks(values, "sales", str, whole=True) == (2.0, False)
    assert kernel_module.scan_checks(np.array([0, 3]), "sales", str) == (None, True)
    sales = np.array([[[-0.0, 0.0, 4.0]]])
    panel = panel_of(sales, np.array([[[0.0, -0.0, 1.0]]]))
    assert panel._scan == (4.0, False)
    assert int(panel.metrics().stockout_days[0, 0]) == 2


@given(
    st.sampled_from([np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8, np.uint32]),
    st.one_of(
        st.integers(0, 2**40),
        st.floats(0, 1e40, allow_nan=False, width=64),
        st.floats(0, 1e6, allow_nan=False, width=32).map(np.float32),
        st.integers(0, 300).map(np.int16),
    ),
)
def test_exact_threshold_gives_numpys_comparison(dtype: Any, token: Any) -> None:
    token_array = np.asarray(token)
    threshold = kernel_module.exact_threshold(token_array, np.dtype(dtype))
    if threshold is None:
        return
    assert threshold.dtype == np.dtype(dtype)
    # values of the stock's dtype around the token, and the dtype's extremes
    if np.dtype(dtype).kind == "f":
        info = np.finfo(dtype)
        near = np.asarray(np.clip(float(token), 0, float(info.max)), dtype=dtype)
        values = [np.nextafter(near, dtype(-np.inf)), near, dtype(0), info.max]
        if near < info.max:
            values.append(np.nextafter(near, dtype(np.inf)))
    else:
        iinfo = np.iinfo(dtype)
        base = int(min(max(float(token), 0), iinfo.max))
        values = [max(base - 1, 0), base, min(base + 1, iinfo.max), 0, iinfo.max]
    x = np.asarray(values, dtype=dtype)
    finite = np.isfinite(x) if x.dtype.kind == "f" else np.ones(x.shape, bool)
    np.testing.assert_array_equal((x <= token_array)[finite], (x <= threshold)[finite])


def test_worked_example_of_the_design() -> None:
    panel = Panel(
        ["C001"],
        ["6901028075018"],
        START,
        [[[6, 8, 0, 5, 0, 7, 4]]],
        [[[20, 12, 0, 25, 0, 18, 14]]],
    )
    m = panel.metrics()
    assert m.stockout_days.tolist() == [[2]]
    assert m.effective_days.tolist() == [[5]]
    assert m.projected_stockout_sales.tolist() == [[12.0]]
    assert m.fulfilment_ratio[0, 0] == pytest.approx(30 / 42)
    assert m.stock_to_sales_ratio[0, 0] == pytest.approx(14 / (30 / 7))
    assert m.closing_inventory.tolist() == [[14.0]]


def test_edge_rules_of_the_formulas() -> None:
    sales = np.array([[[0, 0, 0], [0, 0, 0], [3, 0, 0]]], dtype=np.float32)
    stock = np.array([[[0, 0, 0], [2, 2, 2], [1, 0, 0]]], dtype=np.float32)
    m = panel_of(sales, stock).metrics()
    # out every day: P and F cannot be estimated; no stock: cover 0
    assert np.isnan(m.projected_stockout_sales[0, 0])
    assert np.isnan(m.fulfilment_ratio[0, 0])
    assert m.stock_to_sales_ratio[0, 0] == 0.0
    # stock and no sales: nothing lost, F = 1, cover +inf
    assert m.fulfilment_ratio[0, 1] == 1.0
    assert m.stock_to_sales_ratio[0, 1] == np.inf
    # sold out after the first day: S = 2, P = 3 / 1 × 2
    assert m.projected_stockout_sales[0, 2] == 6.0
    with_fallback = panel_of(sales, stock).metrics(fallback_daily_rate=2.0)
    assert with_fallback.projected_stockout_sales[0, 0] == 6.0
    assert with_fallback.fulfilment_ratio[0, 0] == 0.0


def test_token_stock_counts_kept_packs_as_out() -> None:
    panel = panel_of([[[0, 0, 2]]], [[[1, 3, 1]]])
    assert panel.metrics().stockout_days.tolist() == [[0]]
    assert panel.metrics(token_stock=1).stockout_days.tolist() == [[1]]
    assert panel.metrics(token_stock=np.array([[[3]]])).stockout_days.tolist() == [[2]]


@pytest.mark.parametrize("n_days", [255, 256, 400])
def test_long_series_count_every_stockout_day(n_days: int) -> None:
    sales = np.zeros((2, 3, n_days), dtype=np.float32)
    sales[1, 2, :10] = 1
    stock = np.zeros_like(sales)
    m = panel_of(sales, stock).metrics()
    assert_same_metrics(m, tm.cycle_metrics(sales, stock))
    assert m.stockout_days[0, 0] == n_days
    assert m.stockout_days[1, 2] == n_days - 10


def test_large_whole_values_take_the_exact_path() -> None:
    """Whole values whose sums pass float32's exact range still sum like numpy's float64."""
    sales = np.full((2, 2, 30), 2**22 + 1, dtype=np.float32)
    sales[0, 0, 0] = 0.5
    stock = np.ones_like(sales)
    assert_same_metrics(panel_of(sales, stock).metrics(), tm.cycle_metrics(sales, stock))
    big = np.full((1, 1, 9), 2**61, dtype=np.int64)
    assert_same_metrics(panel_of(big, big).metrics(), tm.cycle_metrics(big, big))


def test_every_day_excluded_names_the_series() -> None:
    exclude = np.zeros((2, 2, 3), dtype=bool)
    exclude[1, 0] = True
    with pytest.raises(
        EmptyInputError, match=r"1 store × brand series, first \(store 'C001', brand 'B0'\)"
    ):
        panel_of(np.ones((2, 2, 3)), np.ones((2, 2, 3))).metrics(exclude=exclude)


def test_metric_options_are_checked() -> None:
    panel = panel_of(np.ones((2, 2, 3)), np.ones((2, 2, 3)))
    with pytest.raises(InvalidValueError, match="'token_stock' must be >= 0"):
        panel.metrics(token_stock=-1)
    with pytest.raises(ShapeMismatchError, match="'exclude' with shape"):
        panel.metrics(exclude=np.zeros(4, dtype=bool))
    with pytest.raises(TypeError, match="'exclude' must be a boolean mask"):
        panel.metrics(exclude=[0, 1, 0])
    with pytest.raises(ShapeMismatchError, match="'fallback_daily_rate'"):
        panel.metrics(fallback_daily_rate=np.ones(3))
    with pytest.raises(InvalidValueError, match="'workers' must be >= 1"):
        panel.metrics(workers=0)
    with pytest.raises(TypeError, match="'workers' must be an int"):
        panel.metrics(workers=1.5)  # type: ignore[arg-type]


def test_metrics_memory_stays_under_a_tenth_of_the_panel() -> None:
    """No temporary as large as the panel: outputs (48 bytes a series) plus small buffers."""
    rng = np.random.default_rng(7)
    shape = (400, 50, 90)
    panel = panel_of(
        rng.poisson(2.0, shape).astype(np.float32), rng.poisson(3.0, shape).astype(np.float32)
    )
    size = panel.sales.nbytes + panel.inventory.nbytes
    panel.metrics()  # the kernel's scratch, kept for reuse across calls, is not a temporary
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        metrics = panel.metrics()
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert metrics.actual_sales.shape == (400, 50)
    assert peak < 0.10 * size


# --------------------------------------------------------------------------- Panel


def test_panel_keeps_read_only_arrays_without_copying() -> None:
    sales = np.ones((2, 1, 3), dtype=np.float32)
    stock = np.ones((2, 1, 3), dtype=np.int32)
    sales.setflags(write=False)
    stock.setflags(write=False)
    panel = panel_of(sales, stock)
    assert np.shares_memory(panel.sales, sales)
    assert np.shares_memory(panel.inventory, stock)
    assert panel.sales.dtype == np.float32
    assert panel.inventory.dtype == np.int32
    with pytest.raises(ValueError, match="read-only"):
        panel.sales[0, 0, 0] = 2
    m = panel.metrics()
    with pytest.raises(ValueError, match="read-only"):
        m.actual_sales[0, 0] = 1


def test_panel_copies_arrays_the_caller_can_still_write_to() -> None:
    sales = np.ones((2, 1, 3), dtype=np.float32)
    stock = np.ones((2, 1, 3), dtype=np.int32)
    read_only_view = stock.view()
    read_only_view.setflags(write=False)
    panel = panel_of(sales, read_only_view)
    assert not np.shares_memory(panel.sales, sales)
    assert not np.shares_memory(panel.inventory, stock)
    assert sales.flags.writeable  # the caller's array is left alone
    sales[0, 0, 0] = 7  # a later write cannot change the checked panel
    assert float(panel.sales[0, 0, 0]) == 1.0
    assert panel.sales.dtype == np.float32
    assert not panel.sales.flags.writeable


def test_panel_describes_itself() -> None:
    panel = panel_of(np.zeros((2, 3, 10)), np.zeros((2, 3, 10)))
    assert panel.shape == (2, 3, 10)
    assert panel.n_days == 10
    assert panel.end == dt.date(2026, 3, 11)
    assert panel.dates[0] == START
    assert len(panel.dates) == 10
    assert repr(panel) == (
        "Panel(2 stores × 3 brands × 10 days, 2026-03-02 to 2026-03-11, "
        "sales float64, inventory float64)"
    )
    assert "2 stores × 3 brands" in repr(panel.metrics())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"sales": np.ones((2, 3))},
            ShapeMismatchError,
            r"'sales' must be shaped \(stores, brands, days\)",
        ),
        (
            {"inventory": np.ones((2, 1, 4))},
            ShapeMismatchError,
            "'sales' and 'inventory' must have the same shape",
        ),
        ({"stores": ["a"]}, ShapeMismatchError, "does not match 1 store and 1 brand labels"),
        (
            {"stores": ["a", "a"]},
            DuplicateEntryError,
            "'stores' must be unique: 'a' at positions 0 and 1",
        ),
        ({"brands": [["x"]]}, TypeError, "'brands' labels must be hashable"),
        ({"stores": "ab"}, TypeError, "got a string"),
        (
            {"sales": np.ones((2, 1, 0)), "inventory": np.ones((2, 1, 0))},
            EmptyInputError,
            "no days",
        ),
        ({"sales": np.ones((2, 1, 3), dtype=bool)}, TypeError, "'sales' must hold real numbers"),
        ({"start": "03/02/2026"}, InvalidValueError, "expected an ISO date"),
        ({"start": np.datetime64("2026-03-02T13:45")}, InvalidValueError, "a time of day"),
        ({"start": np.datetime64("2026-03")}, InvalidValueError, "a month, year or week"),
    ],
)
def test_panel_construction_errors(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    arguments: dict[str, Any] = {
        "stores": ["a", "b"],
        "brands": ["x"],
        "start": START,
        "sales": np.ones((2, 1, 3)),
        "inventory": np.ones((2, 1, 3)),
    }
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        Panel(**arguments)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (np.datetime64("2026-03-02T13:45"), "'start': .* a time of day"),
        (np.datetime64("2026-03", "M"), "'start': .* a month, year or week"),
    ],
)
def test_a_datetime64_start_that_is_not_a_day_is_refused(start: Any, message: str) -> None:
    """It used to be cut to its day (13:45 dropped, a month read as its 1st)."""
    sales = np.ones((1, 14))
    with pytest.raises(InvalidValueError, match=message):
        tm.lost_sales(sales, sales, method="censored", start=start)


def test_a_datetime64_at_midnight_is_its_day() -> None:
    """What a pandas date column's ``.values`` holds: nanoseconds at midnight."""
    at_midnight = np.datetime64("2026-03-02T00:00:00.000000000")
    assert Panel(["a"], ["x"], at_midnight, [[[1.0]]], [[[1.0]]]).start == START


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_panel_names_a_bad_value(dtype: Any) -> None:
    sales = np.ones((3, 2, 4), dtype=dtype)
    sales[2, 1, 3] = -2
    sales[1, 0, 0] = -1
    with pytest.raises(
        InvalidValueError,
        match=r"'sales' must be >= 0: -1(\.0)? at store 'C001', brand 'B0', 2026-03-02 "
        r"\(index \(1, 0, 0\)\) \(2 such values\)",
    ):
        panel_of(sales, np.ones((3, 2, 4)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_panel_names_a_non_finite_value(bad: float) -> None:
    stock = np.ones((2, 2, 3), dtype=np.float32)
    stock[1, 1, 2] = bad
    with pytest.raises(
        InvalidValueError,
        match=r"'inventory' must be finite: -?(nan|inf) at store 'C001', brand 'B1', 2026-03-04",
    ):
        panel_of(np.ones((2, 2, 3)), stock)


def test_panel_checks_strided_views_too() -> None:
    sales = np.ones((3, 2, 10))
    sales[2, 0, 9] = -1
    view = sales[:, :, ::2]
    assert_same_metrics(
        panel_of(view[:2], view[:2]).metrics(), tm.cycle_metrics(view[:2], view[:2])
    )
    with pytest.raises(InvalidValueError, match=r"index \(2, 0, 4\)"):
        panel_of(sales[:, :, 1::2], sales[:, :, 1::2])


def test_empty_store_axis_gives_empty_metrics() -> None:
    panel = Panel([], ["x"], START, np.ones((0, 1, 3)), np.ones((0, 1, 3)))
    m = panel.metrics()
    assert m.actual_sales.shape == (0, 1)
    assert m.to_records() == []


def test_day_mask_marks_the_given_dates() -> None:
    panel = panel_of(np.ones((1, 1, 5)), np.ones((1, 1, 5)))
    mask = panel.day_mask(
        ["2026-03-03", dt.date(2026, 3, 6), np.datetime64("2026-03-01"), "2027-01-01"]
    )
    assert mask.tolist() == [False, True, False, False, True]
    with pytest.raises(TypeError, match="collection of dates"):
        panel.day_mask("2026-03-03")
    m = panel.metrics(exclude=mask)
    assert m.days.tolist() == [[3]]


def test_dict_round_trip() -> None:
    panel = panel_of(np.arange(12.0).reshape(2, 2, 3), np.ones((2, 2, 3)))
    again = Panel.from_dict(panel.to_dict())
    assert (again.stores, again.brands, again.start) == (panel.stores, panel.brands, panel.start)
    np.testing.assert_array_equal(again.sales, panel.sales)
    with pytest.raises(InvalidValueError, match="unknown field"):
        Panel.from_dict({**panel.to_dict(), "colour": "red"})


# --------------------------------------------------------------------------- cycles


def test_cycles_split_the_days_into_views() -> None:
    rng = np.random.default_rng(1)
    sales = rng.poisson(1, (3, 2, 16)).astype(np.float32)
    stock = rng.poisson(1, (3, 2, 16)).astype(np.float32)
    panel = panel_of(sales, stock)
    kept = panel.cycles(7, partial="keep")
    assert [(c.start, c.n_days) for c in kept] == [
        (START, 7),
        (dt.date(2026, 3, 9), 7),
        (dt.date(2026, 3, 16), 2),
    ]
    assert all(np.shares_memory(c.sales, panel.sales) for c in kept)
    assert [c.n_days for c in panel.cycles(7, partial="drop")] == [7, 7]
    assert [c.n_days for c in panel.cycles(8)] == [8, 8]
    for cycle, d0 in zip(kept, (0, 7, 14), strict=True):
        days = slice(d0, d0 + 7)
        expected = tm.cycle_metrics(sales[..., days], stock[..., days], token_stock=1)
        m = cycle.metrics(token_stock=1)
        assert_same_metrics(m, expected)
        assert (m.start, m.end) == (cycle.start, cycle.end)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (
            (7,),
            {},
            InvalidValueError,
            "does not divide the panel's 16 days: the last cycle would have 2 days",
        ),
        ((0,), {}, InvalidValueError, "'cycle_days' must be >= 1"),
        ((7.0,), {}, TypeError, "'cycle_days' must be an int"),
        ((7,), {"partial": "round"}, InvalidValueError, "'partial' must be"),
    ],
)
def test_cycles_errors(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    panel = panel_of(np.ones((1, 1, 16)), np.ones((1, 1, 16)))
    with pytest.raises(error, match=match):
        panel.cycles(*args, **kwargs)


# --------------------------------------------------------------------------- from_long


@st.composite
def long_tables(draw: st.DrawFn) -> tuple[Panel, dict[str, Any]]:
    n_stores = draw(st.integers(1, 4))
    n_brands = draw(st.integers(1, 3))
    n_days = draw(st.integers(1, 9))
    label = draw(st.sampled_from(["str", "int", "tuple"]))
    labels: dict[str, list[Any]] = {
        "str": [f"C{i:02d}" for i in range(n_stores)],
        "int": [1000 + 7 * i for i in range(n_stores)],
        "tuple": [("district", i) for i in range(n_stores)],
    }
    stores = labels[label]
    brands = [f"69010{j}" for j in range(n_brands)]
    dtype = draw(st.sampled_from([np.float32, np.int32, np.float64]))
    shape = (n_stores, n_brands, n_days)
    sales = draw(hnp.arrays(dtype, shape, elements=st.integers(0, 9)))
    stock = draw(hnp.arrays(dtype, shape, elements=st.integers(0, 9)))
    panel = Panel(stores, brands, START, sales, stock)
    long = panel.to_long()
    order = np.asarray(draw(st.permutations(range(len(long["sales"])))), dtype=np.int64)
    columns: dict[str, Any] = {name: column[order] for name, column in long.items()}
    kind = draw(st.sampled_from(["numpy", "list", "iso", "pandas", "datetime64ns"]))
    if kind == "list":
        columns = {name: column.tolist() for name, column in columns.items()}
    elif kind == "iso":
        columns["date"] = [day.isoformat() for day in columns["date"].tolist()]
    elif kind == "pandas":
        frame = pd.DataFrame({name: list(column) for name, column in columns.items()})
        frame["date"] = pd.to_datetime(frame["date"])
        frame["sales"] = frame["sales"].astype(dtype)
        frame["inventory"] = frame["inventory"].astype(dtype)
        columns = {name: frame[name] for name in frame.columns}
    elif kind == "datetime64ns":
        columns["date"] = columns["date"].astype("datetime64[ns]")
    return panel, columns


@given(long_tables())
def test_from_long_round_trips(case: tuple[Panel, dict[str, Any]]) -> None:
    panel, columns = case
    again = Panel.from_long(**columns)
    if isinstance(columns["sales"], list):  # Python numbers: the dtype is numpy's choice
        panel = Panel(
            panel.stores,
            panel.brands,
            panel.start,
            panel.sales.astype(again.sales.dtype),
            panel.inventory.astype(again.inventory.dtype),
        )
    assert again.stores == panel.stores
    assert again.brands == panel.brands
    assert again.start == panel.start
    np.testing.assert_array_equal(again.sales, panel.sales)
    np.testing.assert_array_equal(again.inventory, panel.inventory)
    assert again.sales.dtype == panel.sales.dtype
    assert_same_metrics(again.metrics(), tm.cycle_metrics(panel.sales, panel.inventory))


def long_columns(**changes: Any) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "store": ["C1", "C1", "C2", "C2", "C1", "C2"],
        "brand": ["B"] * 6,
        "date": [
            "2026-03-02",
            "2026-03-03",
            "2026-03-02",
            "2026-03-03",
            "2026-03-04",
            "2026-03-04",
        ],
        "sales": [3, 0, 1, 2, 1, 0],
        "inventory": [5, 0, 4, 2, 6, 2],
    }
    columns.update(changes)
    return columns


def test_from_long_sorts_labels_and_dates() -> None:
    panel = Panel.from_long(**long_columns())
    assert panel.stores == ("C1", "C2")
    assert panel.brands == ("B",)
    assert panel.start == START
    assert panel.n_days == 3
    assert panel.sales.tolist() == [[[3, 0, 1]], [[1, 2, 0]]]


def test_from_long_keeps_first_appearance_for_unorderable_labels() -> None:
    panel = Panel.from_long(**long_columns(store=["b", "b", 1, 1, "b", 1]))
    assert panel.stores == ("b", 1)


def test_from_long_names_the_first_duplicates() -> None:
    columns = long_columns()
    columns = {name: [*values, values[2], values[0]] for name, values in columns.items()}
    with pytest.raises(
        DuplicateEntryError,
        match=r"2 keys occur more than once \(2 extra rows\); first \(store 'C2', brand 'B', "
        r"2026-03-02\) at row 2 and row 6; \(store 'C1', brand 'B', 2026-03-02\) at row 0 "
        r"and row 7",
    ):
        Panel.from_long(**columns)


def test_from_long_counts_and_names_missing_cells() -> None:
    columns = {name: values[:4] for name, values in long_columns().items()}
    columns = {name: [*values, long_columns()[name][5]] for name, values in columns.items()}
    with pytest.raises(
        MissingDataError,
        match=r"1 of 6 \(store, brand, date\) cells have no row, e.g. \(store 'C1', brand 'B', "
        r"2026-03-04\): pass missing='no_movement'",
    ):
        Panel.from_long(**columns)


def test_from_long_reports_a_far_away_date_without_allocating_it() -> None:
    columns = long_columns(
        date=["2026-03-02", "2026-03-03", "2026-03-02", "2026-03-03", "2026-03-04", "9999-12-31"]
    )
    with pytest.raises(MissingDataError, match="the dates run from 2026-03-02 to 9999-12-31"):
        Panel.from_long(**columns)


def test_from_long_no_movement_carries_the_stock() -> None:
    columns = long_columns(
        store=["C1", "C1", "C2", "C2"],
        brand=["B"] * 4,
        date=["2026-03-02", "2026-03-05", "2026-03-02", "2026-03-03"],
        sales=[3, 1, 1, 2],
        inventory=[5, 9, 4, 2],
    )
    with pytest.raises(MissingDataError, match="4 of 8"):
        Panel.from_long(**columns)
    panel = Panel.from_long(**columns, missing="no_movement")
    assert panel.sales.tolist() == [[[3, 0, 0, 1]], [[1, 2, 0, 0]]]
    assert panel.inventory.tolist() == [[[5, 5, 5, 9]], [[4, 2, 2, 2]]]


def test_from_long_no_movement_needs_the_first_day() -> None:
    columns = long_columns(
        store=["C1", "C1", "C2"],
        brand=["B"] * 3,
        date=["2026-03-02", "2026-03-03", "2026-03-03"],
        sales=[1, 1, 1],
        inventory=[1, 1, 1],
    )
    with pytest.raises(
        MissingDataError,
        match=r"1 store × brand series have no row on the panel's first day 2026-03-02, "
        r"e.g. \(store 'C2', brand 'B'\)",
    ):
        Panel.from_long(**columns, missing="no_movement")


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        (
            {"sales": [3, 0, -1, 2, 1, 0]},
            InvalidValueError,
            r"'sales' must be >= 0: -1 at row 2 \(store 'C2', brand 'B', 2026-03-02\)",
        ),
        (
            {"inventory": [5, 0, 4, float("nan"), 6, 2]},
            InvalidValueError,
            r"'inventory' must be finite: nan at row 3",
        ),
        (
            {"sales": [3, 0, 1, 2, float("inf"), 0]},
            InvalidValueError,
            r"'sales' must be finite: inf at row 4",
        ),
        ({"sales": [3, 0, 1, 2, 1, "x"]}, TypeError, "'sales' must hold real numbers"),
        (
            {
                "date": [
                    "2026-03-02",
                    "2026-3-3",
                    "2026-03-02",
                    "2026-03-03",
                    "2026-03-04",
                    "2026-03-04",
                ]
            },
            InvalidValueError,
            r"'2026-3-3' at row 1 is not an ISO date",
        ),
        (
            {
                "date": [
                    "2026-03-02",
                    "2026-03-03",
                    "2026-02-30",
                    "2026-03-03",
                    "2026-03-04",
                    "2026-03-04",
                ]
            },
            InvalidValueError,
            r"'2026-02-30' at row 2 is day is out of range",
        ),
        (
            {
                "date": [
                    "2026-03-02",
                    "2026-03-03",
                    "2026-03-02",
                    "2026-03-03T08:00",
                    "2026-03-04",
                    "2026-03-04",
                ]
            },
            InvalidValueError,
            r"at row 3 is not an ISO date",
        ),
        (
            {
                "date": np.array(
                    [
                        "2026-03-02",
                        "2026-03-03",
                        "2026-03-02",
                        "2026-03-03T08",
                        "2026-03-04",
                        "2026-03-04",
                    ],
                    dtype="datetime64[h]",
                )
            },
            InvalidValueError,
            r"at row 3 is a date and time",
        ),
        (
            {
                "date": np.array(
                    ["2026-03-02", "NaT", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-04"],
                    dtype="datetime64[D]",
                )
            },
            InvalidValueError,
            r"at row 1 is missing \(NaT\)",
        ),
        (
            {"date": [START, None, START, START, START, START]},
            InvalidValueError,
            r"None at row 1 is a missing date",
        ),
        (
            {"date": [START, dt.datetime(2026, 3, 2, 9), START, START, START, START]},
            InvalidValueError,
            r"at row 1 is a date and time",
        ),
        ({"date": [1, 2, 3, 4, 5, 6]}, TypeError, "'date' must hold dates or ISO strings"),
        (
            {"date": np.array(["2026-03-02"] * 5 + ["10000-01-01"], dtype="datetime64[D]")},
            InvalidValueError,
            "at row 5 is outside the years 1 to 9999",
        ),
        ({"date": [START, 3.5, START, START, START, START]}, TypeError, r"3.5 \(float\) at row 1"),
        ({"date": np.array(["2026-03"] * 6, dtype="datetime64[M]")}, TypeError, r"datetime64\[M\]"),
        (
            {"store": ["C1", None, "C2", "C2", "C1", "C2"]},
            MissingDataError,
            r"'store' is missing \(None\) at row 1",
        ),
        (
            {"store": ["C1", float("nan"), "C2", "C2", "C1", "C2"]},
            MissingDataError,
            r"'store' is missing \(nan\) at row 1",
        ),
        (
            {"brand": pd.Series(["B", "B", None, "B", "B", "B"])},
            MissingDataError,
            "'brand' is missing at row 2",
        ),
        (
            {"brand": np.array([1.0, 1.0, np.nan, 1.0, 1.0, 1.0])},
            MissingDataError,
            "'brand' is missing",
        ),
        (
            {"store": [["C1"], ["C1"], ["C2"], ["C2"], ["C1"], ["C2"]]},
            TypeError,
            r"'store' labels must be hashable: \['C1'\] at row 0",
        ),
        (
            {"store": ["C1"]},
            ShapeMismatchError,
            "the columns must have the same length: 'store' 1, 'brand' 6",
        ),
        (
            {"store": np.ones((6, 1))},
            ShapeMismatchError,
            r"'store' must be a column \(one value a row\), got shape \(6, 1\)",
        ),
        (
            {"inventory": float("nan")},
            ShapeMismatchError,
            "'inventory' must be a column .* a scalar",
        ),
        ({"sales": np.array(7.0)}, ShapeMismatchError, "got a scalar"),
        ({"sales": [[1, 2], [3], [4], [5], [6], [7]]}, ShapeMismatchError, "holds sequences"),
        ({"sales": [[1]] * 6}, ShapeMismatchError, "holds sequences"),
        ({"brand": None}, TypeError, "'brand' must be a column .* got NoneType"),
        ({"store": pd.DataFrame({"a": [1] * 6})}, ShapeMismatchError, "'store' must be one column"),
        ({"store": "C1C1C1"}, TypeError, "'store' must be a column"),
        ({"missing": "zero"}, InvalidValueError, "'missing' must be 'error' or 'no_movement'"),
    ],
)
def test_from_long_errors(changes: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Panel.from_long(**long_columns(**changes))


def test_from_long_refuses_an_empty_table_and_aware_timestamps() -> None:
    with pytest.raises(EmptyInputError, match="no rows"):
        Panel.from_long([], [], [], [], [])
    aware = pd.Series(pd.to_datetime(long_columns()["date"])).dt.tz_localize("Asia/Shanghai")
    with pytest.raises(TypeError, match="timezone-aware"):
        Panel.from_long(**long_columns(date=aware))


def test_from_long_accepts_pandas_nullable_and_categorical_columns() -> None:
    frame = pd.DataFrame(long_columns())
    frame["store"] = frame["store"].astype("category")
    frame["sales"] = frame["sales"].astype("Int64")
    frame["date"] = pd.to_datetime(frame["date"])
    panel = Panel.from_long(
        frame["store"], frame["brand"], frame["date"], frame["sales"], frame["inventory"]
    )
    assert panel.stores == ("C1", "C2")
    assert panel.sales.tolist() == [[[3, 0, 1]], [[1, 2, 0]]]
    frame.loc[3, "sales"] = pd.NA
    with pytest.raises(InvalidValueError, match="'sales' must be finite: nan at row 3"):
        Panel.from_long(
            frame["store"], frame["brand"], frame["date"], frame["sales"], frame["inventory"]
        )


def test_from_long_copies_the_columns() -> None:
    sales = np.array([1.0, 2.0])
    panel = Panel.from_long(["a", "a"], ["b", "b"], ["2026-03-02", "2026-03-03"], sales, sales)
    assert not np.shares_memory(panel.sales, sales)
    assert not panel.sales.flags.writeable


# --------------------------------------------------------------------------- results


def metrics_of_three_stores() -> PanelMetrics:
    sales = np.array(
        [
            [[3, 0, 0], [10, 10, 10]],
            [[0, 0, 0], [1, 1, 0]],
            [[2, 2, 2], [0, 0, 0]],
        ],
        dtype=np.float32,
    )
    stock = np.array(
        [
            [[0, 0, 0], [5, 5, 5]],
            [[0, 0, 0], [2, 1, 1]],
            [[9, 7, 5], [4, 4, 4]],
        ],
        dtype=np.float32,
    )
    return panel_of(sales, stock).metrics()


def test_to_records_gives_one_plain_dict_per_series() -> None:
    m = metrics_of_three_stores()
    records = m.to_records()
    assert len(records) == 6
    assert list(records[0]) == ["store", "brand", "start", "end", *FIELDS]
    assert records[1] == {
        "store": "C000",
        "brand": "B1",
        "start": "2026-03-02",
        "end": "2026-03-04",
        "days": 3,
        "stockout_days": 0,
        "effective_days": 3,
        "actual_sales": 30.0,
        "projected_stockout_sales": 0.0,
        "fulfilment_ratio": 1.0,
        "stock_to_sales_ratio": 0.5,
        "closing_inventory": 5.0,
        "average_daily_sales": 10.0,
    }
    assert [(r["store"], r["brand"]) for r in records][2:4] == [("C001", "B0"), ("C001", "B1")]
    assert all(type(value) in (str, int, float) for value in records[2].values())
    assert np.isnan(records[2]["fulfilment_ratio"])


def test_to_frame_is_indexed_by_store_and_brand() -> None:
    m = metrics_of_three_stores()
    frame = m.to_frame()
    assert frame.index.names == ["store", "brand"]
    assert list(frame.columns) == list(FIELDS)
    assert frame.loc[("C000", "B1"), "actual_sales"] == 30.0
    assert frame["stockout_days"].dtype == np.int64
    assert frame.attrs == {"start": START, "end": dt.date(2026, 3, 4)}
    np.testing.assert_array_equal(frame["fulfilment_ratio"].to_numpy(), m.fulfilment_ratio.ravel())


def test_pooled_per_store_and_brand_is_sum_over_sum() -> None:
    m = metrics_of_three_stores()
    stores = m.by_store()
    assert isinstance(stores, PooledMetrics)
    assert stores.by == "store"
    assert stores.labels == ("C000", "C001", "C002")
    # C000: A = 3 + 30, P = 3 / 1 × 2 + 0: F = 33 / 39, not the mean of 0.5 and 1.0
    assert stores.fulfilment_ratio[0] == pytest.approx(33 / 39)
    assert stores.actual_sales.tolist() == [33.0, 2.0, 6.0]
    assert stores.stockout_days.tolist() == [2, 3, 0]
    assert stores.days.tolist() == [6, 6, 6]
    assert stores.effective_days.tolist() == [4, 3, 6]
    # C001 has a series out every day: its P is NaN, so its pooled F is unknown
    assert np.isnan(stores.fulfilment_ratio[1])
    np.testing.assert_array_equal(
        stores.fulfilment_ratio,
        tm.pooled_fulfilment_ratio(m.actual_sales, m.projected_stockout_sales, axis=1),
    )
    brands = m.by_brand()
    assert brands.labels == ("B0", "B1")
    assert brands.by == "brand"
    np.testing.assert_array_equal(
        brands.fulfilment_ratio,
        tm.pooled_fulfilment_ratio(m.actual_sales, m.projected_stockout_sales, axis=0),
    )
    np.testing.assert_array_equal(
        brands.stock_to_sales_ratio,
        tm.stock_to_sales_ratio(m.closing_inventory.sum(axis=0), m.average_daily_sales.sum(axis=0)),
    )
    assert np.isnan(m.pooled_fulfilment_ratio())  # one loss cannot be estimated
    assert m.pooled_fulfilment_ratio(axis=1)[0] == pytest.approx(33 / 39)
    records = stores.to_records()
    assert records[0]["store"] == "C000"
    assert records[0]["start"] == "2026-03-02"
    frame = brands.to_frame()
    assert frame.index.name == "brand"
    assert frame.loc["B1", "actual_sales"] == 32.0
    assert "by brand" in repr(brands)


def test_pooled_with_a_fallback_rate_is_estimable() -> None:
    sales = np.array([[[0, 0], [4, 0]]], dtype=np.int32)
    stock = np.zeros((1, 2, 2), dtype=np.int32)
    m = panel_of(sales, stock).metrics(fallback_daily_rate=1.0)
    assert m.by_store().fulfilment_ratio.tolist() == [4 / (4 + 2 + 4)]


def test_to_frame_with_tuple_labels() -> None:
    panel = Panel([("d", 1), ("d", 2)], ["x"], START, np.ones((2, 1, 2)), np.ones((2, 1, 2)))
    frame = panel.metrics().to_frame()
    assert frame.index[0] == (("d", 1), "x")


# --------------------------------------------------------------------------- imports


def test_core_import_needs_neither_pandas_nor_dask() -> None:
    code = (
        "import sys, tobacco_metrics\n"
        "assert 'pandas' not in sys.modules, 'pandas'\n"
        "assert 'dask' not in sys.modules, 'dask'\n"
        "assert 'Panel' in tobacco_metrics.__all__ and 'PanelMetrics' in tobacco_metrics.__all__\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- one field list


def test_every_result_class_has_the_one_field_list() -> None:
    import attrs

    from tobacco_metrics import _cycle
    from tobacco_metrics.dask import DaskCycleMetrics

    for cls in (tm.CycleMetrics, PanelMetrics, PooledMetrics, DaskCycleMetrics):
        metric_fields = [f.name for f in attrs.fields(cls) if f.name in _cycle.FIELDS]
        assert tuple(metric_fields) == _cycle.FIELDS == FIELDS, cls
    assert (
        tuple(name for name in FIELDS if name not in ("effective_days", "average_daily_sales"))
        == _cycle.KERNEL_FIELDS
    )


# --------------------------------------------------------------------------- read-only copies


def writeable_arrays(value: Any) -> list[str]:
    import attrs

    return [
        field.name
        for field in attrs.fields(type(value))
        if isinstance(getattr(value, field.name), np.ndarray)
        and getattr(value, field.name).flags.writeable
    ]


def copies(value: Any) -> list[Any]:
    import copy
    import pickle

    return [pickle.loads(pickle.dumps(value)), copy.deepcopy(value), copy.copy(value)]


def test_arrays_stay_read_only_in_every_copy() -> None:
    panel = panel_of(np.arange(12.0).reshape(2, 1, 6), np.ones((2, 1, 6)))
    metrics = panel.metrics()
    for value in (panel, metrics, metrics.by_store(), metrics.to_cycle_metrics()):
        assert writeable_arrays(value) == []
        for copied in copies(value):
            assert type(copied) is type(value)
            assert writeable_arrays(copied) == [], type(value).__name__
    for copied in copies(panel):
        np.testing.assert_array_equal(copied.sales, panel.sales, strict=True)
        assert copied.stores == panel.stores
        assert copied.start == panel.start
    for copied in copies(metrics):
        assert_same_metrics(copied, metrics.to_cycle_metrics())
    for cycle in panel.cycles(3):
        assert writeable_arrays(cycle) == []
        assert np.shares_memory(cycle.sales, panel.sales)  # a slice, not a copy


def test_a_read_only_view_of_a_writeable_base_is_copied() -> None:
    base = np.ones((1, 1, 3))
    view = base.view()
    view.flags.writeable = False
    panel = Panel(["C1"], ["B"], START, view, view)
    result = tm.CycleMetrics(*(view[0, 0] for _ in FIELDS))
    base[0, 0, 0] = 99.0  # the caller can still write through the base
    assert panel.sales[0, 0, 0] == 1.0
    assert result.days[0] == 1.0
    frozen = np.ones((1, 1, 3))
    frozen.flags.writeable = False
    assert np.shares_memory(Panel(["C1"], ["B"], START, frozen, frozen).sales, frozen)


def test_the_checked_path_skips_the_scan_and_the_constructor_does_not() -> None:
    with pytest.raises(InvalidValueError, match="'sales' must be >= 0"):
        Panel(["C1"], ["B"], START, [[[-1.0]]], [[[0.0]]])
    from tobacco_metrics.panel import _panel

    with (
        mock.patch.object(_panel, "scan_checks", side_effect=AssertionError("scanned")),
        pytest.raises(AssertionError, match="scanned"),
    ):
        panel_of(np.ones((2, 1, 4)), np.ones((2, 1, 4)))
    panel = panel_of(np.ones((2, 1, 4)), np.ones((2, 1, 4)))
    with mock.patch.object(_panel, "scan_checks", side_effect=AssertionError("scanned")):
        assert len(panel.cycles(2)) == 2  # slices of checked values are not scanned again


# --------------------------------------------------------------------------- overflow


@pytest.mark.parametrize(
    ("sales", "inventory"),
    [
        ([[[1e308, 1e308, 0.5]]], [[[5.0, 5.0, 5.0]]]),  # Σ sales past float64
        ([[[1e-320, 0.0, 0.0]]], [[[5.0, 5.0, 5.0]]]),  # a subnormal daily rate: cover past it
        ([[[1e308, 0.0, 0.0, 0.0]]], [[[0.0, 0.0, 0.0, 0.0]]]),  # P = A / E × S past it
    ],
)
@pytest.mark.parametrize("workers", [1, 2])
def test_overflow_is_the_same_error_on_every_path(sales: Any, inventory: Any, workers: int) -> None:
    match = "too large to compute with in float64"
    with pytest.raises(InvalidValueError, match=match):
        tm.cycle_metrics(sales, inventory)
    with pytest.raises(InvalidValueError, match=match):
        panel_of(sales, inventory).metrics(workers=workers)


def test_pooled_overflow_is_an_error() -> None:
    panel = panel_of(np.full((2, 2, 2), 0.5e308), np.ones((2, 2, 2)))
    metrics = panel.metrics()  # each series is fine
    for call in (metrics.by_store, metrics.by_brand, metrics.pooled_fulfilment_ratio):
        with pytest.raises(InvalidValueError, match="too large to compute with in float64"):
            call()


# --------------------------------------------------------------------------- not carried


def not_carried_columns() -> dict[str, Any]:
    """C1 carries B1 and B2; C2 carries only B1 (no row at all for C2 × B2)."""
    rows = [
        ("C1", "B1", "2026-03-02", 2, 5),
        ("C1", "B1", "2026-03-03", 0, 0),
        ("C1", "B2", "2026-03-02", 1, 1),
        ("C1", "B2", "2026-03-03", 1, 0),
        ("C2", "B1", "2026-03-02", 4, 3),
        ("C2", "B1", "2026-03-03", 4, 2),
    ]
    names = ("store", "brand", "date", "sales", "inventory")
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


@pytest.mark.parametrize("missing", ["error", "no_movement"])
def test_a_series_without_rows_is_not_carried(missing: Any) -> None:
    panel = Panel.from_long(**not_carried_columns(), missing=missing)
    assert panel.carried.tolist() == [[True, True], [True, False]]
    assert not panel.carried.flags.writeable
    metrics = panel.metrics()
    assert metrics.carried.tolist() == [[True, True], [True, False]]
    for name in ("actual_sales", "projected_stockout_sales", "fulfilment_ratio"):
        assert np.isnan(getattr(metrics, name)[1, 1]), name
    assert metrics.days[1, 1] == 0
    assert metrics.stockout_days[1, 1] == 0
    # left out of every pooled figure: C2 pools B1 alone, B2 pools C1 alone
    by_store = metrics.by_store()
    assert by_store.days.tolist() == [4, 2]
    assert by_store.stockout_days.tolist() == [1, 0]
    assert by_store.actual_sales.tolist() == [4.0, 8.0]
    assert by_store.fulfilment_ratio.tolist() == [4 / 6, 1.0]  # C1: A 4, P 2 (B1: 2 / 1 × 1)
    by_brand = metrics.by_brand()
    assert by_brand.actual_sales.tolist() == [10.0, 2.0]
    assert by_brand.days.tolist() == [4, 2]
    assert float(metrics.pooled_fulfilment_ratio()) == 12 / 14
    assert metrics.pooled_fulfilment_ratio(axis=1).tolist() == [4 / 6, 1.0]
    frame = metrics.to_frame()
    assert list(frame.index) == [("C1", "B1"), ("C1", "B2"), ("C2", "B1")]
    assert [(r["store"], r["brand"]) for r in metrics.to_records()] == list(frame.index)
    # the carried mask follows the slices
    assert all(cycle.carried.tolist() == panel.carried.tolist() for cycle in panel.cycles(1))


def test_the_carried_mask_is_checked() -> None:
    with pytest.raises(ShapeMismatchError, match="'carried' must be shaped"):
        Panel(["C1"], ["B"], START, [[[1]]], [[[1]]], carried=[True, False])
    with pytest.raises(TypeError, match="'carried' must be a boolean mask"):
        Panel(["C1"], ["B"], START, [[[1]]], [[[1]]], carried=[[1]])
    panel = Panel(["C1"], ["B"], START, [[[1]]], [[[1]]])
    assert panel.carried.tolist() == [[True]]
    assert not panel.carried.flags.writeable


def test_holes_inside_a_carried_series_keep_their_meaning() -> None:
    columns = not_carried_columns()
    for name in columns:  # drop C2 × B1 on 2026-03-03: a hole in a carried series
        del columns[name][5]
    with pytest.raises(MissingDataError, match=r"1 of 6 \(store, brand, date\) cells have no row"):
        Panel.from_long(**columns)
    panel = Panel.from_long(**columns, missing="no_movement")
    assert panel.inventory[1, 0].tolist() == [3, 3]
    assert panel.carried.tolist() == [[True, True], [True, False]]


# --------------------------------------------------------------------------- density guard


@pytest.mark.parametrize("missing", ["error", "no_movement"])
def test_a_mistyped_year_is_named_before_allocating(missing: Any) -> None:
    n = 2000
    columns = {
        "store": [f"C{i}" for i in range(n)],
        "brand": ["B"] * n,
        "date": ["2026-03-02"] * (n - 1) + ["2126-03-02"],
        "sales": [1] * n,
        "inventory": [1] * n,
    }
    with pytest.raises(
        MissingDataError,
        match=r"no date between 2026-03-02 and 2126-03-02: is 2126-03-02 at row 1999 mistyped",
    ):
        Panel.from_long(**columns, missing=missing)


@pytest.mark.parametrize("missing", ["error", "no_movement"])
def test_a_mistyped_year_in_a_small_table_is_refused_as_by_from_frame(missing: Any) -> None:
    # 60 days of one series, one date typed 2126: a 36,530-day panel was built (and with
    # "no_movement" its stock carried over a century), while from_frame refused the date.
    dates = [(dt.date(2026, 3, 2) + dt.timedelta(days=d)).isoformat() for d in range(60)]
    dates[5] = "2126-03-07"
    columns = {
        "store": ["C1"] * 60,
        "brand": ["B"] * 60,
        "date": dates,
        "sales": [1] * 60,
        "inventory": [5] * 60,
    }
    with pytest.raises(MissingDataError, match=r"is 2126-03-07 at row 5 mistyped"):
        Panel.from_long(**columns, missing=missing)
    pd = pytest.importorskip("pandas")
    with pytest.raises(InvalidValueError, match="2126-03-07 looks mistyped"):
        Panel.from_frame(pd.DataFrame(columns), missing=missing)


@pytest.mark.parametrize("missing", ["error", "no_movement"])
def test_a_sparse_store_brand_product_is_refused_with_its_density(missing: Any) -> None:
    n = 3000  # 3000 stores × 3000 brands × 1 day, 3000 rows: a density of 0.03 %
    columns = {
        "store": [f"C{i}" for i in range(n)],
        "brand": [f"B{i}" for i in range(n)],
        "date": ["2026-03-02"] * n,
        "sales": [1] * n,
        "inventory": [1] * n,
    }
    with pytest.raises(
        MissingDataError,
        match=r"too sparse for a dense panel: 3000 rows for 3000 stores × 3000 brands × 1 days "
        r"= 9000000 cells \(a density of 0.03%",
    ):
        Panel.from_long(**columns, missing=missing)


def test_a_district_carrying_a_tenth_of_the_brands_is_read_by_every_long_table_path() -> None:
    # 220 stores × 300 brands × 30 days, each store carrying 30 brands: 198,000 rows for
    # 1,980,000 cells (density 1/10).  from_frame and the CLI refused it as "too sparse"
    # (their own rule: over 4 cells a row + 2**20) while from_long read it; one rule now.
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(5)
    n_stores, n_days = 220, 30
    brands = np.concatenate([rng.choice(300, 30, replace=False) for _ in range(n_stores)])
    store = np.repeat(np.arange(n_stores), 30 * n_days)
    brand = np.repeat(brands, n_days)
    day = np.tile(np.arange(n_days), n_stores * 30)
    frame = pd.DataFrame(
        {
            "store": [f"C{i:03d}" for i in store],
            "brand": [f"B{i:03d}" for i in brand],
            "date": pd.Timestamp("2026-03-02") + pd.to_timedelta(day, unit="D"),
            "sales": rng.poisson(2, store.size),
            "inventory": rng.poisson(5, store.size),
        }
    )
    from_frame = Panel.from_frame(frame)
    from_long = Panel.from_long(*(frame[name].to_numpy() for name in frame.columns))
    assert from_frame.shape == from_long.shape == (220, 300, 30)
    assert int(np.count_nonzero(from_frame.carried)) == 220 * 30
    np.testing.assert_array_equal(from_frame.sales, from_long.sales)
    np.testing.assert_array_equal(from_frame.carried, from_long.carried)


def test_workers_auto_uses_one_kept_pool_above_the_threshold() -> None:
    rng = np.random.default_rng(3)
    sales = rng.integers(0, 3, size=(40, 3, 14)).astype(np.float32)
    panel = panel_of(sales, rng.integers(0, 2, size=sales.shape))
    expected = panel.metrics(workers=1).to_cycle_metrics()
    with small_chunks(64, 256):
        assert_same_metrics(panel.metrics(), expected)  # below the threshold: one thread
        with mock.patch.object(kernel_module, "AUTO_CELLS", 1):
            assert kernel_module._check_workers("auto", sales.size) >= 1
            assert_same_metrics(panel.metrics(workers="auto"), expected)
            assert_same_metrics(panel.metrics(workers=2), expected)
            pool = kernel_module._POOL
            assert pool is not None
            assert_same_metrics(panel.metrics(workers=2), expected)
            assert kernel_module._POOL is pool  # kept, not made per call
    with pytest.raises(TypeError, match="'workers' must be an int or 'auto'"):
        panel.metrics(workers="all")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- metrics by cycle


@given(daily_panels(), st.integers(1, 5), st.sampled_from(["keep", "drop"]))
def test_metrics_by_cycle_is_the_cycles_metrics_stacked(
    case: dict[str, Any], cycle_days: int, partial: Any
) -> None:
    panel = panel_of(case["sales"], case["inventory"])
    try:
        cycles = panel.cycles(cycle_days, partial=partial)
    except InvalidValueError:
        return
    token, exclude = case["token_stock"], case["exclude"]
    expected = []
    first = 0
    for cycle in cycles:
        days = slice(first, first + cycle.n_days)

        def of(option: Any, days: slice = days) -> Any:
            array = np.asarray(option)
            per_day = array.ndim and array.shape[-1] == panel.n_days and panel.n_days != 1
            return array[..., days] if per_day else array

        try:
            expected.append(
                cycle.metrics(
                    token_stock=of(token),
                    exclude=None if exclude is None else of(exclude),
                    fallback_daily_rate=case["fallback_daily_rate"],
                )
            )
        except tm.EmptyInputError:
            with pytest.raises(tm.EmptyInputError):
                panel.metrics_by_cycle(cycle_days, partial=partial, **options(case))
            return
        first += cycle.n_days
    got = panel.metrics_by_cycle(cycle_days, partial=partial, **options(case))
    assert got.starts == tuple(cycle.start for cycle in cycles)  # () when no cycle is whole
    assert got.days.shape == (len(cycles), *panel.shape[:2])
    assert got.ends == tuple(cycle.end for cycle in cycles)
    for c, metrics in enumerate(expected):
        for name in FIELDS:
            np.testing.assert_array_equal(
                getattr(got, name)[c], getattr(metrics, name), err_msg=name, strict=True
            )


def test_metrics_by_cycle_frame_and_not_carried_series() -> None:
    columns = not_carried_columns()
    panel = Panel.from_long(**columns)
    weekly = panel.metrics_by_cycle(1)
    assert weekly.stockout_days.shape == (2, 2, 2)
    assert writeable_arrays(weekly) == []
    frame = weekly.to_frame()
    assert frame.index.names == ["cycle_start", "store", "brand"]
    assert len(frame) == 2 * 3  # two cycles × the three carried series
    assert frame.loc[(dt.date(2026, 3, 3), "C1", "B1"), "stockout_days"] == 1
    assert frame.loc[(dt.date(2026, 3, 3), "C1", "B1"), "cycle_end"] == dt.date(2026, 3, 3)
    assert repr(weekly) == (
        "PanelCycleMetrics(2 cycles × 2 stores × 2 brands, 2026-03-02 to 2026-03-03)"
    )


def test_metrics_by_cycle_of_no_whole_cycle_is_empty() -> None:
    panel = Panel.from_long(**not_carried_columns())  # 2 days
    assert panel.cycles(7, partial="drop") == ()
    weekly = panel.metrics_by_cycle(7, partial="drop")  # before: an IndexError
    assert weekly.days.shape == weekly.fulfilment_ratio.shape == (0, 2, 2)
    assert weekly.days.dtype == np.dtype(np.int64)
    assert weekly.fulfilment_ratio.dtype == np.dtype(np.float64)
    assert writeable_arrays(weekly) == []
    assert weekly.starts == weekly.ends == ()
    assert len(weekly.to_frame()) == 0  # as the command line's report: no row
    assert repr(weekly) == "PanelCycleMetrics(0 cycles × 2 stores × 2 brands)"


def test_round_trips_keep_the_carried_mask() -> None:
    panel = Panel.from_long(**not_carried_columns())
    columns: Any = panel.to_long()
    again = Panel.from_long(**columns)
    assert again.carried.tolist() == panel.carried.tolist()
    np.testing.assert_array_equal(again.sales, panel.sales, strict=True)
    data = panel.to_dict()
    assert data["carried"] == [[True, True], [True, False]]
    assert Panel.from_dict(data).carried.tolist() == panel.carried.tolist()
    assert "carried" not in panel_of(np.ones((1, 1, 2)), np.ones((1, 1, 2))).to_dict()
    with pytest.raises(InvalidValueError, match="unknown field"):
        Panel.from_dict({**data, "_whole_max": 1.0})


@pytest.mark.parametrize(
    ("date", "reason"),
    [("NaT", "is not an ISO date"), ("0000-01-01", "is year 0 is out of range")],
)
def test_from_long_string_dates_outside_the_calendar_are_clear_errors(
    date: str, reason: str
) -> None:
    with pytest.raises(
        InvalidValueError, match=f"'date' must be a date.*'{date}' at row 1 {reason}"
    ):
        Panel.from_long(["C1", "C1"], ["B", "B"], ["2026-03-02", date], [1, 1], [1, 1])


def test_a_masked_array_with_masked_days_is_refused_by_panel() -> None:
    masked = np.ma.array(np.ones((1, 1, 3)), mask=[[[False, True, False]]])
    with pytest.raises(TypeError, match="'sales' is a masked array with masked days"):
        Panel(["C1"], ["B"], START, masked, np.ones((1, 1, 3)))
    clean = np.ma.array(np.ones((1, 1, 3)), mask=False)
    assert Panel(["C1"], ["B"], START, clean, clean).sales.tolist() == [[[1.0, 1.0, 1.0]]]


# --------------------------------------------------------------------------- kept scratch


def test_threads_keep_their_own_scratch_between_calls() -> None:
    """Each thread's kept buffers are its own: panels of different shapes and dtypes run
    at once on several threads give what they give one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(15)
    panels = []
    for k, dtype in enumerate([np.float32, np.float64, np.int32, np.float32] * 2):
        shape = (150 + 7 * k, 10 + k, 60 + 3 * k)
        sales = (rng.poisson(1.5, shape) * (0.5 if k % 3 == 0 else 1)).astype(dtype)
        panels.append(panel_of(sales, rng.poisson(1.0, shape).astype(dtype)))
    one_at_a_time = [panel.metrics(workers=1) for panel in panels]
    with (
        mock.patch.object(kernel_module, "CHUNK_CELLS", 1 << 12),  # many chunks per call
        ThreadPoolExecutor(4) as pool,
    ):
        together = list(pool.map(lambda p: p.metrics(workers=1), panels * 3))
    for got, expected in zip(together, one_at_a_time * 3, strict=True):
        for name in FIELDS:
            np.testing.assert_array_equal(getattr(got, name), getattr(expected, name), name)
