"""The dict round-trip base of the attrs record classes (private).

Every public record class (a brand, a store, a visit standard, a quota
adjustment, …) derives from :class:`_Record`; it lives here, not in a public
module, so that the subject modules share it without importing each other's
private names.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tobacco_metrics import _convert as cv

_T = TypeVar("_T", bound="_Record")


class _Record:
    """Dict round-trip shared by the domain classes."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-friendly dict (ISO dates, enum names, sorted lists)."""
        return cv.record_to_dict(self)

    @classmethod
    def from_dict(cls: type[_T], data: dict[str, Any]) -> _T:
        """Build an instance from a dict such as :meth:`to_dict` returns.

        Raises
        ------
        TypeError
            ``data`` is not a mapping (``None``, a list, a string …).
        InvalidValueError
            An unknown key, or a value the field does not accept.
        MissingDataError
            No value for a field without a default.
        """
        fields = cv.record_fields(cls, data)
        return cls(**fields)
