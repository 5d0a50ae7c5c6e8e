"""Finding the five columns of an export by its header (private).

Each of the five columns is found by its English name or a
common Chinese ERP header (:data:`HEADER_NAMES`), case-insensitively, after
stripping whitespace; full-width characters, spaces inside the name, a
trailing colon and a unit of cartons (``销量(条)``, ``库存（条）``) do not
matter, nor does the unit written after a slash or as ``单位：条``
(``销量/条``, ``销量（单位：条）``); a header in another unit (``销量(箱)``,
``销量/包``) is refused.  A licence number (许可证号) is read as the store and a
brand name (卷烟名称, 品规) as the brand only when the header has no store or
brand code column (:data:`FALLBACK_NAMES`).  An explicit mapping overrides
it.  A header naming a column twice, or two headers that could both be the
same column, is an error; unnamed (empty) header cells are ignored.  In a header
of two rows (:mod:`tobacco_metrics._header_rows`) a name under a group is also
named ``GROUP/NAME`` (``本期/销量``), by a mapping and in messages; the same name
under two groups is refused until a mapping chooses one that way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence

from tobacco_metrics.errors import InvalidValueError, MissingDataError

COLUMNS = ("store", "brand", "date", "sales", "inventory")

#: Header names read as each column (compared case-insensitively, stripped).
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "store": (
        "store",
        "客户编码",
        "客户代码",
        "客户编号",
        "零售户编码",
        "零售户代码",
        "零售客户编码",
    ),
    "brand": ("brand", "卷烟编码", "卷烟代码", "商品编码", "商品代码", "品规编码", "品规代码"),
    "date": ("date", "日期", "业务日期", "销售日期", "统计日期"),
    "sales": ("sales", "销量", "销售量", "销售数量", "日销量"),
    "inventory": ("inventory", "库存", "库存量", "期末库存", "库存数量", "结存"),
}

#: Header names read as a column only when no name of :data:`HEADER_NAMES` is: a licence
#: number identifies a store and a brand name a brand, but a code column is preferred.
FALLBACK_NAMES: dict[str, tuple[str, ...]] = {
    "store": ("许可证号", "专卖许可证号", "许可证编号", "烟草专卖许可证号"),
    "brand": ("卷烟名称", "品规", "品规名称", "卷烟品规", "商品名称"),
}


def _header_positions(names: list[str]) -> dict[str, int]:
    """Each header name (case-folded) → its position; a name twice is an error.

    Unnamed (empty) header cells, as spreadsheets leave after the last column,
    are left out.
    """
    where: dict[str, int] = {}
    for position, name in enumerate(names):
        key = name.casefold()
        if not key:
            continue
        if key in where:
            raise InvalidValueError(
                f"the header names {name!r} twice (columns {where[key] + 1} and {position + 1}): "
                "rename one"
            )
        where[key] = position
    return where


_UNIT = re.compile(r"(.+?)(?:[(\[]([^()\[\]]*)[)\]]|/([^/]{1,4}))")
#: What may come before the unit inside the brackets: ``(单位：条)``.
UNIT_PREFIXES = ("单位:", "unit:")
#: Units in a header read as cartons (the library's unit).
_CARTONS = ("条", "carton", "cartons")


def folded(text: str) -> str:
    """``text`` as compared when width, case and spaces do not count.

    >>> folded(" 中华（硬） Ｂ"), folded("中华(硬)b")
    ('中华(硬)b', '中华(硬)b')
    """
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def header_key(name: str) -> tuple[str, str]:
    """A header name as compared with the known names, and its unit (``''`` when none).

    Full-width characters count as their ASCII forms; case, spaces and a
    trailing colon do not count.

    >>> header_key(" 销 量（条）："), header_key("销量/包"), header_key("库存（单位：条）")
    (('销量', '条'), ('销量', '包'), ('库存', '条'))
    """
    text = folded(name).rstrip(":")
    unit = _UNIT.fullmatch(text)
    if unit is None:
        return text, ""
    written = unit.group(2) if unit.group(2) is not None else unit.group(3)
    for word in UNIT_PREFIXES:
        written = written.removeprefix(word)
    return unit.group(1), written


def known_names(header: Sequence[str], mapping: Mapping[str, str] | None = None) -> int:
    """How many cells of a line are known header names or names ``mapping`` gives
    (0: a title or data line).

    >>> known_names(["零售户编码", "日期", "日期"]), known_names(["0310", "0", "0"])
    (3, 0)
    >>> known_names(["qty", "0"], {"sales": "QTY"})
    1
    """
    known = {
        header_key(alias)[0]
        for table in (HEADER_NAMES, FALLBACK_NAMES)
        for aliases in table.values()
        for alias in aliases
    }
    known.update(header_key(str(name))[0] for name in (mapping or {}).values())
    return sum(header_key(str(name))[0] in known for name in header)


def _column_position(
    column: str,
    mapped: str | None,
    names: list[str],
    shown: list[str],
    where: dict[str, int],
    how: Callable[[str], str],
) -> int | None:
    """The header position of ``column``: as mapped, else by its names; None when not found.

    ``shown`` gives each name as a mapping names it (``GROUP/NAME`` under a group).
    """
    keys = [header_key(name) for name in names]
    if mapped is not None:
        return _mapped_position(column, str(mapped).strip(), names, shown, keys, where, how)
    hits = _named_hits(column, keys)
    if len(hits) > 1:
        listed = " and ".join(repr(shown[hit]) for hit in hits)
        raise InvalidValueError(
            f"the header has {listed}, which could both be {column!r}: choose one with "
            f"{how(column)}"
        )
    if not hits:
        return None
    _check_not_renamed(column, names, hits[0], how)
    _check_cartons(column, names[hits[0]], keys[hits[0]][1], how)
    return hits[0]


def _mapped_position(
    column: str,
    wanted: str,
    names: list[str],
    shown: list[str],
    keys: list[tuple[str, str]],
    where: dict[str, int],
    how: Callable[[str], str],
) -> int:
    """The position of the header name ``wanted`` that the user mapped ``column`` to.

    The exact name (case-folded, ``GROUP/NAME`` under a group) wins; else the one name
    equal to it but for width, spaces or case; else the header lacks it, an error.
    """
    if wanted.casefold() in where:
        return where[wanted.casefold()]
    alike = [
        i
        for i, key in enumerate(keys)
        if names[i] and (key == header_key(wanted) or folded(shown[i]) == folded(wanted))
    ]
    if len(alike) == 1:  # the same name but for width, spaces or case
        return alike[0]
    if len(alike) > 1:  # one name under two groups
        listed = " and ".join(repr(shown[i]) for i in alike)
        raise InvalidValueError(
            f"{how(column).replace('NAME', wanted)}: the header has {listed}: name one as "
            f"{how(column).replace('NAME', shown[alike[0]])}"
        )
    raise MissingDataError(
        f"{how(column).replace('NAME', wanted)}: the header has no column {wanted!r} "
        f"(it has {', '.join(name for name in shown if name)})"
    )


def _named_hits(column: str, keys: list[tuple[str, str]]) -> list[int]:
    """The positions whose header key is a known name of ``column``.

    The names of :data:`HEADER_NAMES` are tried first; those of
    :data:`FALLBACK_NAMES` only when none of them is in the header (a code
    column before a name column).
    """
    hits: list[int] = []
    for table in (HEADER_NAMES, FALLBACK_NAMES):  # a code column before a name column
        aliases = {header_key(alias)[0] for alias in table.get(column, ())}
        hits = [i for i, (text, _) in enumerate(keys) if text in aliases]
        if hits:
            break
    return hits


def _check_cartons(column: str, name: str, unit: str, how: Callable[[str], str]) -> None:
    """Refuse a quantity column (sales, inventory) whose header ``name`` gives a unit other
    than cartons."""
    if column in ("sales", "inventory") and unit not in ("", *_CARTONS):
        raise InvalidValueError(
            f"the header {name!r} counts {column} in {unit!r}: the library counts "
            f"cartons (条); convert the column to cartons, or if it holds cartons name it with "
            f"{how(column).replace('NAME', name)}"
        )


def _check_not_renamed(column: str, names: list[str], hit: int, how: Callable[[str], str]) -> None:
    """Refuse a header name repeated as ``销量.1``, as pandas renames a name read twice: which
    of the two holds the column cannot be told."""
    again = [name for name in names if re.fullmatch(re.escape(names[hit]) + r"\.\d+", name)]
    if again:
        raise InvalidValueError(
            f"the header has {names[hit]!r} and {again[0]!r}, which could both be {column!r} "
            f"(a name read twice, renamed by pandas): choose one with {how(column)}"
        )


def qualified(names: Sequence[str], groups: Sequence[str] = ()) -> list[str]:
    """Each header name as a column mapping names it: ``GROUP/NAME`` under a group (a
    header of two rows), else the name.

    >>> qualified(["客户编码", "销量"], ["", "本期"])
    ['客户编码', '本期/销量']
    """
    groups = [*groups, *[""] * (len(names) - len(groups))]
    return [
        f"{group}/{name}" if group else name for name, group in zip(names, groups, strict=False)
    ]


def named_columns(
    header: Sequence[str], mapping: Mapping[str, str] | None = None, groups: Sequence[str] = ()
) -> set[str]:
    """The columns a header names, once or more: by a known name or as ``mapping`` names them.

    >>> sorted(named_columns(["客户编码", "日期", "销量", "销量"]))
    ['date', 'sales', 'store']
    >>> named_columns(["qty", "销量"], {"sales": "本期/qty"}, ["本期", "上期"])
    {'sales'}
    """
    names = [str(name).strip() for name in header]
    keys = [header_key(name) for name in names]
    shown = {folded(name) for name in qualified(names, groups) if name}
    found = {column for column in COLUMNS if _named_hits(column, keys)}
    for column, wanted in (mapping or {}).items():
        if folded(str(wanted)) in shown or header_key(str(wanted)) in keys:
            found.add(column)
    return found


def _grouped_ambiguity(
    keys: list[tuple[str, str]],
    shown: list[str],
    mapping: Mapping[str, str],
    how: Callable[[str], str],
) -> None:
    """Refuse, naming them all, the columns a header of two rows names under two groups."""
    both = [(column, _named_hits(column, keys)) for column in COLUMNS if column not in mapping]
    both = [(column, hits) for column, hits in both if len(hits) > 1]
    if not both:
        return
    listed = "; ".join(
        f"{' and '.join(repr(shown[hit]) for hit in hits)}, which could each be {column!r}"
        for column, hits in both
    )
    (first, hits), others = both[0], both[1:]
    example = how(first).replace("NAME", shown[hits[0]])
    example += "".join(f",{column}={shown[hits[0]]}" for column, hits in others)
    raise InvalidValueError(
        f"the header has {listed}: choose with {example} (a name under a group header is "
        "GROUP/NAME)"
    )


def resolve_columns(
    header: Sequence[str],
    mapping: Mapping[str, str] | None,
    how: Callable[[str], str],
    groups: Sequence[str] = (),
) -> list[int]:
    """The position in ``header`` of each of :data:`COLUMNS`.

    ``mapping`` maps a column to its header name; ``how(column)`` says how a
    user names a column (``--columns inventory=NAME`` or ``inventory='NAME'``);
    ``groups`` gives each name's group in a header of two rows
    (:mod:`tobacco_metrics._header_rows`), which a mapping names as ``GROUP/NAME``.
    """
    names = [str(name).strip() for name in header]
    shown = qualified(names, groups)
    where = _header_positions(shown)
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(COLUMNS))
    if unknown:
        raise InvalidValueError(
            f"unknown column {unknown[0]!r} in the column mapping: expected one of "
            f"{', '.join(COLUMNS)}"
        )
    if any(groups):
        _grouped_ambiguity([header_key(name) for name in names], shown, mapping, how)
    found: list[int] = []
    missing: list[str] = []
    for column in COLUMNS:
        position = _column_position(column, mapping.get(column), names, shown, where, how)
        if position is None:
            missing.append(column)
        else:
            found.append(position)
    if missing:
        raise MissingDataError(
            f"the header must name {', '.join(COLUMNS)} (or a common ERP header such as "
            f"客户编码, 卷烟编码, 日期, 销量, 库存); missing {', '.join(missing)} "
            f"(got {', '.join(shown)}): name it with {how(missing[0])}"
        )
    taken: dict[int, str] = {}
    for column, position in zip(COLUMNS, found, strict=True):
        if position in taken:
            raise InvalidValueError(
                f"the header column {shown[position]!r} is mapped to both {taken[position]!r} "
                f"and {column!r}"
            )
        taken[position] = column
    return found


def parse_mapping(text: str) -> dict[str, str]:
    """``store=客户编码,brand=卷烟编码`` as a dict; ValueError when malformed.

    Full-width commas and equals signs (typed with a Chinese input method) count
    as ASCII ones.

    >>> parse_mapping("store＝客户编码，brand=卷烟编码")
    {'store': '客户编码', 'brand': '卷烟编码'}
    """
    mapping: dict[str, str] = {}
    for part in re.split("[,，]", text):
        if not part.strip():
            continue
        name, equals, header = part.replace("＝", "=").partition("=")
        name = name.strip().lower()
        if not equals or not header.strip():
            raise ValueError(f"expected NAME=HEADER, got {part.strip()!r}")
        if name not in COLUMNS:
            raise ValueError(f"unknown column {name!r}: expected one of {', '.join(COLUMNS)}")
        if name in mapping:
            raise ValueError(f"{name!r} is mapped twice")
        mapping[name] = header.strip()
    return mapping
