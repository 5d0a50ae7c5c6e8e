"""Immutable domain classes: brands, stores, delivery cycles and visits.

Each class is an ``attrs`` frozen, slotted value: validated when built, changed
with :func:`attrs.evolve`, and round-tripped through plain dicts (an ERP row,
a JSON document) with ``to_dict()`` and ``from_dict()``.  The classes hold
data; the formulas live in pure functions (:mod:`tobacco_metrics.stock`, …)
that the classes call and that never need the classes.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import numpy as np

from tobacco_metrics import _convert as cv
from tobacco_metrics._record import _Record as _Record
from tobacco_metrics._validation import quantities
from tobacco_metrics.errors import InvalidValueError, ShapeMismatchError
from tobacco_metrics.pricing import DEFAULT_THRESHOLDS, PriceClass, PriceClassThresholds
from tobacco_metrics.stock import CycleMetrics, cycle_metrics

__all__ = [
    "AreaType",
    "Brand",
    "BrandCategory",
    "DeliveryCycle",
    "LifecycleStage",
    "Store",
    "StoreFormat",
    "SupplyStatus",
    "Visit",
    "VisitFindings",
    "VisitStep",
]


class _LabelledEnum(enum.Enum):
    """An enum whose members carry a Chinese label beside their English value.

    A member is found by its value, or by its label (``AreaType("城区")``); the
    record classes' enum fields also take its name in any case.
    """

    label: str

    # ``label`` has a default only so that a type checker reads ``AreaType("城区")``, a
    # lookup, as the call it is (every member gives both).
    def __new__(cls, value: str, label: str = "") -> _LabelledEnum:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def _missing_(cls, value: object) -> _LabelledEnum | None:
        """Look a member up by its Chinese label too: ``AreaType("城区")``."""
        return next((member for member in cls if member.label == value), None)


class AreaType(_LabelledEnum):
    """Where a store is: the visit standard differs (urban ≥ 30, rural ≥ 25 visits a day).

    >>> AreaType.RURAL.label
    '农村'
    """

    URBAN = ("urban", "城区")
    RURAL = ("rural", "农村")


class StoreFormat(_LabelledEnum):
    """A store's business format (业态).

    >>> StoreFormat("supermarket").label
    '超市'
    """

    TOBACCO_LIQUOR = ("tobacco_liquor", "烟酒店")
    SUPERMARKET = ("supermarket", "超市")
    CONVENIENCE = ("convenience", "便利店")
    GROCERY = ("grocery", "食杂店")
    CHAIN = ("chain", "连锁门店")
    OTHER = ("other", "其他")


class LifecycleStage(_LabelledEnum):
    """A brand's lifecycle stage (品牌生命周期), which decides how it is promoted.

    >>> [stage.label for stage in LifecycleStage]
    ['引入期', '成长期', '成熟期', '衰退期']
    """

    INTRODUCTION = ("introduction", "引入期")
    GROWTH = ("growth", "成长期")
    MATURITY = ("maturity", "成熟期")
    DECLINE = ("decline", "衰退期")


class SupplyStatus(_LabelledEnum):
    """A brand's supply status for the coming month, as 《金叶信息》 announces it.

    Source 篇7: "让零售清楚知道下月的紧俏品牌有哪些、顺销品牌有哪些,哪些卷烟控量、哪些烟控点控量".
    A controlled brand's quota is never raised above its control level
    (:func:`~tobacco_metrics.control_caps`).

    >>> [status.label for status in SupplyStatus]
    ['紧俏', '顺销', '控量', '控点控量']
    """

    SCARCE = ("scarce", "紧俏")
    SMOOTH = ("smooth", "顺销")
    CONTROLLED = ("controlled", "控量")
    POINT_CONTROLLED = ("point_controlled", "控点控量")


class BrandCategory(_LabelledEnum):
    """The category the marketing department gives a brand for the year.

    Source 篇3 (1): "会确定每年卷烟常规牌号、重点牌号、控制牌号、考核牌号等".

    >>> BrandCategory("assessed").label
    '考核'
    """

    REGULAR = ("regular", "常规")
    KEY = ("key", "重点")
    CONTROLLED = ("controlled", "控制")
    ASSESSED = ("assessed", "考核")


class VisitStep(_LabelledEnum):
    """The seven things a customer manager does at every visit (拜访七项内容 问看介整收答记).

    >>> "".join(step.label for step in VisitStep)
    '问看介整收答记'
    """

    ASK = ("ask", "问")
    LOOK = ("look", "看")
    INTRODUCE = ("introduce", "介")
    TIDY = ("tidy", "整")
    COLLECT = ("collect", "收")
    ANSWER = ("answer", "答")
    RECORD = ("record", "记")


# ``_Record`` (the dict round-trip base) lives in ``tobacco_metrics._record``; the
# name stays importable from here for code written against 0.1.0.


def _brand_codes(values: Any) -> frozenset[str]:
    return cv.brand_codes(values, "recommended_brands")


def _step(value: Any) -> VisitStep:
    return cv.enum_member(VisitStep, value, "steps")


def _steps(values: Any) -> frozenset[VisitStep]:
    return cv.frozenset_of(values, _step, "steps")


def _lifecycle(value: Any) -> LifecycleStage | None:
    return None if value is None else cv.enum_member(LifecycleStage, value, "lifecycle")


def _supply_status(value: Any) -> SupplyStatus | None:
    return None if value is None else cv.enum_member(SupplyStatus, value, "supply_status")


def _category(value: Any) -> BrandCategory | None:
    return None if value is None else cv.enum_member(BrandCategory, value, "category")


def _area(value: Any) -> AreaType:
    return cv.enum_member(AreaType, value, "area")


def _store_format(value: Any) -> StoreFormat:
    return cv.enum_member(StoreFormat, value, "format")


@attrs.frozen
class Brand(_Record):
    """A cigarette product (卷烟规格): brand and specification.

    Parameters
    ----------
    code : str
        The product code in the ERP (卷烟编码).
    name : str
        Display name, e.g. "兰州(硬珍品)".
    allocation_price : float
        Allocation (wholesale, 调拨) price per carton of 200 sticks [yuan]; > 0.
    retail_price : float, optional
        Suggested retail price per carton [yuan]; > 0.
    is_key : bool
        A key brand (重点品牌) whose on-shelf rate is tracked.
    is_new : bool
        A new product being cultivated (新品培育).
    lifecycle : LifecycleStage, optional
        Introduction, growth, maturity or decline.
    manufacturer : str, optional
        The producing company.
    supply_status : SupplyStatus, optional
        Next month's supply status from 《金叶信息》: 紧俏 (scarce), 顺销
        (sells smoothly), 控量 (volume-controlled) or 控点控量 (controlled
        points and volume); accepts the value or the name in dicts.
    category : BrandCategory, optional
        The year's category: 常规 (regular), 重点 (key), 控制 (controlled) or
        考核 (assessed).

    Examples
    --------
    >>> lanzhou = Brand("6901028000000", "兰州(硬珍品)", allocation_price=180.0)
    >>> lanzhou.price_class
    <PriceClass.I: 1>
    >>> Brand.from_dict(lanzhou.to_dict()) == lanzhou
    True
    """

    code: str = attrs.field(validator=cv.non_empty_str)
    name: str = attrs.field(validator=cv.non_empty_str)
    allocation_price: float = attrs.field(validator=cv.positive_number)
    retail_price: float | None = attrs.field(
        default=None, kw_only=True, validator=cv.optional_positive_number
    )
    is_key: bool = attrs.field(
        default=False, kw_only=True, converter=cv.unbox_bool, validator=cv.flag
    )
    is_new: bool = attrs.field(
        default=False, kw_only=True, converter=cv.unbox_bool, validator=cv.flag
    )
    lifecycle: LifecycleStage | None = attrs.field(default=None, kw_only=True, converter=_lifecycle)
    manufacturer: str | None = attrs.field(default=None, kw_only=True, validator=cv.optional_str)
    supply_status: SupplyStatus | None = attrs.field(
        default=None, kw_only=True, converter=_supply_status
    )
    category: BrandCategory | None = attrs.field(default=None, kw_only=True, converter=_category)

    @property
    def price_class(self) -> PriceClass:
        """The price class under the default thresholds (I ≥ 100 … V < 16.5 yuan/carton)."""
        return self.price_class_under(DEFAULT_THRESHOLDS)

    def price_class_under(self, thresholds: PriceClassThresholds) -> PriceClass:
        """The price class under other thresholds (another province's or year's)."""
        from tobacco_metrics.pricing import price_class

        return PriceClass(int(price_class(self.allocation_price, thresholds)))


@attrs.frozen
class Store(_Record):
    """A retail store holding a tobacco licence (零售客户 / 门店).

    Parameters
    ----------
    id : str
        The customer code (客户编码).
    name : str
        Shop name.
    area : AreaType
        Urban or rural; accepts the value, the name or the Chinese label
        ("urban", "URBAN", "城区"), as an ERP export writes it.
    format : StoreFormat
        Business format (业态), likewise ("supermarket", "超市"). Default OTHER.
    manager_id : str, optional
        The customer manager (客户经理) who serves it.
    route : str, optional
        The visit / delivery route (线路).
    license_number : str, optional
        The tobacco retail licence number (许可证号).

    Examples
    --------
    >>> store = Store("C001", "好德便利", AreaType.URBAN, format=StoreFormat.CONVENIENCE)
    >>> store.to_dict()["area"]
    'URBAN'
    >>> attrs.evolve(store, manager_id="M07").manager_id
    'M07'
    """

    id: str = attrs.field(validator=cv.non_empty_str)
    name: str = attrs.field(validator=cv.non_empty_str)
    area: AreaType = attrs.field(converter=_area)
    format: StoreFormat = attrs.field(
        default=StoreFormat.OTHER, kw_only=True, converter=_store_format
    )
    manager_id: str | None = attrs.field(default=None, kw_only=True, validator=cv.optional_str)
    route: str | None = attrs.field(default=None, kw_only=True, validator=cv.optional_str)
    license_number: str | None = attrs.field(default=None, kw_only=True, validator=cv.optional_str)


def _daily_series(values: Any, name: str) -> tuple[float, ...]:
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name!r} must be a sequence of numbers, got a string")
    array = quantities(values, name)
    if array.ndim != 1:
        raise ShapeMismatchError(
            f"{name!r} must be one-dimensional (one value a day): shape {array.shape}"
        )
    return tuple(array.tolist())


def _sales_series(values: Any) -> tuple[float, ...]:
    return _daily_series(values, "sales")


def _inventory_series(values: Any) -> tuple[float, ...]:
    return _daily_series(values, "inventory")


def _dates(values: Any) -> frozenset[dt.date]:
    return cv.frozenset_of(values, cv.to_date, "closed_days")


@attrs.frozen
class DeliveryCycle(_Record):
    """One store × brand over the consecutive days of a delivery cycle (配送周期).

    Parameters
    ----------
    store_id : str
        The store.
    brand_code : str
        The product.
    start : datetime.date
        The first day of the cycle (ISO string accepted).
    sales : sequence of float
        Quantity sold each day [cartons]; finite, >= 0.
    inventory : sequence of float
        Closing stock each day [cartons]; finite, >= 0; as long as ``sales``.
    closed_days : collection of datetime.date
        Days not counted (store closed, data hole); each within the cycle.

    Examples
    --------
    >>> cycle = DeliveryCycle("C001", "6901028000000", dt.date(2026, 3, 2),
    ...                       sales=[6, 8, 0, 5, 0, 7, 4], inventory=[20, 12, 0, 25, 0, 18, 14])
    >>> cycle.end
    datetime.date(2026, 3, 8)
    >>> m = cycle.metrics()
    >>> int(m.stockout_days), float(m.projected_stockout_sales)
    (2, 12.0)
    """

    store_id: str = attrs.field(validator=cv.non_empty_str)
    brand_code: str = attrs.field(validator=cv.non_empty_str)
    start: dt.date = attrs.field(converter=cv.start_date)
    sales: tuple[float, ...] = attrs.field(converter=_sales_series)
    inventory: tuple[float, ...] = attrs.field(converter=_inventory_series)
    closed_days: frozenset[dt.date] = attrs.field(factory=frozenset, kw_only=True, converter=_dates)

    def __attrs_post_init__(self) -> None:
        if len(self.sales) != len(self.inventory):
            raise ShapeMismatchError(
                f"'sales' and 'inventory' must have one value a day each: "
                f"{len(self.sales)} and {len(self.inventory)} values"
            )
        if not self.sales:
            raise InvalidValueError("'sales' must hold at least one day")
        if self.start.toordinal() + len(self.sales) - 1 > dt.date.max.toordinal():
            raise InvalidValueError(
                f"the cycle must end by {dt.date.max}: {len(self.sales)} days from {self.start}"
            )
        outside = sorted(day for day in self.closed_days if not self.start <= day <= self.end)
        if outside:
            raise InvalidValueError(
                f"'closed_days' must fall within the cycle {self.start}…{self.end}: {outside[0]}"
            )

    @property
    def days(self) -> int:
        """Calendar days in the cycle, closed days included."""
        return len(self.sales)

    @property
    def end(self) -> dt.date:
        """The last day of the cycle (inclusive)."""
        return self.start + dt.timedelta(days=len(self.sales) - 1)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Every date of the cycle, in order."""
        return tuple(self.start + dt.timedelta(days=offset) for offset in range(self.days))

    def closed_mask(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Boolean mask, True on the closed days (the ``exclude`` of the stock formulas)."""
        return np.array([day in self.closed_days for day in self.dates], dtype=bool)

    def metrics(
        self, *, token_stock: float = 0, fallback_daily_rate: float | None = None
    ) -> CycleMetrics:
        """The cycle's stock metrics; see :func:`tobacco_metrics.cycle_metrics`."""
        return cycle_metrics(
            self.sales,
            self.inventory,
            token_stock=token_stock,
            exclude=self.closed_mask() if self.closed_days else None,
            fallback_daily_rate=fallback_daily_rate,
        )


@attrs.frozen
class VisitFindings(_Record):
    """What a customer manager saw at a store (日拜访记录表).

    ``None`` means "not checked"; ``illegal_cigarettes_seen`` (假冒、走私烟)
    defaults to False.

    Parameters
    ----------
    stock_reasonable : bool, optional
        The store's stock is reasonable: neither out nor overstocked (涨库).
    display_tidy : bool, optional
        The cigarette display is tidy (整: 卷烟陈列整齐).
    price_tags_complete : bool, optional
        Every product on display has a price tag (明码标价).
    tags_match_products : bool, optional
        The price tags stand at the products they name (货签对位).
    illegal_cigarettes_seen : bool
        Counterfeit or smuggled cigarettes were seen (假冒、走私烟). Default False.
    notes : str
        Free text. Default "".

    Examples
    --------
    >>> VisitFindings(display_tidy=False).display_tidy
    False
    """

    stock_reasonable: bool | None = attrs.field(
        default=None, converter=cv.unbox_optional_bool, validator=cv.optional_flag
    )
    display_tidy: bool | None = attrs.field(
        default=None, converter=cv.unbox_optional_bool, validator=cv.optional_flag
    )
    price_tags_complete: bool | None = attrs.field(
        default=None, converter=cv.unbox_optional_bool, validator=cv.optional_flag
    )
    tags_match_products: bool | None = attrs.field(
        default=None, converter=cv.unbox_optional_bool, validator=cv.optional_flag
    )
    illegal_cigarettes_seen: bool = attrs.field(
        default=False, converter=cv.unbox_bool, validator=cv.flag
    )
    notes: str = attrs.field(default="", validator=cv.instance_of(str, "a str"))


def _to_findings(value: Any) -> VisitFindings:
    if isinstance(value, VisitFindings):
        return value
    if isinstance(value, dict):
        return cv.naming(VisitFindings.from_dict, value, "findings")
    raise TypeError(f"'findings' must be a VisitFindings or a dict, got {type(value).__name__}")


@attrs.frozen
class Visit(_Record):
    """A customer manager's visit to a store (拜访).

    Parameters
    ----------
    store_id, manager_id : str
        Who was visited, by whom.
    start, end : datetime.datetime
        When the visit began and ended; both naive or both timezone-aware;
        ``end >= start``.
    steps : collection of VisitStep
        Which of the seven steps (问看介整收答记) were done.
    recommended_brands : collection of str
        Brand codes recommended to the store (for order follow-up, 订单跟进).
    findings : VisitFindings
        What was seen.
    planned : bool
        Whether the visit was on the day's plan. Default True.

    Examples
    --------
    >>> visit = Visit("C001", "M07", dt.datetime(2026, 3, 2, 9, 5), dt.datetime(2026, 3, 2, 9, 17),
    ...               steps={VisitStep.ASK, VisitStep.LOOK})
    >>> visit.duration
    datetime.timedelta(seconds=720)
    >>> Visit.from_dict(visit.to_dict()) == visit
    True
    """

    store_id: str = attrs.field(validator=cv.non_empty_str)
    manager_id: str = attrs.field(validator=cv.non_empty_str)
    start: dt.datetime = attrs.field(converter=cv.start_datetime)
    end: dt.datetime = attrs.field(converter=cv.end_datetime)
    steps: frozenset[VisitStep] = attrs.field(factory=frozenset, kw_only=True, converter=_steps)
    recommended_brands: frozenset[str] = attrs.field(
        factory=frozenset, kw_only=True, converter=_brand_codes
    )
    findings: VisitFindings = attrs.field(
        factory=VisitFindings, kw_only=True, converter=_to_findings
    )
    planned: bool = attrs.field(
        default=True, kw_only=True, converter=cv.unbox_bool, validator=cv.flag
    )

    def __attrs_post_init__(self) -> None:
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise InvalidValueError(
                "'start' and 'end' must both be naive or both timezone-aware: "
                f"{self.start!r}, {self.end!r}"
            )
        if self.end < self.start:
            raise InvalidValueError(
                f"'end' must be >= 'start' ({self.start.isoformat()}): {self.end.isoformat()}"
            )

    @property
    def duration(self) -> dt.timedelta:
        """How long the visit lasted."""
        return self.end - self.start

    @property
    def date(self) -> dt.date:
        """The day of the visit (the start's date, in the start's own time zone)."""
        return self.start.date()

    @property
    def missing_steps(self) -> frozenset[VisitStep]:
        """The steps of the seven that were not done."""
        return frozenset(VisitStep) - self.steps
