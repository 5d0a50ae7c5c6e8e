"""Sphinx extension: matplotlib's ``plot`` directive in MyST Markdown.

It makes matplotlib's ``plot`` directive work in MyST Markdown
(```` ```{plot} ```` fences): the directive writes reStructuredText back into
the parser's input, which MyST's state machine does not support; here that
reStructuredText is parsed on its own, as MyST does for ``{eval-rst}``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.utils import new_document
from matplotlib.sphinxext.plot_directive import PlotDirective as _MplPlotDirective
from matplotlib.sphinxext.plot_directive import run as _mpl_plot_run
from myst_parser.mocking import MockRSTParser, MockStateMachine
from sphinx.application import Sphinx


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
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
