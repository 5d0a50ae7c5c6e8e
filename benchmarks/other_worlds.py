"""Lost sales in worlds the estimator was not designed on: a second, independent simulator.

:mod:`benchmarks.accuracy` scores the estimators on districts drawn by the
library's own :func:`tobacco_metrics.simulate_district`, whose author also
wrote the estimator. This study draws its districts with code that shares
nothing with it, and with demand and stock policies the estimator does not
assume:

- the stock is a weekly order-up-to level set from the **observed sales of
  the last four weeks** (so a series that ran out gets a lower level next
  time: stockouts feed back), times a cover of 0.9–1.8 weeks per series, with
  one week in four rationed to 60 % of the order; sales are the demand the
  stock could meet;
- demand (negative binomial around a store's weekday shape unless said
  otherwise):

  ``base``         the plain case: levels lognormal around 4 a day (sd 1), size 4;
  ``poisson``      no overdispersion;
  ``ar1``          each series' weekly level an AR(1) on the log (φ 0.8, sd 0.25):
                   runs of high weeks, not shared across series;
  ``promo``        one week in ten ×2.5 at random per series, unannounced;
  ``heavy``        size 0.7 (a long tail: a few very large days);
  ``storeweek``    each store its own weekday shape (Dirichlet, α = 15);
  ``trend``        each series trends from ×1 to ×0.6–1.7 over the 16 weeks;
  ``mix``          levels spread over a factor of ~50 (sd 2) around 1 a day;
  ``intermittent`` demand on a share 5–50 % of days, 1 + geometric cartons
                   (Croston's model, not a zero-inflated negative binomial).

Each world is scored for one call over the whole district (stores × brands
× days) and for one call per series, against the source's formula: the bias
of total lost sales and the per-cycle MAE as a multiple of the formula's.
No target is asserted: the figures say where the model holds and where it
does not (docs/lost-sales.md, "Worlds it was not designed on").

Usage::

    python benchmarks/other_worlds.py                  # 3 seeds, every world
    python benchmarks/other_worlds.py --seeds 1 --worlds ar1 promo
    python benchmarks/other_worlds.py --quick          # small, for CI
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

import tobacco_metrics as tm

WEEKS = 12  # scored weeks
WARM_UP = 4  # weeks before, to set the first sales-based stock levels
N_DAYS = 7 * (WEEKS + WARM_UP)
FIRST_DAY = np.datetime64("2026-01-05")  # a Monday, the warm-up's first day
BASE_WEEK = np.array([0.85, 0.9, 0.95, 1.0, 1.2, 1.25, 0.85])
WORLDS = ("base", "poisson", "ar1", "promo", "heavy", "storeweek", "trend", "mix", "intermittent")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _negative_binomial(rng: np.random.Generator, mean: FloatArray, size: float) -> IntArray:
    """Draws of mean ``mean`` and size ``size`` (Poisson when the size is infinite)."""
    if np.isinf(size):
        return rng.poisson(mean).astype(np.int64)
    return rng.poisson(rng.gamma(size, mean / size)).astype(np.int64)


def _mean_demand(
    world: str, rng: np.random.Generator, stores: int, brands: int
) -> tuple[FloatArray, float]:
    """Expected demand per series and day, and the negative binomial's size."""
    n = stores * brands
    weeks = WEEKS + WARM_UP
    median, level_sd, size = 4.0, 1.0, 4.0
    week_shape = np.tile(BASE_WEEK, (n, 1))
    week_factor = np.ones((n, weeks))
    if world == "ar1":
        log_level = np.zeros(n)
        for week in range(weeks):
            log_level = 0.8 * log_level + rng.normal(0.0, 0.25, n)
            week_factor[:, week] = np.exp(log_level)
    elif world == "promo":
        week_factor = np.where(rng.random((n, weeks)) < 0.1, 2.5, 1.0)
        size = 3.0
    elif world == "heavy":
        median, size = 3.0, 0.7
    elif world == "storeweek":
        shapes = rng.dirichlet(np.full(7, 15.0), stores) * 7
        week_shape = shapes[np.repeat(np.arange(stores), brands)]
    elif world == "trend":
        end = np.exp(rng.uniform(np.log(0.6), np.log(1.7), n))
        week_factor = np.exp(np.linspace(0.0, 1.0, weeks)[None, :] * np.log(end)[:, None])
    elif world == "mix":
        median, level_sd = 1.0, 2.0
    elif world == "poisson":
        size = float("inf")
    level = median * np.exp(rng.normal(0.0, level_sd, n))
    mean = level[:, None] * np.tile(week_shape, (1, weeks)) * np.repeat(week_factor, 7, axis=1)
    return mean, size


def _demand(world: str, rng: np.random.Generator, stores: int, brands: int) -> IntArray:
    n = stores * brands
    if world == "intermittent":
        share = rng.uniform(0.05, 0.5, n)[:, None]
        size_mean = rng.uniform(1.0, 3.0, n)[:, None]
        occurs = rng.random((n, N_DAYS)) < share
        return np.where(occurs, rng.geometric(1.0 / size_mean, (n, N_DAYS)), 0).astype(np.int64)
    mean, size = _mean_demand(world, rng, stores, brands)
    return _negative_binomial(rng, mean, size)


def simulate(
    world: str, seed: int, stores: int, brands: int
) -> tuple[IntArray, IntArray, IntArray]:
    """(sales, closing stock, true lost sales) of the scored weeks, stores × brands × days."""
    rng = np.random.default_rng(seed)
    demand = _demand(world, rng, stores, brands)
    n = stores * brands
    cover = rng.uniform(0.9, 1.8, n)
    on_hand = np.zeros(n, dtype=np.int64)
    sales = np.zeros((n, N_DAYS), dtype=np.int64)
    closing = np.zeros((n, N_DAYS), dtype=np.int64)
    for day in range(N_DAYS):
        if day % 7 == 0:  # delivery day: order up to cover × a week of recent sales
            recent = demand[:, :28] if day < 28 else sales[:, day - 28 : day]
            rate = np.maximum(1.1 * recent.mean(axis=1), 0.2)
            order = np.maximum(np.round(cover * 7 * rate).astype(np.int64) - on_hand, 0)
            if rng.random() < 0.25:  # a rationed week
                order = order * 6 // 10
            on_hand = on_hand + order
        sold = np.minimum(demand[:, day], on_hand)
        sales[:, day] = sold
        on_hand = on_hand - sold
        closing[:, day] = on_hand
    scored = slice(7 * WARM_UP, None)
    shape = (stores, brands, 7 * WEEKS)
    lost = demand - sales
    return (
        sales[:, scored].reshape(shape),
        closing[:, scored].reshape(shape),
        lost[:, scored].reshape(shape),
    )


def _per_cycle(daily: NDArray[Any]) -> FloatArray:
    totals: FloatArray = (
        np.asarray(daily, dtype=np.float64).reshape(*daily.shape[:-1], -1, 7).sum(axis=-1)
    )
    return totals


def _censored(sales: IntArray, closing: IntArray) -> FloatArray:
    start = FIRST_DAY + 7 * WARM_UP
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tm.ConvergenceWarning)
        fit = tm.fit_demand(sales, closing, start=start)
    return np.nan_to_num(_per_cycle(fit.lost))


def score(world: str, seed: int, stores: int, brands: int) -> dict[str, float]:
    """Bias and per-cycle MAE of the formula and of the censored model, two call sizes."""
    sales, closing, lost = simulate(world, seed, stores, brands)
    true = _per_cycle(lost).reshape(-1, WEEKS)
    rows = sales.reshape(-1, sales.shape[-1])
    stock = closing.reshape(-1, sales.shape[-1])
    estimates = {"formula": tm.lost_sales(rows, stock)}
    began = time.process_time()
    estimates["district"] = _censored(sales, closing).reshape(-1, WEEKS)
    seconds = time.process_time() - began
    estimates["one"] = np.stack([_censored(rows[i], stock[i]) for i in range(rows.shape[0])])
    result = {"out_days": float(np.mean(closing == 0)), "seconds": seconds}
    formula_mae = float(np.nanmean(np.abs(estimates["formula"] - true)))
    for name, estimate in estimates.items():
        result[f"{name}_bias"] = float((np.nansum(estimate) - true.sum()) / true.sum())
        result[f"{name}_mae"] = float(np.nanmean(np.abs(estimate - true))) / formula_mae
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--worlds", nargs="*", default=list(WORLDS), choices=WORLDS)
    parser.add_argument("--stores", type=int, default=30)
    parser.add_argument("--brands", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="one seed, 4 × 3 series (CI)")
    args = parser.parse_args(argv)
    stores, brands, seeds = args.stores, args.brands, args.seeds
    if args.quick:
        stores, brands, seeds = 4, 3, [1]
    print(
        f"{stores} stores × {brands} brands × {WEEKS} weeks, seeds {seeds}; bias of total "
        "lost sales, and per-cycle MAE as a multiple of the formula's"
    )
    print(
        f"{'world':13s} {'days out':>8s} | {'formula':>8s} | {'district':>8s} {'MAE':>5s} | "
        f"{'one/call':>8s} {'MAE':>5s}"
    )
    for world in args.worlds:
        scores = [score(world, seed, stores, brands) for seed in seeds]
        mean = {key: float(np.mean([s[key] for s in scores])) for key in scores[0]}
        print(
            f"{world:13s} {mean['out_days']:8.1%} | {mean['formula_bias']:+8.1%} | "
            f"{mean['district_bias']:+8.1%} {mean['district_mae']:4.2f}× | "
            f"{mean['one_bias']:+8.1%} {mean['one_mae']:4.2f}×",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
