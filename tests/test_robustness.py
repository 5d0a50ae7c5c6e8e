"""Robustness sweep: every public name of tobacco_metrics under adversarial input.

Each public function and constructor has an entry in :data:`CASES`: a strategy
of valid keyword arguments (from the public strategies where they fit), the
kind of each argument, and the documented range of a result.  The sweep draws a
valid call, replaces some arguments with adversarial values of their kind
(NaN, ±inf, negative, empty, 0-d, mismatched shapes, object and bool arrays,
huge ints, wrong types, naive vs aware datetimes, …), calls, and asserts that

- the call returns a result inside the documented range, or raises
  :class:`~tobacco_metrics.TobaccoMetricsError` (or :class:`TypeError` when an
  argument of the wrong type was given) with a non-empty message, never
  another exception;
- no warning escapes (a numpy RuntimeWarning above all);
- no input is modified (its pickled value, and an array's writeable flag);
- a call left valid succeeds.

Exception classes, enums and constants are covered by specific checks
(:data:`SIMPLE`).  :func:`test_every_public_name_is_covered` fails, listing
them, when a name of ``tobacco_metrics.__all__`` has no entry.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import pickle
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, get_args

import attrs
import numpy as np
import pandas as pd
import pytest
from dateutil.rrule import FR, MO, TH
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import tobacco_metrics as tm
import tobacco_metrics.errors as errors_module
from tobacco_metrics import TobaccoMetricsError
from tobacco_metrics.strategies import (
    Stockouts,
    brand_codes,
    brands,
    delivery_cycles,
    panels,
    price_class_thresholds,
    price_classes,
    promotion_tiers,
    sales_and_stock,
    stores,
    visit_findings,
    visit_standards,
    visit_steps,
    visits,
)

Kwargs = dict[str, Any]
Check = Callable[[Any, Kwargs], None]

# --------------------------------------------------------------------------- adversarial values


@attrs.frozen
class Bad:
    """An adversarial value, and whether its *type* is wrong (then TypeError is acceptable)."""

    value: Any
    wrong_type: bool


@attrs.frozen
class Fixed:
    """A fixed adversarial value, built fresh for every call (no value is shared)."""

    make: Any  # the value, or a function of no argument returning it
    wrong_type: bool

    def bad(self) -> Bad:
        return Bad(self.make() if callable(self.make) else self.make, self.wrong_type)


def values(items: Iterable[Any], *, wrong_type: bool) -> list[Fixed]:
    return [Fixed(make, wrong_type) for make in items]


@attrs.frozen
class Kind:
    """The adversarial values of one kind of argument: fixed ones and random ones."""

    fixed: tuple[Fixed, ...]
    random: tuple[st.SearchStrategy[Bad], ...]

    def strategy(self) -> st.SearchStrategy[Bad]:
        parts = [st.sampled_from(self.fixed).map(Fixed.bad)] if self.fixed else []
        return st.one_of(*parts, *self.random)


def kind(*parts: list[Fixed] | st.SearchStrategy[Bad]) -> Kind:
    fixed = tuple(item for part in parts if isinstance(part, list) for item in part)
    random = tuple(part for part in parts if not isinstance(part, list))
    return Kind(fixed, random)


NUMERIC_DTYPES = st.sampled_from(
    [
        np.int8,
        np.int16,
        np.int32,
        np.int64,
        np.uint8,
        np.uint16,
        np.uint32,
        np.uint64,
        np.float16,
        np.float32,
        np.float64,
    ]
).map(np.dtype)
ODD_SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)

# Real numbers or arrays of them, out of a quantity's range or of odd shape.
BAD_ARRAY_VALUES = values(
    [
        math.nan,
        math.inf,
        -math.inf,
        -1,
        -1.5,
        -0.0,
        5e-324,
        1.7976931348623157e308,
        2**63,
        2**64,
        -(2**63),
        2**1100,
        -(2**1100),
        10**30,
        lambda: np.float32(np.inf),
        lambda: np.array(np.nan),
        lambda: np.array(7.0),
        list,
        lambda: [[]],
        lambda: np.empty(0),
        lambda: np.empty((2, 0)),
        lambda: np.empty((0, 7)),
        lambda: [[1, 2], [3]],
        lambda: [[1, 2, 3], [4, 5]],
        lambda: np.array([1, 2**70], dtype=object),
        lambda: np.array([2**1100], dtype=object),
        lambda: np.full(3, np.iinfo(np.int64).max),
        lambda: np.full(3, np.iinfo(np.int64).min),
        lambda: np.array([np.iinfo(np.uint64).max], dtype=np.uint64),
        lambda: np.full(3, np.finfo(np.float32).max, dtype=np.float32),
        lambda: np.array([1e308, 1e308, 1e308]),
        lambda: np.array([np.inf], dtype=np.float16),
        lambda: np.array([1.0, np.nan, 2.0]),
        lambda: [0.5, -0.5],
        lambda: (1, 2, 3),
        lambda: pd.Series([1.0, np.nan]),
        lambda: pd.Series([3, 4], dtype="int32"),
        lambda: np.ones((2, 3, 4, 5)),
    ],
    wrong_type=False,
)
WRONG_ARRAY_TYPES = values(
    [
        "3",
        b"3",
        None,
        dict,
        lambda: {"a": 1},
        dt.date(2026, 3, 2),
        object(),
        1 + 2j,
        True,
        lambda: np.array([1 + 2j]),
        lambda: np.array([True, False]),
        lambda: np.array(["a", "b"]),
        lambda: np.array(["2026-03-02"], dtype="datetime64[D]"),
        np.timedelta64(1, "D"),
        lambda: [1, "a"],
        lambda: [None],
        lambda: [[1], "a"],
        lambda: np.array([1.0, None], dtype=object),
        lambda: np.array(["x"], dtype=object),
        lambda: pd.Series(["a", "b"]),
        Decimal("1.5"),
    ],
    wrong_type=True,
)
RANDOM_ARRAYS = st.builds(
    Bad,
    hnp.arrays(NUMERIC_DTYPES, ODD_SHAPES),
    st.just(False),
)
# Random arrays of small values (for estimators whose run time grows with the values).
SMALL_RANDOM_ARRAYS = st.builds(
    Bad,
    hnp.arrays(
        st.sampled_from([np.int8, np.int32, np.float32, np.float64]).map(np.dtype),
        ODD_SHAPES,
        elements={"min_value": -100, "max_value": 100},
    ),
    st.just(False),
)
RANDOM_ODD_ARRAYS = st.builds(
    Bad,
    hnp.arrays(
        hnp.scalar_dtypes().filter(lambda dtype: dtype.kind not in "iuf"),
        hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3),
    ),
    st.just(True),
)
BAD_ARRAYS = kind(
    BAD_ARRAY_VALUES,
    values([lambda: np.array([65504.0], dtype=np.float16)], wrong_type=False),
    WRONG_ARRAY_TYPES,
    RANDOM_ARRAYS,
    RANDOM_ODD_ARRAYS,
)

BAD_MASKS = kind(
    st.builds(Bad, hnp.arrays(np.bool_, ODD_SHAPES), st.just(False)),
    values(
        [
            np.True_,
            True,
            False,
            lambda: np.ones(7, dtype=bool),
            lambda: [True, False],
            lambda: np.ones((1, 1, 1, 1, 7), dtype=bool),
        ],
        wrong_type=False,
    ),
    values(
        [
            lambda: np.array([0, 1, 0]),
            lambda: np.array([0.0, 1.0]),
            lambda: [0, 1],
            lambda: np.array([True, False], dtype=object),
            "True",
            1,
            lambda: [None],
        ],
        wrong_type=True,
    ),
)

BAD_INTS = kind(
    values(
        [
            -1,
            0,
            1,
            2,
            3,
            5,
            -7,
            2**63,
            -(2**63),
            10**30,
            lambda: np.int8(-1),
            lambda: np.uint64(2**64 - 1),
            lambda: np.int64(4),
        ],
        wrong_type=False,
    ),
    values(
        [1.5, 1.0, math.nan, math.inf, True, "1", lambda: [1], lambda: np.float64(2.0), 1j],
        wrong_type=True,
    ),
)
# Counts that size an allocation: no huge values (they would allocate gigabytes).
BAD_SIZES = kind(
    values([-1, 0, 1, -(2**63), lambda: np.int16(-3), lambda: np.int64(2)], wrong_type=False),
    values([1.5, 2.0, math.nan, True, "2", None, lambda: [2]], wrong_type=True),
)
BAD_REALS = kind(
    values(
        [
            math.nan,
            math.inf,
            -math.inf,
            -1,
            -0.5,
            0,
            -0.0,
            0.5,
            1,
            1.5,
            2**1100,
            -(2**1100),
            1e308,
            -1e308,
            5e-324,
            10**30,
            lambda: np.float32(np.nan),
            lambda: np.float64(np.inf),
            lambda: np.int64(-5),
            lambda: np.uint8(3),
        ],
        wrong_type=False,
    ),
    values(
        ["0.5", None, True, lambda: [0.5], 1 + 0j, Decimal("0.5"), lambda: np.array([0.5, 1])],
        wrong_type=True,
    ),
)
UTC8 = dt.timezone(dt.timedelta(hours=8))
BAD_DATES = kind(
    values(
        [
            dt.date.max,
            dt.date.min,
            dt.date(2024, 2, 29),
            "2026-02-30",
            "",
            "2026-1-1",
            "not a date",
            "9999-12-31",
            "0001-01-01",
            lambda: np.datetime64("NaT"),
            lambda: np.datetime64("2026-03-02T10:30"),
            lambda: np.datetime64("2026-03-02"),
            lambda: np.datetime64("+10000-01-01"),
        ],
        wrong_type=False,
    ),
    values(
        [
            dt.datetime(2026, 3, 2, 9, 0),
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC8),
            lambda: pd.Timestamp("2026-03-02"),
            20260302,
            None,
            2026.0,
            b"2026-03-02",
            lambda: [dt.date(2026, 3, 2)],
        ],
        wrong_type=True,
    ),
)
BAD_DATETIMES = kind(
    values(
        [
            dt.datetime.max,
            dt.datetime.min,
            dt.datetime(2026, 3, 2, 9, 0),
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC8),
            dt.datetime(
                2026, 3, 2, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-23, minutes=-59))
            ),
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc),
            dt.datetime(2026, 3, 2, 8, 0),
            "2026-03-02T09:00",
            "2026-03-02T09:00+08:00",
            "2026-03-02T25:00",
            "",
            lambda: pd.Timestamp("2026-03-02 09:00"),
        ],
        wrong_type=False,
    ),
    values(
        [dt.date(2026, 3, 2), None, 0, lambda: np.datetime64("2026-03-02T09:00"), 1.5],
        wrong_type=True,
    ),
)
BAD_TIMES = kind(
    values(
        [
            dt.time(0),
            dt.time(23, 59, 59, 999999),
            dt.time(9, 30, tzinfo=UTC8),
            "09:30",
            "25:00",
            "",
            "9.30",
            dt.time(15, 0),
        ],
        wrong_type=False,
    ),
    values([dt.datetime(2026, 3, 2, 9, 30), None, 930, 9.5, lambda: [9, 30]], wrong_type=True),
)
BAD_STRS = kind(
    values(
        ["", " ", "\t\n", "\x00", "a" * 2000, "C001", lambda: np.str_("C001")], wrong_type=False
    ),
    values([None, 5, b"C001", lambda: ["C001"], 1.5, True], wrong_type=True),
)
BAD_ENUMS = kind(
    values(
        ["bogus", "", "urban ", 99, "I", "rural", "URBAN", "growth", "supermarket"],
        wrong_type=False,
    ),
    values([None, 1.5, list, tm.VisitStep.ASK, True], wrong_type=True),
)
BAD_STR_COLLECTIONS = kind(
    values(
        [
            list,
            lambda: [""],
            lambda: ["  "],
            lambda: ["ask", "bogus"],
            lambda: ["C001", "C001"],
            lambda: frozenset({"ASK"}),
            lambda: ("look",),
            lambda: {"x": 1},
            lambda: ["a" * 500],
        ],
        wrong_type=False,
    ),
    values(
        ["ask", None, 5, lambda: [None], lambda: [5], lambda: [1.5], b"ab", lambda: [["C001"]]],
        wrong_type=True,
    ),
)
BAD_DATE_COLLECTIONS = kind(
    values(
        [
            list,
            lambda: [dt.date.max],
            lambda: [dt.date.min],
            lambda: ["2026-02-30"],
            lambda: [dt.date(2026, 3, 2), "2026-03-03"],
            lambda: [np.datetime64("NaT")],
            lambda: [dt.date(2026, 3, 2), dt.date(2026, 3, 2)],
            lambda: ("2026-03-02",),
        ],
        wrong_type=False,
    ),
    values(
        [
            "2026-03-02",
            None,
            5,
            lambda: [None],
            lambda: [dt.datetime(2026, 3, 2)],
            lambda: [1.5],
            lambda: [20260302],
        ],
        wrong_type=True,
    ),
)
# Collections of records (tiers, adjustments, order rows, thresholds): anything but an
# empty collection has the wrong element type.
BAD_COLLECTIONS = kind(
    values([list, lambda: ()], wrong_type=False),
    values(
        [
            lambda: [""],
            "ab",
            None,
            5,
            lambda: [None],
            lambda: [5],
            lambda: [1.5],
            b"ab",
            lambda: [("C001", "B")],
            lambda: [("C001", "B", "2026-03-02", 1)],
            lambda: {"x": 1},
            lambda: [math.nan, 0.2, 0.1],
            lambda: (0.5, 0.2),
            lambda: (0.2, 0.5, 0.1),
        ],
        wrong_type=True,
    ),
)
BAD_MAPPINGS = kind(
    values(
        [
            dict,
            lambda: {"bogus": MO},
            lambda: {"week_summary": 9},
            lambda: {"week_summary": []},
            lambda: {"week_summary": -1},
            lambda: {"data_collection": FR(-1)},
            lambda: {"data_collection": None},
            lambda: {"week_summary": (MO, TH)},
            lambda: {"C001": ["x"]},
            lambda: {"C001": []},
        ],
        wrong_type=False,
    ),
    values(
        [
            list,
            "MO",
            lambda: {"week_summary": "MO"},
            lambda: {"week_summary": 1.5},
            5,
            lambda: {"C001": 5},
            lambda: {"C001": [5]},
        ],
        wrong_type=True,
    ),
)
BAD_OBJECTS_LIST = values(
    [
        None,
        1,
        "x",
        list,
        lambda: np.array([1, 2]),
        dict,
        object(),
        math.nan,
        lambda: np.array([[1.0, -1.0]]),
        dt.date(2026, 3, 2),
    ],
    wrong_type=True,
)
BAD_BOOLS = kind(
    values([True, False], wrong_type=False),
    values([1, 0, None, "yes", lambda: np.bool_(True), 1.0], wrong_type=True),
)
AWARE_AND_NAIVE_VISITS = st.lists(
    visits(timezones=st.none() | st.just(UTC8)), min_size=2, max_size=4
)
BAD_VISIT_LISTS = kind(
    st.builds(Bad, AWARE_AND_NAIVE_VISITS, st.just(False)),
    st.builds(Bad, st.lists(visits(), max_size=4), st.just(False)),
    values([list, lambda: ()], wrong_type=False),
    st.builds(Bad, visits(), st.just(True)),  # one Visit, not a collection
    values(["visits", None, 5, lambda: [1], lambda: [None], lambda: {"a": 1}], wrong_type=True),
)

BAD_OBJECTS = kind(BAD_OBJECTS_LIST)
KINDS: dict[str, Kind] = {
    "array": BAD_ARRAYS,
    "mask": BAD_MASKS,
    "int": BAD_INTS,
    "size": BAD_SIZES,
    "real": BAD_REALS,
    "date": BAD_DATES,
    "datetime": BAD_DATETIMES,
    "time": BAD_TIMES,
    "small_array": kind(BAD_ARRAY_VALUES, WRONG_ARRAY_TYPES, SMALL_RANDOM_ARRAYS),
    "str": BAD_STRS,
    "enum": BAD_ENUMS,
    "collection": BAD_COLLECTIONS,
    "strs": BAD_STR_COLLECTIONS,
    "dates": BAD_DATE_COLLECTIONS,
    "mapping": BAD_MAPPINGS,
    "object": BAD_OBJECTS,
    "bool": BAD_BOOLS,
    "visits": BAD_VISIT_LISTS,
}

# --------------------------------------------------------------------------- the cases


@attrs.frozen
class Case:
    """How the sweep calls one public name."""

    call: Callable[..., Any]
    valid: st.SearchStrategy[Kwargs]
    kinds: Mapping[str, str]
    check: Check
    # Whether a valid call may still raise a documented TobaccoMetricsError.
    valid_may_raise: bool = False


def arr(value: Any) -> NDArray[Any]:
    return np.asarray(value)


def in_unit_interval(values: Any) -> bool:
    array = np.asarray(values, dtype=np.float64)
    return bool(np.all(np.isnan(array) | ((array >= 0) & (array <= 1))))


def non_negative_or_nan(values: Any) -> bool:
    array = np.asarray(values, dtype=np.float64)
    return bool(np.all(np.isnan(array) | (array >= 0)))


def finite_non_negative(values: Any) -> bool:
    array = np.asarray(values, dtype=np.float64)
    return bool(np.all(np.isfinite(array) & (array >= 0)))


def check_dtype(value: Any, kind: str) -> None:
    assert np.asarray(value).dtype.kind == kind, np.asarray(value).dtype


def no_check(result: Any, kwargs: Kwargs) -> None:
    return None


def check_price_codes(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "i")
    assert np.all((arr(result) >= 1) & (arr(result) <= 5))


def check_cover(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert not np.isnan(arr(result)).any()
    assert np.all(arr(result) >= 0)


def check_whole_cartons(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "i")
    assert np.all(arr(result) >= 0)


def check_issues(result: Any, kwargs: Kwargs) -> None:
    assert isinstance(result, tuple)
    assert all(isinstance(issue, tm.VisitIssue) for issue in result)
    codes = [issue.code for issue in result]
    assert len(codes) == len(set(codes))


def is_instance(cls: Any) -> Check:
    """The result is a ``cls``; its dict round trip (if it has one) gives it back."""

    def check(result: Any, kwargs: Kwargs) -> None:
        assert isinstance(result, cls)
        repr(result)
        if hasattr(cls, "from_dict"):
            assert cls.from_dict(result.to_dict()) == result
        elif hasattr(result, "to_dict"):
            result.to_dict()

    return check


def plain_instance(cls: Any) -> Check:
    def check(result: Any, kwargs: Kwargs) -> None:
        assert isinstance(result, cls)

    return check


def check_cycle(result: tm.DeliveryCycle, kwargs: Kwargs) -> None:
    is_instance(tm.DeliveryCycle)(result, kwargs)
    assert result.end >= result.start
    assert len(result.dates) == result.days
    if len(result.closed_days) < result.days:
        check_cycle_metrics(result.metrics(), {"sales": np.asarray(result.sales)})


def check_visit_record(result: tm.Visit, kwargs: Kwargs) -> None:
    is_instance(tm.Visit)(result, kwargs)
    assert result.duration >= dt.timedelta(0)
    assert result.missing_steps | result.steps == frozenset(tm.VisitStep)
    result.date  # noqa: B018


def check_panel(result: tm.Panel, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.Panel)
    repr(result)
    assert result.end >= result.start
    assert result.sales.shape == result.inventory.shape == result.shape
    check_panel_metrics(result.metrics(), kwargs)


def fields_of(record: Any) -> Kwargs:
    """The fields of an attrs instance; arrays as fresh writable copies (the caller's own)."""
    return {
        field.name: np.array(value) if isinstance(value, np.ndarray) else value
        for field in attrs.fields(type(record))
        for value in [getattr(record, field.name)]
    }


def record_case(cls: type, example: st.SearchStrategy[Any]) -> Case:
    """A result record without validation: its fields from a real result; anything else goes."""
    valid = example.map(fields_of)
    names = [field.name for field in attrs.fields(cls)]
    # No validation is documented: garbage in, garbage kept; only the construction is checked.
    return Case(cls, valid, dict.fromkeys(names, "object"), plain_instance(cls))


TOKENS = st.sampled_from([0, 1, 2.5])
STOCKOUT_MODES: st.SearchStrategy[Stockouts] = st.sampled_from(get_args(Stockouts))


@st.composite
def daily_inputs(draw: st.DrawFn, *, exclude: bool = True) -> Kwargs:
    """sales, inventory, token_stock, exclude (and axis) for the stock and quota formulas."""
    token = draw(TOKENS)
    mode = draw(STOCKOUT_MODES.filter(lambda m: token > 0 or m != "token_only"))
    sales, inventory = draw(sales_and_stock(token_stock=token, stockouts=mode))
    kwargs: Kwargs = {"sales": sales, "inventory": inventory, "token_stock": token}
    if exclude and draw(st.booleans()):
        n_days = sales.shape[-1]
        mask = np.zeros(n_days, dtype=bool)
        shut = draw(st.sets(st.integers(0, n_days - 1), max_size=n_days - 1))
        mask[list(shut)] = True
        kwargs["exclude"] = mask
    if sales.ndim > 1 and draw(st.booleans()):
        axis = draw(st.integers(0, sales.ndim - 1))
        kwargs["sales"] = np.moveaxis(sales, -1, axis)
        kwargs["inventory"] = np.moveaxis(inventory, -1, axis)
        if "exclude" in kwargs:
            shape = [1] * sales.ndim
            shape[axis] = sales.shape[-1]
            kwargs["exclude"] = kwargs["exclude"].reshape(shape)
        kwargs["axis"] = axis
    return kwargs


DAILY_KINDS = {
    "sales": "array",
    "inventory": "array",
    "token_stock": "array",
    "exclude": "mask",
    "axis": "int",
}


def days_of(kwargs: Kwargs) -> int:
    sales = arr(kwargs["sales"])
    return int(sales.shape[kwargs.get("axis", -1)])


def check_counts(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "i")
    assert np.all(arr(result) >= 0)
    assert np.all(arr(result) <= days_of(kwargs))


def check_cycle_metrics(result: tm.CycleMetrics, kwargs: Kwargs) -> None:
    days = arr(result.days)
    assert np.all((days >= 1) & (days <= days_of(kwargs)))
    assert np.all((arr(result.stockout_days) >= 0) & (arr(result.stockout_days) <= days))
    assert np.array_equal(arr(result.effective_days), days - arr(result.stockout_days))
    assert finite_non_negative(result.actual_sales)
    assert non_negative_or_nan(result.projected_stockout_sales)
    assert in_unit_interval(result.fulfilment_ratio)
    assert np.array_equal(
        np.isnan(arr(result.fulfilment_ratio)), np.isnan(arr(result.projected_stockout_sales))
    )
    cover = arr(result.stock_to_sales_ratio)
    assert not np.isnan(cover).any()
    assert (cover >= 0).all()
    assert finite_non_negative(result.closing_inventory)
    assert finite_non_negative(result.average_daily_sales)


def metrics_from(kwargs: Kwargs) -> tm.CycleMetrics:
    return tm.cycle_metrics(**kwargs)


@st.composite
def cycle_totals(draw: st.DrawFn) -> Kwargs:
    """actual_sales, effective_days, stockout_days (and maybe a fallback) of real cycles."""
    metrics = metrics_from(draw(daily_inputs()))
    kwargs: Kwargs = {
        "actual_sales": metrics.actual_sales,
        "effective_days": metrics.effective_days,
        "stockout_days": metrics.stockout_days,
    }
    if draw(st.booleans()):
        kwargs["fallback_daily_rate"] = draw(st.floats(0, 100))
    return kwargs


def check_units(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    given_values = np.asarray(next(iter(kwargs.values())), dtype=np.float64)
    out = arr(result)
    assert out.shape == given_values.shape
    assert np.array_equal(np.isnan(out), np.isnan(given_values))
    assert np.array_equal(np.isfinite(out), np.isfinite(given_values))
    # The sign is kept (a tiny value may underflow to 0 when divided).
    kept = (np.sign(out) == np.sign(given_values)) | (out == 0) | np.isnan(out)
    assert kept.all()


def unit_case(function: Callable[..., Any], name: str) -> Case:
    valid = st.one_of(
        st.floats(-1e6, 1e6),
        st.integers(-(10**9), 10**9),
        hnp.arrays(np.float64, hnp.array_shapes(max_dims=2), elements=st.floats(-1e9, 1e9)),
    ).map(lambda value: {name: value})
    return Case(function, valid, {name: "array"}, check_units)


# -- structure


@st.composite
def brand_table(draw: st.DrawFn) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """quantity[store, brand] from a consistent panel, and each brand's class and price."""
    panel = draw(panels(min_days=1, max_days=7))
    quantity = panel.sales.sum(axis=-1)
    brand_list = draw(st.lists(brands(), min_size=len(panel.brands), max_size=len(panel.brands)))
    classes = np.array([int(brand.price_class) for brand in brand_list])
    prices = np.array([brand.allocation_price for brand in brand_list])
    return quantity, classes, prices


def check_shares(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert in_unit_interval(result)
    rows = arr(result)
    totals = rows.sum(axis=-1)
    sold = ~np.isnan(totals)
    assert np.allclose(totals[sold], 1.0)
    assert np.isnan(rows[~sold]).all()


def check_share(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert in_unit_interval(result)


def check_price(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    values_ = arr(result)
    assert np.all(np.isnan(values_) | (np.isfinite(values_) & (values_ >= 0)))


@st.composite
def amounts(draw: st.DrawFn) -> Kwargs:
    quantity, _, prices = draw(brand_table())
    return {"amount": quantity * prices, "cartons": quantity}


def check_structure_change(result: tm.StructureChange, kwargs: Kwargs) -> None:
    for name in ("share_before", "share_after"):
        assert in_unit_interval(getattr(result, name))
    change = arr(result.share_change)
    assert np.all(np.isnan(change) | (np.abs(change) <= 1))
    for name in ("price_per_case_before", "price_per_case_after"):
        assert non_negative_or_nan(getattr(result, name))
    assert isinstance(result.at_least, tm.PriceClass)


@st.composite
def carried_table(draw: st.DrawFn) -> NDArray[np.bool_]:
    panel = draw(panels(max_days=3))
    return np.asarray(panel.inventory[..., -1] > 0)


def check_width(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "i")
    assert np.all(arr(result) >= 0)
    assert np.all(arr(result) <= arr(kwargs["carried"]).shape[kwargs.get("axis", -1)])


@st.composite
def ledgers(draw: st.DrawFn) -> Kwargs:
    """Opening, purchases and closing stock of one day of a consistent history."""
    sales, inventory = draw(sales_and_stock(min_days=2, cycle_days=1))
    opening = inventory[..., :-1]
    closing = inventory[..., 1:]
    purchases = closing - opening + sales[..., 1:]
    return {"opening_inventory": opening, "purchases": purchases, "inventory": closing}


def check_ledger(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert finite_non_negative(result)


@st.composite
def prices_and_quantities(draw: st.DrawFn) -> Kwargs:
    quantity, _, prices = draw(brand_table())
    markup = draw(st.floats(0.0, 0.5))
    return {"quantity": quantity, "retail_price": prices * (1 + markup), "purchase_price": prices}


def check_profit(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert np.isfinite(arr(result)).all()


def check_margin(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    margin = arr(result)
    assert np.all(np.isnan(margin) | (np.isfinite(margin) & (margin <= 1)))


@st.composite
def segment_inputs(draw: st.DrawFn) -> Kwargs:
    metrics = metrics_from(draw(daily_inputs()))
    kwargs: Kwargs = {"stockout_days": metrics.stockout_days, "days": metrics.days}
    if draw(st.booleans()):
        shares = sorted(draw(st.lists(st.floats(0, 1), min_size=3, max_size=3, unique=True)))
        kwargs["thresholds"] = tuple(reversed(shares))
    return kwargs


def check_segment(result: Any, kwargs: Kwargs) -> None:
    assert set(np.asarray(result).ravel().tolist()) <= {"A", "B", "C", "D"}


@st.composite
def target_inputs(draw: st.DrawFn) -> Kwargs:
    quantity, classes, _ = draw(brand_table())
    volume = quantity.sum(axis=-1)
    share = tm.share_at_or_above(quantity, classes)
    return {
        "volume": volume,
        "share_iii_plus": share,
        "volume_quantile": draw(st.floats(0, 1)),
        "share_quantile": draw(st.floats(0, 1)),
    }


def check_targets(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "b")
    assert arr(result).shape == arr(kwargs["volume"]).shape


@st.composite
def sell_through_inputs(draw: st.DrawFn) -> Kwargs:
    purchases = draw(hnp.arrays(np.int64, st.integers(1, 6), elements=st.integers(0, 50)))
    sold = draw(hnp.arrays(np.float64, purchases.shape, elements=st.floats(0, 1))) * purchases
    return {"purchases": purchases, "sales": np.floor(sold)}


def check_speed(result: Any, kwargs: Kwargs) -> None:
    assert set(np.asarray(result).ravel().tolist()) <= {"fast", "slow", "not ordered"}


# -- visits


ONE_DAY = st.just(dt.date(2026, 3, 2))


@st.composite
def days_of_visits(draw: st.DrawFn) -> Kwargs:
    day_visits = draw(
        st.lists(
            visits(manager_ids=st.just("M07"), dates=ONE_DAY, store_ids=st.sampled_from(STORES)),
            max_size=6,
        )
    )
    kwargs: Kwargs = {
        "visits": day_visits,
        "planned_store_ids": draw(st.lists(st.sampled_from(STORES), unique=True)),
        "area": draw(st.sampled_from(tm.AreaType)),
    }
    if draw(st.booleans()):
        kwargs["standard"] = draw(visit_standards())
    if draw(st.booleans()):
        key = draw(st.lists(st.sampled_from(BRAND_CODES), min_size=1, unique=True))
        kwargs["key_brands"] = key
        kwargs["carried"] = {
            store: draw(st.frozensets(st.sampled_from(BRAND_CODES))) for store in STORES
        }
    return kwargs


STORES = ("C001", "C002", "C003", "C004")
BRAND_CODES = ("6901028000001", "6901028000002", "6901028000003")


def check_report(result: tm.DailyVisitReport, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.DailyVisitReport)
    assert in_unit_interval(result.completion_rate)
    assert result.actual_visits >= 0
    assert result.meets_daily_standard == (result.actual_visits >= result.min_visits)
    assert set(result.unvisited_store_ids).isdisjoint(result.unplanned_store_ids)


@st.composite
def adoption_inputs(draw: st.DrawFn) -> Kwargs:
    store_visits = draw(
        st.lists(
            visits(
                store_ids=st.sampled_from(STORES),
                dates=st.dates(dt.date(2026, 3, 1), dt.date(2026, 3, 14)),
                recommended_brands=st.sampled_from(BRAND_CODES),
            ),
            max_size=5,
        )
    )
    orders = draw(
        st.lists(
            st.tuples(
                st.sampled_from(STORES),
                st.sampled_from(BRAND_CODES),
                st.dates(dt.date(2026, 2, 25), dt.date(2026, 3, 25)),
            ),
            max_size=8,
        )
    )
    return {"visits": store_visits, "orders": orders, "within_days": draw(st.integers(0, 14))}


def check_adoption(result: tm.Adoption, kwargs: Kwargs) -> None:
    assert in_unit_interval(result.rate)
    assert len(result.adopted) + len(result.pending) == result.recommended
    assert set(result.adopted).isdisjoint(result.pending)


def check_progress(result: tm.AgreementProgress, kwargs: Kwargs) -> None:
    assert finite_non_negative(result.progress)
    assert 0 < float(result.elapsed) <= 1
    assert np.allclose(arr(result.gap), arr(result.progress) - float(result.elapsed))


def check_tier(result: Any, kwargs: Kwargs) -> None:
    reached, to_next = result
    assert reached is None or isinstance(reached, tm.PromotionTier)
    assert to_next is None or (math.isfinite(to_next) and to_next > 0)
    assert reached is not None or to_next is not None


def check_calendar(result: tuple[tm.WorkTask, ...], kwargs: Kwargs) -> None:
    assert result
    assert all(isinstance(task, tm.WorkTask) for task in result)
    dates = [task.date for task in result]
    assert dates == sorted(dates)
    assert {(d.year, d.month) for d in dates} == {(kwargs["year"], kwargs["month"])}


# -- quota


def check_rate(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert non_negative_or_nan(result)
    assert not np.isinf(arr(result)).any()


def check_quota(result: Any, kwargs: Kwargs) -> None:
    assert arr(result).dtype.kind in "if"
    assert non_negative_or_nan(result)
    assert not np.isinf(arr(result).astype(np.float64)).any()


@st.composite
def quota_inputs(draw: st.DrawFn) -> Kwargs:
    kwargs = draw(daily_inputs())
    if draw(st.booleans()):
        kwargs["cycle_days"] = draw(st.integers(1, 14))
    if draw(st.booleans()):
        kwargs["adjustment"] = draw(st.floats(0, 3))
    if draw(st.booleans()):
        kwargs["rounding"] = draw(st.sampled_from(["half_up", "ceil", "floor", None]))
    if draw(st.booleans()):
        kwargs["fallback_daily_rate"] = draw(st.floats(0, 20))
    return kwargs


def check_split(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "i")
    assert np.all(arr(result) >= 0)


def check_allocation(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "i")
    assert np.all(arr(result) >= 0)
    requests = np.asarray(kwargs["requests"])
    if not kwargs.get("allow_increase", False) and result.shape == requests.shape:
        assert np.all(arr(result) <= requests)


def check_window(result: tuple[dt.date, dt.date], kwargs: Kwargs) -> None:
    start, end = result
    assert start <= end


def check_holidays(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "b")
    assert arr(result).ndim == 1


def check_order_days(result: list[dt.date], kwargs: Kwargs) -> None:
    assert 4 <= len(result) <= 5
    assert len({day.weekday() for day in result}) == 1


def check_limits(result: tuple[tm.CycleLimit, ...] | tm.WeeklyLimits, kwargs: Kwargs) -> None:
    if isinstance(result, tm.WeeklyLimits):  # an array of totals
        assert (result.limits.sum(axis=-1) == np.asarray(kwargs["monthly_total"])).all()
        assert (result.limits >= 0).all()
        return
    assert sum(limit.limit for limit in result) == kwargs["monthly_total"]
    assert all(limit.limit >= 0 for limit in result)


def check_class_limits(result: tm.ClassLimits, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.ClassLimits)
    totals = np.asarray(kwargs["totals_by_class"])
    for k, code in enumerate(result.held):
        assert (result.limits[..., k, :].sum(axis=-1) == totals[..., code - 1]).all()
    assert (result.limits >= 0).all()


@st.composite
def adjustments(draw: st.DrawFn) -> tm.QuotaAdjustment:
    start = draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    return tm.QuotaAdjustment(
        start, start + dt.timedelta(days=draw(st.integers(0, 90))), draw(st.floats(0, 3))
    )


# -- panel, simulate, lost sales


def check_panel_metrics(result: tm.PanelMetrics, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.PanelMetrics)
    check_cycle_metrics(result.to_cycle_metrics(), {"sales": np.empty((1, 1, 10**6))})


@st.composite
def panel_metric_inputs(draw: st.DrawFn) -> Kwargs:
    panel = draw(panels(token_stock=1, stockouts=draw(STOCKOUT_MODES)))
    kwargs: Kwargs = {"self": panel}
    if draw(st.booleans()):
        kwargs["token_stock"] = draw(TOKENS)
    if draw(st.booleans()):
        mask = np.zeros(panel.n_days, dtype=bool)
        shut = draw(st.sets(st.integers(0, panel.n_days - 1), max_size=panel.n_days - 1))
        mask[list(shut)] = True
        kwargs["exclude"] = mask
    if draw(st.booleans()):
        kwargs["fallback_daily_rate"] = draw(st.floats(0, 10))
    return kwargs


def call_metrics(self: tm.Panel, **kwargs: Any) -> tm.PanelMetrics:
    return self.metrics(**kwargs)


def long_table(panel: tm.Panel) -> Kwargs:
    columns = panel.to_long()
    return {name: column.tolist() for name, column in columns.items()}


def check_district(result: tm.SimulatedDistrict, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.SimulatedDistrict)
    for name in ("sales", "inventory", "deliveries", "demand", "lost_sales"):
        assert finite_non_negative(getattr(result, name))
    assert np.array_equal(arr(result.lost_sales), arr(result.demand) - arr(result.sales))


@st.composite
def simulation_inputs(draw: st.DrawFn) -> Kwargs:
    mean = draw(
        hnp.arrays(
            np.float64,
            hnp.array_shapes(min_dims=1, max_dims=3, max_side=7),
            elements=st.floats(0, 20),
        )
    )
    kwargs: Kwargs = {
        "mean_demand": mean,
        "quota": draw(st.integers(0, 100)),
        "start": draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))),
        "seed": draw(st.integers(0, 2**32)),
    }
    if draw(st.booleans()):
        kwargs["cycle_days"] = draw(st.integers(1, 7))
    if draw(st.booleans()):
        kwargs["dispersion"] = draw(st.floats(0.5, 50) | st.just(math.inf))
    if draw(st.booleans()):
        kwargs["token_stock"] = draw(st.integers(0, 3))
    if draw(st.booleans()):
        kwargs["opening_inventory"] = draw(st.integers(0, 50))
    return kwargs


@st.composite
def lost_sales_inputs(draw: st.DrawFn, *, cycles: bool) -> Kwargs:
    cycle_days = draw(st.integers(1, 7))
    n_cycles = draw(st.integers(1, 3))
    method = draw(st.sampled_from(tm.LOST_SALES_METHODS))
    sales, inventory = draw(
        sales_and_stock(
            min_days=cycle_days * n_cycles,
            max_days=cycle_days * n_cycles,
            cycle_days=cycle_days,
            series_shapes=hnp.array_shapes(min_dims=0, max_dims=2, max_side=2),
            # The censored model counts whole cartons (and its run time grows with them).
            dtypes=st.sampled_from([np.dtype(np.int64), np.dtype(np.int32)])
            if method == "censored"
            else None,
            scales=st.just(1) if method == "censored" else None,
        )
    )
    kwargs: Kwargs = {"sales": sales, "inventory": inventory, "method": method}
    if method != "seed" or draw(st.booleans()):
        kwargs["start"] = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    if cycles:
        kwargs["cycle_days"] = cycle_days
    elif draw(st.booleans()):
        kwargs["fallback_daily_rate"] = draw(st.floats(0, 10))
    if draw(st.booleans()):
        kwargs["token_stock"] = draw(TOKENS)
    return kwargs


LOST_KINDS = {
    "sales": "small_array",
    "inventory": "small_array",
    "method": "str",
    "start": "date",
    "cycle_days": "size",
    "token_stock": "array",
    "fallback_daily_rate": "array",
    "exclude": "mask",
    "axis": "int",
}


def check_lost(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert non_negative_or_nan(result)
    assert not np.isinf(arr(result)).any()


# --------------------------------------------------------------------------- the registry


def _cases() -> dict[str, Case]:
    c: dict[str, Case] = {}
    daily = daily_inputs()

    # pricing
    c["PriceClassThresholds"] = Case(
        tm.PriceClassThresholds,
        price_class_thresholds().map(lambda t: t.to_dict()),
        dict.fromkeys(("class_i", "class_ii", "class_iii", "class_iv"), "real"),
        is_instance(tm.PriceClassThresholds),
    )
    c["price_class"] = Case(
        tm.price_class,
        st.builds(
            dict,
            allocation_price=st.lists(st.floats(0.01, 1e6), max_size=5) | st.floats(0.01, 1e6),
            thresholds=price_class_thresholds(),
        ),
        {"allocation_price": "array", "thresholds": "object"},
        check_price_codes,
    )

    # stock
    c["stockout_mask"] = Case(
        tm.stockout_mask,
        daily.map(lambda k: {n: k[n] for n in ("sales", "inventory", "token_stock")}),
        {"sales": "array", "inventory": "array", "token_stock": "array"},
        lambda r, k: check_dtype(r, "b"),
    )
    c["stockout_days"] = Case(tm.stockout_days, daily, DAILY_KINDS, check_counts)
    c["effective_sales_days"] = Case(tm.effective_sales_days, daily, DAILY_KINDS, check_counts)
    c["cycle_metrics"] = Case(
        tm.cycle_metrics,
        st.builds(
            lambda k, f: {**k, "fallback_daily_rate": f} if f is not None else k,
            daily,
            st.none() | st.floats(0, 50),
        ),
        {**DAILY_KINDS, "fallback_daily_rate": "array"},
        check_cycle_metrics,
    )
    c["projected_stockout_sales"] = Case(
        tm.projected_stockout_sales,
        cycle_totals(),
        dict.fromkeys(
            ("actual_sales", "effective_days", "stockout_days", "fallback_daily_rate"), "array"
        ),
        check_lost,
    )
    c["fulfilment_ratio"] = Case(
        tm.fulfilment_ratio,
        daily.map(metrics_from).map(
            lambda m: {
                "actual_sales": m.actual_sales,
                "projected_stockout_sales": m.projected_stockout_sales,
            }
        ),
        {"actual_sales": "array", "projected_stockout_sales": "array"},
        check_share,
    )
    c["pooled_fulfilment_ratio"] = Case(
        tm.pooled_fulfilment_ratio,
        st.builds(
            lambda m, axis: {
                "actual_sales": m.actual_sales,
                "projected_stockout_sales": m.projected_stockout_sales,
                **({"axis": axis} if axis is not None and axis < np.ndim(m.actual_sales) else {}),
            },
            daily.map(metrics_from),
            st.none() | st.integers(0, 1),
        ),
        {"actual_sales": "array", "projected_stockout_sales": "array", "axis": "int"},
        check_share,
    )
    c["stock_to_sales_ratio"] = Case(
        tm.stock_to_sales_ratio,
        daily.map(metrics_from).map(
            lambda m: {
                "inventory": m.closing_inventory,
                "average_daily_sales": m.average_daily_sales,
            }
        ),
        {"inventory": "array", "average_daily_sales": "array"},
        check_cover,
    )
    c["CycleMetrics"] = record_case(tm.CycleMetrics, daily.map(metrics_from))

    # domain
    c["Brand"] = Case(
        tm.Brand,
        brands().map(fields_of),
        {
            "code": "str",
            "name": "str",
            "allocation_price": "real",
            "retail_price": "real",
            "is_key": "bool",
            "is_new": "bool",
            "lifecycle": "enum",
            "manufacturer": "str",
            "supply_status": "enum",
            "category": "enum",
        },
        is_instance(tm.Brand),
    )
    c["Store"] = Case(
        tm.Store,
        stores().map(fields_of),
        {
            "id": "str",
            "name": "str",
            "area": "enum",
            "format": "enum",
            "manager_id": "str",
            "route": "str",
            "license_number": "str",
        },
        is_instance(tm.Store),
    )
    c["DeliveryCycle"] = Case(
        tm.DeliveryCycle,
        delivery_cycles().map(fields_of),
        {
            "store_id": "str",
            "brand_code": "str",
            "start": "date",
            "sales": "array",
            "inventory": "array",
            "closed_days": "dates",
        },
        check_cycle,
    )
    c["DeliveryCycle.metrics"] = Case(
        lambda self, **kwargs: self.metrics(**kwargs),
        st.builds(
            lambda cycle, token: {"self": cycle, "token_stock": token},
            delivery_cycles(),
            TOKENS,
        ),
        {"token_stock": "array", "fallback_daily_rate": "array"},
        lambda r, k: check_cycle_metrics(r, {"sales": np.asarray(k["self"].sales)}),
    )
    c["Visit"] = Case(
        tm.Visit,
        visits(timezones=st.none() | st.just(UTC8)).map(fields_of),
        {
            "store_id": "str",
            "manager_id": "str",
            "start": "datetime",
            "end": "datetime",
            "steps": "strs",
            "recommended_brands": "strs",
            "findings": "object",
            "planned": "bool",
        },
        check_visit_record,
    )
    c["VisitFindings"] = Case(
        tm.VisitFindings,
        visit_findings().map(fields_of),
        {
            "stock_reasonable": "bool",
            "display_tidy": "bool",
            "price_tags_complete": "bool",
            "tags_match_products": "bool",
            "illegal_cigarettes_seen": "bool",
            "notes": "str",
        },
        is_instance(tm.VisitFindings),
    )

    # units
    for name, parameter in (
        ("cartons_to_cases", "cartons"),
        ("cartons_to_packs", "cartons"),
        ("cartons_to_sticks", "cartons"),
        ("cases_to_cartons", "cases"),
        ("packs_to_cartons", "packs"),
        ("sticks_to_cartons", "sticks"),
    ):
        c[name] = unit_case(getattr(tm, name), parameter)

    # structure
    table = brand_table()
    c["class_shares"] = Case(
        tm.class_shares,
        table.map(lambda t: {"quantity": t[0], "price_class": t[1]}),
        {"quantity": "array", "price_class": "array", "axis": "int"},
        check_shares,
    )
    c["share_at_or_above"] = Case(
        tm.share_at_or_above,
        st.builds(
            lambda t, level: {"quantity": t[0], "price_class": t[1], "at_least": level},
            table,
            price_classes(),
        ),
        {"quantity": "array", "price_class": "array", "at_least": "int", "axis": "int"},
        check_share,
    )
    for name in ("average_price_per_carton", "average_price_per_case"):
        c[name] = Case(
            getattr(tm, name),
            amounts(),
            {"amount": "array", "cartons": "array", "axis": "int"},
            check_price,
        )
    c["structure_change"] = Case(
        tm.structure_change,
        st.builds(
            lambda t, after, level, priced: {
                "before_quantity": t[0],
                "after_quantity": np.asarray(after[: t[0].size], dtype=np.float64).reshape(
                    t[0].shape
                )
                if len(after) >= t[0].size
                else t[0],
                "price_class": t[1],
                "at_least": level,
                **({"price": t[2]} if priced else {}),
            },
            table,
            st.lists(st.integers(0, 100), min_size=16, max_size=16),
            price_classes(),
            st.booleans(),
        ),
        {
            "before_quantity": "array",
            "after_quantity": "array",
            "price_class": "array",
            "at_least": "int",
            "price": "array",
            "axis": "int",
        },
        check_structure_change,
    )
    c["StructureChange"] = record_case(
        tm.StructureChange,
        table.map(lambda t: tm.structure_change(t[0], t[0], t[1], price=t[2])),
    )
    c["on_shelf_rate"] = Case(
        tm.on_shelf_rate,
        st.builds(
            lambda carried, should: (
                {"carried": carried, "should_carry": should} if should else {"carried": carried}
            ),
            carried_table(),
            st.booleans(),
        ).map(lambda k: {**k, "should_carry": k["carried"] | True} if "should_carry" in k else k),
        {"carried": "mask", "should_carry": "mask", "axis": "int"},
        check_share,
    )
    c["assortment_width"] = Case(
        tm.assortment_width,
        st.builds(
            lambda carried, level, classes: {
                "carried": carried,
                "price_class": np.resize(np.array(classes), carried.shape[-1]),
                "at_least": level,
            },
            carried_table(),
            price_classes(),
            st.lists(st.integers(1, 5), min_size=1, max_size=4),
        ),
        {"carried": "mask", "price_class": "array", "at_least": "int", "axis": "int"},
        check_width,
    )
    c["ledger_sales"] = Case(
        tm.ledger_sales,
        ledgers(),
        {"opening_inventory": "array", "purchases": "array", "inventory": "array"},
        check_ledger,
    )
    c["gross_profit"] = Case(
        tm.gross_profit,
        prices_and_quantities(),
        {"quantity": "array", "retail_price": "array", "purchase_price": "array"},
        check_profit,
    )
    c["gross_margin"] = Case(
        tm.gross_margin,
        prices_and_quantities(),
        {"quantity": "array", "retail_price": "array", "purchase_price": "array", "axis": "int"},
        check_margin,
    )
    c["stockout_segment"] = Case(
        tm.stockout_segment,
        segment_inputs(),
        {"stockout_days": "array", "days": "array", "thresholds": "collection"},
        check_segment,
    )
    c["target_customers"] = Case(
        tm.target_customers,
        target_inputs(),
        {
            "volume": "array",
            "share_iii_plus": "array",
            "volume_quantile": "real",
            "share_quantile": "real",
            "axis": "int",
        },
        check_targets,
    )
    c["new_brand_sell_through"] = Case(
        tm.new_brand_sell_through,
        sell_through_inputs(),
        {"purchases": "array", "sales": "array"},
        check_share,
    )
    c["sell_through_speed"] = Case(
        tm.sell_through_speed,
        st.builds(
            lambda k, fast: {**k, "fast_at": fast}, sell_through_inputs(), st.floats(0.01, 1)
        ),
        {"purchases": "array", "sales": "array", "fast_at": "real"},
        check_speed,
    )

    # visits
    c["VisitStandard"] = Case(
        tm.VisitStandard,
        visit_standards().map(fields_of),
        {
            "min_visits_urban": "int",
            "min_visits_rural": "int",
            "min_minutes": "real",
            "first_visit_by": "time",
            "field_work_ends": "time",
            "required_steps": "strs",
        },
        is_instance(tm.VisitStandard),
    )
    c["PromotionTier"] = Case(
        tm.PromotionTier,
        promotion_tiers().map(fields_of),
        {"threshold": "real", "reward": "str"},
        is_instance(tm.PromotionTier),
    )
    c["VisitIssue"] = Case(
        tm.VisitIssue,
        st.builds(
            lambda code, steps: {"code": code, "message": "C001: missing", "steps": steps},
            st.sampled_from(["too_short", "missing_steps", "after_field_hours"]),
            st.frozensets(visit_steps()),
        ),
        {"code": "str", "message": "str", "steps": "strs"},
        is_instance(tm.VisitIssue),
    )
    c["check_visit"] = Case(
        tm.check_visit,
        st.builds(
            lambda visit, standard: {"visit": visit, "standard": standard},
            visits(timezones=st.none() | st.just(UTC8), max_duration=dt.timedelta(hours=30)),
            visit_standards(),
        ),
        {"visit": "object", "standard": "object"},
        check_issues,
    )
    c["daily_visit_report"] = Case(
        tm.daily_visit_report,
        days_of_visits(),
        {
            "visits": "visits",
            "planned_store_ids": "strs",
            "area": "enum",
            "standard": "object",
            "key_brands": "strs",
            "carried": "mapping",
        },
        check_report,
    )
    c["DailyVisitReport"] = record_case(
        tm.DailyVisitReport, days_of_visits().map(lambda k: tm.daily_visit_report(**k))
    )
    c["KeyBrandShelf"] = Case(
        tm.KeyBrandShelf,
        st.builds(
            lambda code, should, on: {"brand_code": code, "should_carry": should, "on_shelf": on},
            brand_codes(),
            st.integers(0, 40),
            st.integers(0, 40),
        ),
        {"brand_code": "object", "should_carry": "object", "on_shelf": "object"},
        is_instance(tm.KeyBrandShelf),
    )
    c["recommendation_adoption"] = Case(
        tm.recommendation_adoption,
        adoption_inputs(),
        {"visits": "visits", "orders": "collection", "within_days": "int"},
        check_adoption,
    )
    c["Adoption"] = record_case(
        tm.Adoption, adoption_inputs().map(lambda k: tm.recommendation_adoption(**k))
    )
    c["agreement_progress"] = Case(
        tm.agreement_progress,
        st.builds(
            dict,
            ordered=st.floats(0, 1e6) | st.lists(st.integers(0, 10**6), min_size=1, max_size=4),
            agreed=st.floats(1, 1e6),
            as_of=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
        ),
        {"ordered": "array", "agreed": "array", "as_of": "date"},
        check_progress,
    )
    c["AgreementProgress"] = record_case(
        tm.AgreementProgress,
        st.just(tm.agreement_progress([10.0, 20.0], 30.0, dt.date(2026, 3, 15))),
    )
    c["promotion_tier"] = Case(
        tm.promotion_tier,
        st.builds(
            dict,
            cumulative=st.integers(0, 10**5) | st.floats(0, 1e5),
            tiers=st.lists(
                promotion_tiers(), min_size=1, max_size=4, unique_by=lambda t: t.threshold
            ),
        ),
        {"cumulative": "real", "tiers": "collection"},
        check_tier,
    )

    # work calendar
    c["WorkTask"] = Case(
        tm.WorkTask,
        st.builds(
            lambda day, span, kind: {
                "date": day,
                "end": day + dt.timedelta(days=span),
                "kind": kind,
                "description": "x",
            },
            st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 1)),
            st.integers(0, 20),
            st.sampled_from(
                [
                    "month_summary",
                    "week_summary",
                    "data_collection",
                    "total_forecast",
                    "store_forecast",
                    "next_month_plan",
                ]
            ),
        ),
        {"date": "date", "end": "date", "kind": "str", "description": "str"},
        is_instance(tm.WorkTask),
    )
    c["monthly_work_calendar"] = Case(
        tm.monthly_work_calendar,
        st.builds(
            lambda year, month, holidays, rules: {
                "year": year,
                "month": month,
                "holidays": holidays,
                **({"weekday_rules": rules} if rules is not None else {}),
            },
            st.integers(1, 9999),
            st.integers(1, 12),
            st.lists(st.dates(dt.date(2025, 12, 1), dt.date(2027, 1, 31)), max_size=5),
            st.none()
            | st.fixed_dictionaries(
                {},
                optional={
                    "week_summary": st.sampled_from([MO, TH, 2, (MO, FR), None, FR(-1)]),
                    "data_collection": st.sampled_from([MO, 4, None, (TH,)]),
                },
            ),
        ),
        {"year": "int", "month": "int", "holidays": "dates", "weekday_rules": "mapping"},
        check_calendar,
        valid_may_raise=True,  # a month without a working day (every weekday a holiday)
    )

    # quota
    c["base_daily_rate"] = Case(
        tm.base_daily_rate,
        st.builds(
            lambda k, f: {**k, "fallback_daily_rate": f} if f is not None else k,
            daily,
            st.none() | st.floats(0, 20),
        ),
        {**DAILY_KINDS, "fallback_daily_rate": "array", "method": "str", "start": "date"},
        check_rate,
    )
    c["reasonable_quota"] = Case(
        tm.reasonable_quota,
        quota_inputs(),
        {
            **DAILY_KINDS,
            "cycle_days": "array",
            "adjustment": "array",
            "rounding": "str",
            "fallback_daily_rate": "array",
            "method": "str",
            "start": "date",
        },
        check_quota,
    )
    c["replenishment_order"] = Case(
        tm.replenishment_order,
        st.builds(
            dict,
            quota=st.integers(0, 500) | st.lists(st.integers(0, 500), min_size=1, max_size=4),
            inventory=st.floats(0, 500),
        ),
        {"quota": "array", "inventory": "array"},
        check_whole_cartons,
    )
    c["split_total"] = Case(
        tm.split_total,
        st.builds(
            dict,
            total=st.integers(0, 10**6),
            weights=st.lists(st.floats(0.5, 100) | st.integers(1, 100), min_size=1, max_size=6),
        ),
        {"total": "array", "weights": "array"},
        check_split,
    )
    c["allocate_supply"] = Case(
        tm.allocate_supply,
        st.builds(
            dict,
            requests=st.lists(st.integers(0, 500), min_size=1, max_size=6),
            available=st.integers(0, 3000),
            allow_increase=st.booleans(),
        ),
        {"requests": "array", "available": "array", "allow_increase": "bool"},
        check_allocation,
    )
    c["agreed_monthly_total"] = Case(
        tm.agreed_monthly_total,
        st.builds(
            dict,
            monthly_sales=st.lists(st.integers(0, 10**5), min_size=3, max_size=6),
            adjustment=st.floats(0, 3),
        ),
        {"monthly_sales": "array", "months": "int", "adjustment": "array", "axis": "int"},
        check_whole_cartons,
    )
    c["history_window"] = Case(
        tm.history_window,
        st.builds(
            dict,
            end=st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
            months=st.integers(1, 24),
        ),
        {"end": "date", "months": "int"},
        check_window,
    )
    c["holiday_mask"] = Case(
        tm.holiday_mask,
        st.builds(
            dict,
            start=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
            days=st.integers(0, 120),
            holidays=st.lists(st.dates(dt.date(2019, 12, 1), dt.date(2031, 1, 31)), max_size=6),
        ),
        {"start": "date", "days": "size", "holidays": "dates"},
        check_holidays,
    )
    c["order_days"] = Case(
        tm.order_days,
        st.builds(
            dict,
            year=st.integers(1, 9999),
            month=st.integers(1, 12),
            weekday=st.integers(0, 6) | st.sampled_from([MO, TH, FR]),
        ),
        {"year": "int", "month": "int", "weekday": "int"},
        check_order_days,
    )
    c["weekly_limits"] = Case(
        tm.weekly_limits,
        st.builds(
            dict,
            monthly_total=st.integers(0, 10**5),
            year=st.integers(1900, 2200),
            month=st.integers(1, 12),
            order_weekday=st.integers(0, 6),
            weights=st.sampled_from(["days", "equal"]),
        ),
        {
            "monthly_total": "int",
            "year": "int",
            "month": "int",
            "order_weekday": "int",
            "weights": "array",
        },
        check_limits,
    )
    c["class_limits"] = Case(
        tm.class_limits,
        st.builds(
            dict,
            totals_by_class=st.lists(st.integers(0, 10**5), min_size=5, max_size=5),
            year=st.integers(1900, 2200),
            month=st.integers(1, 12),
            order_weekday=st.integers(0, 6),
            held=st.sets(st.integers(1, 5)),
        ),
        {
            "totals_by_class": "array",
            "year": "int",
            "month": "int",
            "order_weekday": "int",
            "held": "collection",
            "weights": "array",
        },
        check_class_limits,
    )
    c["WeeklyLimits"] = Case(
        tm.WeeklyLimits,
        st.integers(1, 5).flatmap(
            lambda n: st.builds(
                dict,
                order_days=st.lists(
                    st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), min_size=n, max_size=n
                ),
                days_covered=st.lists(st.integers(1, 7), min_size=n, max_size=n),
                limits=st.lists(st.integers(0, 1000), min_size=n, max_size=n),
            )
        ),
        {"order_days": "dates", "days_covered": "collection", "limits": "array"},
        is_instance(tm.WeeklyLimits),
    )
    c["ClassLimits"] = Case(
        tm.ClassLimits,
        st.integers(1, 5).flatmap(
            lambda n: st.builds(
                dict,
                order_days=st.lists(
                    st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), min_size=n, max_size=n
                ),
                days_covered=st.lists(st.integers(1, 7), min_size=n, max_size=n),
                limits=st.lists(st.integers(0, 1000), min_size=n, max_size=n).map(
                    lambda row: [row, row]
                ),
                held=st.just([4, 5]),
            )
        ),
        {
            "order_days": "dates",
            "days_covered": "collection",
            "limits": "array",
            "held": "collection",
        },
        is_instance(tm.ClassLimits),
    )
    c["CycleLimit"] = Case(
        tm.CycleLimit,
        st.builds(
            dict,
            order_day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
            days_covered=st.integers(1, 7),
            limit=st.integers(0, 1000),
        ),
        {"order_day": "date", "days_covered": "int", "limit": "int"},
        is_instance(tm.CycleLimit),
    )
    c["QuotaAdjustment"] = Case(
        tm.QuotaAdjustment,
        adjustments().map(fields_of),
        {"start": "date", "end": "date", "factor": "real", "reason": "str"},
        is_instance(tm.QuotaAdjustment),
    )
    c["adjusted_quotas"] = Case(
        tm.adjusted_quotas,
        st.builds(
            dict,
            base_quota=st.integers(0, 500) | st.lists(st.integers(0, 500), min_size=1, max_size=3),
            cycle_starts=st.lists(
                st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), min_size=1, max_size=5
            ),
            adjustments=st.lists(adjustments(), max_size=3),
        ),
        {"base_quota": "array", "cycle_starts": "dates", "adjustments": "collection"},
        check_quota,
    )

    # panel
    c["Panel"] = Case(
        tm.Panel,
        panels().map(
            lambda p: {
                "stores": p.stores,
                "brands": p.brands,
                "start": p.start,
                "sales": p.sales,
                "inventory": p.inventory,
            }
        ),
        {
            "stores": "strs",
            "brands": "strs",
            "start": "date",
            "sales": "array",
            "inventory": "array",
        },
        check_panel,
    )
    c["Panel.from_long"] = Case(
        tm.Panel.from_long,
        panels().map(long_table),
        {
            "store": "strs",
            "brand": "strs",
            "date": "dates",
            "sales": "array",
            "inventory": "array",
        },
        check_panel,
    )
    c["Panel.metrics"] = Case(
        call_metrics,
        panel_metric_inputs(),
        {"token_stock": "array", "exclude": "mask", "fallback_daily_rate": "array"},
        check_panel_metrics,
    )
    c["PanelMetrics"] = record_case(tm.PanelMetrics, panels().map(lambda p: p.metrics()))
    c["PooledMetrics"] = record_case(
        tm.PooledMetrics, panels().map(lambda p: p.metrics().by_store())
    )

    # simulate
    c["simulate_sales"] = Case(
        tm.simulate_sales,
        simulation_inputs(),
        {
            "mean_demand": "array",
            "quota": "array",
            "start": "date",
            "seed": "int",
            "cycle_days": "size",
            "dispersion": "real",
            "token_stock": "array",
            "opening_inventory": "array",
        },
        check_district,
    )
    c["simulate_district"] = Case(
        tm.simulate_district,
        st.builds(
            dict,
            n_stores=st.integers(1, 4),
            n_brands=st.integers(1, 3),
            n_cycles=st.integers(1, 3),
            seed=st.integers(0, 2**32),
            cycle_days=st.integers(1, 7),
        ),
        {
            "n_stores": "size",
            "n_brands": "size",
            "n_cycles": "size",
            "seed": "int",
            "start": "date",
            "cycle_days": "size",
            "median_daily_demand": "real",
            "demand_spread": "real",
            "dispersion": "real",
            "holiday_lift": "real",
            "token_stock": "size",
            "token_share": "real",
        },
        check_district,
    )
    c["SimulatedDistrict"] = record_case(
        tm.SimulatedDistrict, st.just(tm.simulate_district(2, 2, 1, seed=1))
    )

    # lost sales
    c["lost_sales"] = Case(
        tm.lost_sales,
        lost_sales_inputs(cycles=True),
        {k: v for k, v in LOST_KINDS.items() if k not in ("exclude", "fallback_daily_rate")},
        check_lost,
    )
    c["estimate_daily_demand"] = Case(
        tm.estimate_daily_demand,
        lost_sales_inputs(cycles=False),
        {k: v for k, v in LOST_KINDS.items() if k != "cycle_days"},
        check_lost,
    )
    return c


CASES = _cases()


# --------------------------------------------------------------------------- issue 17: screening


@st.composite
def distortion_inputs(draw: st.DrawFn) -> Kwargs:
    sales, inventory = draw(sales_and_stock(max_days=10))
    kwargs: Kwargs = {"sales": sales, "inventory": inventory}
    if draw(st.booleans()):
        kwargs["token"] = draw(TOKENS)
        kwargs["min_days"] = draw(st.integers(1, 4))
    if draw(st.booleans()):
        kwargs["purchases"] = np.zeros(sales.shape)
        if draw(st.booleans()):
            kwargs["reported_sales"] = np.array(sales)
        kwargs["tolerance"] = draw(st.sampled_from([0, 1e-6, 0.5]))
    return kwargs


def check_distortions(result: tm.DistortionFlags, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.DistortionFlags)
    for name in tm.DISTORTION_KINDS:
        days = np.asarray(getattr(result, f"{name}_days"))
        check_dtype(days, "b")
        assert np.array_equal(np.asarray(getattr(result, name)), days.any(axis=-1))


@st.composite
def volatile_inputs(draw: st.DrawFn) -> Kwargs:
    cycle = draw(st.integers(1, 4))
    sales, _ = draw(
        sales_and_stock(
            series_shapes=st.sampled_from([(2,), (3, 2)]), min_days=2 * cycle, max_days=4 * cycle
        )
    )
    kwargs: Kwargs = {"sales": sales, "cycle_days": cycle, "partial": "drop"}
    if draw(st.booleans()):
        kwargs["top"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        kwargs["stores"] = [f"C{i}" for i in range(sales.shape[0])]
    return kwargs


def check_volatile(result: tm.VolatileCustomers, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.VolatileCustomers)
    assert non_negative_or_nan(result.cv)
    assert len(set(np.asarray(result.order).tolist())) == np.asarray(result.order).size


@st.composite
def cap_inputs(draw: st.DrawFn) -> Kwargs:
    n = draw(st.integers(1, 4))
    status = draw(st.lists(st.sampled_from([*tm.SupplyStatus, None]), min_size=n, max_size=n))
    kwargs: Kwargs = {
        "status": status,
        "control_level": np.array(draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))),
    }
    if draw(st.booleans()):
        kwargs["points"] = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if draw(st.booleans()):
        kwargs["capped"] = draw(st.sets(st.sampled_from(list(tm.SupplyStatus))))
    return kwargs


def check_caps(result: Any, kwargs: Kwargs) -> None:
    check_dtype(result, "f")
    assert non_negative_or_nan(result)
    assert not np.isinf(np.asarray(result)).any()


@st.composite
def schedule_inputs(draw: st.DrawFn) -> Kwargs:
    n = draw(st.integers(1, 5))
    stores = [f"C{i}" for i in range(n)]
    return {
        "stores": stores,
        "frequency": np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))),
        "year": 2026,
        "month": draw(st.integers(1, 12)),
        "area": draw(st.sampled_from(["urban", "rural"])),
        "holidays": [dt.date(2026, 5, 1)],
        "standard": tm.VisitStandard(min_visits_urban=1, min_visits_rural=0),
        "priority": draw(st.none() | st.just(np.arange(n, dtype=float))),
        "focus": draw(st.sets(st.sampled_from(stores), max_size=2)),
    }


def check_schedule(result: tm.VisitSchedule, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.VisitSchedule)
    assert np.all(result.daily_counts >= result.min_visits)
    assert np.all(result.visit_counts >= result.frequency)


ROUTE_PANEL = tm.Panel(
    ["C1", "C2"],
    ["B1", "NEW"],
    "2026-03-02",
    [[[1, 2, 0], [1, 0, 0]], [[3, 0, 1], [0, 0, 0]]],
    [[[4, 2, 2], [3, 3, 3]], [[5, 5, 4], [1, 1, 1]]],
)


@st.composite
def route_inputs(draw: st.DrawFn) -> Kwargs:
    kwargs: Kwargs = {
        "panel": ROUTE_PANEL,
        "visited": draw(st.sets(st.sampled_from(["C1", "C2"]), min_size=1)),
        "price_class": np.array([2, 3]),
        "key_customers": draw(st.sets(st.sampled_from(["C1", "C2"]))),
        "cover_range": draw(st.sampled_from([(2.0, 7.0), (0, 1)])),
        "token_stock": draw(TOKENS),
    }
    if draw(st.booleans()):
        kwargs["new_brands"] = {"NEW"}
        kwargs["purchases"] = np.array([[0, 4], [0, 0]])
        kwargs["fast_at"] = draw(st.floats(0.1, 1))
    return kwargs


def _issue17_cases() -> dict[str, Case]:
    c: dict[str, Case] = {}
    c["distortion_flags"] = Case(
        tm.distortion_flags,
        distortion_inputs(),
        {
            "sales": "array",
            "inventory": "array",
            "token": "array",
            "min_days": "int",
            "purchases": "array",
            "reported_sales": "array",
            "tolerance": "real",
        },
        check_distortions,
    )
    c["DistortionFlags"] = record_case(
        tm.DistortionFlags, distortion_inputs().map(lambda k: tm.distortion_flags(**k))
    )
    c["volatile_customers"] = Case(
        tm.volatile_customers,
        volatile_inputs(),
        {
            "sales": "array",
            "cycle_days": "size",
            "top": "int",
            "stores": "object",
            "partial": "enum",
        },
        check_volatile,
    )
    c["VolatileCustomers"] = record_case(
        tm.VolatileCustomers, volatile_inputs().map(lambda k: tm.volatile_customers(**k))
    )
    c["control_caps"] = Case(
        tm.control_caps,
        cap_inputs(),
        {"status": "strs", "control_level": "array", "points": "mask", "capped": "strs"},
        check_caps,
    )
    c["working_days"] = Case(
        tm.working_days,
        st.fixed_dictionaries(
            {"year": st.integers(1, 9999), "month": st.integers(1, 12)},
            optional={"holidays": st.lists(st.dates(), max_size=3)},
        ),
        {"year": "int", "month": "int", "holidays": "dates"},
        is_instance(tuple),
    )
    c["visit_schedule"] = Case(
        tm.visit_schedule,
        schedule_inputs(),
        {
            "stores": "strs",
            "frequency": "array",
            "year": "int",
            "month": "int",
            "area": "enum",
            "holidays": "dates",
            "standard": "object",
            "priority": "array",
            "focus": "strs",
        },
        check_schedule,
    )
    c["VisitSchedule"] = record_case(
        tm.VisitSchedule, schedule_inputs().map(lambda k: tm.visit_schedule(**k))
    )
    c["route_stock_report"] = Case(
        tm.route_stock_report,
        route_inputs(),
        {
            "panel": "object",
            "visited": "strs",
            "price_class": "array",
            "key_customers": "strs",
            "new_brands": "strs",
            "purchases": "array",
            "cover_range": "object",
            "token_stock": "array",
            "fast_at": "real",
        },
        is_instance(tm.RouteStockReport),
    )
    reports = route_inputs().map(lambda k: tm.route_stock_report(**k))
    c["RouteStockReport"] = record_case(tm.RouteStockReport, reports)
    c["KeyCustomerStock"] = record_case(
        tm.KeyCustomerStock,
        st.just(tm.KeyCustomerStock("C1", 3.0, 1.5, 0, 1.0, ())),
    )
    c["NewBrandSpeed"] = record_case(
        tm.NewBrandSpeed, st.just(tm.NewBrandSpeed("NEW", 1, ("C1",), (), 0.75))
    )
    return c


CASES.update(_issue17_cases())


# --------------------------------------------------------------------------- specific checks


def check_errors() -> None:
    assert issubclass(tm.TobaccoMetricsError, ValueError)
    for name in errors_module.__all__:
        cls = getattr(tm, name)
        assert issubclass(cls, tm.TobaccoMetricsError)
        error = cls("'x' must be >= 0: -1")
        assert str(error) == "'x' must be >= 0: -1"
    assert issubclass(tm.InconsistentLedgerError, tm.InvalidValueError)


def check_labelled_enum(cls: Any) -> Callable[[], None]:
    def check() -> None:
        assert len(cls) > 0
        for member in cls:
            assert cls(member.value) is member
            assert isinstance(member.label, str)
            assert member.label
        with pytest.raises(ValueError, match="bogus"):
            cls("bogus")

    return check


def check_price_class_enum() -> None:
    assert [int(member) for member in tm.PriceClass] == [1, 2, 3, 4, 5]
    assert [member.label for member in tm.PriceClass] == ["一类", "二类", "三类", "四类", "五类"]


def check_units_constants() -> None:
    assert tm.CARTONS_PER_CASE == 250
    assert tm.PACKS_PER_CARTON == 10
    assert tm.STICKS_PER_PACK == 20
    assert tm.STICKS_PER_CARTON == tm.PACKS_PER_CARTON * tm.STICKS_PER_PACK == 200


def check_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?\w+)*", tm.__version__)


def check_weekday_profile() -> None:
    profile = tm.DEFAULT_WEEKDAY_PROFILE
    assert isinstance(profile, tuple)
    assert len(profile) == 7
    assert all(isinstance(v, float) and math.isfinite(v) and v > 0 for v in profile)


def check_lost_sales_methods() -> None:
    assert get_args(tm.LostSalesMethod) == tm.LOST_SALES_METHODS
    assert tm.LOST_SALES_METHODS == ("seed", "weekday", "censored")


def check_screening_constants() -> None:
    assert tm.DISTORTION_KINDS == (
        "token_hold",
        "zeroed_before_order",
        "missing_upload",
        "ledger_mismatch",
    )
    capped = {tm.SupplyStatus.CONTROLLED, tm.SupplyStatus.POINT_CONTROLLED}
    assert capped == tm.DEFAULT_CAPPED_STATUSES


def check_panel_from_frame() -> None:
    """Adversarial frames: a refusal naming the problem, never another exception or a warning."""
    valid = {
        "store": ["C1", "C1"],
        "brand": ["B", "B"],
        "date": ["2026-03-02", "2026-03-03"],
        "sales": [1.0, 2.0],
        "inventory": [3.0, 1.0],
    }
    frame = pd.DataFrame(valid)
    before = frame.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tm.panel_from_frame(frame).sales.tolist() == [[[1.0, 2.0]]]
        bad_values: list[tuple[str, Any]] = [
            ("sales", [np.nan, 1.0]),
            ("sales", [np.inf, 1.0]),
            ("inventory", [-1.0, 1.0]),
            ("sales", [1e308, "x"]),
            ("date", ["NaT", "2026-03-03"]),
            ("date", ["0000-01-01", "2026-03-03"]),
            ("date", ["2026-03-02", "2126-03-03"]),
            ("date", [None, "2026-03-03"]),
            ("store", [None, "C1"]),
            ("store", ["", "C1"]),
        ]
        for column, values in bad_values:
            broken = pd.DataFrame({**valid, column: values})
            with pytest.raises((TobaccoMetricsError, TypeError)) as excinfo:
                tm.panel_from_frame(broken)
            assert str(excinfo.value)
        for not_a_frame in (None, 3, [[1, 2]], np.zeros((2, 5)), pd.Series([1.0])):
            with pytest.raises(TypeError, match=r"must be a dataframe|cannot be read as a table"):
                tm.panel_from_frame(not_a_frame)
        with pytest.raises(TobaccoMetricsError):
            tm.panel_from_frame(frame.iloc[:0])
    pd.testing.assert_frame_equal(frame, before)


SIMPLE: dict[str, Callable[[], None]] = {
    "panel_from_frame": check_panel_from_frame,
    "__version__": check_version,
    **dict.fromkeys(errors_module.__all__, check_errors),
    "PriceClass": check_price_class_enum,
    "AreaType": check_labelled_enum(tm.AreaType),
    "StoreFormat": check_labelled_enum(tm.StoreFormat),
    "LifecycleStage": check_labelled_enum(tm.LifecycleStage),
    "VisitStep": check_labelled_enum(tm.VisitStep),
    "SupplyStatus": check_labelled_enum(tm.SupplyStatus),
    "BrandCategory": check_labelled_enum(tm.BrandCategory),
    "DISTORTION_KINDS": check_screening_constants,
    "DEFAULT_CAPPED_STATUSES": check_screening_constants,
    **dict.fromkeys(
        ("CARTONS_PER_CASE", "PACKS_PER_CARTON", "STICKS_PER_PACK", "STICKS_PER_CARTON"),
        check_units_constants,
    ),
    "DEFAULT_WEEKDAY_PROFILE": check_weekday_profile,
    "LOST_SALES_METHODS": check_lost_sales_methods,
    "LostSalesMethod": check_lost_sales_methods,
}


# -- decisions and assessment (quota review, service quota, cover status, scorecard)


def check_review(result: tm.QuotaReview, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.QuotaReview)
    check_dtype(result.proposed, "i")
    assert np.all(arr(result.proposed) >= 0)
    assert set(arr(result.action).reshape(-1).tolist()) <= set(tm.REVIEW_ACTIONS)
    assert in_unit_interval(result.fulfilment)
    flags = np.stack([arr(getattr(result.reasons, name)) for name in tm.REVIEW_REASONS])
    assert flags.any(axis=0).all()


def check_cover_status(result: Any, kwargs: Kwargs) -> None:
    assert set(arr(result).reshape(-1).tolist()) <= set(tm.COVER_STATUSES)
    assert arr(result).shape == arr(kwargs["cover"]).shape


def check_scorecard(result: tm.Scorecard, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.Scorecard)
    assert in_unit_interval(result.fulfilment)
    assert in_unit_interval(result.stockout_rate)
    assert in_unit_interval(result.in_range_share)
    score = arr(result.score)
    assert np.all(np.isnan(score) | ((score >= 0) & (score <= 100 + 1e-9)))


@st.composite
def review_inputs(draw: st.DrawFn) -> Kwargs:
    kwargs = draw(lost_sales_inputs(cycles=True))
    kwargs["quota"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        kwargs["supplied"] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        kwargs["max_quota"] = draw(st.integers(0, 150))
    if draw(st.booleans()):
        kwargs["target_fulfilment"] = draw(st.floats(0, 1))
    if draw(st.booleans()):
        kwargs["max_change"] = draw(st.floats(0, 3))
    if draw(st.booleans()):
        low = draw(st.floats(0, 10))
        kwargs["cover_range"] = (low, low + draw(st.floats(0, 10)))
    return kwargs


@st.composite
def service_inputs(draw: st.DrawFn) -> Kwargs:
    kwargs = draw(lost_sales_inputs(cycles=True))
    if draw(st.booleans()):
        kwargs["fill_rate"] = draw(st.floats(0, 0.999))
    if draw(st.booleans()):
        kwargs["dispersion"] = draw(st.floats(0.5, 100) | st.just(math.inf))
    return kwargs


@st.composite
def scorecard_inputs(draw: st.DrawFn) -> Kwargs:
    sales, stock = draw(sales_and_stock())
    metrics = tm.cycle_metrics(sales, stock)
    shape = sales.shape[:-1]
    kwargs: Kwargs = {
        "metrics": metrics,
        "by": draw(st.integers(0, 3) | hnp.arrays(np.int64, shape, elements=st.integers(0, 3))),
    }
    if draw(st.booleans()):
        kwargs["carried"] = draw(hnp.arrays(np.bool_, shape))
    if draw(st.booleans()):
        kwargs["weights"] = {"fulfilment": draw(st.floats(0.1, 5)), "in_range_share": 1.0}
    return kwargs


CASES.update(
    {
        "quota_review": Case(
            tm.quota_review,
            review_inputs(),
            {
                "quota": "array",
                "sales": "small_array",
                "inventory": "small_array",
                "supplied": "array",
                "cycle_days": "size",
                "target_fulfilment": "real",
                "cover_range": "object",
                "max_change": "real",
                "token_stock": "array",
                "method": "str",
                "start": "date",
                "max_quota": "array",
            },
            check_review,
        ),
        "service_quota": Case(
            tm.service_quota,
            service_inputs(),
            {
                "sales": "small_array",
                "inventory": "small_array",
                "fill_rate": "array",
                "cycle_days": "size",
                "token_stock": "array",
                "start": "date",
                "method": "str",
                "dispersion": "real",
            },
            check_quota,
            valid_may_raise=True,  # a cycle demand too large or spread for the exact sum
        ),
        "cover_status": Case(
            tm.cover_status,
            st.builds(
                dict,
                cover=st.floats(0, 30) | hnp.arrays(np.float64, ODD_SHAPES, elements=st.floats(0)),
            ),
            {"cover": "array", "cover_range": "object"},
            check_cover_status,
        ),
        "scorecard": Case(
            tm.scorecard,
            scorecard_inputs(),
            {
                "metrics": "object",
                "by": "object",
                "cover_range": "object",
                "weights": "mapping",
                "carried": "mask",
            },
            check_scorecard,
        ),
    }
)


def check_decision_names() -> None:
    assert get_args(tm.ReviewAction) == tm.REVIEW_ACTIONS == ("raise", "cut", "hold")
    assert get_args(tm.ReviewReason) == tm.REVIEW_REASONS
    assert get_args(tm.CoverStatus) == tm.COVER_STATUSES
    assert set(tm.DEFAULT_SCORE_WEIGHTS) == {"fulfilment", "stockout_rate", "in_range_share"}
    review = tm.quota_review(70, [14] * 5 + [0, 0], [56, 42, 28, 14, 0, 0, 0])
    assert isinstance(review.reasons, tm.ReviewReasons)


SIMPLE.update(
    dict.fromkeys(
        (
            "REVIEW_ACTIONS",
            "REVIEW_REASONS",
            "COVER_STATUSES",
            "ReviewAction",
            "ReviewReason",
            "CoverStatus",
            "DEFAULT_SCORE_WEIGHTS",
            "ReviewReasons",
            "QuotaReview",
            "Scorecard",
        ),
        check_decision_names,
    )
)


def test_every_public_name_is_covered() -> None:
    uncovered = sorted(set(tm.__all__) - set(CASES) - set(SIMPLE))
    assert not uncovered, f"public names without a robustness case: {', '.join(uncovered)}"


def test_registry_names_are_public() -> None:
    unknown = sorted(
        name for name in set(CASES) | set(SIMPLE) if name.split(".")[0] not in tm.__all__
    )
    assert not unknown, f"robustness cases for names that are not public: {unknown}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_registry_arguments_are_parameters(name: str) -> None:
    case = CASES[name]
    try:
        signature = inspect.signature(case.call)
    except ValueError:  # pragma: no cover - a builtin without a signature
        return
    accepts_anything = any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD
        for parameter in signature.parameters.values()
    )
    unknown = sorted(set(case.kinds) - set(signature.parameters))
    assert accepts_anything or not unknown, f"{name} has no parameters {unknown}"


@pytest.mark.parametrize("name", sorted(SIMPLE))
def test_simple_names(name: str) -> None:
    SIMPLE[name]()


# --------------------------------------------------------------------------- the sweep


def snapshot(kwargs: Kwargs) -> tuple[bytes, list[bool]]:
    """What must not change: the pickled arguments and the arrays' writeable flags."""
    flags: list[bool] = []

    def walk(value: Any) -> None:
        if isinstance(value, np.ndarray):
            flags.append(bool(value.flags.writeable))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for value in kwargs.values():
        walk(value)
    return pickle.dumps(kwargs), flags


def call_once(case: Case, kwargs: Kwargs, corrupted: dict[str, Bad]) -> None:
    """Call, and check the outcome against the contract."""
    before = snapshot(kwargs)
    wrong_type = any(bad.wrong_type for bad in corrupted.values())
    allowed: tuple[type[BaseException], ...] = (
        (TobaccoMetricsError, TypeError) if wrong_type else (TobaccoMetricsError,)
    )
    raised: BaseException | None = None
    # numpy's default error state: warn on overflow, division by zero and invalid values.
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = case.call(**kwargs)
        except allowed as error:
            raised = error
        else:
            case.check(result, kwargs)
    if raised is not None:
        name = type(raised).__name__
        assert str(raised).strip(), f"{name} without a message"
        assert corrupted or case.valid_may_raise, f"a valid call raised {name}: {raised}"
    assert not caught, [f"{w.category.__name__}: {w.message}" for w in caught]
    assert snapshot(kwargs) == before, "an input was modified"


def sweep_settings() -> settings:
    return settings(
        settings.default,
        max_examples=max(10, settings().max_examples // 3),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
@sweep_settings()
def test_sweep(name: str, data: st.DataObject) -> None:
    case = CASES[name]
    kwargs = dict(data.draw(case.valid, label="valid call"))
    names = sorted(case.kinds)
    chosen = data.draw(st.sets(st.sampled_from(names), max_size=2), label="corrupted")
    corrupted: dict[str, Bad] = {}
    for argument in sorted(chosen):
        corrupted[argument] = data.draw(KINDS[case.kinds[argument]].strategy(), label=argument)
        kwargs[argument] = corrupted[argument].value
    call_once(case, kwargs, corrupted)


@pytest.mark.parametrize("name", sorted(CASES))
@given(data=st.data())
@settings(settings.default, max_examples=2, suppress_health_check=[HealthCheck.too_slow])
def test_every_fixed_value(name: str, data: st.DataObject) -> None:
    """Each argument in turn gets each fixed adversarial value of its kind, in a valid call."""
    case = CASES[name]
    valid = data.draw(case.valid, label="valid call")
    for argument in sorted(case.kinds):
        for fixed in KINDS[case.kinds[argument]].fixed:
            bad = fixed.bad()
            try:
                call_once(case, {**valid, argument: bad.value}, {argument: bad})
            except Exception as error:
                raise AssertionError(
                    f"{name} with {argument}={bad.value!r}: {type(error).__name__}: {error}"
                ) from error


EDGE_CALLS: dict[str, Callable[[], Any]] = {
    "monthly_work_calendar first": lambda: tm.monthly_work_calendar(1, 1),
    "monthly_work_calendar last": lambda: tm.monthly_work_calendar(
        9999, 12, holidays=[dt.date.max], weekday_rules={"data_collection": None}
    ),
    "monthly_work_calendar last, Fridays": lambda: tm.monthly_work_calendar(
        9999, 12, weekday_rules={"week_summary": FR(-1), "data_collection": (MO, TH)}
    ),
    "order_days last": lambda: tm.order_days(9999, 12, 6),
    "weekly_limits last": lambda: tm.weekly_limits(100, 9999, 12, order_weekday=4),
    "weekly_limits first": lambda: tm.weekly_limits(100, 1, 1, order_weekday=0),
    "history_window last": lambda: tm.history_window(dt.date.max, 12),
    "history_window first": lambda: tm.history_window(dt.date(1, 3, 31), 2),
    "holiday_mask last": lambda: tm.holiday_mask(dt.date.max, 1, [dt.date.max]),
    "agreement_progress last": lambda: tm.agreement_progress(1, 2, dt.date.max),
    "CycleLimit last": lambda: tm.CycleLimit(dt.date.max, 1, 3).last_day,
    "DeliveryCycle last": lambda: tm.DeliveryCycle("C", "B", dt.date.max, [1], [2]).metrics(),
    "Panel last": lambda: tm.Panel(["C"], ["B"], dt.date.max, [[[1]]], [[[2]]]).metrics(),
    "Visit last": lambda: tm.check_visit(tm.Visit("C", "M", dt.datetime.max, dt.datetime.max)),
    "recommendation_adoption last": lambda: tm.recommendation_adoption(
        [tm.Visit("C", "M", dt.datetime.max, dt.datetime.max, recommended_brands={"B"})],
        [("C", "B", dt.date.max)],
        within_days=10**9,
    ),
    "WorkTask last": lambda: tm.WorkTask(dt.date.max, kind="month_summary", description="x").days,
}


@pytest.mark.parametrize("name", sorted(EDGE_CALLS))
def test_calendar_edges(name: str) -> None:
    """The first and last days of the calendar: a result, or a TobaccoMetricsError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = "a result"
        try:
            EDGE_CALLS[name]()
        except TobaccoMetricsError as error:
            message = str(error)
    assert message
    assert not caught


def test_sweep_detects_a_modified_input() -> None:
    def scribble(values: NDArray[Any]) -> None:
        values[0] = -1

    case = Case(scribble, st.nothing(), {}, no_check)
    with pytest.raises(AssertionError, match="modified"):
        call_once(case, {"values": np.array([1.0, 2.0])}, {})


def test_sweep_detects_a_warning() -> None:
    def divide(values: NDArray[Any]) -> NDArray[Any]:
        return np.asarray(values) / 0

    case = Case(divide, st.nothing(), {}, no_check)
    with pytest.raises(AssertionError, match="RuntimeWarning"):
        call_once(case, {"values": np.array([1.0])}, {})


def test_sweep_refuses_other_exceptions() -> None:
    def fail(values: Any) -> None:
        raise ValueError("not ours")

    case = Case(fail, st.nothing(), {}, no_check)
    with pytest.raises(ValueError, match="not ours"):
        call_once(case, {"values": 1}, {"values": Bad(1, wrong_type=True)})


if __name__ == "__main__":  # pragma: no cover - a quick listing for maintainers
    print("\n".join(sorted(CASES)), file=sys.stderr)
