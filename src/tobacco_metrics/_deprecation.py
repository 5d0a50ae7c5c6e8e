"""Renamed parameters and deprecated values, with warnings at the caller's line (private).

A parameter renamed to follow the nomenclature (``docs/nomenclature.md``)
keeps its old keyword for one minor release.  The wrapped function's
signature (``inspect.signature``) shows the new names only; the old ones are
listed in its ``__deprecated_parameters__`` mapping (old -> new).
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

REMOVED_IN = "0.3"

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_from_caller(message: str, category: type[Warning]) -> None:
    """Warn at the first frame outside this package: the user's own line.

    The public functions are wrapped (labels, overflow guard, renamed
    keywords) by a number of frames that depends on the path taken, so a
    stack level counted by hand pointed some warnings at the library's files.
    """
    level = 2  # 1 is this function; 2 its caller
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def renamed_parameters(**renames: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Decorator: accept each ``old=`` keyword as ``new=`` with a DeprecationWarning.

    Passing both the old and the new keyword raises TypeError, as passing one
    argument twice does.
    """

    def decorate(func: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(
                            f"{func.__name__}() got both {old!r} (the deprecated name) "
                            f"and {new!r}; pass {new!r} only"
                        )
                    warn_from_caller(
                        f"{func.__name__}(): the keyword {old!r} is deprecated, use {new!r} "
                        f"(it goes in {REMOVED_IN})",
                        DeprecationWarning,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__deprecated_parameters__ = dict(renames)  # type: ignore[attr-defined]
        return wrapper

    return decorate


DEPRECATED_METHODS = {"weekday": "censored"}
"""Deprecated ``method=`` values of the lost-sales estimators and what replaces them."""


def deprecated_method(method: object) -> object:
    """``method`` itself; a DeprecationWarning when it is a deprecated value (same numbers).

    ``"weekday"`` has been computed by the censored model since that replaced
    its fit: it is an alias of ``"censored"``, kept for one minor release.
    """
    if isinstance(method, str) and method in DEPRECATED_METHODS:
        replacement = DEPRECATED_METHODS[method]
        warn_from_caller(
            f"method={method!r} is deprecated, use method={replacement!r} (the same model and "
            f"numbers; {method!r} goes in {REMOVED_IN})",
            DeprecationWarning,
        )
    return method
