"""Exceptions raised by tobacco_metrics.

Every error the library raises on bad input derives from
:class:`TobaccoMetricsError`, itself a :class:`ValueError`, so callers can
catch one class.  Messages name the argument, say what was wrong (with the
offending value or position) and what was expected.  A wrong *type* (a string
where a number was due) raises :class:`TypeError` instead, as Python does.
"""

from __future__ import annotations

__all__ = [
    "DuplicateEntryError",
    "EmptyInputError",
    "ExportNote",
    "InconsistentLedgerError",
    "InvalidValueError",
    "MissingDataError",
    "ShapeMismatchError",
    "TobaccoMetricsError",
]


class TobaccoMetricsError(ValueError):
    """Base class of every error raised by tobacco_metrics for bad input."""


class InvalidValueError(TobaccoMetricsError):
    """A value is out of its allowed range: negative, non-finite, not whole, unknown."""


class ShapeMismatchError(TobaccoMetricsError):
    """Arrays that must line up (or broadcast) do not."""


class EmptyInputError(TobaccoMetricsError):
    """Nothing to compute on: an empty cycle, or every day of a cycle excluded."""


class InconsistentLedgerError(InvalidValueError):
    """A sales ledger (动销台账) does not balance: opening + purchases − closing < 0."""


class DuplicateEntryError(TobaccoMetricsError):
    """The same key (for example store, brand, date) occurs more than once."""


class MissingDataError(TobaccoMetricsError):
    """Cells that must be present are missing."""


class ExportNote(UserWarning):
    """What the export reader decided while reading a file: not an error.

    :func:`tobacco_metrics.read_export` issues one per decision, as the
    command line prints them: lines skipped (titles, totals such as 合计, notes
    below the table), rows identical to another collapsed, labels that differ
    only in character width, case or spaces, store × brand pairs without any
    row (not carried).  Silence them with
    ``warnings.simplefilter("ignore", tobacco_metrics.ExportNote)``, or turn
    them into errors to refuse any file that is not clean.
    """
