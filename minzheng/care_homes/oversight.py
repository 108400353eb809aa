"""The 云监管 page's columns that other apps fill (ADR 0029).

The supervision app (检查发现, 整改) knows the open findings and overdue
rectifications of each institution; care_homes does not import it. Instead it
registers a provider here from its ``AppConfig.ready``::

    oversight_columns_register("未关闭的检查发现", provider, order=10)

``provider(user, facility_ids)`` answers ``{facility_id: count or None}`` for
the institutions the page shows (already scoped to ``user``); a missing key or
``None`` shows 「无数据」, never 0. While no provider is registered, the page
shows :data:`EXPECTED` as columns with 「无数据」 in every row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from minzheng.core.models import User

Provider = Callable[[User, list[int]], dict[int, int | None]]

# the columns the issue asks of 云监管 before any provider answers (issue 15)
EXPECTED = ("未关闭的检查发现", "逾期未整改")


@dataclass(frozen=True)
class _Column:
    label: str
    order: int
    provider: Provider


_columns: dict[str, _Column] = {}


def oversight_columns_register(label: str, provider: Provider, *, order: int = 100) -> None:
    """Register (or replace) the column headed ``label`` (Chinese)."""
    _columns[label] = _Column(label, order, provider)


def oversight_columns_unregister(label: str) -> None:
    """Remove a column (tests)."""
    _columns.pop(label, None)


def oversight_columns(user: User, facility_ids: Iterable[int]) -> list[tuple[str, dict[int, int | None]]]:
    """Each column's label and its values by facility; the expected columns
    with no values while no provider is registered."""
    ids = list(facility_ids)
    if not _columns:
        return [(label, {}) for label in EXPECTED]
    return [(c.label, c.provider(user, ids) or {}) for c in sorted(_columns.values(), key=lambda c: (c.order, c.label))]
