"""One vocabulary: every public parameter name is in docs/nomenclature.md (the page is the rule).

The test reads the nomenclature's tables, walks every public function, method
and class of ``tobacco_metrics.__all__`` with :func:`inspect.signature`, and
checks that

- each parameter name is listed on the page;
- no signature uses a name the page refuses (its *not* column: a second name
  for a concept that already has one), except the few in ``ALLOWED`` below,
  each tied to the module that still uses it;
- no name is both listed and refused, and no listed name is unused;
- every default ``axis`` other than -1 is in the page's axis-defaults table;
- every renamed keyword is in the page's deprecated-keywords table and still
  works, with a DeprecationWarning.
"""

from __future__ import annotations

import enum
import inspect
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import tobacco_metrics as tm

PAGE = Path(__file__).resolve().parents[1] / "docs" / "nomenclature.md"

# Refused names still used by modules other helpers own, each with the module (and the
# public owner) that uses it.  Shrink this list; never grow it without a note in the
# nomenclature page.
ALLOWED: dict[str, set[str]] = {
    # the cycle-end stock of the result classes (stock / panel): `inventory` is the rule
    "closing_inventory": {
        "stock.CycleMetrics",
        "panel.PanelMetrics",
        "panel.PooledMetrics",
        "panel.PanelCycleMetrics",
    },
    # decisions / assessment / screening (0.2, unreleased): the rule's names are
    # `fulfilment_ratio`, `stock_to_sales_ratio`, `token_stock`; the rename waits for the
    # rewrite of tests/test_robustness.py (another helper), which calls these names.
    "fill_rate": {"decisions.service_quota"},
    "fulfilment": {"assessment.Scorecard", "decisions.QuotaReview"},
    "cover": {"decisions.QuotaReview", "decisions.cover_status"},
    "token": {"screening.distortion_flags"},
}

_ROW = re.compile(r"^\|\s*`(?P<name>\w+)`\s*\|(?P<rest>.*)\|\s*$")
_CODE = re.compile(r"`(\w+)`")


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"the nomenclature has no section {heading!r}"
    return match.group(1)


def _parse() -> tuple[dict[str, set[str]], dict[str, str], dict[tuple[str, str], str]]:
    """(names -> refused synonyms, axis defaults, deprecated (function, old) -> new)."""
    text = PAGE.read_text(encoding="utf-8")
    names: dict[str, set[str]] = {}
    axis_defaults: dict[str, str] = {}
    deprecated: dict[tuple[str, str], str] = {}
    axis_part = _section(text, "Axis defaults")
    deprecated_part = _section(text, "Deprecated keywords")
    for line in text.splitlines():
        row = _ROW.match(line)
        if row is None:
            continue
        cells = [cell.strip() for cell in row.group("rest").split("|")]
        if line in axis_part:
            axis_defaults[row.group("name")] = cells[-1].strip("`")
        elif line in deprecated_part:
            old, new = (_CODE.findall(cell)[0] for cell in cells)
            deprecated[(row.group("name"), old)] = new
        else:
            assert len(cells) == 4, f"a nomenclature row needs 5 columns: {line}"
            name = row.group("name")
            assert name not in names, f"{name!r} is listed twice in the nomenclature"
            names[name] = set(_CODE.findall(cells[-1]))
    return names, axis_defaults, deprecated


NAMES, AXIS_DEFAULTS, DEPRECATED = _parse()
REFUSED = {synonym: name for name, synonyms in NAMES.items() for synonym in synonyms}


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(module.qualified name, callable) for every public function, class and method."""
    for name in tm.__all__:
        obj = getattr(tm, name)
        # the public module: tobacco_metrics.panel._results -> panel
        parts = [part for part in getattr(obj, "__module__", "").split(".") if part]
        module = next((part for part in reversed(parts) if not part.startswith("_")), "")
        if inspect.isclass(obj):
            if issubclass(obj, (BaseException, enum.Enum)):
                continue
            yield f"{module}.{name}", obj
            for attribute, member in vars(obj).items():
                if attribute.startswith("_"):
                    continue
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                if inspect.isfunction(member):
                    yield f"{module}.{name}.{attribute}", member
        elif callable(obj):
            yield f"{module}.{name}", obj


def _parameters(func: Callable[..., Any]) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # pragma: no cover - a builtin without a signature
        return []
    return [
        parameter
        for parameter in signature.parameters.values()
        if parameter.name not in ("self", "cls")
        and not parameter.name.startswith("_")  # a private field is not vocabulary
        and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    ]


USES: dict[str, set[str]] = {}
for _where, _func in _public_callables():
    for _parameter in _parameters(_func):
        USES.setdefault(_parameter.name, set()).add(_where)


def test_the_page_parses_into_a_real_vocabulary() -> None:
    # Guards the parser: a page it could not read would make every check below vacuous.
    assert len(NAMES) > 150
    assert {"inventory", "axis", "days", "sales", "projected_stockout_sales"} <= set(NAMES)
    assert "closing" in NAMES["inventory"]
    assert AXIS_DEFAULTS["on_shelf_rate"] == "0"
    assert DEPRECATED[("ledger_sales", "closing")] == "inventory"


def test_every_parameter_name_is_in_the_nomenclature() -> None:
    unknown = {
        name: sorted(where)
        for name, where in USES.items()
        if name not in NAMES and name not in REFUSED
    }
    assert not unknown, f"parameters missing from docs/nomenclature.md: {unknown}"


def test_no_signature_uses_a_refused_synonym() -> None:
    offending = {
        name: sorted(where - ALLOWED.get(name, set()))
        for name, where in USES.items()
        if name in REFUSED and where - ALLOWED.get(name, set())
    }
    assert not offending, "one concept, one name: " + "; ".join(
        f"{name} (use {REFUSED[name]!r}) in {w}" for name, w in offending.items()
    )


def test_the_allow_list_is_not_stale() -> None:
    # Each allowed use must still exist: when a module is renamed, drop its entry.
    for name, where in ALLOWED.items():
        assert name in REFUSED, f"{name!r} is allowed but the page does not refuse it"
        assert where <= USES.get(name, set()), f"stale allow-list entry {name}: {where}"


def test_no_concept_has_two_names() -> None:
    both = sorted(set(NAMES) & set(REFUSED))
    assert not both, f"names both listed and refused: {both}"
    twice = [s for s in REFUSED if sum(s in syn for syn in NAMES.values()) > 1]
    assert not twice, f"synonyms refused for two concepts: {twice}"


def test_every_listed_name_is_used() -> None:
    unused = sorted(set(NAMES) - set(USES))
    assert not unused, f"names on the nomenclature page that no signature uses: {unused}"


def test_axis_defaults_follow_the_page() -> None:
    for where, func in _public_callables():
        for parameter in _parameters(func):
            if parameter.name != "axis" or "." in where.split(".", 1)[1]:
                continue
            name = where.split(".", 1)[1]
            default = parameter.default
            if name in AXIS_DEFAULTS:
                assert str(default) == AXIS_DEFAULTS[name], (name, default)
            else:
                assert default == -1, f"{name}: axis defaults to {default}; the page says -1"


def test_the_axis_table_names_real_functions() -> None:
    for name in AXIS_DEFAULTS:
        assert "axis" in inspect.signature(getattr(tm, name)).parameters, name


@pytest.mark.parametrize(("function", "old"), sorted(DEPRECATED))
def test_deprecated_keywords_still_work_with_a_warning(function: str, old: str) -> None:
    func = getattr(tm, function)
    new = DEPRECATED[(function, old)]
    assert func.__deprecated_parameters__[old] == new
    assert new in inspect.signature(func).parameters
    assert old not in inspect.signature(func).parameters
    assert old in REFUSED, f"the page should refuse the old keyword {old!r}"
    parameters = list(inspect.signature(func).parameters)
    # One example call per renamed function, with the new keywords, then with the old.
    examples: dict[str, dict[str, Any]] = {
        "ledger_sales": {"opening_inventory": 12, "purchases": 50, "inventory": 20},
    }
    kwargs = examples[function]
    assert set(kwargs) <= set(parameters)
    expected = func(**kwargs)
    old_kwargs = {old if key == new else key: value for key, value in kwargs.items()}
    with pytest.warns(DeprecationWarning, match=f"'{old}' is deprecated, use '{new}'") as caught:
        assert func(**old_kwargs) == expected
    assert caught[0].filename == __file__, "the warning points at the caller's line"


def test_every_deprecated_parameter_is_on_the_page() -> None:
    found = {
        (where.rsplit(".", 1)[-1], old): new
        for where, func in _public_callables()
        for old, new in getattr(func, "__deprecated_parameters__", {}).items()
    }
    assert found == DEPRECATED


def test_new_keywords_raise_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tm.ledger_sales(opening_inventory=1, purchases=1, inventory=1)


def test_no_shipped_text_cites_the_design_notes_outside_the_repository() -> None:
    """The spec lives in docs/: no source, docs page or guide names DESIGN.md."""
    root = Path(__file__).resolve().parents[1]
    shipped = [*root.joinpath("src").rglob("*.py"), *root.joinpath("docs").rglob("*.md")]
    shipped += [root / "README.md", root / "CONTRIBUTING.md"]
    citing = [str(path.relative_to(root)) for path in shipped if "DESIGN.md" in path.read_text()]
    assert citing == []
