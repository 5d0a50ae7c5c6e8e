"""Lost sales in tobacco-retail worlds of a second author: calendar, supply and shelf effects.

:mod:`benchmarks.accuracy` draws its districts with the library's own
simulator and :mod:`benchmarks.other_worlds` with a second one built around
stock levels set from past sales. This third simulator, written without
either's code, draws what a tobacco retailer's year and shelf do to sales:

- demand is **Poisson around a store-day traffic factor** (lognormal, sd 0.2,
  shared by every brand of a store that day: a rainy Tuesday is quiet for all
  of them) **times a brand-day gamma factor** (shape 6), around a series level
  (lognormal, median 5 cartons a day, sd 0.8, times a store size factor of sd
  0.5) and a weekday shape of its own (Friday and Saturday busiest);
- the distributor delivers every Monday (twice a week in ``twice``) up to a
  stock level of **cover × its own forecast of the cycle's demand**, cover
  drawn per series in 0.75–1.35; the forecast knows the series' level and
  weekday shape but none of the world's calendar unless said; sales are what
  the stock meets, in day order.

Worlds (12 weekly cycles from Monday 2026-03-02 unless said):

``base``          the plain case of this simulator (a control);
``payday``        month-start pay-day peaks: days 1–5 of a month ×1.7, the rest
                  ×0.9; the forecast does not know;
``festival``      Spring Festival (2027-02-06; cycles from Monday 2026-12-28):
                  the two weeks before it ×3, the two after ×0.5; the
                  distributor raises the stock level ×2 for the two weeks;
``substitute``    brands in pairs of one price class: when brand A is out,
                  half of its unmet demand buys brand B (B's sales inflated;
                  the truth of B is the unmet demand that reached B);
``twice``         deliveries Monday and Thursday (a cover of 3 and 4 days);
``closed``        40 % of stores close on Sunday: no sales, the stock carried
                  over; scored with the closed days unknown and known
                  (``exclude``); the truth of a closed day is 0;
``delist``        30 % of series are being delisted: demand falls linearly from
                  ×1 in week 4 to ×0.05 in week 12; the distributor follows the
                  fall and stops supplying after week 8;
``token``         80 % of stores keep one carton back (sell down to 1); the
                  stockout rule uses a token stock of 1; scored with who holds
                  back detected and known (``hold_back``).

Each world is scored against the source's formula (``method="seed"``) for one
call over the whole district (stores × brands × days) and one call per series:
the bias of total lost sales and the per-cycle MAE as a multiple of the
formula's, seeds averaged. No target is asserted.

Usage::

    python benchmarks/unseen_worlds.py                    # 3 seeds, every world
    python benchmarks/unseen_worlds.py --seeds 1 --worlds payday closed
    python benchmarks/unseen_worlds.py --quick            # small, for CI
"""

from __future__ import annotations

import argparse
import datetime as dt
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

import tobacco_metrics as tm

CYCLES = 12
DAYS = 7 * CYCLES
START = dt.date(2026, 3, 2)  # a Monday
FESTIVAL_START = dt.date(2026, 12, 28)  # a Monday, six weeks before the festival
FESTIVAL = dt.date(2027, 2, 6)
WEEKDAY = np.array([0.92, 0.88, 0.95, 1.0, 1.12, 1.2, 0.93])  # Monday first
WORLDS = ("base", "payday", "festival", "substitute", "twice", "closed", "delist", "token")

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


@dataclass
class World:
    """A drawn district: what the distributor sees and the truth, stores × brands × days."""

    start: dt.date
    sales: Ints
    closing: Ints
    lost: Floats  # true unmet demand of each day
    mean: Floats  # expected demand of each day (before the traffic and the brand-day noise)
    token: int = 0  # the stockout rule's token stock
    hold_back: Bools | None = None  # who keeps the token back (stores × brands)
    closed: Bools | None = None  # days the store was closed


def _dates(start: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=d) for d in range(DAYS)]


def _calendar_factor(world: str, start: dt.date) -> Floats:
    """The demand multiplier of each day the forecast does not know (1 elsewhere)."""
    factor = np.ones(DAYS)
    if world == "payday":
        factor = np.array([1.7 if d.day <= 5 else 0.9 for d in _dates(start)])
    elif world == "festival":
        offset = np.array([(d - FESTIVAL).days for d in _dates(start)])
        factor = np.where((offset >= -14) & (offset < 0), 3.0, 1.0)
        factor = np.where((offset >= 0) & (offset < 14), 0.5, factor)
    return factor


def draw(world: str, seed: int, stores: int, brands: int) -> World:
    """Simulate one district of ``world``: sales, closing stock and the true lost sales."""
    rng = np.random.default_rng([seed, WORLDS.index(world)])
    start = FESTIVAL_START if world == "festival" else START
    weekday = np.array([d.weekday() for d in _dates(start)])
    size = np.exp(rng.normal(0.0, 0.5, (stores, 1)))
    level = 5.0 * size * np.exp(rng.normal(0.0, 0.8, (stores, brands)))
    shape = WEEKDAY * np.exp(rng.normal(0.0, 0.08, (stores, brands, 7)))
    forecast = level[..., None] * shape[..., weekday]  # the distributor's daily forecast
    calendar = _calendar_factor(world, start)
    trend = np.ones((stores, brands, DAYS))
    supply_ends = np.full((stores, brands), DAYS)
    if world == "delist":
        delisted = rng.random((stores, brands)) < 0.3
        week = np.arange(DAYS) / 7.0
        fall = np.clip(1.0 - 0.95 * (week - 3.0) / 8.0, 0.05, 1.0)
        trend = np.where(delisted[..., None], fall, 1.0)
        forecast = forecast * trend
        supply_ends = np.where(delisted, 8 * 7, DAYS)
    expected = forecast * calendar
    traffic = np.exp(rng.normal(-0.02, 0.2, (stores, 1, DAYS)))
    noise = rng.gamma(6.0, 1.0 / 6.0, (stores, brands, DAYS))
    demand = rng.poisson(expected * traffic * noise).astype(np.int64)

    closed = None
    if world == "closed":
        closing_store = rng.random(stores) < 0.4
        closed = closing_store[:, None, None] & (weekday == 6)[None, None, :]
        closed = np.broadcast_to(closed, demand.shape).copy()
        demand = np.where(closed, 0, demand)
    keep = np.zeros((stores, brands), dtype=np.int64)
    token = 0
    hold_back = None
    if world == "token":
        hold_back = np.broadcast_to(rng.random((stores, 1)) < 0.8, (stores, brands)).copy()
        keep = hold_back.astype(np.int64)
        token = 1

    deliveries = (0, 3) if world == "twice" else (0,)
    cover = rng.uniform(0.75, 1.35, (stores, brands))
    if world == "festival":  # the distributor knows the festival, not how big it is
        offset = np.array([(d - FESTIVAL).days for d in _dates(start)])
        forecast = forecast * np.where((offset >= -14) & (offset < 0), 2.0, 1.0)
    on_hand = np.zeros((stores, brands), dtype=np.int64)
    sales = np.zeros_like(demand)
    closing = np.zeros_like(demand)
    lost = np.zeros(demand.shape)
    spill = np.zeros((stores, brands), dtype=np.int64)
    for day in range(DAYS):
        if day % 7 in deliveries:
            nexts = [d for d in deliveries if d > day % 7]
            until = day - day % 7 + (nexts[0] if nexts else 7)
            need = cover * forecast[..., day:until].sum(axis=-1) + keep
            order = np.maximum(np.rint(need).astype(np.int64) - on_hand, 0)
            order = np.where(day < supply_ends, order, 0)
            on_hand = on_hand + order
        wanted = demand[..., day].copy()
        if world == "substitute":  # brand 2k is A, 2k+1 is B of the same price class
            pairs = brands // 2 * 2
            first = np.minimum(wanted[:, 0:pairs:2], on_hand[:, 0:pairs:2] - keep[:, 0:pairs:2])
            unmet = wanted[:, 0:pairs:2] - first
            spill[:] = 0
            spill[:, 1:pairs:2] = rng.binomial(unmet, 0.5)
            wanted = wanted + spill
        sold = np.minimum(wanted, np.maximum(on_hand - keep, 0))
        sales[..., day] = sold
        lost[..., day] = wanted - sold
        on_hand = on_hand - sold
        closing[..., day] = on_hand
    return World(start, sales, closing, lost, expected, token, hold_back, closed)


def _cycles(daily: NDArray[np.float64] | Ints) -> Floats:
    values = np.nan_to_num(np.asarray(daily, dtype=np.float64))
    totals: Floats = values.reshape(*values.shape[:-1], CYCLES, 7).sum(axis=-1)
    return totals


def _fit(world: World, call: slice | None, known: str = "") -> Floats:
    """Lost sales per cycle of the censored model, the district in one call or one series.

    ``known``: what the caller passes besides the data (``"exclude"``: the
    closed days; ``"hold_back"``: who keeps a carton back; ``""``: nothing).
    """
    exclude = world.closed if known == "exclude" else None
    hold_back = world.hold_back if known == "hold_back" else None
    sales, closing = world.sales, world.closing
    if call is not None:
        sales = sales.reshape(-1, DAYS)[call]
        closing = closing.reshape(-1, DAYS)[call]
        exclude = None if exclude is None else exclude.reshape(-1, DAYS)[call]
        hold_back = None if hold_back is None else hold_back.reshape(-1)[call]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tm.ConvergenceWarning)
        fit = tm.fit_demand(
            sales,
            closing,
            start=world.start,
            token_stock=world.token,
            exclude=exclude,
            hold_back=hold_back,
        )
    return _cycles(fit.lost).reshape(-1, CYCLES)


def variants(name: str) -> dict[str, str]:
    """The censored model's runs on a world: label → what the caller knows and passes."""
    if name == "closed":
        return {"unknown": "", "known": "exclude"}
    if name == "token":
        return {"detected": "", "known": "hold_back"}
    return {"": ""}


def score(name: str, seed: int, stores: int, brands: int) -> dict[str, float]:
    """Bias of total lost sales and per-cycle MAE (÷ the formula's), per estimator."""
    world = draw(name, seed, stores, brands)
    true = _cycles(world.lost).reshape(-1, CYCLES)
    rows = world.sales.reshape(-1, DAYS)
    stock = world.closing.reshape(-1, DAYS)
    estimates = {"formula": np.nan_to_num(tm.lost_sales(rows, stock, token_stock=world.token))}
    n = rows.shape[0]
    for label, known in variants(name).items():
        suffix = f" ({label})" if label else ""
        estimates[f"district{suffix}"] = _fit(world, None, known)
        estimates[f"one{suffix}"] = np.concatenate(
            [_fit(world, slice(i, i + 1), known) for i in range(n)]
        )
    formula_mae = float(np.abs(estimates["formula"] - true).mean())
    result = {"out_days": float(np.mean(world.closing <= world.token))}
    for key, estimate in estimates.items():
        result[f"{key}|bias"] = float(estimate.sum() / true.sum() - 1.0)
        result[f"{key}|mae"] = float(np.abs(estimate - true).mean()) / formula_mae
    return result


def table(worlds: Sequence[str], seeds: Sequence[int], stores: int, brands: int) -> str:
    """The markdown table of every world, seeds averaged."""
    lines = [
        "| world | days out | formula | district | MAE | one/call | MAE |",
        "|---|---|---|---|---|---|---|",
    ]
    print(*lines, sep="\n", flush=True)
    for name in worlds:
        scores = [score(name, seed, stores, brands) for seed in seeds]
        mean = {key: float(np.mean([s[key] for s in scores])) for key in scores[0]}
        labels = [
            key.split("|")[0][len("district") :]
            for key in mean
            if key.startswith("district") and key.endswith("|bias")
        ]
        for label in labels:
            lines.append(
                f"| {name}{label} | {mean['out_days']:.1%} | {mean['formula|bias']:+.1%} | "
                f"{mean[f'district{label}|bias']:+.1%} | {mean[f'district{label}|mae']:.2f}× | "
                f"{mean[f'one{label}|bias']:+.1%} | {mean[f'one{label}|mae']:.2f}× |"
            )
        print(*lines[-len(labels) :], sep="\n", flush=True)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--worlds", nargs="*", default=list(WORLDS), choices=WORLDS)
    parser.add_argument("--stores", type=int, default=20)
    parser.add_argument("--brands", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="one seed, 4 × 4 series (CI)")
    args = parser.parse_args(argv)
    stores, brands, seeds = args.stores, args.brands, args.seeds
    if args.quick:
        stores, brands, seeds = 4, 4, [1]
    print(
        f"{stores} stores × {brands} brands × {CYCLES} weeks, seeds {seeds}; bias of total "
        "lost sales, and per-cycle MAE as a multiple of the formula's\n"
    )
    table(args.worlds, seeds, stores, brands)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
