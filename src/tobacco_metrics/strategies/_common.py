"""Shared pieces of the strategies: argument checks, defaults and label strategies.

A private module of the package: its names carry no underscore so that the
other modules of the package import only public-in-module names from it.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from fractions import Fraction
from typing import Any, Literal, TypeAlias, TypeVar, get_args

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

_T = TypeVar("_T")

Stockouts: TypeAlias = Literal["any", "never", "always", "token_only"]
"""The shapes of interest of :func:`sales_and_stock`, :func:`delivery_cycles`, :func:`panels`."""

SUPPORTED_DTYPES: tuple[np.dtype[Any], ...] = (
    np.dtype(np.int64),
    np.dtype(np.int32),
    np.dtype(np.float64),
    np.dtype(np.float32),
)
"""The dtypes the daily-data strategies draw from by default (and accept)."""

# Default upper bounds of the "small by default" sizes.
DEFAULT_MAX_DAYS = 21
DEFAULT_MAX_CYCLE_DAYS = 14
DEFAULT_MAX_SERIES_SIDE = 3
DEFAULT_MAX_LABELS = 4
# Largest demand of one day, in units (the cap of the dtype may lower it).
MAX_DAILY_UNITS = 40
# Default scales: 1 carton; for floats also half and eighth cartons, tiny and huge.
INT_SCALES: tuple[int, ...] = (1, 250, 2**20)
FLOAT_SCALES: tuple[float, ...] = (1.0, 0.5, 0.125, 2.0**-20, 2.0**20)
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)


# --------------------------------------------------------------------------- argument checks


def check_strategy(value: object, name: str) -> None:
    if not isinstance(value, st.SearchStrategy):
        raise InvalidArgument(
            f"{name}={value!r} must be a Hypothesis strategy (wrap a fixed value in st.just)"
        )


def optional_strategy(
    value: st.SearchStrategy[_T] | None, name: str, default: st.SearchStrategy[_T]
) -> st.SearchStrategy[_T]:
    if value is None:
        return default
    check_strategy(value, name)
    return value


def check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be >= {minimum}")
    return int(value)


def size_bounds(
    min_value: object, max_value: object, name: str, minimum: int, default_max: int
) -> tuple[int, int]:
    low = check_int(min_value, f"min_{name}", minimum)
    if max_value is None:
        return low, max(low, default_max)
    high = check_int(max_value, f"max_{name}", minimum)
    if high < low:
        raise InvalidArgument(f"min_{name}={low} is greater than max_{name}={high}")
    return low, high


def exact_real(value: object, name: str, *, drawn: bool = False) -> Fraction:
    """A real-number argument (int, float, Fraction or numpy number; not bool) as an exact
    Fraction; NaN, infinities and other types raise InvalidArgument naming ``name``
    (``drawn``: a value the strategy ``name`` drew).

    Ints of any size are kept exactly (never converted to float, which overflows
    past about 1.8e308 and rounds past 2**53).
    """
    given = f"{name} drew {value!r}, which" if drawn else f"{name}={value!r}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, Fraction, np.integer, np.floating)
    ):
        raise InvalidArgument(
            f"{given} must be a real number (int, float or Fraction), got {type(value).__name__}"
        )
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    if not math.isfinite(value):
        raise InvalidArgument(f"{given} must be finite")
    return Fraction(float(value))


def shown(value: Fraction) -> str:
    """An exact number for a message: as a float when one holds it, else as an int or ratio."""
    try:
        number = float(value)
    except OverflowError:
        return str(value)
    return str(number) if math.isfinite(number) else str(value)


def check_token_stock(value: object) -> Fraction:
    token = exact_real(value, "token_stock")
    if token < 0:
        raise InvalidArgument(f"token_stock={value!r} must be finite and >= 0")
    return token


def check_stockouts(value: object) -> Stockouts:
    allowed = get_args(Stockouts)
    if value not in allowed:
        raise InvalidArgument(f"stockouts={value!r} must be one of {', '.join(allowed)}")
    return value  # type: ignore[return-value]


def check_delta(value: object, name: str) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise InvalidArgument(f"{name}={value!r} must be a datetime.timedelta")
    if value < dt.timedelta(0):
        raise InvalidArgument(f"{name}={value!r} must not be negative")
    return value


# --------------------------------------------------------------------------- labels and enums


def store_id_text() -> st.SearchStrategy[str]:
    return st.from_regex(r"C[0-9]{3,6}", fullmatch=True)


def manager_id_text() -> st.SearchStrategy[str]:
    return st.from_regex(r"M[0-9]{2,4}", fullmatch=True)


def brand_code_text() -> st.SearchStrategy[str]:
    return st.from_regex(r"6901[0-9]{9}", fullmatch=True)


def label_text() -> st.SearchStrategy[str]:
    realistic = st.sampled_from(
        [
            "城中烟酒店",
            "好德便利(西街)",
            "联华超市(北门)",
            "民乐食杂店",
            "兰州(硬珍品)",
            "云烟(软珍品)",
        ]
    )
    anything = st.text(min_size=1, max_size=12).filter(lambda text: bool(text.strip()))
    return realistic | anything


# --------------------------------------------------------------------------- renamed arguments


def renamed_argument(
    new: _T | None, old: _T | None, new_name: str, old_name: str, function: str
) -> _T | None:
    """The value of an argument renamed from ``old_name`` to ``new_name`` (old one deprecated).

    Passing the old name warns with DeprecationWarning and is used as the new;
    passing both raises InvalidArgument.
    """
    if old is None:
        return new
    if new is not None:
        raise InvalidArgument(
            f"{function}() got both {new_name}= and its deprecated name {old_name}=; "
            f"pass {new_name}= only"
        )
    warnings.warn(
        f"{function}({old_name}=...) is deprecated; use {new_name}=... "
        f"(the name of the attribute it fills)",
        DeprecationWarning,
        stacklevel=3,
    )
    return old
