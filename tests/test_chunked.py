"""The free functions over large panels: the chunked path gives the unchunked path's results.

cycle_metrics, base_daily_rate, reasonable_quota and quota_review send a large
plain-numpy panel through the chunked kernel (tobacco_metrics._chunked).  Here
the route is forced on small random panels cut into tiny chunks and compared,
bit for bit, with the same call on the unchunked numpy path; errors too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import tobacco_metrics as tm
from tobacco_metrics import _chunked, _cycle
from tobacco_metrics._validation import finite_non_negative_high
from tobacco_metrics.errors import InvalidValueError, TobaccoMetricsError
from tobacco_metrics.panel import _kernel as kernel_module

FIELDS = tm.stock.CYCLE_METRIC_FIELDS


@contextlib.contextmanager
def route(chunk: int | None) -> Iterator[list[int]]:
    """Force the chunked path (tiny chunks of ``chunk`` cells) or, with None, forbid it.

    Yields a list that counts the kernel's runs, so a test can check the path it took.
    """
    runs: list[int] = []
    kernel = kernel_module.panel_kernel

    def counted(*args: Any, **kwargs: Any) -> Any:
        result = kernel(*args, **kwargs)
        runs.append(1)  # a run that raised is not counted: the unchunked path took over
        return result

    cells = 1 << 62 if chunk is None else 1
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(_chunked, "ROUTE_CELLS", cells))
        stack.enter_context(mock.patch.object(kernel_module, "panel_kernel", counted))
        if chunk is not None:
            stack.enter_context(mock.patch.object(kernel_module, "CHUNK_CELLS", chunk))
            stack.enter_context(mock.patch.object(kernel_module, "CHUNK_CELLS_MIN", 1))
            stack.enter_context(mock.patch.object(kernel_module, "BLOCK_CELLS", 3 * chunk))
            stack.enter_context(mock.patch.object(_chunked, "CYCLE_BLOCK_CELLS", 3 * chunk))
        yield runs


def both_ways(call: Callable[[], Any], chunk: int) -> tuple[Any, Any, bool]:
    """(unchunked result or error, chunked result or error, whether the kernel ran)."""

    def outcome() -> Any:
        try:
            return call()
        except (TobaccoMetricsError, TypeError) as error:
            return (type(error), str(error))

    with route(None):
        expected = outcome()
    with route(chunk) as runs:
        got = outcome()
    return expected, got, bool(runs)


def assert_identical(got: Any, expected: Any) -> None:
    """The same array bit for bit: dtype, shape, values, NaN, the sign of zeros."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected, strict=True)
    if got.dtype.kind == "f":
        assert np.array_equal(np.signbit(got), np.signbit(expected))


@st.composite
def panels(draw: st.DrawFn, *, whole: bool = False) -> dict[str, Any]:
    """A random 2-, 3- or 4-D panel (day axis last) with its options."""
    ndim = draw(st.sampled_from([2, 3, 3, 4]))
    lead = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim - 1, max_size=ndim - 1)))
    n_days = draw(st.sampled_from([1, 2, 5, 7, 12, 30, 40]))  # 8+: pairwise sums
    shape = (*lead, n_days)
    dtype = np.dtype(draw(st.sampled_from([np.float32, np.float64, np.int32, np.int64])))
    values = st.integers(0, 6)
    sales = draw(hnp.arrays(np.int64, shape, elements=values))
    stock = draw(hnp.arrays(np.int64, shape, elements=values))
    sales = np.where(draw(hnp.arrays(np.bool_, shape)), 0, sales)  # days without sales
    sales = sales.astype(dtype)
    stock = stock.astype(dtype)
    if dtype.kind == "f" and not whole and draw(st.booleans()):
        scale = draw(st.sampled_from([0.1, 1 / 3, 1e-3, 1e7]))
        spread = draw(hnp.arrays(np.float64, shape, elements=st.floats(0.5, 2.0)))
        sales = (sales * scale * spread).astype(dtype)
        stock = (stock * scale).astype(dtype)
    if dtype.kind == "f" and draw(st.booleans()):  # -0.0 passes the checks
        sales = np.where(sales == 0, dtype.type(-0.0), sales)
    token = draw(
        st.sampled_from(
            [
                0,
                2,
                0.5,
                np.float32(1.5),
                np.zeros(shape, dtype=np.int64) + 1,
                np.full((*lead[:1], *(1,) * (ndim - 1)), 2.5),
                np.broadcast_to(np.float64(1.0), shape),  # a broadcast view: passed compact
                np.broadcast_to(np.arange(n_days) % 3, shape),
            ]
        )
    )
    exclude = None
    if draw(st.booleans()):
        exclude = draw(hnp.arrays(np.bool_, draw(st.sampled_from([(n_days,), shape]))))
        if draw(st.booleans()):
            exclude = np.broadcast_to(exclude, shape)
    fallback = draw(st.sampled_from([None, 1.5, np.full(lead, 0.5)]))
    if draw(st.booleans()):  # a strided view: every other series of the first axis
        sales = np.repeat(sales, 2, axis=0)[::2]
        stock = np.repeat(stock, 2, axis=0)[::2]
    return {
        "sales": sales,
        "inventory": stock,
        "token_stock": token,
        "exclude": exclude,
        "fallback_daily_rate": fallback,
        "chunk": draw(st.sampled_from([1, 5, 17, 64])),
    }


def options(case: dict[str, Any]) -> dict[str, Any]:
    return {name: case[name] for name in ("token_stock", "exclude", "fallback_daily_rate")}


# --------------------------------------------------------------------------- cycle_metrics


@given(panels())
def test_cycle_metrics_chunked_equals_unchunked(case: dict[str, Any]) -> None:
    expected, got, ran = both_ways(
        lambda: tm.cycle_metrics(case["sales"], case["inventory"], **options(case)), case["chunk"]
    )
    if isinstance(expected, tuple):  # an error (every day of a series excluded)
        assert got == expected
        return
    assert ran
    for name in FIELDS:
        assert_identical(getattr(got, name), getattr(expected, name))


def test_cycle_metrics_takes_the_kernel_on_a_large_panel() -> None:
    rng = np.random.default_rng(7)
    sales = rng.integers(0, 5, (70, 40, 100)).astype(np.float32)
    stock = rng.integers(0, 3, (70, 40, 100)).astype(np.float32)
    assert sales.size >= _chunked.ROUTE_CELLS
    with mock.patch.object(_chunked, "ROUTE_CELLS", 1 << 62):
        expected = tm.cycle_metrics(sales, stock)
    kernel = kernel_module.panel_kernel
    with mock.patch.object(kernel_module, "panel_kernel", wraps=kernel) as spy:
        got = tm.cycle_metrics(sales, stock)
    assert spy.call_count == 1
    for name in FIELDS:
        assert_identical(getattr(got, name), getattr(expected, name))


# A bad value at (1, 0, 2) and the message every path gives for it.
BAD_VALUES = [
    ("sales", np.nan, "'sales' must be finite: nan at index (1, 0, 2)"),
    ("sales", -1.0, "'sales' must be >= 0: -1.0 at index (1, 0, 2)"),
    ("inventory", np.inf, "'inventory' must be finite: inf at index (1, 0, 2)"),
    ("inventory", -2.0, "'inventory' must be >= 0: -2.0 at index (1, 0, 2)"),
]


@pytest.mark.parametrize(("where", "value", "message"), BAD_VALUES)
def test_chunked_errors_are_the_unchunked_ones(where: str, value: float, message: str) -> None:
    data = {"sales": np.ones((3, 2, 4)), "inventory": np.ones((3, 2, 4))}
    data[where][1, 0, 2] = value
    calls: list[Callable[..., Any]] = [tm.cycle_metrics, tm.base_daily_rate, tm.reasonable_quota]
    for call in calls:
        expected, got, _ = both_ways(lambda: call(**data), 1)  # noqa: B023 - called at once
        assert got == expected
        assert expected[1].startswith(message)


@pytest.mark.parametrize("lead", [(3,), (2, 2, 3)])  # one series axis, or three merged into two
@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("token_stock", np.ones(5), "'token_stock' with shape (5,) does not broadcast"),
        ("exclude", np.zeros(8, dtype=bool), "'exclude' with shape (8,) does not broadcast"),
        ("fallback_daily_rate", np.ones(5), "'fallback_daily_rate' with shape (5,) does not"),
        ("fallback_daily_rate", np.ones((3, 1)), "'fallback_daily_rate' with shape (3, 1) "),
    ],
)
def test_options_that_do_not_broadcast_are_the_unchunked_error(
    lead: tuple[int, ...], option: str, value: Any, message: str
) -> None:
    """2-D and 4-D panels: the option was broadcast by numpy, whose ValueError escaped."""
    data = {"sales": np.zeros((*lead, 9)), "inventory": np.zeros((*lead, 9)), option: value}
    calls: list[Callable[..., Any]] = [tm.cycle_metrics, tm.base_daily_rate, tm.reasonable_quota]
    for call in calls:
        expected, got, _ = both_ways(lambda: call(**data), 1)  # noqa: B023 - called at once
        assert got == expected
        assert expected[0] is tm.errors.ShapeMismatchError
        assert expected[1].startswith(message)


def test_declined_inputs_take_the_unchunked_path() -> None:
    sales = np.ones((3, 2, 4))
    with route(1) as runs:
        tm.cycle_metrics(sales.tolist(), sales.tolist())  # not an ndarray
        tm.cycle_metrics(sales, sales, axis=0)  # another day axis
        tm.cycle_metrics(np.ma.masked_array(sales), sales)  # masked
        tm.cycle_metrics(sales.astype(np.uint8), sales)  # a dtype the kernel does not read
        tm.cycle_metrics(sales[..., ::2], sales[..., :2])  # strided 3-D: the kernel reads it
        wide = np.ones((4, 3, 5, 7))
        tm.cycle_metrics(wide[:, :, :4], wide[:, :, 1:])  # strided 4-D: 12 × 4 series
        tm.cycle_metrics(wide[:, :2, :4, :3], wide[:, 1:, 1:, :3])  # no 2-axis view: declined
    assert runs == [1, 1]


# --------------------------------------------------------------------------- rates and quotas


@given(panels())
def test_base_daily_rate_chunked_equals_unchunked(case: dict[str, Any]) -> None:
    expected, got, _ = both_ways(
        lambda: tm.base_daily_rate(case["sales"], case["inventory"], **options(case)),
        case["chunk"],
    )
    if isinstance(expected, tuple):
        assert got == expected
        return
    assert_identical(got, expected)


@given(panels(whole=True))
def test_base_daily_rate_of_whole_sales_takes_the_kernel(case: dict[str, Any]) -> None:
    expected, got, ran = both_ways(
        lambda: tm.base_daily_rate(case["sales"], case["inventory"], **options(case)),
        case["chunk"],
    )
    assert_identical(got, expected)
    exclude = case["exclude"]
    every_day_out = exclude is not None and bool(
        np.all(np.broadcast_to(exclude, case["sales"].shape), axis=-1).any()
    )
    # whole sales take the kernel, unless a series has no counted day (the kernel refuses
    # it; the unchunked rate is NaN or the fallback there)
    assert ran == (not every_day_out)


@given(panels(), st.sampled_from([0.75, 1.0, 1.2]), st.sampled_from(["half_up", None]))
def test_reasonable_quota_chunked_equals_unchunked(
    case: dict[str, Any], adjustment: float, rounding: Any
) -> None:
    expected, got, _ = both_ways(
        lambda: tm.reasonable_quota(
            case["sales"],
            case["inventory"],
            **options(case),
            adjustment=adjustment,
            rounding=rounding,
        ),
        case["chunk"],
    )
    if isinstance(expected, tuple):
        assert got == expected
        return
    assert_identical(got, expected)


def test_base_daily_rate_of_fractional_sales_keeps_the_unchunked_sum() -> None:
    """Fractional sales summed with or without the stockout days' zeros can differ in the
    last bit (pairwise sums group other terms): such a rate is not taken from the kernel."""
    rng = np.random.default_rng(19)
    sales = rng.random((20, 10, 90)) * 10
    sales[rng.random(sales.shape) < 0.3] = 0.0
    stock = np.where(rng.random(sales.shape) < 0.5, 0.0, 5.0)
    expected, got, ran = both_ways(lambda: tm.base_daily_rate(sales, stock), 64)
    assert not ran
    assert_identical(got, expected)
    whole = np.round(sales)
    expected, got, ran = both_ways(lambda: tm.base_daily_rate(whole, stock), 64)
    assert ran
    assert_identical(got, expected)


# --------------------------------------------------------------------------- decisions


@given(
    panels(whole=True),
    st.sampled_from([1, 2, 3, 7]),
    st.sampled_from([None, "half", "per cycle"]),
    st.booleans(),
)
def test_quota_review_chunked_equals_unchunked(
    case: dict[str, Any], cycle_days: int, supplied: str | None, per_series: bool
) -> None:
    """A large panel is reviewed in one kernel pass over its cycles, block by block."""
    sales, stock = case["sales"], case["inventory"]
    days = sales.shape[-1] // cycle_days * cycle_days
    if days == 0:
        return
    sales, stock = sales[..., :days].copy(), stock[..., :days].copy()
    lead = sales.shape[:-1]
    cycles = days // cycle_days
    quota: Any = np.arange(int(np.prod(lead))).reshape(lead) % 9 if per_series else 3 * cycle_days
    given_supply: Any = None
    if supplied == "half":
        given_supply = np.full((*lead, cycles), 1.5)
    elif supplied == "per cycle":
        given_supply = np.arange(int(np.prod(lead)) * cycles).reshape(*lead, cycles) % 11
    token = case["token_stock"]
    expected, got, ran = both_ways(
        lambda: tm.quota_review(
            quota,
            sales,
            stock,
            supplied=given_supply,
            cycle_days=cycle_days,
            token_stock=token if np.shape(token) in ((), sales.shape) else 0,
        ),
        case["chunk"],
    )
    assert ran
    fields = ("quota", "demand", "proposed", "action", "fulfilment", "cover", "rationed_cycles")
    for name in fields:
        assert_identical(getattr(got, name), getattr(expected, name))
    for name in ("stockouts", "capped", "overstock", "rationed", "in_range", "no_history"):
        assert_identical(getattr(got.reasons, name), getattr(expected.reasons, name))


@given(
    panels(),
    st.sampled_from([1, 2, 3, 7]),
    st.sampled_from(["days", "shared", "whole cycles", "every day"]),
    st.sampled_from(["seed", "seed", "censored"]),
    st.booleans(),
)
def test_quota_review_with_exclude_chunked_equals_unchunked(
    case: dict[str, Any], cycle_days: int, excluded: str, method: Any, supplied: bool
) -> None:
    """Excluded days take the one pass too (void cycles dropped), with the former results.

    The unchunked path is the former semantics: the rate over the counted
    days, then cycle_metrics of the cycles with a void cycle counted whole
    and then dropped.
    """
    sales, stock = case["sales"], case["inventory"]
    days = sales.shape[-1] // cycle_days * cycle_days
    if days == 0:
        return
    sales, stock = sales[..., :days].copy(), stock[..., :days].copy()
    lead, cycles = sales.shape[:-1], days // cycle_days
    mask = case["exclude"]
    mask = np.zeros(sales.shape[-1], dtype=bool) if mask is None else mask[..., :days]
    if excluded == "shared":  # one calendar for every series, as a broadcast view
        mask = np.broadcast_to(mask[(0,) * (mask.ndim - 1)], sales.shape)
    elif excluded == "whole cycles":  # void cycles: the first one, for every series
        mask = np.broadcast_to(mask, sales.shape).copy()
        mask[..., :cycle_days] = True
    elif excluded == "every day":  # no history anywhere
        mask = np.ones(sales.shape[-1], dtype=bool)
    given_supply = np.arange(int(np.prod(lead)) * cycles).reshape(*lead, cycles) % 5
    token = case["token_stock"]
    expected, got, ran = both_ways(
        lambda: tm.quota_review(
            np.arange(int(np.prod(lead))).reshape(lead) % 7,
            sales,
            stock,
            supplied=given_supply if supplied else None,
            cycle_days=cycle_days,
            token_stock=token if np.shape(token) in ((), sales.shape) else 0,
            method=method,
            start="2026-03-02",
            exclude=mask,
        ),
        case["chunk"],
    )
    assert ran or isinstance(expected, tuple)  # the censored fit may refuse a tiny panel
    if isinstance(expected, tuple):
        assert got == expected
        return
    fields = ("quota", "demand", "proposed", "action", "fulfilment", "cover", "rationed_cycles")
    for name in fields:
        assert_identical(getattr(got, name), getattr(expected, name))
    for name in ("stockouts", "capped", "overstock", "rationed", "in_range", "no_history"):
        assert_identical(getattr(got.reasons, name), getattr(expected.reasons, name))


def test_quota_review_of_a_large_panel_reads_it_in_one_kernel_run() -> None:
    """The seed rate comes from the cycles' totals: one kernel run, several blocks of series."""
    rng = np.random.default_rng(19)
    sales = rng.poisson(2.0, (5, 6, 28)).astype(np.float32)
    stock = np.where(rng.random(sales.shape) < 0.2, 0, 3).astype(np.float32)
    sales = np.where(stock == 0, 0, sales).astype(np.float32)
    blocks: list[int] = []
    cycle_sums = _chunked.cycle_sums

    def counted(*args: Any, **kwargs: Any) -> Any:
        for block in cycle_sums(*args, **kwargs) or ():
            blocks.append(1)
            yield block

    with route(None):
        expected = tm.quota_review(20, sales, stock)
    with route(40) as runs, mock.patch("tobacco_metrics._review.cycle_sums", counted):
        got = tm.quota_review(20, sales, stock)
    assert len(runs) == len(blocks) > 1  # one kernel call a block, and no other read
    for name in ("demand", "proposed", "fulfilment", "cover"):
        assert_identical(getattr(got, name), getattr(expected, name))


@pytest.mark.parametrize(("where", "value", "message"), BAD_VALUES)
def test_quota_review_errors_are_the_unchunked_ones(where: str, value: float, message: str) -> None:
    data: dict[str, NDArray[Any]] = {
        "sales": np.ones((3, 2, 14), dtype=np.float32),
        "inventory": np.ones((3, 2, 14)),
    }
    data[where][1, 0, 2] = value
    data[where][2, 1, 3] = value
    expected, got, _ = both_ways(lambda: tm.quota_review(5, data["sales"], data["inventory"]), 1)
    assert got == expected
    assert expected[1].startswith(message)


def test_kernel_without_rules_leaves_the_rule_fields() -> None:
    rng = np.random.default_rng(3)
    sales = rng.integers(0, 4, (4, 5, 7)).astype(np.float64)
    stock = rng.integers(0, 3, (4, 5, 7)).astype(np.float64)
    full = kernel_module.panel_kernel(sales, stock)
    into = {name: np.full((4, 5), -7.0) for name in full if name in _cycle.KERNEL_FIELDS}
    kernel_module.panel_kernel(sales, stock, into=into, rules=False)
    for name in ("days", "stockout_days", "actual_sales", "closing_inventory"):
        np.testing.assert_array_equal(into[name], full[name], strict=False)
    for name in _cycle.RULE_FIELDS:
        assert (into[name] == -7.0).all()


# --------------------------------------------------------------------------- one-pass check


@given(
    st.sampled_from([np.float32, np.float64, np.int32, np.int64]).flatmap(
        lambda dtype: hnp.arrays(
            dtype,
            hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
            elements=hnp.from_dtype(np.dtype(dtype)),
        )
    )
)
def test_one_pass_check_agrees_with_the_plain_checks(array: Any) -> None:
    high = finite_non_negative_high(array)
    valid = bool(np.all(np.isfinite(array)) and np.all(array >= 0))
    if high is None:  # unsure: a bad value, or a -0.0 the plain checks accept
        assert not valid or bool(np.any(np.signbit(array)))
    else:
        assert valid
        assert high == array.max()
        assert high.dtype == array.dtype


def test_one_pass_check_cases() -> None:
    assert finite_non_negative_high(np.array([0.0, 2.5, np.finfo(np.float64).max])) is not None
    assert finite_non_negative_high(np.array([1.0, np.inf])) is None
    assert finite_non_negative_high(np.array([1.0, np.nan], np.float32)) is None
    assert finite_non_negative_high(np.array([1.0, -1e-300])) is None
    assert finite_non_negative_high(np.array([3, -1], np.int32)) is None
    assert finite_non_negative_high(np.array([3, 2**62])) == 2**62
    assert finite_non_negative_high(np.array([1, 2], np.uint8)) is None  # not read this way
    with pytest.raises(InvalidValueError, match=r"'sales' must be >= 0: -1\.0 at index 4999"):
        tm.base_daily_rate(np.r_[np.ones(4999), -1.0], np.ones(5000))
