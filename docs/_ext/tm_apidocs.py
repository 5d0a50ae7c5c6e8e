"""Sphinx extension: the API reference of tobacco_metrics, generated from ``__all__``.

At ``builder-inited`` it imports :mod:`tobacco_metrics`, groups every name of
``tobacco_metrics.__all__`` by the subject module whose ``__all__`` exports it
(``stock``, ``pricing``, ``domain``, …, in the package's own order) and writes
reStructuredText stubs under ``docs/api/generated/`` (git-ignored):

- one page per public name (``autofunction`` / ``autoclass`` /
  ``autoexception``), documented as ``tobacco_metrics.<name>``, the import path
  users write;
- one page per subject module: its docstring and a summary table;
- ``modules.inc``: the toctree that ``docs/api/index.md`` includes.

Modules the package does not import (``tobacco_metrics.strategies``,
``tobacco_metrics.dask``, ``tobacco_metrics.demo``, ``tobacco_metrics.cli``)
get a page of their own only when they import and export names, so an empty
or not-yet-written module is simply left out.  A new public name therefore
appears in the reference with no edit under ``docs/``.

It also adds:

- the ``api`` role: ``{api}`reasonable_quota``` links to the reference when
  the name is public and renders as plain code otherwise (the glossary lists
  names of the design that may not be implemented yet);
- a ``missing-reference`` fallback that resolves ``X`` or
  ``tobacco_metrics.<module>.X`` to the public ``tobacco_metrics.X``;
- readable signatures for attrs classes (``steps=frozenset()`` rather than
  ``steps=NOTHING``);
- a warning (an error under ``-W``) for a public name without a docstring.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
import sys
import types
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

LOGGER = logging.getLogger(__name__)

PACKAGE = "tobacco_metrics"
#: Modules documented beside the package namespace when they import and export names.
EXTRA_MODULES = (
    f"{PACKAGE}.strategies",
    f"{PACKAGE}.dask",
    f"{PACKAGE}.demo",
    f"{PACKAGE}.cli",
    f"{PACKAGE}.plot",
)
OUT_DIR = Path("api") / "generated"
#: Filled at builder-inited: documented name (``X``, ``strategies.Y``) → full target.
_TARGETS: dict[str, str] = {}


# --------------------------------------------------------------------------- discovery


@attrs.frozen
class Group:
    """The public names one module contributes, and how to document them."""

    module: str  # where the names are documented from (``currentmodule``)
    source: str  # the module whose docstring heads the page
    names: tuple[str, ...]
    title: str


def _first_line(module: types.ModuleType) -> str:
    doc = inspect.getdoc(module) or ""
    line = doc.strip().splitlines()[0] if doc.strip() else ""
    return line.rstrip(".").split(":")[0].strip() if line else ""


def _public_groups() -> list[Group]:
    """``tobacco_metrics.__all__`` grouped by subject module, in the package's order.

    A name's home is the public submodule whose ``__all__`` lists it (found in
    ``sys.modules``: a function may shadow its module's attribute on the
    package, as ``tobacco_metrics.lost_sales`` does).
    """
    package = importlib.import_module(PACKAGE)
    subjects = [
        module
        for modname, module in sorted(sys.modules.items())
        if modname.startswith(PACKAGE + ".")
        and modname.count(".") == 1
        and not modname.rsplit(".", 1)[-1].startswith("_")
        and modname not in EXTRA_MODULES
        and isinstance(getattr(module, "__all__", None), (list, tuple))
    ]
    order: dict[str, list[str]] = {}
    for name in package.__all__:
        obj = getattr(package, name)
        defined_in = getattr(obj, "__module__", None)
        homes = [module.__name__ for module in subjects if name in module.__all__]
        home = defined_in if defined_in in homes else (homes[0] if homes else PACKAGE)
        order.setdefault(home, []).append(name)
    groups = []
    for home, names in order.items():
        module = importlib.import_module(home)
        summary = _first_line(module)
        title = (
            "package — names of tobacco_metrics itself"
            if home == PACKAGE
            else f"{home.rsplit('.', 1)[-1]} — {summary}"
        )
        groups.append(Group(PACKAGE, home, tuple(names), title))
    return groups


def _extra_groups() -> list[Group]:
    groups = []
    for modname in EXTRA_MODULES:
        try:
            module = importlib.import_module(modname)
        except ImportError as error:  # an optional dependency missing, or not written yet
            LOGGER.info("[tm_apidocs] %s not documented: %s", modname, error)
            continue
        names = tuple(getattr(module, "__all__", ()))
        if names:
            summary = _first_line(module)
            groups.append(Group(modname, modname, names, f"{modname} — {summary}"))
    return groups


def public_targets() -> dict[str, str]:
    """Every documented name (``X``, ``strategies.Y``) → its full target."""
    targets: dict[str, str] = {}
    for group in _public_groups():
        for name in group.names:
            targets[name] = f"{PACKAGE}.{name}"
    for group in _extra_groups():
        short = group.module.removeprefix(PACKAGE + ".")
        for name in group.names:
            targets[f"{short}.{name}"] = f"{group.module}.{name}"
            targets[f"{group.module}.{name}"] = f"{group.module}.{name}"
    return targets


# --------------------------------------------------------------------------- stubs


def _heading(text: str, char: str = "=") -> str:
    # East Asian wide characters take two columns in docutils' count.
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return f"{text}\n{char * width}\n"


def _unwrap(value: Any) -> Any:
    if isinstance(value, (classmethod, staticmethod)):
        return value.__func__
    return value


def _class_members(cls: type) -> list[str]:
    """Public, documented methods and properties defined in tobacco_metrics (inherited too)."""
    fields = {field.name for field in attrs.fields(cls)} if attrs.has(cls) else set()
    enum_members = set(cls.__members__) if isinstance(cls, enum.EnumMeta) else set()
    members: list[str] = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith(PACKAGE):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in fields or name in enum_members or name in members:
                continue
            value = _unwrap(value)
            if not (inspect.isfunction(value) or isinstance(value, property)):
                continue
            if inspect.getdoc(value):
                members.append(name)
    return members


def _enum_member_lines(cls: type[enum.Enum]) -> list[str]:
    lines = []
    for member in cls:
        label = getattr(member, "label", None)
        lines += [
            "",
            f"   .. py:attribute:: {member.name}",
            f"      :value: {member.value!r}",
            "",
            f"      {label}" if label else "      (member)",
        ]
    return lines


def _is_typing_object(obj: Any) -> bool:
    return type(obj).__module__ in {"typing", "typing_extensions", "types"}


def _data_repr(obj: Any) -> str:
    text = repr(obj)
    return text.replace("typing.", "") if _is_typing_object(obj) else text


def _data_doc(module: str, name: str) -> list[str]:
    """The docstring of a module-level constant or type alias (a string after it, or ``#:``)."""
    try:
        analyzer = ModuleAnalyzer.for_module(module)
        docs = analyzer.find_attr_docs()
    except PycodeError:
        return []
    return [line.rstrip() for line in docs.get(("", name), [])]


def _object_page(module: str, name: str, obj: Any, home: str) -> str:
    full = f"{module}.{name}"
    lines = [_heading(full), f".. currentmodule:: {module}", ""]
    if _is_typing_object(obj) or not (inspect.isclass(obj) or inspect.isroutine(obj)):
        # A constant or a type alias: its docstring is the string after it in ``home``.
        lines.append(f".. py:data:: {name}")
        if not _is_typing_object(obj):
            lines.append(f"   :type: {type(obj).__name__}")
        lines += [f"   :value: {_data_repr(obj)}", ""]
        doc = _data_doc(home, name) or (
            ["The installed version of tobacco_metrics (SemVer)."] if name == "__version__" else []
        )
        lines += [f"   {line}" if line else "" for line in doc]
    elif inspect.isclass(obj) and issubclass(obj, BaseException):
        lines += [f".. autoexception:: {name}", "   :show-inheritance:"]
    elif inspect.isclass(obj):
        lines.append(f".. autoclass:: {name}")
        members = _class_members(obj)
        if members:
            lines.append(f"   :members: {', '.join(members)}")
        if issubclass(obj, enum.Enum):
            lines += _enum_member_lines(obj)
    else:
        lines.append(f".. autofunction:: {name}")
    return "\n".join(lines) + "\n"


def _module_page(group: Group) -> str:
    lines = [_heading(group.title)]
    if group.source == PACKAGE:
        lines += ["Names of the package itself.", ""]
    else:
        lines += [f".. automodule:: {group.source}", "   :no-members:"]
        if group.source.removeprefix(PACKAGE + ".") in group.names:
            # The module shares its name with a public function (tobacco_metrics.lost_sales):
            # the function keeps the name ``tobacco_metrics.lost_sales`` in the index.
            lines.append("   :no-index:")
        lines.append("")
    if group.module != group.source:
        lines += [
            f"Everything below is importable from :mod:`{group.module}` itself, e.g. "
            f"``from {group.module} import {group.names[0]}``.",
            "",
        ]
    lines += [f".. currentmodule:: {group.module}", "", ".. autosummary::", "   :nosignatures:", ""]
    lines += [f"   {name}" for name in group.names]
    lines += ["", ".. toctree::", "   :hidden:", ""]
    lines += [f"   {group.module}.{name}" for name in group.names]
    return "\n".join(lines) + "\n"


def _page_name(group: Group) -> str:
    # Prefixed: a module and a function may share a name (tobacco_metrics.lost_sales).
    return f"module-{group.source}"


def _write(path: Path, text: str, written: set[Path]) -> None:
    written.add(path)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _iter_objects(group: Group) -> Iterator[tuple[str, Any]]:
    module = importlib.import_module(group.module)
    for name in group.names:
        yield name, getattr(module, name)


def _has_own_docstring(obj: Any, home: str, name: str) -> bool:
    if inspect.isclass(obj) and not _is_typing_object(obj):
        doc = vars(obj).get("__doc__")
        return bool(doc and doc.strip()) and doc != "An enumeration."
    if inspect.isroutine(obj):
        return bool(inspect.getdoc(obj))
    return name == "__version__" or bool(_data_doc(home, name))


def generate(app: Sphinx) -> None:
    """Write the stubs; stale stubs (a name no longer public) are removed."""
    out = Path(app.srcdir) / OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    groups = _public_groups()
    extras = _extra_groups()
    toc = ["```{toctree}", ":maxdepth: 1", ":caption: tobacco_metrics", ""]
    for index, group in enumerate(groups + extras):
        if index == len(groups):
            toc += ["```", "", "```{toctree}", ":maxdepth: 1", ":caption: Other modules", ""]
        page = _page_name(group)
        _write(out / f"{page}.rst", _module_page(group), written)
        toc.append(f"generated/{page}")
        for name, obj in _iter_objects(group):
            if not _has_own_docstring(obj, group.source, name):
                LOGGER.warning(
                    "[tm_apidocs] public name %s.%s has no docstring (a constant or type "
                    "alias takes a string literal on the line after it)",
                    group.module,
                    name,
                )
            page = _object_page(group.module, name, obj, group.source)
            _write(out / f"{group.module}.{name}.rst", page, written)
    toc += ["```", ""]
    _write(out / "modules.inc", "\n".join(toc), written)
    for stale in out.iterdir():
        if stale.is_file() and stale not in written:
            stale.unlink()


# --------------------------------------------------------------------------- roles, refs


class ApiRole(SphinxRole):
    """``{api}`name```: a link when ``name`` is public, plain code when it is not (yet)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.text.strip()
        base, _, attribute = name.partition(".")
        target = _TARGETS.get(name)
        if target is None and attribute and base in _TARGETS:
            target = f"{_TARGETS[base]}.{attribute}"  # a member: linked if documented
        literal = nodes.literal(self.rawtext, name, classes=["xref", "py", "py-obj"])
        if target is None:
            literal["classes"] = ["tm-planned"]
            return [literal], []
        ref = addnodes.pending_xref(
            self.rawtext,
            refdomain="py",
            reftype="obj",
            reftarget=target,
            refexplicit=True,
            refwarn=True,
            refdoc=self.env.docname,
            tm_api=True,
        )
        ref += literal
        return [ref], []


_SUBMODULE = re.compile(rf"^{PACKAGE}\.[a-z_]+\.(?P<rest>.+)$")


def resolve_public(
    app: Sphinx, env: Any, node: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve ``X`` / ``tobacco_metrics.<module>.X`` to ``tobacco_metrics.X`` when X is public.

    An ``api`` role whose member is not documented (an attrs field) falls back
    to its plain code text instead of a warning.
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    match = _SUBMODULE.match(target)
    rest = match.group("rest") if match else target
    resolved = None
    if rest.split(".", 1)[0] in _TARGETS:
        new = node.deepcopy()
        new["reftarget"] = f"{PACKAGE}.{rest}"
        resolved = env.get_domain("py").resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], new["reftarget"], new, contnode
        )
    if resolved is None and node.get("tm_api"):
        return contnode
    return resolved


_TYPED_SECTIONS = {
    "Parameters",
    "Other Parameters",
    "Attributes",
    "Returns",
    "Yields",
    "Receives",
    "Raises",
    "Warns",
}
_SECTION_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
# A word ending in "_" (numpy.bool_, numpy.str_) outside ``literals``.
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\\])\b([A-Za-z][\w.]*?[A-Za-z0-9])_(?![\w`])")


def escape_type_underscores(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Escape ``numpy.bool_`` in the type lines of numpydoc sections (before numpydoc runs).

    numpydoc copies a parameter's or return value's type into reStructuredText
    verbatim, where a trailing underscore makes a hyperlink reference
    ("Unknown target name: numpy.bool").  Only the unindented name/type lines
    of the typed sections are touched; descriptions and examples are not.
    """
    section = None
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and _SECTION_UNDERLINE.match(following):
            section = line.strip()
            continue
        if section not in _TYPED_SECTIONS or not line.strip() or line[:1].isspace():
            continue
        if _SECTION_UNDERLINE.match(line):
            continue
        parts = line.split("``")
        parts[::2] = [_TRAILING_UNDERSCORE.sub(r"\1\\_", part) for part in parts[::2]]
        lines[index] = "``".join(parts)


_ENUM_REPR = re.compile(r"<(\w+(?:\.\w+)+): [^<>]*>")
# A set default (``frozenset({...})`` or ``{...}`` without ``:``), sorted for a stable page.
_SORTED_SET = re.compile(r"((?:frozenset\()?\{)([^{}:]*)\}")


def _sorted_set(match: re.Match[str]) -> str:
    return match.group(1) + ", ".join(sorted(match.group(2).split(", "))) + "}"


def attrs_signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str, str | None] | None:
    """Readable defaults: ``PriceClass.III`` for ``<PriceClass.III: 3>``; attrs factories as calls.

    An enum member's repr (``<VisitStep.ASK: 'ask'>``) is not Python and
    confuses the signature parser; attrs shows a factory default as
    ``NOTHING``, which is shown as ``frozenset()`` (the factory called) here.
    """
    if not signature:
        return None
    signature = _ENUM_REPR.sub(r"\1", signature)
    signature = _SORTED_SET.sub(_sorted_set, signature)
    if what not in {"class", "exception"} or not attrs.has(obj):
        return signature, return_annotation
    for field in attrs.fields(obj):
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            factory = field.default.factory  # type: ignore[union-attr]
            shown = f"{getattr(factory, '__name__', 'factory')}()"
            signature = re.sub(
                rf"\b{re.escape(field.alias or field.name)}=NOTHING\b",
                f"{field.alias or field.name}={shown}",
                signature,
            )
    return signature, return_annotation


def _remember_targets(app: Sphinx) -> None:
    _TARGETS.clear()
    _TARGETS.update(public_targets())


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.autodoc")
    app.setup_extension("sphinx.ext.autosummary")
    app.connect("builder-inited", generate, priority=400)
    app.connect("builder-inited", _remember_targets, priority=401)
    app.connect("autodoc-process-signature", attrs_signature)
    app.connect("autodoc-process-docstring", escape_type_underscores, priority=400)
    app.connect("missing-reference", resolve_public)
    app.add_role("api", ApiRole())
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
