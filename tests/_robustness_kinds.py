"""The robustness sweep's adversarial values, by kind, and the catalogue of parameters.

Each public parameter name maps to one kind in :data:`CATALOGUE`; a swept callable's kinds
are read from its signature (:func:`parameters_of`).
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
from dateutil.rrule import FR, MO, TH
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tobacco_metrics as tm
from tobacco_metrics.strategies import (
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
        2**53 + 1,
        2**63,
        2**63 + 10,
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


# The kind of adversarial values of each public parameter, by name: a function's kinds
# are read from its signature (an attrs class's from its fields), so a new public
# parameter without an entry here fails `test_every_parameter_has_a_kind`.
def of_kind(kind: str, names: str) -> dict[str, str]:
    return dict.fromkeys(names.split(), kind)


CATALOGUE: dict[str, str] = {
    **of_kind("array", "sellout_share"),
    **of_kind("mask", "hold_back"),
    **of_kind("real", "drift_factor drift_share office_share week_shock_sd zero_inflation"),
    **of_kind("str", "mixing"),
    **of_kind(
        "array",
        """
        actual_sales adjustment after_quantity agreed amount available average_daily_sales
        base_quota before_quantity cartons cases control_level cover effective_days
        fallback_daily_rate fill_rate frequency inventory limits max_quota mean_demand
        monthly_sales opening_inventory ordered packs price price_class priority
        projected_stockout_sales purchase_price purchases quantity quota reported_sales
        requests retail_price sales share_iii_plus sticks stockout_days supplied token
        token_stock total totals_by_class volume weekday_profile weights
        """,
    ),
    **of_kind(
        "real",
        """
        allocation_price class_i class_ii class_iii class_iv cumulative demand_spread
        dispersion factor fast_at holiday_lift max_change median_daily_demand min_minutes
        share_quantile target_fulfilment threshold token_share tolerance volume_quantile
        """,
    ),
    **of_kind(
        "str",
        """
        brand_code code description id kind license_number manager_id manufacturer message
        method missing name notes reason reward rounding route store_id
        """,
    ),
    **of_kind(
        "int",
        """
        at_least axis limit min_days min_visits_rural min_visits_urban month monthly_total
        months order_weekday seed top weekday within_days year
        """,
    ),
    **of_kind(
        "strs",
        """
        brand brands capped focus key_brands key_customers new_brands planned_store_ids
        recommended_brands required_steps status steps store stores visited
        """,
    ),
    **of_kind(
        "object",
        """
        by cover_range findings metrics on_shelf panel plan quota_share should_carry standard
        thresholds visit
        """,
    ),
    **of_kind(
        "bool",
        """
        allow_increase display_tidy illegal_cigarettes_seen is_key is_new planned
        price_tags_complete stock_reasonable tags_match_products
        """,
    ),
    **of_kind(
        "enum",
        """
        area category format lifecycle partial supply_status
        """,
    ),
    **of_kind(
        "size",
        """
        cycle_days days n_brands n_cycles n_stores workers
        """,
    ),
    **of_kind(
        "collection",
        """
        adjustments days_covered held orders tiers
        """,
    ),
    **of_kind(
        "dates",
        """
        closed_days cycle_starts date holidays makeup_workdays moved_from order_days
        """,
    ),
    **of_kind(
        "date",
        """
        as_of end order_day start
        """,
    ),
    **of_kind(
        "mask",
        """
        carried exclude points
        """,
    ),
    **of_kind(
        "time",
        """
        field_work_ends first_visit_by
        """,
    ),
    **of_kind(
        "visits",
        """
        visits
        """,
    ),
    **of_kind(
        "mapping",
        """
        weekday_rules
        """,
    ),
}


def parameters_of(call: Callable[..., Any]) -> list[str]:
    """The public names a caller passes: an attrs class's init fields, else the signature's."""
    if isinstance(call, type) and attrs.has(call):
        return [
            field.alias
            for field in attrs.fields(call)
            if field.init and field.alias and not field.alias.startswith("_")
        ]
    skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [
        parameter.name
        for parameter in inspect.signature(call).parameters.values()
        if parameter.kind not in skip
        and parameter.name != "self"
        and not parameter.name.startswith("_")
    ]


@attrs.frozen
class Case:
    """How the sweep calls one public name."""

    call: Callable[..., Any]
    valid: st.SearchStrategy[Kwargs]
    check: Check
    # Whether a valid call may still raise a documented TobaccoMetricsError.
    valid_may_raise: bool = False
    # Kinds that differ from the catalogue's for this name's parameters.
    overrides: Mapping[str, str] = attrs.field(factory=dict)
    # The public callable whose parameters count, when `call` wraps it.
    signature: Callable[..., Any] | None = None
    # A result record without validation: every field takes any object.
    unvalidated: bool = False

    @property
    def parameters(self) -> list[str]:
        return parameters_of(self.signature or self.call)

    @property
    def kinds(self) -> dict[str, str]:
        if self.unvalidated:
            return dict.fromkeys(self.parameters, "object")
        return {
            name: self.overrides.get(name) or CATALOGUE[name]
            for name in self.parameters
            if name in self.overrides or name in CATALOGUE
        }
