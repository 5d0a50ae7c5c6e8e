"""Dirty long exports, as ERP systems write them, each with the clean panel a reader must give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from numpy.typing import NDArray

from tobacco_metrics.panel import Panel
from tobacco_metrics.strategies._common import check_int, optional_strategy
from tobacco_metrics.strategies._daily import panels

DateFormat: TypeAlias = Literal["iso", "iso_midnight", "slash", "compact", "date", "datetime"]
"""How :func:`long_exports` writes a date (:data:`DATE_FORMATS` describes each)."""

DATE_FORMATS: dict[DateFormat, str] = {
    "iso": "'2026-03-02'",
    "iso_midnight": "'2026-03-02 00:00:00' (a date with a midnight time)",
    "slash": "'2026/3/2' (no zero padding)",
    "compact": "'20260302'",
    "date": "datetime.date(2026, 3, 2)",
    "datetime": "datetime.datetime(2026, 3, 2, 0, 0) (midnight)",
}
"""The date formats of :func:`long_exports`: name → an example of 2 March 2026."""

COLUMNS: tuple[str, ...] = ("store", "brand", "date", "sales", "inventory")
"""The columns of a :class:`LongExport`, in order."""

_PADDING = ("", " ", "  ", "\t", "\u3000")  # ASCII spaces, a tab, an ideographic space
_Key: TypeAlias = tuple[Hashable, Hashable, dt.date]


def _format_date(day: dt.date, how: str) -> object:
    if how == "iso":
        return day.isoformat()
    if how == "iso_midnight":
        return f"{day.isoformat()} 00:00:00"
    if how == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if how == "compact":
        return f"{day.year:04d}{day.month:02d}{day.day:02d}"
    if how == "date":
        return day
    if how == "datetime":
        return dt.datetime(day.year, day.month, day.day)
    raise InvalidArgument(f"date_formats drew {how!r}; expected one of {', '.join(DATE_FORMATS)}")


@attrs.frozen(eq=False)
class LongExport:
    """One dirty long export and what a correct reader must make of it.

    Attributes
    ----------
    rows : tuple of tuple
        The export's rows, each ``(store, brand, date, sales, inventory)``
        (:data:`COLUMNS`): labels possibly padded with whitespace, dates in
        the formats of :data:`DATE_FORMATS`, quantities as Python ints
        (integer data) or floats [cartons], in any order.
    clean : Panel
        The panel a correct reader returns: labels stripped and sorted, one
        value per (store, brand, date), the dates from the earliest to the
        latest of the export, gaps filled as quiet days (no sales, the closing
        stock of the day before: ``missing="no_movement"``), int64 or float64
        data.  A not-carried series holds zeros (and is marked in the panel's
        ``carried`` mask where Panel has one).
    original : Panel
        The history the export was written from (the same labels, dates and
        dtype as ``clean``), before the gaps: a gap on a day with sales makes
        ``clean`` differ from it, as it would in a real export.
    not_carried : frozenset of (store, brand)
        Series with no row at all: a brand the store does not carry.  A
        correct reader leaves them out of every figure (its ``clean`` series
        are zeros only so the panel stays rectangular).
    filled : tuple of (store, brand, datetime.date)
        The cells of carried series without a row (the gaps), sorted.
    identical_duplicates : int
        Extra rows that repeat another row field for field (a reader collapses them).
    conflicts : tuple of (store, brand, datetime.date)
        Cells given twice with different quantities, sorted.  When not
        empty, a correct reader refuses the export (naming both rows);
        ``clean`` is then what the export holds without the second rows.
    """

    rows: tuple[tuple[Any, ...], ...]
    clean: Panel
    original: Panel
    not_carried: frozenset[tuple[Hashable, Hashable]]
    filled: tuple[_Key, ...]
    identical_duplicates: int
    conflicts: tuple[_Key, ...]

    def columns(self) -> dict[str, list[Any]]:
        """The rows as columns (``store``, ``brand``, ``date``, ``sales``, ``inventory``).

        ``pandas.DataFrame(export.columns())`` or ``polars.DataFrame(...)``
        give the export as a frame (polars needs one date type per column:
        draw with ``date_formats`` of strings only).
        """
        return {name: [row[i] for row in self.rows] for i, name in enumerate(COLUMNS)}


def _pad(draw: st.DrawFn, label: Hashable, whitespace: bool) -> Hashable:
    if not whitespace or not isinstance(label, str):
        return label
    return draw(st.sampled_from(_PADDING)) + label + draw(st.sampled_from(_PADDING))


def _stripped(labels: Sequence[Hashable]) -> list[Any]:
    return [label.strip() if isinstance(label, str) else label for label in labels]


def _clean_dtype(panel: Panel) -> np.dtype[Any]:
    return np.dtype(np.int64) if panel.sales.dtype.kind in "iu" else np.dtype(np.float64)


def _sorted_panel(draw: st.DrawFn, panel: Panel) -> Panel:
    """The panel with stripped labels in sorted order and int64 / float64 data."""
    stores, brands = _stripped(panel.stores), _stripped(panel.brands)
    assume(len(set(stores)) == len(stores) and len(set(brands)) == len(brands))
    try:
        store_order = sorted(range(len(stores)), key=stores.__getitem__)
        brand_order = sorted(range(len(brands)), key=brands.__getitem__)
    except TypeError as error:
        raise InvalidArgument(f"long_exports needs labels that can be sorted: {error}") from None
    dtype = _clean_dtype(panel)
    pick = np.ix_(store_order, brand_order)
    return Panel(
        [stores[i] for i in store_order],
        [brands[i] for i in brand_order],
        panel.start,
        panel.sales[pick].astype(dtype),
        panel.inventory[pick].astype(dtype),
    )


def _not_carried(draw: st.DrawFn, shape: tuple[int, int], most: int) -> NDArray[np.bool_]:
    """Series without rows; every store and every brand keeps at least one carried series."""
    dropped = np.zeros(shape, dtype=np.bool_)
    if most == 0:
        return dropped
    cells = [(s, b) for s in range(shape[0]) for b in range(shape[1])]
    for s, b in draw(st.lists(st.sampled_from(cells), max_size=most, unique=True)):
        dropped[s, b] = True
        if dropped[s].all() or dropped[:, b].all():
            dropped[s, b] = False
    return dropped


def _gaps(draw: st.DrawFn, carried: NDArray[np.bool_], n_days: int, most: int) -> NDArray[np.bool_]:
    """Missing cells of carried series: never on the first day; the last day stays in the export."""
    shape = (*carried.shape, n_days)
    gaps = np.zeros(shape, dtype=np.bool_)
    if most == 0 or n_days < 2:
        return gaps
    cells = [(s, b, d) for s, b in zip(*np.nonzero(carried), strict=True) for d in range(1, n_days)]
    for s, b, d in draw(st.lists(st.sampled_from(cells), max_size=most, unique=True)):
        gaps[s, b, d] = True
    last_present = carried & ~gaps[..., -1]
    if not last_present.any():
        s, b = (int(i[0]) for i in np.nonzero(carried))
        gaps[s, b, -1] = False
    return gaps


def _fill(panel: Panel, gaps: NDArray[np.bool_]) -> tuple[NDArray[Any], NDArray[Any]]:
    """No-movement fill: a gap sells nothing and closes with the stock of the day before."""
    sales = panel.sales.copy()
    inventory = panel.inventory.copy()
    for day in range(1, panel.n_days):
        hole = gaps[..., day]
        sales[..., day][hole] = 0
        inventory[..., day][hole] = inventory[..., day - 1][hole]
    return sales, inventory


def _panel(
    like: Panel, sales: NDArray[Any], inventory: NDArray[Any], *, carried: NDArray[np.bool_]
) -> Panel:
    """A panel with ``like``'s labels; where Panel records carried series, ``carried`` too."""
    if "carried" in {field.name for field in attrs.fields(Panel)}:
        return Panel(like.stores, like.brands, like.start, sales, inventory, carried=carried)  # type: ignore[call-arg,unused-ignore]
    return Panel(like.stores, like.brands, like.start, sales, inventory)


def long_exports(
    *,
    histories: st.SearchStrategy[Panel] | None = None,
    date_formats: st.SearchStrategy[DateFormat] | None = None,
    whitespace: bool = True,
    shuffle: bool = True,
    max_gaps: int = 3,
    max_not_carried: int = 1,
    max_identical_duplicates: int = 3,
    min_conflicts: int = 0,
    max_conflicts: int = 0,
) -> st.SearchStrategy[LongExport]:
    """Dirty long exports (store, brand, date, sales, inventory rows) with their clean twin.

    Each example is a :class:`LongExport`: the rows an ERP might write for a
    drawn history, and the :class:`~tobacco_metrics.Panel` a correct reader
    must build from them, so a test can assert
    ``read(export.rows) == export.clean`` (or a refusal when
    ``export.conflicts``).  The dirt, each bounded by an option:

    - labels padded with spaces, tabs or ideographic spaces (``whitespace``);
    - dates written in several formats, row by row (``date_formats``);
    - rows in any order (``shuffle``);
    - gaps: cells of a carried series without a row, never on its first day
      (``max_gaps``); a reader fills them as quiet days;
    - not-carried series: a store × brand without any row
      (``max_not_carried``); every store and brand keeps a row somewhere;
    - rows repeated field for field (``max_identical_duplicates``);
    - cells given twice with different quantities
      (``min_conflicts``/``max_conflicts``, none by default).

    Parameters
    ----------
    histories : strategy of Panel, optional
        The true histories; default :func:`panels` with int64 or float64
        data.  Labels are stripped and sorted in ``clean``; labels that are
        equal once stripped are skipped.
    date_formats : strategy of str, optional
        The format of each row's date, a key of :data:`DATE_FORMATS`;
        default any (mixed within one export).
    whitespace, shuffle : bool
        Pad string labels with whitespace; shuffle the rows. Default True.
    max_gaps, max_not_carried, max_identical_duplicates : int
        Upper bounds (>= 0) of each kind of dirt (the lower bound is 0).
    min_conflicts, max_conflicts : int
        Bounds of the conflicting duplicates; default 0, 0.

    Examples
    --------
    ::

        @given(long_exports())
        def test_my_reader(export):
            panel = my_reader(pandas.DataFrame(export.columns()))
            assert panel.stores == export.clean.stores
            np.testing.assert_array_equal(panel.sales, export.clean.sales)
    """
    sources = optional_strategy(
        histories,
        "histories",
        panels(dtypes=st.sampled_from([np.dtype(np.int64), np.dtype(np.float64)])),
    )
    formats = optional_strategy(date_formats, "date_formats", st.sampled_from(list(DATE_FORMATS)))
    for name, flag in (("whitespace", whitespace), ("shuffle", shuffle)):
        if not isinstance(flag, bool):
            raise InvalidArgument(f"{name}={flag!r} must be a bool")
    most_gaps = check_int(max_gaps, "max_gaps", 0)
    most_dropped = check_int(max_not_carried, "max_not_carried", 0)
    most_copies = check_int(max_identical_duplicates, "max_identical_duplicates", 0)
    least_conflicts = check_int(min_conflicts, "min_conflicts", 0)
    most_conflicts = check_int(max_conflicts, "max_conflicts", 0)
    if least_conflicts > most_conflicts:
        raise InvalidArgument(
            f"min_conflicts={least_conflicts} is greater than max_conflicts={most_conflicts}"
        )

    @st.composite
    def draw_export(draw: st.DrawFn) -> LongExport:
        original = _sorted_panel(draw, draw(sources))
        n_stores, n_brands, n_days = original.shape
        dropped = _not_carried(draw, (n_stores, n_brands), most_dropped)
        gaps = _gaps(draw, ~dropped, n_days, most_gaps)
        sales, inventory = _fill(original, gaps)
        sales[dropped] = 0
        inventory[dropped] = 0
        clean = _panel(original, sales, inventory, carried=~dropped)
        dates = original.dates
        present = ~gaps & ~dropped[..., np.newaxis]
        keys: list[_Key] = []
        rows: list[tuple[Any, ...]] = []
        for s, b, d in zip(*np.nonzero(present), strict=True):
            store, brand, day = original.stores[s], original.brands[b], dates[d]
            keys.append((store, brand, day))
            rows.append(
                (
                    _pad(draw, store, whitespace),
                    _pad(draw, brand, whitespace),
                    _format_date(day, draw(formats)),
                    original.sales[s, b, d].item(),
                    original.inventory[s, b, d].item(),
                )
            )
        copies = draw(st.lists(st.sampled_from(range(len(rows))), max_size=most_copies))
        extra = [rows[i] for i in copies]
        clashing = draw(
            st.lists(
                st.sampled_from(range(len(rows))),
                min_size=min(least_conflicts, len(rows)),
                max_size=min(most_conflicts, len(rows)),
                unique=True,
            )
        )
        for i in clashing:
            store, brand, day, sold, closing = rows[i]
            if draw(st.booleans()):
                extra.append((store, brand, day, sold + 1, closing))
            else:
                extra.append((store, brand, day, sold, closing + 1))
        everything = rows + extra
        if shuffle:
            everything = draw(st.permutations(everything))
        filled = tuple(
            (original.stores[s], original.brands[b], dates[d])
            for s, b, d in zip(*np.nonzero(gaps), strict=True)
        )
        return LongExport(
            rows=tuple(everything),
            clean=clean,
            original=original,
            not_carried=frozenset(
                (original.stores[s], original.brands[b])
                for s, b in zip(*np.nonzero(dropped), strict=True)
            ),
            filled=filled,
            identical_duplicates=len(copies),
            conflicts=tuple(sorted(keys[i] for i in clashing)),
        )

    return draw_export()
