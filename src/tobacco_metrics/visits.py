"""Visits and the customer manager's standards (拜访): checks, daily report, follow-up.

The rules are those of the source's work flow for customer managers (source
篇6, "卷烟行业客户经理工作流程", and 篇1):

- 正常拜访的标准 (the visit standard): at least 30 stores a day in town and 25
  in the country, at least 8 minutes at each, the first store reached by 9:30,
  field work over at 15:00 (:class:`VisitStandard`);
- 拜访服务流程七项内容 问看介整收答记: the seven steps done at every store
  (:class:`~tobacco_metrics.VisitStep`), checked by :func:`check_visit`;
- 每日拜访结束后 … 简要总结: the ten items of the daily report, those that can be
  computed (:func:`daily_visit_report`);
- 订单跟进 (order follow-up): did the store order the brands recommended to it
  within its order cycle (:func:`recommendation_adoption`);
- 计算协议量进度 (agreement progress): ordered so far against the agreed
  monthly volume, compared with the share of the month gone
  (:func:`agreement_progress`);
- 累计订购量 … 促销品 (promotion gift tiers): which tier a store's cumulative
  order has reached and what is left to the next (:func:`promotion_tier`).

Times of day are compared on the visit's own wall clock: a naive visit at
09:40 and a visit at 09:40+08:00 are both "09:40".  Naive and timezone-aware
visits are never mixed in one call (:class:`~tobacco_metrics.InvalidValueError`).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import math
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike

from tobacco_metrics import _convert as cv
from tobacco_metrics._typing import FloatResult
from tobacco_metrics._validation import (
    as_real_array,
    broadcast_arrays,
    check_finite,
    check_positive,
    non_negative_scalar,
    overflow_guard,
    quantities,
    read_only_view,
    unwrap,
)
from tobacco_metrics.domain import AreaType, Visit, VisitStep, _Record
from tobacco_metrics.errors import (
    DuplicateEntryError,
    EmptyInputError,
    InvalidValueError,
    MissingDataError,
)

__all__ = [
    "Adoption",
    "AgreementProgress",
    "DailyVisitReport",
    "KeyBrandShelf",
    "PromotionTier",
    "VisitIssue",
    "VisitStandard",
    "agreement_progress",
    "check_visit",
    "daily_visit_report",
    "promotion_tier",
    "recommendation_adoption",
]

VisitIssueCode = Literal["too_short", "missing_steps", "after_field_hours"]
_ISSUE_CODES: tuple[str, ...] = ("too_short", "missing_steps", "after_field_hours")


# --------------------------------------------------------------------------- converters


def _non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{attribute.name!r} must be an int, got {type(value).__name__}")
    if value < 0:
        raise InvalidValueError(f"{attribute.name!r} must be >= 0: {value}")


def _non_negative_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    non_negative_scalar(value, attribute.name)


def _wall_clock(value: Any, name: str) -> dt.time:
    if isinstance(value, str):
        try:
            value = dt.time.fromisoformat(value)
        except ValueError:
            raise InvalidValueError(f"{name!r} must be an ISO time 'HH:MM': {value!r}") from None
    if not isinstance(value, dt.time):
        raise TypeError(f"{name!r} must be a datetime.time, got {type(value).__name__}")
    if value.tzinfo is not None:
        raise InvalidValueError(
            f"{name!r} must be a naive wall-clock time (it is compared with each visit's "
            f"local time): {value.isoformat()}"
        )
    return value


def _first_visit_by(value: Any) -> dt.time:
    return _wall_clock(value, "first_visit_by")


def _field_work_ends(value: Any) -> dt.time:
    return _wall_clock(value, "field_work_ends")


def _required_step(value: Any) -> VisitStep:
    return cv.enum_member(VisitStep, value, "required_steps")


def _required_steps(values: Any) -> frozenset[VisitStep]:
    return cv.frozenset_of(values, _required_step, "required_steps")


def _issue_step(value: Any) -> VisitStep:
    return cv.enum_member(VisitStep, value, "steps")


def _issue_steps(values: Any) -> frozenset[VisitStep]:
    return cv.frozenset_of(values, _issue_step, "steps")


def _issue_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in _ISSUE_CODES:
        raise InvalidValueError(f"'code' must be one of {', '.join(_ISSUE_CODES)}: {value!r}")


def _step_list(steps: Iterable[VisitStep]) -> str:
    ordered = [step for step in VisitStep if step in steps]
    return ", ".join(f"{step.label} {step.value}" for step in ordered)


# --------------------------------------------------------------------------- standard


@attrs.frozen(kw_only=True)
class VisitStandard(_Record):
    """The standard of a normal visiting day (正常拜访的标准), source 篇6.

    "拜访户数:城区不得少于30户,农村不得少于25户。服务时间:每户不得少于8分钟"
    and "客户经理在9:30前必须到达第一个客户处 … 下午3:00结束市场实地拜访工作".

    Parameters
    ----------
    min_visits_urban : int
        Fewest stores to visit in a day in town (城区) [stores]; default 30.
    min_visits_rural : int
        Fewest stores to visit in a day in the country (农村) [stores]; default 25.
    min_minutes : float
        Fewest minutes at each store [minutes]; default 8. A visit of exactly
        this length meets it ("不得少于").
    first_visit_by : datetime.time
        The first store must be reached by this wall-clock time (09:30); a
        first visit starting exactly then is on time. An ISO "HH:MM" string is
        accepted; the time must be naive.
    field_work_ends : datetime.time
        Field work is over at this wall-clock time (15:00); a visit ending
        after it is flagged. Naive; ISO string accepted.
    required_steps : collection of VisitStep
        The steps every visit must include; default all seven (问看介整收答记).

    Examples
    --------
    >>> standard = VisitStandard()
    >>> standard.min_visits(AreaType.RURAL), standard.first_visit_by
    (25, datetime.time(9, 30))
    >>> VisitStandard.from_dict(standard.to_dict()) == standard
    True
    >>> VisitStandard(min_minutes=-1)
    Traceback (most recent call last):
    ...
    tobacco_metrics.errors.InvalidValueError: 'min_minutes' must be >= 0: -1
    """

    min_visits_urban: int = attrs.field(default=30, validator=_non_negative_int)
    min_visits_rural: int = attrs.field(default=25, validator=_non_negative_int)
    min_minutes: float = attrs.field(default=8, validator=_non_negative_number)
    first_visit_by: dt.time = attrs.field(default=dt.time(9, 30), converter=_first_visit_by)
    field_work_ends: dt.time = attrs.field(default=dt.time(15, 0), converter=_field_work_ends)
    required_steps: frozenset[VisitStep] = attrs.field(
        default=frozenset(VisitStep), converter=_required_steps
    )

    def __attrs_post_init__(self) -> None:
        if self.first_visit_by > self.field_work_ends:
            raise InvalidValueError(
                f"'first_visit_by' must be <= 'field_work_ends' "
                f"({self.field_work_ends.isoformat()}): {self.first_visit_by.isoformat()}"
            )

    def min_visits(self, area: AreaType | str) -> int:
        """The fewest stores a day for ``area`` (urban or rural) [stores]."""
        member = cv.enum_member(AreaType, area, "area")
        return self.min_visits_urban if member is AreaType.URBAN else self.min_visits_rural


_DEFAULT_STANDARD = VisitStandard()


# --------------------------------------------------------------------------- one visit


@attrs.frozen
class VisitIssue(_Record):
    """One way a visit falls short of the :class:`VisitStandard`.

    Attributes
    ----------
    code : {"too_short", "missing_steps", "after_field_hours"}
        What is wrong: the visit is shorter than ``min_minutes``; some of the
        required steps (问看介整收答记) were not done; the visit ended after
        ``field_work_ends``.
    message : str
        A sentence for a person, naming the store and the numbers.
    steps : frozenset of VisitStep
        The missing steps for ``"missing_steps"``; empty otherwise.

    Examples
    --------
    >>> issue = VisitIssue("missing_steps", "C001: missing 记 record", steps={VisitStep.RECORD})
    >>> VisitIssue.from_dict(issue.to_dict()) == issue
    True
    """

    code: VisitIssueCode = attrs.field(validator=_issue_code)
    message: str = attrs.field(validator=cv.non_empty_str)
    steps: frozenset[VisitStep] = attrs.field(
        factory=frozenset, kw_only=True, converter=_issue_steps
    )


def _check_visit_type(visit: Any, name: str) -> Visit:
    if not isinstance(visit, Visit):
        raise TypeError(f"{name!r} must be a Visit, got {type(visit).__name__}")
    return visit


def _check_standard(standard: Any) -> VisitStandard:
    if not isinstance(standard, VisitStandard):
        raise TypeError(f"'standard' must be a VisitStandard, got {type(standard).__name__}")
    return standard


def _ends_after(visit: Visit, limit: dt.time) -> bool:
    """Whether the visit ends after ``limit`` on the wall clock of its start's day and zone."""
    end = visit.end
    if visit.start.tzinfo is not None:
        end = end.astimezone(visit.start.tzinfo)
    return end.replace(tzinfo=None) > dt.datetime.combine(visit.start.date(), limit)


def _visit_issues(visit: Visit, standard: VisitStandard) -> tuple[VisitIssue, ...]:
    issues: list[VisitIssue] = []
    minutes = visit.duration.total_seconds() / 60
    if minutes < standard.min_minutes:
        issues.append(
            VisitIssue(
                "too_short",
                f"visit to {visit.store_id} lasted {minutes:g} min, "
                f"less than the standard {standard.min_minutes:g} min",
            )
        )
    missing = standard.required_steps - visit.steps
    if missing:
        issues.append(
            VisitIssue(
                "missing_steps",
                f"visit to {visit.store_id} missed {len(missing)} of the required steps: "
                f"{_step_list(missing)}",
                steps=missing,
            )
        )
    if _ends_after(visit, standard.field_work_ends):
        end = visit.end
        if visit.start.tzinfo is not None:
            end = end.astimezone(visit.start.tzinfo)
        issues.append(
            VisitIssue(
                "after_field_hours",
                f"visit to {visit.store_id} ended at {end.strftime('%H:%M')}, "
                f"after field work ends ({standard.field_work_ends.strftime('%H:%M')})",
            )
        )
    return tuple(issues)


def check_visit(
    visit: Visit, standard: VisitStandard = _DEFAULT_STANDARD
) -> tuple[VisitIssue, ...]:
    """Check one visit against the visit standard (正常拜访的标准).

    Parameters
    ----------
    visit : Visit
        The visit record (日拜访记录表).
    standard : VisitStandard
        Default ``VisitStandard()``: 8 minutes, all seven steps, field work
        over at 15:00.

    Returns
    -------
    tuple of VisitIssue
        In the order ``"too_short"``, ``"missing_steps"``,
        ``"after_field_hours"``, each at most once; empty for a good visit.

    Notes
    -----
    - too short: duration < ``min_minutes`` (exactly 8 minutes is enough,
      "每户不得少于8分钟");
    - missing steps: ``standard.required_steps − visit.steps`` is not empty;
    - after field hours: the visit's end, on the wall clock of its start's
      time zone, is later than ``field_work_ends`` on the start's day (ending
      at 15:00 exactly is fine; a visit running past midnight is after hours).

    Examples
    --------
    >>> import datetime as dt
    >>> from tobacco_metrics import Visit, VisitStep
    >>> visit = Visit("C002", "M07", dt.datetime(2026, 3, 2, 10, 0), dt.datetime(2026, 3, 2, 10, 5),
    ...               steps=set(VisitStep) - {VisitStep.TIDY})
    >>> [issue.code for issue in check_visit(visit)]
    ['too_short', 'missing_steps']
    >>> print(check_visit(visit)[1].message)
    visit to C002 missed 1 of the required steps: 整 tidy
    """
    return _visit_issues(_check_visit_type(visit, "visit"), _check_standard(standard))


# --------------------------------------------------------------------------- the day


def _visit_tuple(visits: Iterable[Visit]) -> tuple[Visit, ...]:
    if isinstance(visits, (str, bytes, Visit)):
        raise TypeError(f"'visits' must be a collection of Visit, got {type(visits).__name__}")
    records = tuple(visits)
    for index, visit in enumerate(records):
        if not isinstance(visit, Visit):
            raise TypeError(
                f"'visits' must hold Visit objects, got {type(visit).__name__} at index {index}"
            )
    return records


def _require_one_kind(visits: tuple[Visit, ...]) -> None:
    """Raise InvalidValueError when naive and timezone-aware visits are mixed."""
    naive = [index for index, visit in enumerate(visits) if visit.start.tzinfo is None]
    if naive and len(naive) != len(visits):
        aware = next(index for index, visit in enumerate(visits) if visit.start.tzinfo is not None)
        raise InvalidValueError(
            "'visits' must be all naive or all timezone-aware, not mixed: "
            f"visit {naive[0]} ({visits[naive[0]].store_id}) is naive, "
            f"visit {aware} ({visits[aware].store_id}) is aware"
        )


def _store_ids(values: Any, name: str) -> frozenset[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name!r} must be a collection of store ids, got {type(values).__name__}")
    items = list(values)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{name!r} must hold str store ids, got {type(item).__name__}")
        if not item.strip():
            raise InvalidValueError(f"{name!r} must not hold an empty store id: {item!r}")
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise DuplicateEntryError(f"{name!r} lists store {item!r} more than once")
        seen.add(item)
    return frozenset(seen)


def _brand_code(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a brand code must be a str, got {type(value).__name__}")
    if not value.strip():
        raise InvalidValueError(f"a brand code must not be empty: {value!r}")
    return value


def _brand_codes(values: Any, name: str) -> frozenset[str]:
    if not isinstance(values, Iterable):
        raise TypeError(
            f"{name!r} must be a collection of brand codes, got {type(values).__name__}"
        )
    return cv.frozenset_of(values, _brand_code, name)


@attrs.frozen
class KeyBrandShelf:
    """Key-brand on-shelf households among the stores visited (重点品牌上柜情况).

    Attributes
    ----------
    brand_code : str
        The key brand (重点品牌).
    should_carry : int
        Households that should carry it (应上柜的户数): the stores visited that
        day [stores].
    on_shelf : int
        Households that do (实际上柜户数) [stores]; ``<= should_carry``.

    Examples
    --------
    >>> KeyBrandShelf("6901028000000", should_carry=4, on_shelf=3).on_shelf_rate
    0.75
    """

    brand_code: str
    should_carry: int
    on_shelf: int

    @property
    def on_shelf_rate(self) -> float:
        """``on_shelf / should_carry`` (上柜率); NaN when no store should carry it."""
        return self.on_shelf / self.should_carry if self.should_carry else math.nan


@attrs.frozen
class DailyVisitReport:
    """One customer manager's day (每日拜访总结), as :func:`daily_visit_report` returns it.

    Attributes
    ----------
    manager_id : str or None
        The customer manager; None when no visit was recorded.
    date : datetime.date or None
        The day (each visit's local start date); None when no visit was recorded.
    area : AreaType
        Urban or rural: which daily minimum applies.
    planned_visits : int
        当日计划拜访户数: stores on the day's visit schedule [stores].
    actual_visits : int
        当日实际拜访户数: distinct stores visited, on the plan or not [stores].
    completion_rate : float
        Planned stores visited / planned stores, in [0, 1]; NaN when the plan
        is empty.
    unvisited_store_ids : tuple of str
        Planned stores not visited (未拜访客户), sorted; their reasons are for
        the manager to write.
    unplanned_store_ids : tuple of str
        Stores visited but not on the plan, sorted; counted in ``actual_visits``.
    min_visits : int
        The standard's daily minimum for ``area`` [stores].
    meets_daily_standard : bool
        ``actual_visits >= min_visits``.
    short_visits, incomplete_visits, after_hours_visits : tuple of Visit
        Visits shorter than ``min_minutes``; missing a required step; ending
        after ``field_work_ends``. Sorted by start.
    first_visit_start : datetime.datetime or None
        When the first visit of the day began.
    first_visit_late : bool or None
        The first visit began after ``first_visit_by`` (09:30) on its wall
        clock; None when no visit was recorded.
    key_brand_shelf : tuple of KeyBrandShelf or None
        Per key brand, households that should carry it and that do, among
        the stores visited (重点品牌上柜情况); None when ``key_brands`` and
        ``carried`` were not given.
    illegal_cigarettes_seen : int
        Stores where a visit saw illegal cigarettes (非法卷烟: fake, smuggled,
        out-of-channel) [stores].
    untidy_displays : int
        Stores whose display was not tidy (卷烟摆放不整齐) [stores].
    unreasonable_stock : int
        Stores whose stock was not reasonable (库存不合理) [stores].
    incomplete_price_tags : int
        Stores with incomplete price tags (价格标签不完整) [stores].
    mismatched_tags : int
        Stores whose tags did not match the products (烟签不对应) [stores].
        For these five counts a finding left unchecked (None) is not counted,
        and a store visited twice counts once.
    notes : tuple of (str, str)
        ``(store_id, note)`` for every visit with a note, in visit order: the
        raw material of items 8–10 (common problems, complaints, gains).
    """

    manager_id: str | None
    date: dt.date | None
    area: AreaType
    planned_visits: int
    actual_visits: int
    completion_rate: float
    unvisited_store_ids: tuple[str, ...]
    unplanned_store_ids: tuple[str, ...]
    min_visits: int
    meets_daily_standard: bool
    short_visits: tuple[Visit, ...]
    incomplete_visits: tuple[Visit, ...]
    after_hours_visits: tuple[Visit, ...]
    first_visit_start: dt.datetime | None
    first_visit_late: bool | None
    key_brand_shelf: tuple[KeyBrandShelf, ...] | None
    illegal_cigarettes_seen: int
    untidy_displays: int
    unreasonable_stock: int
    incomplete_price_tags: int
    mismatched_tags: int
    notes: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-friendly dict (ISO dates, enum names, visits as dicts)."""
        return cv.record_to_dict(self)


def _single(values: set[Any], name: str, what: str, hint: str) -> Any:
    if len(values) > 1:
        listed = ", ".join(str(value) for value in sorted(values)[:5])
        raise InvalidValueError(
            f"'visits' must be {what}: found {len(values)} {name} ({listed}); {hint}"
        )
    return next(iter(values)) if values else None


def _key_brand_shelf(
    visited: frozenset[str], key_brands: Any, carried: Any
) -> tuple[KeyBrandShelf, ...] | None:
    if key_brands is None and carried is None:
        return None
    if key_brands is None or carried is None:
        given, missing = ("key_brands", "carried") if carried is None else ("carried", "key_brands")
        raise InvalidValueError(
            f"{given!r} was given without {missing!r}: the key-brand shelf count needs both"
        )
    codes = _brand_codes(key_brands, "key_brands")
    if not isinstance(carried, Mapping):
        raise TypeError(
            "'carried' must be a mapping store_id -> brand codes on the shelf, "
            f"got {type(carried).__name__}"
        )
    absent = sorted(visited - set(carried))
    if absent:
        listed = ", ".join(absent[:5])
        raise MissingDataError(
            f"'carried' has no entry for {len(absent)} visited store(s): {listed}; "
            "give an empty set for a store that carries none of the key brands"
        )
    shelves = {store: _brand_codes(carried[store], f"carried[{store!r}]") for store in visited}
    return tuple(
        KeyBrandShelf(
            code,
            should_carry=len(visited),
            on_shelf=sum(1 for store in visited if code in shelves[store]),
        )
        for code in sorted(codes)
    )


def daily_visit_report(
    visits: Iterable[Visit],
    *,
    planned_store_ids: Collection[str],
    area: AreaType | str,
    standard: VisitStandard = _DEFAULT_STANDARD,
    key_brands: Collection[str] | None = None,
    carried: Mapping[str, Collection[str]] | None = None,
) -> DailyVisitReport:
    """The daily visit report (每日拜访总结) of one customer manager's day.

    The source's report has ten items (篇6, 二(七)); the computable ones are:
    1 当日计划拜访户数 (``planned_visits``), 2 当日实际拜访户数
    (``actual_visits``), 3 未拜访客户 (``unvisited_store_ids``; the reasons are
    the manager's to write), 7 重点品牌上柜情况 "重点品牌应上柜的户数、实际上柜户数"
    (``key_brand_shelf``), with the standard's checks (short visits, missing
    steps, a late first visit, the daily minimum) and the counts of what the
    visits found (看: stock, display, price tags, illegal cigarettes). Items 4–6
    need stock data (see :func:`cycle_metrics`); 8–10 are free text, here
    gathered as ``notes``.

    Parameters
    ----------
    visits : iterable of Visit
        The visits of **one** manager on **one** day (the day of each visit's
        local start). Visits from several managers or days raise
        InvalidValueError: split them first (by ``Visit.manager_id`` and
        ``Visit.date``). May be empty (a day without visits).
    planned_store_ids : collection of str
        The stores on the day's visit schedule (拜访日程表); a store listed
        twice raises DuplicateEntryError.
    area : AreaType or str
        Urban or rural: which daily minimum applies.
    standard : VisitStandard
        Default ``VisitStandard()``.
    key_brands : collection of str, optional
        Codes of the key brands (重点品牌) whose shelf presence is counted.
    carried : mapping of str to collection of str, optional
        ``store_id -> brand codes on the store's shelf`` as seen at the visit.
        Every visited store needs an entry (MissingDataError otherwise; an
        empty set when it carries none); entries for stores not visited are
        ignored. Give both ``key_brands`` and ``carried`` or neither.

    Returns
    -------
    DailyVisitReport

    Raises
    ------
    InvalidValueError
        Visits of several managers or days; naive and aware datetimes mixed;
        only one of ``key_brands`` / ``carried``.
    DuplicateEntryError
        A store listed twice in ``planned_store_ids``.
    MissingDataError
        A visited store missing from ``carried``.

    Notes
    -----
    - ``actual_visits`` counts distinct stores: a store visited twice counts
      once; a short or incomplete visit still counts (it is flagged).
    - ``completion_rate = |planned ∩ visited| / |planned|``, in [0, 1]; NaN
      when nothing was planned. Unplanned stores raise ``actual_visits`` but
      not the completion rate.
    - The plan given is authoritative: ``Visit.planned`` is not consulted.
    - Every visited store should carry every key brand: ``should_carry`` is
      the number of stores visited.

    Examples
    --------
    >>> import datetime as dt
    >>> from tobacco_metrics import Visit, VisitStep
    >>> day = dt.date(2026, 3, 2)
    >>> def visit(store, start, minutes, steps=frozenset(VisitStep)):
    ...     begin = dt.datetime.combine(day, dt.time.fromisoformat(start))
    ...     return Visit(store, "M07", begin, begin + dt.timedelta(minutes=minutes), steps=steps)
    >>> visits = [visit("C001", "09:20", 12), visit("C002", "09:40", 5),
    ...           visit("C003", "10:00", 10, steps=set(VisitStep) - {VisitStep.RECORD})]
    >>> report = daily_visit_report(visits, planned_store_ids={"C001", "C002", "C003", "C004"},
    ...                             area="rural")
    >>> report.actual_visits, report.planned_visits, report.completion_rate
    (3, 4, 0.75)
    >>> report.unvisited_store_ids, report.meets_daily_standard, report.first_visit_late
    (('C004',), False, False)
    >>> [v.store_id for v in report.short_visits], [v.store_id for v in report.incomplete_visits]
    (['C002'], ['C003'])
    """
    records = _visit_tuple(visits)
    plan = _store_ids(planned_store_ids, "planned_store_ids")
    area_type = cv.enum_member(AreaType, area, "area")
    standard = _check_standard(standard)
    _require_one_kind(records)
    manager = _single(
        {visit.manager_id for visit in records},
        "managers",
        "one manager's",
        "split them by Visit.manager_id",
    )
    date = _single(
        {visit.date for visit in records},
        "days",
        "of one day",
        "split them by Visit.date",
    )

    visited = frozenset(visit.store_id for visit in records)
    shelf = _key_brand_shelf(visited, key_brands, carried)
    ordered = sorted(records, key=lambda visit: (visit.start, visit.store_id))
    checked = [
        (visit, {issue.code for issue in _visit_issues(visit, standard)}) for visit in ordered
    ]

    def flagged(code: str) -> tuple[Visit, ...]:
        return tuple(visit for visit, codes in checked if code in codes)

    def stores_where(found: Any) -> int:
        return len({visit.store_id for visit in records if found(visit.findings)})

    first = ordered[0] if ordered else None
    min_visits = standard.min_visits(area_type)
    return DailyVisitReport(
        manager_id=manager,
        date=date,
        area=area_type,
        planned_visits=len(plan),
        actual_visits=len(visited),
        completion_rate=len(plan & visited) / len(plan) if plan else math.nan,
        unvisited_store_ids=tuple(sorted(plan - visited)),
        unplanned_store_ids=tuple(sorted(visited - plan)),
        min_visits=min_visits,
        meets_daily_standard=len(visited) >= min_visits,
        short_visits=flagged("too_short"),
        incomplete_visits=flagged("missing_steps"),
        after_hours_visits=flagged("after_field_hours"),
        first_visit_start=None if first is None else first.start,
        first_visit_late=None if first is None else first.start.time() > standard.first_visit_by,
        key_brand_shelf=shelf,
        illegal_cigarettes_seen=stores_where(lambda f: f.illegal_cigarettes_seen),
        untidy_displays=stores_where(lambda f: f.display_tidy is False),
        unreasonable_stock=stores_where(lambda f: f.stock_reasonable is False),
        incomplete_price_tags=stores_where(lambda f: f.price_tags_complete is False),
        mismatched_tags=stores_where(lambda f: f.tags_match_products is False),
        notes=tuple(
            (visit.store_id, visit.findings.notes) for visit in ordered if visit.findings.notes
        ),
    )


# --------------------------------------------------------------------------- follow-up


@attrs.frozen
class Adoption:
    """Order follow-up (订单跟进) of recommended brands, from :func:`recommendation_adoption`.

    Attributes
    ----------
    rate : float
        ``len(adopted) / recommended``, in [0, 1]; NaN when nothing was recommended.
    recommended : int
        Distinct (store, brand) pairs recommended.
    adopted : tuple of (str, str)
        ``(store_id, brand_code)`` pairs ordered in time, sorted.
    pending : tuple of (str, str)
        Pairs not ordered in time, sorted: the stores to phone (电话拜访).
    """

    rate: float
    recommended: int
    adopted: tuple[tuple[str, str], ...]
    pending: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-friendly dict (pairs as two-item lists)."""
        return cv.record_to_dict(self)


def _order_row(row: Any, index: int) -> tuple[str, str, dt.date]:
    if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
        raise TypeError(
            f"'orders' row {index} must be (store_id, brand_code, date), got {type(row).__name__}"
        )
    items = tuple(row)
    if len(items) != 3:
        raise InvalidValueError(
            f"'orders' row {index} must have 3 items (store_id, brand_code, date): {items!r}"
        )
    store, brand, day = items
    if not isinstance(store, str) or not store.strip():
        raise InvalidValueError(f"'orders' row {index} must have a non-empty store id: {store!r}")
    try:
        return store, _brand_code(brand), cv.to_date(day)
    except (TypeError, InvalidValueError) as error:
        raise type(error)(f"'orders' row {index}: {error}") from None


def _window_days(within_days: Any) -> int:
    if isinstance(within_days, (bool, np.bool_)) or not isinstance(within_days, (int, np.integer)):
        raise TypeError(f"'within_days' must be an int, got {type(within_days).__name__}")
    if within_days < 0:
        raise InvalidValueError(f"'within_days' must be >= 0: {within_days}")
    return int(within_days)


def recommendation_adoption(
    visits: Iterable[Visit],
    orders: Iterable[tuple[str, str, dt.date | str]],
    *,
    within_days: int = 7,
) -> Adoption:
    """Order follow-up (订单跟进): the share of recommended brands the stores then ordered.

    Source 篇1 §4: the brands a manager urges a store to stock are marked in
    the visit record (《日拜访记录表》), and "在客户本轮订货周期内通过 … '订单跟进'
    功能,对客户的订单进行监控,确认所推荐品牌是否已被客户订购,如若客户没有订购,
    可对客户进行电话拜访". The default window of 7 days is one weekly order cycle.

    Parameters
    ----------
    visits : iterable of Visit
        Visits of any managers and days; their ``recommended_brands`` are the
        recommendations. Naive and aware visits are not mixed.
    orders : iterable of (str, str, datetime.date)
        Order rows ``(store_id, brand_code, date)`` (a ``DataFrame`` works via
        ``df.itertuples(index=False)``); the date is a ``date`` or ISO string,
        not a datetime. Repeated rows are fine.
    within_days : int
        The window after the visit's date [days], inclusive; default 7.
        0 counts only orders on the visit's date.

    Returns
    -------
    Adoption

    Raises
    ------
    InvalidValueError
        ``within_days < 0``; a malformed order row; naive and aware visits mixed.

    Notes
    -----
    A pair (store s, brand b) is *adopted* when, for at least one visit to s
    that recommended b on local date d, s ordered b on a day in
    ``[d, d + within_days]``. An order dated before the visit never counts; an
    order on the visit's own date does (orders carry dates, not times).
    ``rate = adopted / recommended``, NaN when nothing was recommended. Runs
    in O((V + O) log O) with a sorted list of order dates per pair.

    Examples
    --------
    >>> import datetime as dt
    >>> from tobacco_metrics import Visit
    >>> monday = dt.datetime(2026, 3, 2, 10, 0)
    >>> visits = [Visit("C001", "M07", monday, monday + dt.timedelta(minutes=10),
    ...                 recommended_brands={"YUNYAN", "TAISHAN"}),
    ...           Visit("C002", "M07", monday, monday + dt.timedelta(minutes=10),
    ...                 recommended_brands={"YUNYAN"})]
    >>> orders = [("C001", "YUNYAN", dt.date(2026, 3, 4)),
    ...           ("C002", "YUNYAN", dt.date(2026, 2, 27))]   # before the visit: not counted
    >>> result = recommendation_adoption(visits, orders)
    >>> result.rate, result.adopted
    (0.3333333333333333, (('C001', 'YUNYAN'),))
    >>> result.pending
    (('C001', 'TAISHAN'), ('C002', 'YUNYAN'))
    """
    records = _visit_tuple(visits)
    window = _window_days(within_days)
    _require_one_kind(records)
    if isinstance(orders, (str, bytes)) or not isinstance(orders, Iterable):
        raise TypeError(f"'orders' must be an iterable of rows, got {type(orders).__name__}")
    ordered_on: dict[tuple[str, str], list[dt.date]] = {}
    for index, row in enumerate(orders):
        store, brand, day = _order_row(row, index)
        ordered_on.setdefault((store, brand), []).append(day)
    for days in ordered_on.values():
        days.sort()

    recommended: set[tuple[str, str]] = set()
    adopted: set[tuple[str, str]] = set()
    for visit in records:
        day = visit.date
        # The window's last day; a window reaching past the calendar's end ends there.
        last = dt.date.fromordinal(min(day.toordinal() + window, dt.date.max.toordinal()))
        for brand in visit.recommended_brands:
            pair = (visit.store_id, brand)
            recommended.add(pair)
            if pair in adopted:
                continue
            dates = ordered_on.get(pair)
            if dates:
                position = bisect.bisect_left(dates, day)
                if position < len(dates) and dates[position] <= last:
                    adopted.add(pair)
    return Adoption(
        rate=len(adopted) / len(recommended) if recommended else math.nan,
        recommended=len(recommended),
        adopted=tuple(sorted(adopted)),
        pending=tuple(sorted(recommended - adopted)),
    )


# --------------------------------------------------------------------------- the month's volume


@attrs.frozen(eq=False)
class AgreementProgress:
    """Agreement progress (协议量进度), as :func:`agreement_progress` returns it.

    Each field is a numpy float64 scalar for one store, or a read-only array
    over the stores for many (``elapsed`` is always a scalar).

    Attributes
    ----------
    progress : float64
        Ordered so far / agreed monthly volume; 1.0 = the agreement is used up;
        may exceed 1.
    elapsed : float64
        ``as_of.day / days in the month``, in (0, 1].
    gap : float64
        ``progress − elapsed``: positive = ahead of the month, negative = behind.
    """

    progress: FloatResult = attrs.field(converter=read_only_view)
    elapsed: np.float64
    gap: FloatResult = attrs.field(converter=read_only_view)

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain Python numbers (one store) or lists (many)."""
        return {
            field.name: np.asarray(getattr(self, field.name)).tolist()
            for field in attrs.fields(AgreementProgress)
        }


@overflow_guard
def agreement_progress(
    ordered: ArrayLike, agreed: ArrayLike, as_of: dt.date | str
) -> AgreementProgress:
    """Agreement progress (协议量进度): ordered so far vs the agreed monthly volume.

    Source 篇6 二(九): "准备明日需拜访的客户资料 … 本周、本月业绩完成数据,计算协议量进度";
    the agreed volume is the 商定总量 of 篇7 ("以零售户前三月平均销售数据为基数 …
    与零售进行商定总量").

    Parameters
    ----------
    ordered : array_like
        What each store has ordered this month up to and including ``as_of``
        [cartons]; finite, >= 0.
    agreed : array_like
        The agreed monthly volume (商定总量) [cartons]; finite, > 0.
        Broadcasts with ``ordered``.
    as_of : datetime.date
        The day the orders are counted to (ISO string accepted).

    Returns
    -------
    AgreementProgress
        ``progress`` and ``gap`` are float64, a scalar for scalar inputs.

    Raises
    ------
    InvalidValueError
        ``agreed <= 0`` or not finite, ``ordered < 0`` or not finite.

    Notes
    -----
    ``progress = ordered / agreed``, ``elapsed = as_of.day / days_in_month``,
    ``gap = progress − elapsed``. A store that orders evenly through the month
    has ``gap ≈ 0``.

    Examples
    --------
    >>> import datetime as dt
    >>> p = agreement_progress(120, 300, dt.date(2026, 3, 15))
    >>> round(float(p.progress), 3), round(float(p.elapsed), 3), round(float(p.gap), 3)
    (0.4, 0.484, -0.084)
    >>> agreement_progress([150, 90], [300, 300], "2026-03-15").gap.round(3).tolist()
    [0.016, -0.184]
    """
    day = cv.to_date(as_of)
    ordered_array = quantities(ordered, "ordered")
    agreed_array = as_real_array(agreed, "agreed")
    check_finite(agreed_array, "agreed")
    check_positive(agreed_array, "agreed")
    ordered_b, agreed_b = broadcast_arrays(("ordered", ordered_array), ("agreed", agreed_array))
    progress = np.divide(ordered_b, agreed_b, dtype=np.float64)
    elapsed = np.float64(day.day / calendar.monthrange(day.year, day.month)[1])
    gap = progress - elapsed
    return AgreementProgress(progress=unwrap(progress), elapsed=elapsed, gap=unwrap(gap))


# --------------------------------------------------------------------------- promotions


@attrs.frozen
class PromotionTier(_Record):
    """A gift tier of a promotion (促销活动 / 促销品等级), source 篇1 §7.

    "重点对如何获得不同等级促销品向客户进行讲解 …
    分阶段向客户告知当前该品牌的累计订购量和相对应的促销品":
    a store's cumulative order of the brand unlocks the gift of each tier it
    reaches.

    Parameters
    ----------
    threshold : float
        Cumulative order that unlocks the tier [cartons]; finite, > 0.
    reward : str
        The gift, e.g. "食用油 1 桶".

    Examples
    --------
    >>> tier = PromotionTier(20, "毛巾 2 条")
    >>> PromotionTier.from_dict(tier.to_dict()) == tier
    True
    """

    threshold: float = attrs.field(validator=cv.positive_number)
    reward: str = attrs.field(validator=cv.non_empty_str)


def promotion_tier(
    cumulative: float, tiers: Iterable[PromotionTier]
) -> tuple[PromotionTier | None, float | None]:
    """The gift tier a cumulative order reaches (累计订购量 → 促销品), and what is left to the next.

    Parameters
    ----------
    cumulative : float
        The store's cumulative order of the promoted brand [cartons]; finite, >= 0.
    tiers : iterable of PromotionTier
        The promotion's tiers, in any order; at least one; no two with the
        same threshold.

    Returns
    -------
    reached : PromotionTier or None
        The highest tier with ``threshold <= cumulative``; None below the first.
    to_next : float or None
        ``next.threshold − cumulative`` [cartons] for the lowest tier not yet
        reached (> 0); None when the top tier is reached. An int when the
        inputs are ints.

    Raises
    ------
    EmptyInputError
        No tiers.
    DuplicateEntryError
        Two tiers with the same threshold.

    Examples
    --------
    >>> tiers = [PromotionTier(50, "食用油 2 桶"), PromotionTier(20, "食用油 1 桶")]
    >>> reached, to_next = promotion_tier(32, tiers)
    >>> reached.reward, to_next
    ('食用油 1 桶', 18)
    >>> promotion_tier(12, tiers)
    (None, 8)
    >>> promotion_tier(50, tiers)[1] is None
    True
    """
    number = non_negative_scalar(cumulative, "cumulative")
    value: float = int(cumulative) if isinstance(cumulative, (int, np.integer)) else number
    if isinstance(tiers, PromotionTier) or not isinstance(tiers, Iterable):
        raise TypeError(
            f"'tiers' must be a collection of PromotionTier, got {type(tiers).__name__}"
        )
    ordered = list(tiers)
    for index, tier in enumerate(ordered):
        if not isinstance(tier, PromotionTier):
            raise TypeError(
                "'tiers' must hold PromotionTier objects, "
                f"got {type(tier).__name__} at index {index}"
            )
    if not ordered:
        raise EmptyInputError("'tiers' must hold at least one PromotionTier")
    ordered.sort(key=lambda tier: tier.threshold)
    for lower, upper in itertools.pairwise(ordered):
        if lower.threshold == upper.threshold:
            raise DuplicateEntryError(
                f"'tiers' has two tiers with threshold {lower.threshold}: "
                f"{lower.reward!r} and {upper.reward!r}"
            )
    thresholds = [tier.threshold for tier in ordered]
    position = bisect.bisect_right(thresholds, value)
    reached = ordered[position - 1] if position else None
    to_next = ordered[position].threshold - value if position < len(ordered) else None
    return reached, to_next
