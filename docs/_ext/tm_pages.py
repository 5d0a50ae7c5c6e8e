"""Sphinx extension: links to pages that other changes add.

The site grows with every issue: a tutorial, a formulas page or a top-level
page (``performance``, ``lost-sales``, …) lands with the module it documents.
The section pages list them ahead of time with:

- ``optional-toctree``: a ``toctree`` whose entries (names or ``:glob:``
  patterns) may match nothing yet; such an entry is skipped and logged
  (``-v`` shows it) instead of failing the ``-W`` build.  Everything else is
  the standard ``toctree``.
- the ``pageref`` role: ``{pageref}`Setting quotas <tutorials/setting-quotas>```
  links like ``{doc}`` when the page exists and renders the title as plain
  emphasised text when it does not (yet).

Both keep a typo from breaking anything, so every use is listed in the lead's
notes; a page that exists is always linked and checked like any other link.

It also makes matplotlib's ``plot`` directive work in MyST Markdown
(```` ```{plot} ```` fences): the directive writes reStructuredText back into
the parser's input, which MyST's state machine does not support; here that
reStructuredText is parsed on its own, as MyST does for ``{eval-rst}``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from docutils.utils import new_document
from matplotlib.sphinxext.plot_directive import PlotDirective as _MplPlotDirective
from matplotlib.sphinxext.plot_directive import run as _mpl_plot_run
from myst_parser.mocking import MockRSTParser, MockStateMachine
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.directives.other import TocTree, glob_re
from sphinx.util import docname_join, logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.matching import patfilter
from sphinx.util.nodes import explicit_title_re

LOGGER = logging.getLogger(__name__)


class OptionalTocTree(TocTree):
    """A toctree that skips entries matching no document (yet)."""

    def run(self) -> list[nodes.Node]:
        self.env.note_reread()  # re-read on every build: pages may have appeared
        current = self.env.docname
        unclaimed = set(self.env.found_docs) - {current}
        kept: list[str] = []
        sources: list[tuple[str, int]] = []
        for offset, entry in enumerate(self.content):
            text = entry.strip()
            explicit = explicit_title_re.match(text)
            target = explicit.group(2) if explicit else text
            if "glob" in self.options and glob_re.match(target) and not explicit:
                matches = set(patfilter(unclaimed, docname_join(current, target)))
            else:
                docname = docname_join(current, target)
                matches = {docname} if text and docname in unclaimed else set()
            if matches or not text:
                unclaimed -= matches  # a later glob does not list these again
                kept.append(entry)
                sources.append(self.content.items[offset])
            else:
                LOGGER.info("[tm_pages] %s: no page matches %r yet; skipped", current, text)
        self.content = StringList(kept, items=sources)
        return super().run()


class PageRef(SphinxRole):
    """``{pageref}`title <page>```: a document link if the page exists, else plain text."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        explicit = explicit_title_re.match(self.text)
        title, target = (
            (explicit.group(1), explicit.group(2)) if explicit else (self.text, self.text)
        )
        self.env.note_reread()  # re-read on every build: the page may have appeared
        docname = docname_join(self.env.docname, target)
        if docname not in self.env.found_docs:
            LOGGER.info("[tm_pages] %s: page %r not written yet", self.env.docname, target)
            return [nodes.emphasis(self.rawtext, title)], []
        ref = addnodes.pending_xref(
            self.rawtext,
            refdomain="std",
            reftype="doc",
            reftarget="/" + docname,
            refexplicit=bool(explicit),
            refwarn=True,
            refdoc=self.env.docname,
        )
        ref += nodes.inline(self.rawtext, title, classes=["xref", "std", "std-doc"])
        return [ref], []


class _CollectingStateMachine:
    """MyST's state machine, plus the ``insert_input`` the plot directive calls."""

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped
        self.lines: list[str] = []

    def insert_input(self, lines: list[str], source: str) -> None:
        self.lines.extend(lines)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)


class PlotDirective(_MplPlotDirective):
    """matplotlib's ``plot`` directive, usable from MyST Markdown as well as from rST."""

    def run(self) -> list[nodes.Node]:
        if not isinstance(self.state_machine, MockStateMachine):
            return super().run()  # reStructuredText (or {eval-rst}): unchanged
        collector = _CollectingStateMachine(self.state_machine)
        try:
            messages = _mpl_plot_run(
                self.arguments, self.content, self.options, collector, self.state, self.lineno
            )
        except Exception as error:
            raise self.error(str(error)) from error
        document = self.state.document
        rst = new_document(document["source"], document.settings)
        rst.reporter = document.reporter
        MockRSTParser().parse("\n".join(collector.lines), rst)
        return [*messages, *rst.children]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("matplotlib.sphinxext.plot_directive")
    app.add_directive("plot", PlotDirective, override=True)
    app.add_directive("optional-toctree", OptionalTocTree)
    app.add_role("pageref", PageRef())
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
