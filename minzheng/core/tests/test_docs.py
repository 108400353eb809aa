"""The project documents itself: no code or document cites a file outside the
repository (the old REFERENCE.md / ../shared notes), and the README's links
to the repository's own docs resolve."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUTSIDE = re.compile(r"REFERENCE\.md|\.\./shared/|ARCHITECTURE\.md")  # the old notes outside the repository


def test_no_file_cites_documents_outside_the_repository():
    cited = []
    for folder in ("policy", "minzheng", "docs", "config"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".yaml", ".html", ".json", ".csv", ".txt"):
                cited += [f"{path.relative_to(ROOT)}:{n}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                          if OUTSIDE.search(line) and path != Path(__file__)]
    cited += [f"README.md:{n}" for n, line in enumerate((ROOT / "README.md").read_text(encoding="utf-8").splitlines(), 1)
              if OUTSIDE.search(line)]
    assert cited == []


def test_readme_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("docs/architecture.md", "docs/policy-sources.md", "policy/README.md"):
        assert target in readme and (ROOT / target).exists(), target
