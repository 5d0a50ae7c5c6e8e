"""How wrong is the source's lost-sales formula? An accuracy study with known truth.

Simulates districts whose true demand is known (:mod:`tobacco_metrics.simulate`)
and measures, for the source's formula (``"seed"``: 预计脱销销售 = 实际销售 /
有效销售天数 × 脱销天数), the censored-demand model (``"censored"``; with the
sell-out share of each sold-out day where the scenario records it,
``"censored+F"``) and an oracle that knows the true expected demand and
dispersion of every day (the floor no estimator beats on average):

- the bias of total lost sales and the mean absolute error (MAE) of lost
  sales per series × cycle, and that MAE as a multiple of the formula's;
- the mean relative error of each series' mean daily demand
  (:func:`tobacco_metrics.estimate_daily_demand`, the base of 合理定量).

The scenarios are built to fail a model in the ways real demand does, and
are *not* shaped like the estimator's model (linear drift where it assumes a
random walk, lognormal day noise where it assumes a negative binomial,
zero inflation it does not model, office weeks, token stock kept back by
some stores only, calls of 1, 2, 10 and 500 series). Targets: every scenario
|bias| <= 10 % and MAE <= 0.90 × the formula's; the realistic one (week
shocks sd 0.3 with sell-outs during the day) |bias| <= 5 % and MAE <= 0.75 ×.
The last scenario, sparse brands in a call of 5,000 series, takes the path
of large calls (district effects from a sample, then each series alone).

Usage::

    python benchmarks/accuracy.py                 # full study (a few minutes)
    python benchmarks/accuracy.py --quick         # small, for CI (asserts nothing)
    python benchmarks/accuracy.py --replications 5 --out chart.png
    python benchmarks/accuracy.py --variants --no-plot   # variants of the sparse ones
    python benchmarks/accuracy.py --lone --no-plot       # one series per call, and more

The chart needs matplotlib; without it the table is still printed.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

import tobacco_metrics as tm

# The oracle needs E[D | D >= sales] under the true distribution: the private
# closed-form tails of the censored method.
from tobacco_metrics._negbin import tail_moments

CYCLE_DAYS = 7
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "accuracy.png"
BASE = {"median_daily_demand": 6.0, "dispersion": 4.0, "quota_share": (0.6, 1.3)}
SELL_OUTS = {"median_daily_demand": 12.0, "dispersion": 8.0, "quota_share": (0.8, 1.05)}
REALISTIC = {**SELL_OUTS, "week_shock_sd": 0.3, "mixing": "lognormal", "drift_share": 0.1}
HIGH_VOLUME = {"median_daily_demand": 800.0, "dispersion": 30.0, "quota_share": (0.8, 1.1)}


@dataclass(frozen=True)
class Scenario:
    """A simulated district and how the distributor reads it."""

    key: str
    label: str
    settings: dict[str, Any] = field(default_factory=dict)
    holiday_week: int | None = None
    holiday_lift: float = 1.0
    rule_token: int = 0  # the token stock the distributor's stockout rule uses
    per_call: int | None = None  # series per call (None: the whole district)
    size: tuple[int, int] | None = None  # (stores, brands) instead of the run's
    bias_target: float = 0.10
    mae_target: float = 0.90


SCENARIOS = (
    Scenario("weekday", "weekday-seasonal", BASE),
    Scenario("partial", "partial-day sell-outs", SELL_OUTS),
    Scenario("holiday", "holiday week ×1.6", BASE, holiday_week=6, holiday_lift=1.6),
    Scenario(
        "hold",
        "token stock, 40% hold back",
        {**BASE, "token_stock": 1, "token_share": 0.4},
        rule_token=1,
    ),
    Scenario("nohold", "token rule, nobody holds back", BASE, rule_token=1),
    Scenario("drift", "drift ×2 or ×½ (30% of series)", {**BASE, "drift_share": 0.3}),
    Scenario("shocks", "series-week shocks sd 0.3", {**BASE, "week_shock_sd": 0.3}),
    Scenario(
        "realistic",
        "realistic: shocks 0.3 + sell-outs, lognormal days",
        REALISTIC,
        bias_target=0.05,
        mae_target=0.75,
    ),
    Scenario("sparse", "sparse (median 0.3/day)", {**BASE, "median_daily_demand": 0.3}),
    Scenario(
        "zeroinf",
        "sparse, zero-inflated 50%",
        {**BASE, "median_daily_demand": 0.4, "zero_inflation": 0.5, "dispersion": 2.0},
    ),
    Scenario(
        "high",
        "high volume (median 800/day)",
        HIGH_VOLUME,
    ),
    Scenario("office", "office weeks (40% of stores)", {**BASE, "office_share": 0.4}),
    Scenario("one", "1 series per call", BASE, per_call=1),
    Scenario("two", "2 series per call", BASE, per_call=2),
    Scenario("ten", "10 series per call", BASE, per_call=10),
    Scenario("five00", "500 series per call", BASE, size=(50, 10)),
    # Beyond 1,500 series the district's effects come from a sample: sparse brands there.
    Scenario(
        "sparse5k",
        "sparse, 5,000 series per call",
        {**BASE, "median_daily_demand": 0.3},
        size=(100, 50),
    ),
)
SPARSE = {**BASE, "median_daily_demand": 0.3}
ZERO_INFLATED = {**BASE, "median_daily_demand": 0.4, "dispersion": 2.0}
# Variants of the sparse scenarios (``--variants``): what the table's two do not show.
VARIANTS = (
    Scenario("zi30", "sparse, zero-inflated 30%", {**ZERO_INFLATED, "zero_inflation": 0.3}),
    Scenario("zi70", "sparse, zero-inflated 70%", {**ZERO_INFLATED, "zero_inflation": 0.7}),
    Scenario("median02", "sparse, median 0.2/day", {**SPARSE, "median_daily_demand": 0.2}),
    Scenario("median1", "sparse, median 1.0/day", {**SPARSE, "median_daily_demand": 1.0}),
    Scenario("disp1", "sparse, dispersion 1", {**SPARSE, "dispersion": 1.0}),
    Scenario("disp8", "sparse, dispersion 8", {**SPARSE, "dispersion": 8.0}),
    Scenario("sdrift", "sparse + drift (30% of series)", {**SPARSE, "drift_share": 0.3}),
    Scenario("sshocks", "sparse + week shocks sd 0.3", {**SPARSE, "week_shock_sd": 0.3}),
    Scenario("sone", "sparse, 1 series per call", SPARSE, per_call=1),
)
# One series per call with what else the table tests (``--lone``): a lone series has no
# district to borrow variances or a weekday shape from.
LONE = tuple(
    Scenario(key, f"{label}, 1 series per call", settings, per_call=1)
    for key, label, settings in (
        ("lshocks", "week shocks sd 0.3", {**BASE, "week_shock_sd": 0.3}),
        ("ldrift", "drift (30% of series)", {**BASE, "drift_share": 0.3}),
        ("lreal", "realistic", REALISTIC),
        ("lhigh", "high volume", HIGH_VOLUME),
        ("loffice", "office weeks (40% of stores)", {**BASE, "office_share": 0.4}),
    )
)
METHODS = ("seed", "censored", "censored+F", "oracle")


@dataclass
class Result:
    """One method on one scenario, pooled over replications."""

    estimated: list[NDArray[np.float64]] = field(default_factory=list)  # lost per cycle
    true: list[NDArray[np.float64]] = field(default_factory=list)
    demand_relative: list[NDArray[np.float64]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        estimated = np.concatenate(self.estimated)
        true = np.concatenate(self.true)
        relative = np.concatenate(self.demand_relative)
        return {
            "bias": float((np.nansum(estimated) - true.sum()) / true.sum()),
            "mae": float(np.nanmean(np.abs(estimated - true))),
            "mre": float(np.nanmean(np.abs(relative))),
            "seconds": self.seconds,
        }


def _per_cycle(daily: NDArray[Any]) -> NDArray[np.float64]:
    shape = (*daily.shape[:-1], daily.shape[-1] // CYCLE_DAYS, CYCLE_DAYS)
    totals: NDArray[np.float64] = np.asarray(daily, dtype=np.float64).reshape(shape).sum(axis=-1)
    return totals


def oracle_lost_sales(district: tm.SimulatedDistrict) -> NDArray[Any]:
    """E[lost | observed] per cycle under the true distribution (who holds back known).

    A day out all day is worth its expected demand ``mean_demand`` (zero
    inflation included). A censored day that sold s >= 1 is worth
    E[D | D >= s] − s; with zero inflation π the days without demand cannot
    have sold, so that is the tail of the negative binomial of the days with
    demand, of mean ``mean_demand / (1 − π)``. (With lognormal day noise the
    negative-binomial tail of the same variance is an approximation.)
    """
    sales = district.sales.astype(np.float64)
    censored = district.inventory <= district.token_stock[..., None]
    lost = np.where(censored, district.mean_demand, 0.0)
    bounded = censored & (district.sales > 0)
    component_mean = district.mean_demand / (1.0 - district.zero_inflation)
    _, expected, _ = tail_moments(
        sales[bounded],
        component_mean[bounded],
        np.full(int(bounded.sum()), district.dispersion),
    )
    lost[bounded] = expected - sales[bounded]
    return _per_cycle(lost)


def _calls(n_series: int, per_call: int | None) -> list[slice]:
    if per_call is None:
        return [slice(0, n_series)]
    return [slice(i, min(i + per_call, n_series)) for i in range(0, n_series, per_call)]


def _estimate(
    district: tm.SimulatedDistrict, scenario: Scenario, method: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(lost per cycle, mean daily demand), flattened to series, one call per group."""
    days = district.n_days
    sales = district.sales.reshape(-1, days)
    stock = district.inventory.reshape(-1, days)
    share = None if district.sellout_share is None else district.sellout_share.reshape(-1, days)
    n = sales.shape[0]
    lost = np.empty((n, days // CYCLE_DAYS))
    mean = np.empty(n)
    for call in _calls(n, scenario.per_call):
        if method == "seed":
            lost[call] = tm.lost_sales(sales[call], stock[call], token_stock=scenario.rule_token)
            mean[call] = tm.estimate_daily_demand(
                sales[call], stock[call], token_stock=scenario.rule_token, fallback_daily_rate=0.0
            )
            continue
        # A whole district is passed as stores × brands × days (its brands share a
        # store's weekday shape); calls of a few series as series × days.
        lead = district.sales.shape[:-1] if scenario.per_call is None else (-1,)
        fit = tm.fit_demand(
            sales[call].reshape(*lead, days),
            stock[call].reshape(*lead, days),
            start=district.start,
            token_stock=scenario.rule_token,
            sellout_share=None
            if method != "censored+F" or share is None
            else share[call].reshape(*lead, days),
        )
        lost[call] = np.nan_to_num(_per_cycle(fit.lost)).reshape(-1, days // CYCLE_DAYS)
        mean[call] = np.nan_to_num(fit.mean.mean(axis=-1)).reshape(-1)
    return lost, mean


def run_scenario(
    scenario: Scenario,
    *,
    replications: int,
    stores: int,
    brands: int,
    cycles: int,
    seed: int,
    methods: Sequence[str] = METHODS,
) -> dict[str, Result]:
    """Simulate ``replications`` districts and score every method on them."""
    results = {method: Result() for method in methods}
    if scenario.size is not None:
        stores, brands = scenario.size
    for replication in range(replications):
        base_seed = seed + 1000 * replication
        holidays = None
        if scenario.holiday_week is not None:
            holidays = np.zeros(cycles * CYCLE_DAYS, dtype=np.bool_)
            first = scenario.holiday_week * CYCLE_DAYS
            holidays[first : first + CYCLE_DAYS] = True
        district = tm.simulate_district(
            stores,
            brands,
            cycles,
            seed=base_seed,
            holidays=holidays,
            holiday_lift=scenario.holiday_lift,
            **scenario.settings,
        )
        true_mean = district.mean_demand.mean(axis=-1).ravel()
        true_lost = _per_cycle(district.lost_sales).reshape(-1, cycles)
        for method in methods:
            began = time.perf_counter()
            if method == "oracle":
                estimated = oracle_lost_sales(district).reshape(-1, cycles)
                mean = true_mean
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", tm.ConvergenceWarning)
                    estimated, mean = _estimate(district, scenario, method)
            result = results[method]
            result.seconds += time.perf_counter() - began
            result.estimated.append(estimated.ravel())
            result.true.append(true_lost.ravel())
            relative = np.divide(
                mean - true_mean,
                true_mean,
                out=np.zeros_like(true_mean),
                where=true_mean > 0,
            )
            result.demand_relative.append(relative)
    return results


def format_table(summaries: dict[str, dict[str, dict[str, float]]]) -> str:
    """The study as a Markdown table (also readable as plain text)."""
    header = (
        "| scenario | method | lost bias | MAE/cycle | MAE vs seed | demand MRE | MRE vs seed "
        "| target | seconds |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for key, by_method in summaries.items():
        scenario = next(s for s in SCENARIOS + VARIANTS + LONE if s.key == key)
        seed = by_method["seed"]
        for method, row in by_method.items():
            ratio = row["mae"] / seed["mae"] if seed["mae"] > 0 else float("nan")
            mre_ratio = row["mre"] / seed["mre"] if seed["mre"] > 0 else float("nan")
            verdict = ""
            if method.startswith("censored"):
                ok = abs(row["bias"]) <= scenario.bias_target and ratio <= scenario.mae_target
                verdict = (
                    f"{'met' if ok else 'NOT met'} (±{scenario.bias_target:.0%}, "
                    f"≤{scenario.mae_target:.2f}×)"
                )
            lines.append(
                f"| {scenario.label} | {method} | {row['bias']:+.1%} | {row['mae']:.3g} "
                f"| {ratio:.2f}× | {row['mre']:.1%} | {mre_ratio:.2f}× | {verdict} "
                f"| {row['seconds']:.1f} |"
            )
    return "\n".join(lines)


def plot(summaries: dict[str, dict[str, dict[str, float]]], out: Path) -> bool:
    """Save the chart; False (and a note) when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart (pip install matplotlib)")
        return False
    keys = list(summaries)
    labels = [next(s.label for s in SCENARIOS + VARIANTS + LONE if s.key == key) for key in keys]
    methods = ("seed", "censored", "oracle")
    figure, axes = plt.subplots(1, 2, figsize=(13, 6), constrained_layout=True)
    width = 0.8 / len(methods)
    positions = np.arange(len(keys))
    for axis, metric, title in (
        (axes[0], "bias", "bias of total lost sales"),
        (axes[1], "mae_ratio", "MAE per cycle / the formula's"),
    ):
        for index, method in enumerate(methods):
            values = [
                summaries[key][method]["bias"]
                if metric == "bias"
                else summaries[key][method]["mae"] / summaries[key]["seed"]["mae"]
                for key in keys
            ]
            axis.barh(positions + (index - 1) * width, values, width, label=method)
        axis.set_yticks(positions, labels, fontsize=7)
        axis.set_title(title, fontsize=10)
        axis.axvline(0 if metric == "bias" else 1, color="black", linewidth=0.6)
    axes[0].legend(fontsize=8)
    figure.suptitle("Lost sales: the source's formula, the censored model and the oracle")
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=110)
    plt.close(figure)
    return True


SPEED_TARGETS = {"ns_per_cell": 1500.0, "memory_ratio": 2.0, "one_series_ms": 20.0}


def speed(stores: int) -> list[str]:
    """Time one 12-week series per call, and ``stores`` × 100 brands × 84 days in one call.

    Times are CPU seconds of this process (``time.process_time``: the figure
    a shared machine does not blur); memory is the tracemalloc peak of a
    second, traced call against the bytes of its two inputs.
    """
    import tracemalloc

    one = tm.simulate_district(1, 1, 12, seed=1, median_daily_demand=6.0)
    times = []
    for _ in range(25):
        began = time.process_time()
        tm.lost_sales(one.sales, one.inventory, method="censored", start=one.start)
        times.append(time.process_time() - began)
    panel = tm.simulate_district(stores, 100, 12, seed=2, median_daily_demand=6.0)
    cells = panel.sales.size
    input_bytes = panel.sales.nbytes + panel.inventory.nbytes
    began = time.process_time()
    fit = tm.fit_demand(panel.sales, panel.inventory, start=panel.start)
    elapsed = time.process_time() - began
    del fit
    # Memory on a second call: tracing every allocation slows numpy down.
    tracemalloc.start()
    fit = tm.fit_demand(panel.sales, panel.inventory, start=panel.start)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    outputs = fit.mean.nbytes + fit.lost.nbytes
    one_ms = float(np.median(times)) * 1000
    per_cell = elapsed / cells * 1e9
    ratio = peak / input_bytes

    def verdict(value: float, key: str) -> str:
        return "met" if value <= SPEED_TARGETS[key] else "NOT met"

    return [
        f"one 12-week series per call: median {one_ms:.1f} ms CPU "
        f"(target <= {SPEED_TARGETS['one_series_ms']:.0f} ms: {verdict(one_ms, 'one_series_ms')})",
        f"{stores} stores × 100 brands × 84 days ({cells:,} cells) in one call: "
        f"{elapsed:.1f} s CPU, {per_cell:.0f} ns per cell "
        f"(target <= {SPEED_TARGETS['ns_per_cell']:.0f}: {verdict(per_cell, 'ns_per_cell')}), "
        f"{fit.iterations} iterations",
        f"peak memory {ratio:.2f}× the input (target <= {SPEED_TARGETS['memory_ratio']:.0f}×: "
        f"{verdict(ratio, 'memory_ratio')}; {peak / 2**20:.0f} MiB, of which "
        f"{outputs / 2**20:.0f} MiB the two per-day outputs of fit_demand)",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a small run for CI")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to save the PNG")
    parser.add_argument("--no-plot", action="store_true", help="print the table only")
    parser.add_argument("--replications", type=int, default=None, help="districts per scenario")
    parser.add_argument("--seed", type=int, default=2026, help="base seed (default 2026)")
    parser.add_argument("--only", nargs="*", default=None, help="scenario keys to run")
    parser.add_argument(
        "--variants", action="store_true", help="run the variants of the sparse scenarios instead"
    )
    parser.add_argument(
        "--lone", action="store_true", help="run the one-series-per-call variants instead"
    )
    parser.add_argument(
        "--speed", type=int, default=None, metavar="STORES", help="time STORES × 100 brands only"
    )
    arguments = parser.parse_args(argv)
    if arguments.speed is not None:
        print("\n".join(speed(arguments.speed)))
        return 0
    if arguments.quick:
        size = {"stores": 8, "brands": 5, "cycles": 12}
        replications = arguments.replications or 1
    else:
        size = {"stores": 24, "brands": 10, "cycles": 12}
        replications = arguments.replications or 3
    scenarios = [
        s
        for s in (VARIANTS if arguments.variants else LONE if arguments.lone else SCENARIOS)
        if (arguments.only is None or s.key in arguments.only)
        and not (arguments.quick and s.key in ("five00", "sparse5k"))
    ]
    began = time.perf_counter()
    summaries = {}
    for scenario in scenarios:
        methods = [
            m
            for m in METHODS
            if m != "censored+F" or scenario.key in ("partial", "realistic", "lreal")
        ]
        results = run_scenario(
            scenario, replications=replications, seed=arguments.seed, methods=methods, **size
        )
        summaries[scenario.key] = {method: result.summary() for method, result in results.items()}
    elapsed = time.perf_counter() - began
    sized = [s.label for s in scenarios if s.size is not None]
    others = f" ({', '.join(sized)}: their own size)" if sized else ""
    print(
        f"Lost-sales accuracy: {replications} district(s) of {size['stores']} stores × "
        f"{size['brands']} brands × {size['cycles']} weekly cycles per scenario{others}, "
        f"seed {arguments.seed} ({elapsed:.1f} s)\n"
    )
    print(format_table(summaries))
    if not arguments.no_plot and plot(summaries, arguments.out):
        print(f"\nchart: {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
