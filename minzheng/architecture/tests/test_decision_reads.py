"""A run's decisions are read only through ``eligibility.selectors.run_decisions``
/ ``run_decisions_sql`` (ADR 0019): a run stored as differences from its base
has only its changed rows under its own id, so a direct query of the decision
table would silently miss the rest. This scan finds any module (tests and
migrations aside) that reaches the table itself outside the few that own its
layout."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the minzheng package
# the modules that own the layout: the read port, the writer, and the partition manager
OWNERS = {"eligibility/selectors.py", "eligibility/services.py", "eligibility/partitions.py"}
DIRECT = re.compile(r"\bDecision\.objects\b|\bDecision\._meta\.db_table\b|\beligibility_decision\b")


def _offenders(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if ("/tests/" in f"/{relative}" or "/migrations/" in relative or path.name.startswith("test_")
                or relative in OWNERS):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if DIRECT.search(line) and not line.lstrip().startswith(("#", '"', "'")):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_only_the_owners_of_the_layout_query_the_decision_table():
    assert _offenders(ROOT) == []


def test_the_scan_finds_a_direct_read(tmp_path):
    (tmp_path / "monitoring").mkdir()
    (tmp_path / "monitoring" / "leads.py").write_text(
        "rows = Decision.objects.filter(run=run)\n", encoding="utf-8")
    (tmp_path / "eligibility").mkdir()
    (tmp_path / "eligibility" / "selectors.py").write_text("Decision.objects.all()\n", encoding="utf-8")
    assert _offenders(tmp_path) == ["monitoring/leads.py:1: rows = Decision.objects.filter(run=run)"]
