"""Converters and validators for the attrs domain classes (private).

They make ``from_dict`` accept what an ERP row or a JSON document holds (ISO
date strings, enum names or values, lists for sets) while the constructors
stay strict about everything else.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs
import numpy as np

from tobacco_metrics import _validation as validation
from tobacco_metrics._validation import flag as check_flag
from tobacco_metrics._validation import non_negative_scalar
from tobacco_metrics.errors import InvalidValueError, MissingDataError

_E = TypeVar("_E", bound=enum.Enum)
_I = TypeVar("_I")
_D = TypeVar("_D", dt.date, dt.datetime)


def enum_member(enum_type: type[_E], value: Any, name: str) -> _E:
    """The member of ``enum_type`` given as a member, its value, its name (any case) or its
    Chinese label (the ``label`` of a labelled enum, as an ERP export writes it: "城区")."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, np.ndarray):  # `value == member.value` would compare elementwise
        raise TypeError(f"{name!r} must be one {enum_type.__name__}, got an array: {value!r}")
    key = value.strip() if isinstance(value, str) else value  # " 城区 ", as ERP cells pad it
    if isinstance(key, str):
        try:  # its value, or its label: the enum's own lookup (a labelled enum's _missing_)
            return enum_type(key)
        except ValueError:
            pass
    member = _member_by_value_or_name(enum_type, key)
    if member is not None:
        return member
    allowed = ", ".join(member.name for member in enum_type)
    labels = [getattr(member, "label", None) for member in enum_type]
    also = f" (or a label: {', '.join(map(str, labels))})" if all(labels) else ""
    raise InvalidValueError(f"{name!r} must be one of {allowed}: {value!r}{also}")


def _member_by_value_or_name(enum_type: type[_E], value: Any) -> _E | None:
    """The first member of ``enum_type`` whose value equals ``value`` or whose name is the
    string ``value`` in any case; None when there is none."""
    for member in enum_type:
        if value == member.value or (
            isinstance(value, str) and value.upper() == member.name.upper()
        ):
            return member
    return None


def _from_iso(value: Any, parse: Callable[[str], _D], kind: str, form: str) -> _D:
    """``parse(value)`` for a string; InvalidValueError "expected <form>" or TypeError otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"expected a {kind}, got {type(value).__name__}")
    try:
        return parse(value)
    except ValueError:
        raise InvalidValueError(f"expected {form}: {value!r}") from None


#: What to do with a datetime where a date is meant (a pandas DatetimeIndex has ``.date``).
DATE_OF_DATETIME = (
    "use .date() if that is meant (for a pandas DatetimeIndex or Series: .date or .dt.date)"
)


def to_date(value: Any) -> dt.date:
    """Converter: a ``date`` (not a datetime), a numpy datetime64 or an ISO 'YYYY-MM-DD' string."""
    if isinstance(value, dt.datetime):
        raise TypeError(f"expected a date, got a datetime: {value!r}; {DATE_OF_DATETIME}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return _date_of_datetime64(value)
    return _from_iso(value, dt.date.fromisoformat, "date", "an ISO date 'YYYY-MM-DD'")


def _date_of_datetime64(value: np.datetime64) -> dt.date:
    """The day of a numpy datetime64 that is one: not a month or a year, no time of day.

    A month (``datetime64('2026-03')``) would silently become its first day and
    ``13:45`` would be dropped, so both are refused; midnight in any unit (what
    a pandas date column's ``.values`` holds) is its day.
    """
    day = value.astype("datetime64[D]")
    unit = np.datetime_data(value.dtype)[0]
    if not np.isnat(value) and (unit in ("Y", "M", "W") or day != value):
        raise InvalidValueError(
            f"expected a date, got numpy.datetime64({str(value)!r}): a "
            + ("time of day" if unit not in ("Y", "M", "W") else "month, year or week")
            + "; use .astype('datetime64[D]') if that day is meant"
        )
    text = str(day)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # NaT, or a year outside 1 … 9999
        raise InvalidValueError(
            f"expected a date in the years 1 … 9999: numpy.datetime64({text!r})"
        ) from None


def to_datetime(value: Any) -> dt.datetime:
    """Converter: a ``datetime`` or an ISO datetime string (naive or with an offset)."""
    if isinstance(value, dt.datetime):
        return value
    return _from_iso(value, dt.datetime.fromisoformat, "datetime", "an ISO datetime")


def frozenset_of(values: Iterable[Any], item: Callable[[Any], _I], name: str) -> frozenset[_I]:
    """Any iterable (not a bare string) as a frozenset, each item converted by ``item``."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name!r} must be a collection, got a string: {values!r}")
    if not isinstance(values, Iterable):
        raise TypeError(f"{name!r} must be a collection, got {type(values).__name__}")
    return frozenset(naming(item, value, name) for value in values)


def naming(convert: Callable[[Any], _I], value: Any, name: str) -> _I:
    """``convert(value)``, its TypeError or InvalidValueError message led by ``'name':``.

    The converters here name no argument ("expected an ISO date …"); attrs
    does not tell a converter its field, so each named field has one below.
    """
    try:
        return convert(value)
    except (TypeError, InvalidValueError) as error:
        if repr(name) in str(error):
            raise
        raise type(error)(f"{name!r}: {error}") from None


def start_date(value: Any) -> dt.date:
    """Converter of a ``start`` date field (:func:`to_date`, naming the field)."""
    return naming(to_date, value, "start")


def start_datetime(value: Any) -> dt.datetime:
    """Converter of a ``start`` datetime field (:func:`to_datetime`, naming the field)."""
    return naming(to_datetime, value, "start")


def end_datetime(value: Any) -> dt.datetime:
    """Converter of an ``end`` datetime field (:func:`to_datetime`, naming the field)."""
    return naming(to_datetime, value, "end")


def non_empty_str(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a string with something other than white space in it."""
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name!r} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise InvalidValueError(f"{attribute.name!r} must not be empty: {value!r}")


def optional_str(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: None or a string."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{attribute.name!r} must be a str or None, got {type(value).__name__}")


def positive_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a finite real number > 0 (message: "'x' must be > 0: -1").

    Python and numpy numbers pass (a value read from an array is a numpy scalar).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{attribute.name!r} must be a number, got {type(value).__name__}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int beyond float range
        raise InvalidValueError(
            f"{attribute.name!r} must be > 0 and finite: an integer of "
            f"{len(str(abs(int(value))))} digits is too large for a float"
        ) from None
    if not finite:
        raise InvalidValueError(f"{attribute.name!r} must be > 0 and finite: {value}")
    if value <= 0:
        raise InvalidValueError(f"{attribute.name!r} must be > 0: {value}")


def optional_positive_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: None or a finite real number > 0."""
    if value is not None:
        positive_number(instance, attribute, value)


def plain(value: Any) -> Any:
    """Serialise a field value for ``to_dict``: JSON-friendly, and ``from_dict`` reads it back."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(plain(item) for item in value)
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    if attrs.has(type(value)):
        return {key: plain(item) for key, item in attrs.asdict(value, recurse=False).items()}
    return value


def record_to_dict(record: Any) -> dict[str, Any]:
    """Every field of an attrs instance, serialised by :func:`plain`."""
    return {field.name: plain(getattr(record, field.name)) for field in attrs.fields(type(record))}


def check_known_keys(cls: type, data: dict[str, Any]) -> None:
    """Raise InvalidValueError for dict keys that are not fields of ``cls``.

    ``data`` that is not a mapping raises TypeError naming the class.
    """
    if not isinstance(data, Mapping):
        raise TypeError(
            f"{cls.__name__}.from_dict needs a dict of field values, got {type(data).__name__}"
        )
    keys = [key for key in data if not isinstance(key, str)]
    if keys:
        raise TypeError(
            f"{cls.__name__}.from_dict needs str keys (field names), "
            f"got {type(keys[0]).__name__}: {keys[0]!r}"
        )
    _check_field_keys(cls, data)


def _check_field_keys(cls: type, data: Mapping[str, Any]) -> None:
    """InvalidValueError for a key that is no field, MissingDataError for a required
    field without a key."""
    # A private field (Panel's value scan) is the class's own: a dict cannot set it.
    fields = [field for field in attrs.fields(cls) if field.init and field.alias[0] != "_"]
    known = {field.alias for field in fields}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidValueError(
            f"unknown field(s) for {cls.__name__}: {', '.join(unknown)}; "
            f"expected some of: {', '.join(sorted(known))}"
        )
    missing = [f.alias for f in fields if f.default is attrs.NOTHING and f.alias not in data]
    if missing:
        raise MissingDataError(f"{cls.__name__}.from_dict: no value for {', '.join(missing)}")


def record_fields(cls: type, data: Any) -> dict[str, Any]:
    """The keyword arguments of ``cls`` held by ``data``, a mapping with string keys.

    TypeError when ``data`` is not a mapping or a key is not a string;
    InvalidValueError for a key that is not a field of ``cls``.
    """
    check_known_keys(cls, data)
    return dict(data)


def brand_code(value: Any, name: str = "brand code") -> str:
    """Converter: a brand (product) code, a str with something other than white space.

    A value that is not a str raises TypeError; an empty or blank str raises
    InvalidValueError ("a brand code must be a non-empty str: ''").
    """
    if not isinstance(value, str):
        raise TypeError(f"a {name} must be a str, got {type(value).__name__}: {value!r}")
    if not value.strip():
        raise InvalidValueError(f"a {name} must be a non-empty str: {value!r}")
    return value


def brand_codes(values: Any, name: str) -> frozenset[str]:
    """Converter: a collection (not a bare string) of brand codes, as a frozenset."""
    if not isinstance(values, Iterable):
        raise TypeError(
            f"{name!r} must be a collection of brand codes, got {type(values).__name__}"
        )
    return frozenset_of(values, brand_code, name)


def unbox_bool(value: bool | np.bool_) -> bool:
    """Converter: a numpy.bool_ as the Python bool it holds; anything else unchanged.

    Pair it with the :func:`flag` validator, which then refuses what is not a
    bool (the annotation is for the type checker; at run time a wrong value
    passes through to the validator).
    """
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def unbox_optional_bool(value: bool | np.bool_ | None) -> bool | None:
    """Converter: like :func:`unbox_bool`, None passes."""
    return None if value is None else unbox_bool(value)


def flag(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a bool or ``numpy.bool_`` (:func:`_validation.flag`, the one rule)."""
    check_flag(value, attribute.name)


def optional_flag(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: None or a bool."""
    if value is not None:
        flag(instance, attribute, value)


def non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: an int (not a bool) >= 0, by :func:`_validation.integer`."""
    validation.integer(value, attribute.name, 0)


def non_negative_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a finite real number >= 0 (message: "'x' must be >= 0: -1")."""
    non_negative_scalar(value, attribute.name)


def instance_of(kind: type | tuple[type, ...], what: str) -> Callable[..., None]:
    """Validator factory: isinstance(value, kind), else TypeError "'x' must be <what>"."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind):
            raise TypeError(f"{attribute.name!r} must be {what}, got {type(value).__name__}")

    return check
