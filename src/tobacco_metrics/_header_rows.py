"""A header of two rows: a group row over sub-columns, or a row of units (private).

Spreadsheets export a header of merged cells as two rows: a group name
(``销售情况``, ``本期``) written in the first of the cells it spans and empty
cells after it, over the sub-columns' names (``销量``, ``库存``), with the
identifier columns (``客户编码``) named in the group row only; or a header
of names over a row of units (``(条)``, ``单位：条``).  openpyxl reads merged
cells the same way: the value in the top-left cell, nothing in the others.

**The rule.**  Two adjacent rows, neither of which holds a number or a date
(only text and empty cells: a row with a number or a date in it is data), are
one header when

* one of them is a **units row** (each of its cells empty or a unit: a short
  text in brackets, ``单位：…`` or a unit word such as ``条``, ``箱``, ``包``)
  and the other names the five columns with it; the units row may be above or
  below the names; or
* neither row alone names the five columns (the upper one lacks one, and the
  lower one lacks one or names one twice) and the two together do.

Each column's name is then the sub-row's text where it has one, read with
the group over it: a unit is read as that group's unit (``销量`` over
``(条)`` is ``销量(条)``: cartons; over ``(箱)`` it is refused as the one-row
header ``销量(箱)`` is), and a name is qualified by its group, ``GROUP/NAME``
(``销售情况/销量``); where the sub-row is empty the column's name is the group
row's (the identifier columns).  A group name followed by empty cells is
carried right over them while the sub-row below has names (a merged cell
spanning those columns).  The group qualifies a name only to tell two columns
apart: ``本期/销量`` and ``上期/销量`` both read as sales, which is refused,
naming them, until a column mapping chooses one by its qualified name
(``--columns sales=本期/销量,inventory=本期/库存``).  Two rows whose qualified
names still repeat are not one header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tobacco_metrics import _headers, _readers
from tobacco_metrics.errors import TobaccoMetricsError

#: Words read as a unit on their own in a units row (with brackets any short text is).
UNIT_WORDS = frozenset(
    {"条", "箱", "件", "包", "盒", "支", "万支", "carton", "cartons", "box", "pack", "packs"}
)
_BRACKETED = re.compile(r"[(\[]([^()\[\]]{1,8})[)\]]")


def unit_of(cell: str) -> str:
    """The unit a units-row cell writes (``(条)``, ``（单位：箱）``, ``包``); ``''`` when it is
    not one.

    >>> unit_of("（条）"), unit_of("单位：箱"), unit_of("包"), unit_of("销量"), unit_of("")
    ('条', '箱', '包', '', '')
    """
    text = _headers.folded(cell)
    inner = _BRACKETED.fullmatch(text)
    bracketed = inner is not None
    if inner is not None:
        text = inner.group(1)
    for word in _headers.UNIT_PREFIXES:
        if text.startswith(word) and len(text) > len(word):
            return text.removeprefix(word)
    return text if text in UNIT_WORDS or (bracketed and text) else ""


def _is_value(cell: str) -> bool:
    """Whether a cell reads as a number (a quantity, negative too) or a date."""
    for reader in (lambda t: _readers.quantity(t.replace("-", "", 1), ""), _readers.parse_day):
        try:
            reader(cell)
        except ValueError:
            continue
        return True
    return False


def is_text_row(row: Sequence[str]) -> bool:
    """A row of text and empty cells only, some text (a header row may be one); a row with a
    number or a date in it is data.

    >>> is_text_row(["", "", "销量", "库存"]), is_text_row(["C1", "B1", "2026-03-02", "—"])
    (True, False)
    >>> is_text_row(["C1", "B1", "", "-1"]), is_text_row(["", ""])
    (False, False)
    """
    cells = [cell for cell in row if not _readers.is_empty(cell)]
    return bool(cells) and not any(_is_value(cell) for cell in cells)


def _is_units_row(row: Sequence[str]) -> bool:
    return all(_readers.is_empty(cell) or unit_of(cell) for cell in row)


def combine(groups: Sequence[str], subs: Sequence[str]) -> tuple[list[str], list[str]]:
    """Each column's name and group from a group row over a sub-row (see the module).

    >>> combine(["客户编码", "日期", "本期", "", "上期", ""],
    ...         ["", "", "销量", "库存", "销量", "(条)"])
    (['客户编码', '日期', '销量', '库存', '销量', '上期(条)'], ['', '', '本期', '本期', '上期', ''])
    """
    width = max(len(groups), len(subs))
    upper = [str(cell).strip() for cell in groups] + [""] * (width - len(groups))
    lower = [str(cell).strip() for cell in subs] + [""] * (width - len(subs))
    names: list[str] = []
    qualifiers: list[str] = []
    carried = ""
    for group, sub in zip(upper, lower, strict=True):
        carried = group or (carried if sub else "")  # a merged group spans its sub-columns
        unit = unit_of(sub) if sub else ""
        if not sub:
            names.append(group)
            qualifiers.append("")
        elif unit:
            names.append(f"{carried}({unit})" if carried else sub)
            qualifiers.append("")
        else:
            names.append(sub)
            qualifiers.append(carried)
        carried = carried if sub else ""
    return names, qualifiers


def _names_all(header: Sequence[str], mapping: Mapping[str, str] | None) -> bool:
    """Whether a row (a row alone) names each of the five columns, perhaps twice."""
    return _headers.named_columns(header, mapping) == set(_headers.COLUMNS)


def _resolves(header: Sequence[str], mapping: Mapping[str, str] | None) -> bool:
    try:
        _headers.resolve_columns(header, mapping, str)
    except TobaccoMetricsError:
        return False
    return True


def two_rows(
    upper: Sequence[str], lower: Sequence[str], mapping: Mapping[str, str] | None = None
) -> tuple[list[str], list[str]] | None:
    """The names and groups of the header the adjacent rows ``upper`` and ``lower`` make
    together; None when they are not one header (see the module).

    >>> two_rows(["客户编码", "卷烟编码", "日期", "销售情况", "库存情况"],
    ...          ["", "", "", "销量", "库存"])
    (['客户编码', '卷烟编码', '日期', '销量', '库存'], ['', '', '', '销售情况', '库存情况'])
    >>> two_rows(["客户编码", "卷烟编码", "日期", "销量", "库存"], ["", "", "", "(条)", "(箱)"])[0]
    ['客户编码', '卷烟编码', '日期', '销量(条)', '库存(箱)']
    >>> two_rows(["销售日报"], ["客户编码", "卷烟编码", "日期", "销量", "库存"]) is None
    True
    """
    if not (is_text_row(upper) and is_text_row(lower)):
        return None
    if _is_units_row(lower) != _is_units_row(upper):
        names, groups = combine(upper, lower) if _is_units_row(lower) else combine(lower, upper)
    elif _names_all(upper, mapping) or _resolves(lower, mapping):
        return None  # a header alone, with the row above or below it not one
    else:
        names, groups = combine(upper, lower)
    shown = _headers.qualified(names, groups)
    keys = [name.casefold() for name in shown if name]
    if _headers.named_columns(names, mapping, groups) != set(_headers.COLUMNS):
        return None
    if len(set(keys)) < len(keys):
        return None  # a title over a header naming a column twice: not a group
    return names, groups
