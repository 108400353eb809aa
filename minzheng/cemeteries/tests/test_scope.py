"""Who sees which cemetery: district roles all, a street its own, others none (ADR 0025)."""

from __future__ import annotations

import pytest
from django.http import Http404

from minzheng.cemeteries.selectors import cemeteries, cemetery_get
from minzheng.core.permissions import NotPermitted


def test_district_roles_see_every_cemetery(users, cemetery_user, sites):
    for user in (users["bureau"], users["auditor"], cemetery_user):
        assert set(cemeteries(user)) == set(sites.values())


def test_street_sees_its_own_and_404_for_another_street(users, sites):
    assert list(cemeteries(users["street"])) == [sites["commercial"]]
    assert cemetery_get(users["street"], sites["commercial"].pk) == sites["commercial"]
    with pytest.raises(Http404):
        cemetery_get(users["street"], sites["public"].pk)
    with pytest.raises(Http404):
        cemetery_get(users["bureau"], 987654)


def test_committee_and_advisor_may_not_view(users, sites):
    for name in ("committee", "advisor"):
        with pytest.raises(NotPermitted):
            cemeteries(users[name])


def test_every_audit_action_of_the_app_has_a_chinese_label():
    import re
    from pathlib import Path

    from minzheng.core.audit_labels import ACTION_LABELS

    app = Path(__file__).resolve().parents[1]
    written = {a for path in app.glob("*.py") for a in re.findall(r'"(cemetery\.[a-z_]+)"', path.read_text())}
    assert len(written) > 15
    assert sorted(written - set(ACTION_LABELS)) == []
