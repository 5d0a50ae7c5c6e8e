"""Visits and the customer manager's standards (拜访): issue 5.

Work in progress: this module exports nothing yet.
"""

from __future__ import annotations

__all__: list[str] = []
