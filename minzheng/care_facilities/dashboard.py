"""The elderly-care dashboard (养老服务工作台): the board ``"eldercare"`` of
``core.street_dashboards``, one section per stream.

Each elderly-care app (facilities, institutions, supervision, caregivers,
meals, emergency calls and alerts, visits, adaptations, dementia screening)
registers a provider here from its ``AppConfig.ready``; the dashboard page
(this app's views) shows every section the user may see, by street.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from minzheng.core.models import User
from minzheng.core.street_dashboards import StreetFigures, board_sections, section_register

BOARD = "eldercare"

__all__ = ["BOARD", "StreetFigures", "dashboard_section_register", "dashboard_sections"]


def dashboard_section_register(key: str, *, order: int, action: str,
                               provider: Callable[[User, dt.date], StreetFigures]) -> None:
    """Register an elderly-care stream's section (``key`` unique, e.g. ``"meals"``)."""
    section_register(BOARD, key, order=order, action=action, provider=provider)


def dashboard_sections(user: User, today: dt.date) -> list[StreetFigures]:
    """Every elderly-care section ``user`` may see, in order, computed for ``today``."""
    return board_sections(BOARD, user, today)
