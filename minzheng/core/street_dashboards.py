"""Dashboards of figures by street, filled by the apps (a port, ADR 0009).

A dashboard (a *board*: ``"eldercare"`` — 养老服务工作台 —, ``"special_groups"``
— 特殊群体工作台 —) is one page with one section per stream of work. Each app
registers a provider for its section from its ``AppConfig.ready``; the page
asks every provider the user may see and shows its figures by street. The
page's app does not import the others: they come to it.

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
class Section:
    board: str
    key: str
    order: int
    action: str
    provider: Callable[[User, dt.date], StreetFigures]


_sections: dict[tuple[str, str], Section] = {}


def section_register(board: str, key: str, *, order: int, action: str,
                     provider: Callable[[User, dt.date], StreetFigures]) -> None:
    """Register a stream's section on ``board`` (``key`` unique on the board,
    e.g. ``"meals"``); shown to users who may take ``action`` (a code of the
    permission table), in ``order``."""
    _sections[(board, key)] = Section(board, key, order, action, provider)


def section_unregister(board: str, key: str) -> None:
    """Remove a section (tests that register one of their own)."""
    _sections.pop((board, key), None)


def board_sections(board: str, user: User, today: dt.date) -> list[StreetFigures]:
    """Every section of ``board`` that ``user`` may see, in order, computed for ``today``."""
    return [section.provider(user, today)
            for section in sorted((s for s in _sections.values() if s.board == board), key=lambda s: (s.order, s.key))
            if can(user, section.action)]


def board_tables(board: str, user: User, today: dt.date) -> list[tuple[StreetFigures, list[tuple[str, list]]]]:
    """``board_sections`` with each section's rows as (street name, values) in
    street-code order — what the page's ``c-street-section`` component shows."""
    from minzheng.core.models import Division, DivisionLevel

    streets = dict(Division.objects.filter(level=DivisionLevel.STREET).values_list("code", "name"))
    return [(section, [(streets.get(code, code), values) for code, values in sorted(section.rows.items())])
            for section in board_sections(board, user, today)]
