"""Hypothesis entry point: registers the domain classes for ``st.from_type``.

Hypothesis calls :func:`_register` when it is imported in an environment
where tobacco_metrics is installed (entry-point group ``hypothesis``).
"""

from __future__ import annotations


def _register() -> None:
    import tobacco_metrics.strategies  # noqa: F401  (importing registers the strategies)
