"""What the monitor run looks for, and its deadlines — our assumptions,
configurable through settings (``MINZHENG_MONITOR_*``); see ADR 0007.

None of these numbers is in the policy documents cited in policy/parameters: the edge margin, the
advisors' deadlines and the quiet period are working rules of this platform,
to be confirmed by the bureau.
"""

from __future__ import annotations

from django.conf import settings

from policy import PROGRAMS

# Which programs each step covers comes from the program definitions
# (``policy.programs.base.Program``), in ``PROGRAMS`` order.
# Programs people apply for: an eligible non-recipient becomes a lead (政策找人).
LEAD_PROGRAMS = tuple(p.id for p in PROGRAMS.values() if p.finds_leads)
# No-application programs (免申即享): enrolled from the data, with a notice.
AUTO_PROGRAMS = tuple(p.id for p in PROGRAMS.values() if p.automatic)
HOUSEHOLD_PROGRAMS = tuple(p.id for p in PROGRAMS.values() if p.level == "household")


def edge_margin_pct() -> int:
    """Per-capita income up to this many percent above a line puts a household on the edge list."""
    return int(getattr(settings, "MINZHENG_MONITOR_EDGE_MARGIN_PCT", 10))


def lead_days() -> int:
    """Working days an advisor has to act on a lead (first visit or outcome)."""
    return int(getattr(settings, "MINZHENG_MONITOR_LEAD_DAYS", 10))


def task_days(kind: str) -> int:
    """Working days to follow up a risk signal; a death of an earner is the most urgent."""
    return 3 if kind == "earner_death" else int(getattr(settings, "MINZHENG_MONITOR_TASK_DAYS", 5))


def exit_days() -> int:
    """Working days for the street to check an exit review."""
    return int(getattr(settings, "MINZHENG_MONITOR_EXIT_DAYS", 10))


def quiet_months() -> int:
    """After a lead is closed, the same program and target raise no new lead for this many months."""
    return int(getattr(settings, "MINZHENG_MONITOR_QUIET_MONTHS", 6))


def risk_lookback_months() -> int:
    """Risk events dated up to this many months before the run's month still open a task."""
    return int(getattr(settings, "MINZHENG_MONITOR_RISK_LOOKBACK_MONTHS", 3))
