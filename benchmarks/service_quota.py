"""Does a service quota deliver the fill rate it promises? A replay with known demand.

For each scenario a district is simulated (:func:`tobacco_metrics.simulate_district`,
13 weekly cycles: a quarter, the source's quota window). From its observed
sales and stock, quotas are set three ways:

- ``service``: :func:`tobacco_metrics.service_quota` at each target fill rate
  (censored demand model, moment dispersion);
- ``reasonable``: the source's :func:`tobacco_metrics.reasonable_quota`
  (in-stock daily rate × 7, 合理定量);
- ``oracle``: the exact newsvendor quota from the *true* demand distribution
  (true weekday means and dispersion, cycle demand moment-matched to a
  negative binomial) — the floor any estimate can reach.

Next month's demand is then drawn (the same draws for every policy: common
random numbers) and replayed with order-up-to deliveries to each set of
quotas (:func:`tobacco_metrics.simulate_sales`). Printed per scenario and
policy: the realised pooled fill rate Σ sales / Σ demand against the target,
the share of series whose own fill rate reached the target, stockout days
per series-cycle and the stock committed (Σ quotas, relative to the oracle
at 95 %).

Usage::

    python benchmarks/service_quota.py            # 40 stores × 12 brands, 3 replications
    python benchmarks/service_quota.py --quick    # small, for CI (asserts nothing)
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

import tobacco_metrics as tm

# The oracle needs the exact fill-rate quota for a known distribution: the private
# helper behind service_quota.
from tobacco_metrics._negbin import fill_rate_quota as _fill_rate_quota

CYCLE_DAYS = 7
HISTORY_CYCLES = 13
NEXT_CYCLES = 4
TARGETS = (0.90, 0.95, 0.98)


@dataclass(frozen=True)
class Scenario:
    name: str
    options: dict[str, Any]


SCENARIOS = (
    Scenario("poisson", {"dispersion": math.inf}),
    Scenario("overdispersed (r=4)", {"dispersion": 4.0}),
    Scenario("tight quotas (share 0.5-0.9)", {"dispersion": 4.0, "quota_share": (0.5, 0.9)}),
)


@dataclass(frozen=True)
class Outcome:
    fill: float
    reached: float
    stockout_days: float
    stock: float


def replay(
    district: tm.SimulatedDistrict, quota: NDArray[Any], seed: int, target: float
) -> Outcome:
    mean = district.mean_demand[..., : NEXT_CYCLES * CYCLE_DAYS]
    run = tm.simulate_sales(
        mean, quota, start=district.end, seed=seed, dispersion=district.dispersion
    )
    demand = run.demand.sum(axis=-1)
    series_fill = np.divide(
        run.sales.sum(axis=-1), demand, out=np.ones(demand.shape), where=demand > 0
    )
    shape = (*run.sales.shape[:-1], NEXT_CYCLES, CYCLE_DAYS)
    out = tm.stockout_days(run.sales.reshape(shape), run.inventory.reshape(shape))
    return Outcome(
        fill=float(run.sales.sum() / run.demand.sum()),
        reached=float(np.mean(series_fill >= target)),
        stockout_days=float(np.mean(out)),
        stock=float(np.sum(quota)),
    )


def oracle_quota(district: tm.SimulatedDistrict, target: float) -> NDArray[Any]:
    mu = district.mean_demand[..., :CYCLE_DAYS]
    mean = mu.sum(axis=-1).reshape(-1)
    extra = (mu**2).sum(axis=-1).reshape(-1) / district.dispersion
    if math.isinf(district.dispersion) or not extra.any():
        size = math.inf
        return _fill_rate_quota(mean, size, np.full(mean.shape, target)).reshape(mu.shape[:-1])
    # one size per series: solve each (moment-matched R = M² / (V − M))
    sizes = mean**2 / extra
    result = np.empty(mean.shape)
    for i, (m, r) in enumerate(zip(mean, sizes, strict=True)):
        result[i] = _fill_rate_quota(np.array([m]), float(r), np.array([target]))[0]
    return result.reshape(mu.shape[:-1])


def run(stores: int, brands: int, replications: int) -> None:
    print(
        f"{stores} stores × {brands} brands, {HISTORY_CYCLES} cycles of history, "
        f"{NEXT_CYCLES} replayed, {replications} replication(s)\n"
    )
    header = (
        f"{'scenario':30} {'policy':12} {'target':>6} {'fill':>6} {'reached':>8} "
        f"{'out d/cyc':>9} {'stock':>6}"
    )
    for scenario in SCENARIOS:
        print(header)
        rows: dict[tuple[str, float], list[Outcome]] = {}
        started = time.perf_counter()
        for rep in range(replications):
            district = tm.simulate_district(
                stores, brands, HISTORY_CYCLES, seed=100 + rep, **scenario.options
            )
            seed = 1000 + rep
            baseline = float(np.sum(oracle_quota(district, 0.95)))
            reasonable = tm.reasonable_quota(district.sales, district.inventory)
            outcome = replay(district, np.asarray(reasonable), seed, 0.95)
            rows.setdefault(("reasonable", 0.95), []).append(
                Outcome(
                    outcome.fill, outcome.reached, outcome.stockout_days, outcome.stock / baseline
                )
            )
            # One fit for every target: fill_rate broadcast against the series.
            service = np.asarray(
                tm.service_quota(
                    district.sales,
                    district.inventory,
                    fill_rate=np.reshape(TARGETS, (-1, 1, 1)),
                    start=district.start,
                )
            )
            for index, target in enumerate(TARGETS):
                for policy in ("service", "oracle"):
                    quota = (
                        service[index] if policy == "service" else oracle_quota(district, target)
                    )
                    outcome = replay(district, quota, seed, target)
                    rows.setdefault((policy, target), []).append(
                        Outcome(
                            outcome.fill,
                            outcome.reached,
                            outcome.stockout_days,
                            outcome.stock / baseline,
                        )
                    )
        for (policy, target), outcomes in rows.items():
            label = "(0.95)" if policy == "reasonable" else f"{target:.2f}"
            print(
                f"{scenario.name:30} {policy:12} {label:>6} "
                f"{np.mean([o.fill for o in outcomes]):6.3f} "
                f"{np.mean([o.reached for o in outcomes]):8.2f} "
                f"{np.mean([o.stockout_days for o in outcomes]):9.2f} "
                f"{np.mean([o.stock for o in outcomes]):6.2f}"
            )
        print(f"  ({time.perf_counter() - started:.1f} s)\n")
    print(
        "fill: Σ sales / Σ demand over the replayed month; reached: share of series whose own\n"
        "fill rate reached the target; out d/cyc: stockout days per series and cycle; stock:\n"
        "Σ quotas relative to the oracle's at 0.95. 'reasonable' has no target: it is\n"
        "compared with 0.95."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="small district, one replication")
    parser.add_argument("--stores", type=int, default=40)
    parser.add_argument("--brands", type=int, default=12)
    parser.add_argument("--replications", type=int, default=3)
    args = parser.parse_args(argv)
    if args.quick:
        run(6, 3, 1)
    else:
        run(args.stores, args.brands, args.replications)


if __name__ == "__main__":
    main()
