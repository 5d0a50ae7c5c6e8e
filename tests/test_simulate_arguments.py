"""The simulator at its edges: seeds, sizes refused before allocating, overflowing options."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tobacco_metrics import InvalidValueError, simulate_district, simulate_sales


def test_a_seed_sequence_seeds_like_its_generator() -> None:
    sequence = np.random.SeedSequence(42)
    first = simulate_district(3, 2, 1, seed=sequence)
    again = simulate_district(3, 2, 1, seed=np.random.SeedSequence(42))
    generator = simulate_district(3, 2, 1, seed=np.random.default_rng(np.random.SeedSequence(42)))
    np.testing.assert_array_equal(first.demand, again.demand)
    np.testing.assert_array_equal(first.demand, generator.demand)
    run = simulate_sales([[2.0] * 7], 9, start="2026-03-02", seed=np.random.SeedSequence(1))
    assert run.sales.shape == (1, 7)


@pytest.mark.parametrize("seed", [None, 1.0, np.random.RandomState(0)])
def test_other_seeds_are_type_errors_naming_seed(seed: object) -> None:
    with pytest.raises(TypeError, match=r"'seed' must be an int or a numpy\.random\.Generator"):
        simulate_district(2, 2, 1, seed=seed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "size",
    [(10**6, 10**6, 10**3), (10**12, 1, 1), (100_000, 10_000, 100)],
)
def test_huge_districts_are_refused_before_allocating(size: tuple[int, int, int]) -> None:
    # Was numpy's MemoryError ("Unable to allocate 7.28 TiB"), after trying.
    with pytest.raises(InvalidValueError, match="too large to simulate"):
        simulate_district(*size)


def test_a_huge_weekday_profile_is_scaled_without_overflow() -> None:
    # Its mean overflowed: a RuntimeWarning (an error under -W error) escaped.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = simulate_district(2, 2, 1, weekday_profile=[1e308] * 7, seed=3)
    flat = simulate_district(2, 2, 1, weekday_profile=[1.0] * 7, seed=3)
    np.testing.assert_array_equal(huge.mean_demand, flat.mean_demand)


def test_quotas_beyond_int64_are_refused() -> None:
    # rint(...).astype(int64) wrapped them (numpy's "invalid value encountered in cast").
    with pytest.raises(InvalidValueError, match="'quota_share'"):
        simulate_district(2, 2, 1, quota_share=(1e300, 1e300))


def test_a_token_stock_beyond_int64_is_refused_with_its_value() -> None:
    # Was "'token_stock' must be >= 0: -9223372036854775808": the value had wrapped.
    with pytest.raises(InvalidValueError, match="'token_stock' must be <= 2\\*\\*62 cartons: 9223"):
        simulate_district(2, 2, 1, token_stock=2**63, token_share=1.0)
