"""Visits and the customer manager's standards (拜访): checks and the daily report.

The rules are those of the source's work flow for customer managers (source
篇6, "卷烟行业客户经理工作流程", and 篇1):

- 正常拜访的标准 (the visit standard): at least 30 stores a day in town and 25
  in the country, at least 8 minutes at each, the first store reached by 9:30,
  field work over at 15:00 (:class:`VisitStandard`);
- 拜访服务流程七项内容 问看介整收答记: the seven steps done at every store
  (:class:`~tobacco_metrics.VisitStep`), checked by :func:`check_visit`;
- 每日拜访结束后 … 简要总结: the ten items of the daily report, those that can be
  computed (:func:`daily_visit_report`).

What follows a visit — order follow-up (订单跟进), agreement progress
(协议量进度) and promotion tiers (促销品) — lives in
:mod:`tobacco_metrics.agreements`; those names are still importable from this
module, with a DeprecationWarning (they move for good in 0.3).

Times of day are compared on the visit's own wall clock: a naive visit at
09:40 and a visit at 09:40+08:00 are both "09:40".  Naive and timezone-aware
visits are never mixed in one call (:class:`~tobacco_metrics.InvalidValueError`).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np

from tobacco_metrics import _convert as cv
from tobacco_metrics import agreements as _agreements
from tobacco_metrics._ratios import on_shelf_ratio
from tobacco_metrics._record import _Record
from tobacco_metrics._visit_inputs import require_one_kind, visit_tuple
from tobacco_metrics.domain import AreaType, Visit, VisitStep
from tobacco_metrics.errors import DuplicateEntryError, InvalidValueError, MissingDataError

__all__ = [
    "DailyVisitReport",
    "KeyBrandShelf",
    "VisitIssue",
    "VisitStandard",
    "check_visit",
    "daily_visit_report",
]

# Names that moved to tobacco_metrics.agreements in 0.2: still importable from here,
# with a warning.
_MOVED: Final = frozenset(_agreements.__all__)


def __getattr__(name: str) -> Any:
    """Resolve a name that moved to :mod:`tobacco_metrics.agreements`, with a warning."""
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"tobacco_metrics.visits.{name} moved to tobacco_metrics.agreements.{name} "
        f"(also importable as tobacco_metrics.{name}); the old path goes in 0.3",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(_agreements, name)


VisitIssueCode = Literal["too_short", "missing_steps", "after_field_hours"]
_ISSUE_CODES: tuple[str, ...] = ("too_short", "missing_steps", "after_field_hours")


# --------------------------------------------------------------------------- converters


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

    min_visits_urban: int = attrs.field(default=30, validator=cv.non_negative_int)
    min_visits_rural: int = attrs.field(default=25, validator=cv.non_negative_int)
    min_minutes: float = attrs.field(default=8, validator=cv.non_negative_number)
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

    brand_code: str = attrs.field(validator=cv.non_empty_str)
    should_carry: int = attrs.field(validator=cv.non_negative_int)
    on_shelf: int = attrs.field(validator=cv.non_negative_int)

    @property
    def on_shelf_rate(self) -> float:
        """``on_shelf / should_carry`` (上柜率); NaN when no store should carry it.

        The same rule as :func:`~tobacco_metrics.on_shelf_rate`, applied to counts.
        """
        return float(on_shelf_ratio(self.on_shelf, self.should_carry))


_TUPLE = cv.instance_of(tuple, "a tuple")
_OPTIONAL_TUPLE = cv.instance_of((tuple, type(None)), "a tuple or None")
_OPTIONAL_DATE = cv.instance_of((dt.date, type(None)), "a datetime.date or None")
_OPTIONAL_DATETIME = cv.instance_of((dt.datetime, type(None)), "a datetime.datetime or None")
_REAL = cv.instance_of((int, float, np.integer, np.floating), "a real number")


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

    manager_id: str | None = attrs.field(validator=cv.optional_str)
    date: dt.date | None = attrs.field(validator=_OPTIONAL_DATE)
    area: AreaType = attrs.field(validator=cv.instance_of(AreaType, "an AreaType"))
    planned_visits: int = attrs.field(validator=cv.non_negative_int)
    actual_visits: int = attrs.field(validator=cv.non_negative_int)
    completion_rate: float = attrs.field(validator=_REAL)
    unvisited_store_ids: tuple[str, ...] = attrs.field(validator=_TUPLE)
    unplanned_store_ids: tuple[str, ...] = attrs.field(validator=_TUPLE)
    min_visits: int = attrs.field(validator=cv.non_negative_int)
    meets_daily_standard: bool = attrs.field(validator=cv.flag)
    short_visits: tuple[Visit, ...] = attrs.field(validator=_TUPLE)
    incomplete_visits: tuple[Visit, ...] = attrs.field(validator=_TUPLE)
    after_hours_visits: tuple[Visit, ...] = attrs.field(validator=_TUPLE)
    first_visit_start: dt.datetime | None = attrs.field(validator=_OPTIONAL_DATETIME)
    first_visit_late: bool | None = attrs.field(validator=cv.optional_flag)
    key_brand_shelf: tuple[KeyBrandShelf, ...] | None = attrs.field(validator=_OPTIONAL_TUPLE)
    illegal_cigarettes_seen: int = attrs.field(validator=cv.non_negative_int)
    untidy_displays: int = attrs.field(validator=cv.non_negative_int)
    unreasonable_stock: int = attrs.field(validator=cv.non_negative_int)
    incomplete_price_tags: int = attrs.field(validator=cv.non_negative_int)
    mismatched_tags: int = attrs.field(validator=cv.non_negative_int)
    notes: tuple[tuple[str, str], ...] = attrs.field(validator=_TUPLE)

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
    """How many visited stores carry each key brand (None when neither is given)."""
    if key_brands is None and carried is None:
        return None
    if key_brands is None or carried is None:
        given, missing = ("key_brands", "carried") if carried is None else ("carried", "key_brands")
        raise InvalidValueError(
            f"{given!r} was given without {missing!r}: the key-brand shelf count needs both"
        )
    codes = cv.brand_codes(key_brands, "key_brands")
    shelves = _shelves(visited, carried)
    return tuple(
        KeyBrandShelf(
            code,
            should_carry=len(visited),
            on_shelf=sum(1 for store in visited if code in shelves[store]),
        )
        for code in sorted(codes)
    )


def _shelves(visited: frozenset[str], carried: Any) -> dict[str, frozenset[str]]:
    """The checked brand codes on the shelf of each visited store, from ``carried``
    (a mapping store → brand codes with an entry for every visited store)."""
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
    return {store: cv.brand_codes(carried[store], f"carried[{store!r}]") for store in visited}


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
    records = visit_tuple(visits)
    plan = _store_ids(planned_store_ids, "planned_store_ids")
    area_type = cv.enum_member(AreaType, area, "area")
    standard = _check_standard(standard)
    require_one_kind(records)
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

    first_start, first_late = _first_visit(ordered, standard)
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
        first_visit_start=first_start,
        first_visit_late=first_late,
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


def _first_visit(
    ordered: Sequence[Visit], standard: VisitStandard
) -> tuple[dt.datetime | None, bool | None]:
    """The start of the day's first visit (``ordered`` by start) and whether it is later
    than the standard's ``first_visit_by``; (None, None) on a day without visits."""
    if not ordered:
        return None, None
    first = ordered[0]
    return first.start, first.start.time() > standard.first_visit_by
