"""The elderly-care dashboard (养老服务工作台): one page, one section per stream.

Each elderly-care app (facilities, institutions, supervision, caregivers,
meals, emergency calls and alerts, visits, adaptations, dementia screening)
registers a provider here from its ``AppConfig.ready``; the dashboard page
(this app's views) asks every provider the user may see and shows its figures
by street. The care_facilities app does not import the others: they come to it.

A provider answers for one user (its figures are scoped like every read) and
one day; it never writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from minzheng.core.models import User
from minzheng.core.permissions import can


@dataclass(frozen=True)
class StreetFigures:
    """One stream's figures: Chinese column headers and one row per street.

    ``rows`` maps a street code to its values in column order (numbers or short
    Chinese text; ``None`` shows as 「无数据」, never as 0). ``totals`` is the
    district row in the same order (``None`` where a total means nothing, e.g. a
    median). ``link`` is the URL name of the stream's own page."""

    title: str
    columns: list[str]
    rows: dict[str, list] = field(default_factory=dict)
    totals: list | None = None
    link: str | None = None
    note: str = ""


@dataclass(frozen=True)
class _Section:
    key: str
    order: int
    action: str
    provider: Callable[[User, dt.date], StreetFigures]


_sections: dict[str, _Section] = {}


def dashboard_section_register(key: str, *, order: int, action: str,
                               provider: Callable[[User, dt.date], StreetFigures]) -> None:
    """Register a stream's section (``key`` unique, e.g. ``"meals"``); shown to
    users who may take ``action`` (a code of the permission table), in ``order``."""
    _sections[key] = _Section(key, order, action, provider)


def dashboard_sections(user: User, today: dt.date) -> list[StreetFigures]:
    """Every section ``user`` may see, in order, computed for ``today``."""
    return [section.provider(user, today)
            for section in sorted(_sections.values(), key=lambda s: (s.order, s.key))
            if can(user, section.action)]
