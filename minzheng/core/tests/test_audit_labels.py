"""The audit page reads as "who did what to which record"; every action the
code writes has a Chinese label (a new action without one fails here)."""

from __future__ import annotations

import re
from pathlib import Path

from minzheng.core.audit_labels import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
TRANSITIONS = ("apply", "accept", "reject", "verify", "visit", "street_review", "post_notice", "approve", "decide",
               "enrol", "withdraw")


def test_every_action_written_by_the_code_has_a_label():
    written = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "audit_record" not in text:
            continue
        written |= set(re.findall(r'action="([a-z_.]+)"', text)) - {"store_true"}
    written = {a for a in written if "." in a} | {f"application.{t}" for t in TRANSITIONS}
    assert sorted(written - set(ACTION_LABELS)) == []
