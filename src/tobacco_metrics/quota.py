"""Quotas and supply (合理定量, 周限量, 打折投放): issue 3.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
