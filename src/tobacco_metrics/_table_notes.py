"""What the export reader decided, as notes (private: the command line and read_export).

The command line prints each note to standard error (``note: …``) and
:func:`tobacco_metrics.reading.read_export` issues each as an
:class:`~tobacco_metrics.errors.ExportNote` warning: lines skipped (titles,
totals, notes), rows identical to another collapsed, labels that differ only in
character width, case or spaces, and store × brand pairs without any row (not
carried).  None of them is an error: each says what was read, so that nothing
is dropped or merged unseen.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tobacco_metrics._readers import LongTable, alike_labels


def reader_notes(table: LongTable) -> list[str]:
    """The notes on the reading of one file: lines skipped, rows collapsed."""
    notes = list(table.notes)
    if table.collapsed:
        notes.append(
            f"{table.collapsed:,} row{'s' if table.collapsed != 1 else ''} identical to "
            "another in every field collapsed"
        )
    return notes


def table_notes(table: LongTable) -> list[str]:
    """The notes on a table the reader read, in the order the command line prints them:
    :func:`reader_notes`, then labels alike but for width or case, pairs not carried."""
    notes = reader_notes(table)
    for what, labels in (("stores", table.stores), ("brands", table.brands)):
        note = _alike_note(what, labels)
        if note:
            notes.append(note)
    absent = int(table.carried.size - np.count_nonzero(table.carried))
    if absent:
        notes.append(
            f"{absent:,} store × brand pair{'s' if absent != 1 else ''} without any row "
            "not carried: left out of the report and of every pooled figure"
        )
    return notes


def _alike_note(what: str, labels: Sequence[str]) -> str:
    """The note on ``labels`` (of the stores or brands) that differ only in character width,
    case or spaces ("" when none do)."""
    alike = alike_labels(labels)
    if not alike:
        return ""
    shown = "; ".join(" and ".join(repr(label) for label in group) for group in alike[:3])
    more = f" (and {len(alike) - 3} more groups)" if len(alike) > 3 else ""
    return (
        f"{what} {shown}{more} differ only in character width, case or spaces: "
        "read as different; write them alike if they are one"
    )
