"""The robustness registry: how the sweep calls each public name (see test_robustness)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from dateutil.rrule import FR, MO, TH
from hypothesis import strategies as st

import tobacco_metrics as tm
from _robustness_kinds import (
    UTC8,
    Case,
    Kwargs,
)
from _robustness_strategies import (
    TOKENS,
    adjustments,
    adoption_inputs,
    amounts,
    brand_table,
    call_metrics,
    carried_table,
    check_adoption,
    check_allocation,
    check_calendar,
    check_class_limits,
    check_counts,
    check_cover,
    check_cycle,
    check_cycle_metrics,
    check_district,
    check_dtype,
    check_holidays,
    check_issues,
    check_ledger,
    check_limits,
    check_lost,
    check_margin,
    check_order_days,
    check_panel,
    check_panel_metrics,
    check_price,
    check_price_codes,
    check_profit,
    check_progress,
    check_quota,
    check_rate,
    check_report,
    check_segment,
    check_share,
    check_shares,
    check_speed,
    check_split,
    check_structure_change,
    check_targets,
    check_tier,
    check_visit_record,
    check_whole_cartons,
    check_width,
    check_window,
    cycle_totals,
    daily_inputs,
    days_of_visits,
    fields_of,
    is_instance,
    ledgers,
    long_table,
    lost_sales_inputs,
    metrics_from,
    non_negative_or_nan,
    panel_metric_inputs,
    prices_and_quantities,
    quota_inputs,
    record_case,
    segment_inputs,
    sell_through_inputs,
    simulation_inputs,
    target_inputs,
    unit_case,
)
from tobacco_metrics.demand import MAX_MODEL_DAILY_SALES
from tobacco_metrics.strategies import (
    brand_codes,
    brands,
    delivery_cycles,
    panels,
    price_class_thresholds,
    price_classes,
    promotion_tiers,
    stores,
    visit_findings,
    visit_standards,
    visit_steps,
    visits,
)

# --------------------------------------------------------------------------- the registry


def _cases() -> dict[str, Case]:
    c: dict[str, Case] = {}
    daily = daily_inputs()

    # pricing
    c["PriceClassThresholds"] = Case(
        tm.PriceClassThresholds,
        price_class_thresholds().map(lambda t: t.to_dict()),
        is_instance(tm.PriceClassThresholds),
    )
    c["price_class"] = Case(
        tm.price_class,
        st.builds(
            dict,
            allocation_price=st.lists(st.floats(0.01, 1e6), max_size=5) | st.floats(0.01, 1e6),
            thresholds=price_class_thresholds(),
        ),
        check_price_codes,
        overrides={"allocation_price": "array"},
    )

    # stock
    c["stockout_mask"] = Case(
        tm.stockout_mask,
        daily.map(lambda k: {n: k[n] for n in ("sales", "inventory", "token_stock")}),
        lambda r, k: check_dtype(r, "b"),
    )
    c["stockout_days"] = Case(tm.stockout_days, daily, check_counts)
    c["effective_sales_days"] = Case(tm.effective_sales_days, daily, check_counts)
    c["cycle_metrics"] = Case(
        tm.cycle_metrics,
        st.builds(
            lambda k, f: {**k, "fallback_daily_rate": f} if f is not None else k,
            daily,
            st.none() | st.floats(0, 50),
        ),
        check_cycle_metrics,
    )
    c["projected_stockout_sales"] = Case(
        tm.projected_stockout_sales,
        cycle_totals(),
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
        check_cover,
    )
    c["CycleMetrics"] = record_case(tm.CycleMetrics, daily.map(metrics_from))

    # domain
    c["Brand"] = Case(
        tm.Brand, brands().map(fields_of), is_instance(tm.Brand), overrides={"retail_price": "real"}
    )
    c["Store"] = Case(
        tm.Store,
        stores().map(fields_of),
        is_instance(tm.Store),
    )
    c["DeliveryCycle"] = Case(
        tm.DeliveryCycle,
        delivery_cycles().map(fields_of),
        check_cycle,
    )
    c["DeliveryCycle.metrics"] = Case(
        lambda self, **kwargs: self.metrics(**kwargs),
        st.builds(
            lambda cycle, token: {"self": cycle, "token_stock": token},
            delivery_cycles(),
            TOKENS,
        ),
        lambda r, k: check_cycle_metrics(r, {"sales": np.asarray(k["self"].sales)}),
        signature=tm.DeliveryCycle.metrics,
    )
    c["Visit"] = Case(
        tm.Visit,
        visits(timezones=st.none() | st.just(UTC8)).map(fields_of),
        check_visit_record,
        overrides={"start": "datetime", "end": "datetime"},
    )
    c["VisitFindings"] = Case(
        tm.VisitFindings,
        visit_findings().map(fields_of),
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
        check_shares,
    )
    c["share_at_or_above"] = Case(
        tm.share_at_or_above,
        st.builds(
            lambda t, level: {"quantity": t[0], "price_class": t[1], "at_least": level},
            table,
            price_classes(),
        ),
        check_share,
    )
    for name in ("average_price_per_carton", "average_price_per_case"):
        c[name] = Case(
            getattr(tm, name),
            amounts(),
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
        check_share,
        overrides={"should_carry": "mask"},
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
        check_width,
    )
    c["ledger_sales"] = Case(
        tm.ledger_sales,
        ledgers(),
        check_ledger,
    )
    c["gross_profit"] = Case(
        tm.gross_profit,
        prices_and_quantities(),
        check_profit,
    )
    c["gross_margin"] = Case(
        tm.gross_margin,
        prices_and_quantities(),
        check_margin,
    )
    c["stockout_segment"] = Case(
        tm.stockout_segment,
        segment_inputs(),
        check_segment,
        overrides={"days": "array", "thresholds": "collection"},
    )
    c["target_customers"] = Case(
        tm.target_customers,
        target_inputs(),
        check_targets,
    )
    c["new_brand_sell_through"] = Case(
        tm.new_brand_sell_through,
        sell_through_inputs(),
        check_share,
    )
    c["sell_through_speed"] = Case(
        tm.sell_through_speed,
        st.builds(
            lambda k, fast: {**k, "fast_at": fast}, sell_through_inputs(), st.floats(0.01, 1)
        ),
        check_speed,
    )

    # visits
    c["VisitStandard"] = Case(
        tm.VisitStandard,
        visit_standards().map(fields_of),
        is_instance(tm.VisitStandard),
    )
    c["PromotionTier"] = Case(
        tm.PromotionTier,
        promotion_tiers().map(fields_of),
        is_instance(tm.PromotionTier),
    )
    c["VisitIssue"] = Case(
        tm.VisitIssue,
        st.builds(
            lambda code, steps: {"code": code, "message": "C001: missing", "steps": steps},
            st.sampled_from(["too_short", "missing_steps", "after_field_hours"]),
            st.frozensets(visit_steps()),
        ),
        is_instance(tm.VisitIssue),
    )
    c["check_visit"] = Case(
        tm.check_visit,
        st.builds(
            lambda visit, standard: {"visit": visit, "standard": standard},
            visits(timezones=st.none() | st.just(UTC8), max_duration=dt.timedelta(hours=30)),
            visit_standards(),
        ),
        check_issues,
    )
    c["daily_visit_report"] = Case(
        tm.daily_visit_report, days_of_visits(), check_report, overrides={"carried": "mapping"}
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
        is_instance(tm.KeyBrandShelf),
        overrides={"brand_code": "object"},
    )
    c["recommendation_adoption"] = Case(
        tm.recommendation_adoption,
        adoption_inputs(),
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
        is_instance(tm.WorkTask),
        overrides={"date": "date"},
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
        check_rate,
    )
    c["reasonable_quota"] = Case(
        tm.reasonable_quota, quota_inputs(), check_quota, overrides={"cycle_days": "array"}
    )
    c["replenishment_order"] = Case(
        tm.replenishment_order,
        st.builds(
            dict,
            quota=st.integers(0, 500) | st.lists(st.integers(0, 500), min_size=1, max_size=4),
            inventory=st.floats(0, 500),
        ),
        check_whole_cartons,
    )
    c["split_total"] = Case(
        tm.split_total,
        st.builds(
            dict,
            total=st.integers(0, 10**6),
            weights=st.lists(st.floats(0.5, 100) | st.integers(1, 100), min_size=1, max_size=6),
        ),
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
        check_allocation,
    )
    c["agreed_monthly_total"] = Case(
        tm.agreed_monthly_total,
        st.builds(
            dict,
            monthly_sales=st.lists(st.integers(0, 10**5), min_size=3, max_size=6),
            adjustment=st.floats(0, 3),
        ),
        check_whole_cartons,
    )
    c["history_window"] = Case(
        tm.history_window,
        st.builds(
            dict,
            end=st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
            months=st.integers(1, 24),
        ),
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
        is_instance(tm.CycleLimit),
        overrides={"days_covered": "int", "moved_from": "date"},
    )
    c["QuotaAdjustment"] = Case(
        tm.QuotaAdjustment,
        adjustments().map(fields_of),
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
        check_panel,
    )
    c["Panel.from_long"] = Case(
        tm.Panel.from_long,
        panels().map(long_table),
        check_panel,
    )
    c["Panel.metrics"] = Case(
        call_metrics,
        panel_metric_inputs(),
        check_panel_metrics,
        signature=tm.Panel.metrics,
    )
    c["PanelMetrics"] = record_case(tm.PanelMetrics, panels().map(lambda p: p.metrics()))
    c["PanelCycleMetrics"] = record_case(
        tm.PanelCycleMetrics,
        panels(min_days=2).map(lambda p: p.metrics_by_cycle(1)),
    )
    c["PooledMetrics"] = record_case(
        tm.PooledMetrics, panels().map(lambda p: p.metrics().by_store())
    )

    # simulate
    c["simulate_sales"] = Case(
        tm.simulate_sales,
        simulation_inputs(),
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
        check_district,
        overrides={"token_stock": "size", "holidays": "mask"},
    )
    c["SimulatedDistrict"] = record_case(
        tm.SimulatedDistrict, st.just(tm.simulate_district(2, 2, 1, seed=1))
    )

    # lost sales
    c["lost_sales"] = Case(
        tm.lost_sales,
        lost_sales_inputs(cycles=True),
        check_lost,
        overrides={"sales": "small_array", "inventory": "small_array"},
    )
    c["estimate_daily_demand"] = Case(
        tm.estimate_daily_demand,
        lost_sales_inputs(cycles=False),
        check_lost,
        overrides={"sales": "small_array", "inventory": "small_array"},
    )
    c["fit_demand"] = Case(
        tm.fit_demand,
        # The model's inputs: whole cartons (the source formula's draws may hold fractions).
        lost_sales_inputs(cycles=False)
        .filter(lambda kwargs: kwargs["method"] != "seed")
        .map(fit_arguments)
        .filter(within_model_bound),
        check_fit,
        overrides={"sales": "small_array", "inventory": "small_array"},
    )
    c["DemandFit"] = record_case(
        tm.DemandFit, st.just(tm.fit_demand([[3, 0, 2, 4]], [[5, 0, 3, 6]], start="2026-03-02"))
    )
    return c


def within_model_bound(kwargs: Kwargs) -> bool:
    """A valid call of the demand model: no day above its documented bound."""
    return bool(np.max(kwargs["sales"], initial=0) <= MAX_MODEL_DAILY_SALES)


def fit_arguments(kwargs: Kwargs) -> Kwargs:
    """The arguments fit_demand takes of a lost_sales call (start is required)."""
    names = ("sales", "inventory", "token_stock")
    return {"start": dt.date(2026, 3, 2)} | {n: kwargs[n] for n in names if n in kwargs}


def check_fit(result: tm.DemandFit, kwargs: Kwargs) -> None:
    assert isinstance(result, tm.DemandFit)
    assert non_negative_or_nan(result.mean)
    assert non_negative_or_nan(result.lost)


CASES = _cases()
