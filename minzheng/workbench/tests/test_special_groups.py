"""特殊群体工作台: the sections the apps register on the board, by street, for
the roles that may see it; a section's figures come from its provider, scoped
to the user (the provider gets the user), and 「无数据」 is never shown as 0."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minzheng.core.street_dashboards import StreetFigures, section_register, section_unregister
from minzheng.core.tests.web import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    seen = []

    def provider(user, today):
        seen.append(user.username)
        return StreetFigures(title="测试：困境儿童", columns=["人数", "其中散居孤儿"],
                             rows={"310117001": [12, None]}, totals=[12, None])

    section_register("special_groups", "test", order=1, action="special_groups.dashboard", provider=provider)
    yield seen
    section_unregister("special_groups", "test")


def test_the_board_shows_each_registered_section_by_street(users, section):
    page = logged_in(users["street"]).get(reverse("special_groups"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "测试：困境儿童" in text and "岳阳街道" in text and "无数据" in text and "<td>12</td>" in text
    assert section == ["street"]  # the provider answered for the signed-in user
    assert logged_in(users["auditor"]).get(reverse("special_groups")).status_code == 200


def test_roles_outside_the_special_groups_work_get_403(users, section):
    from minzheng.core.models import Role
    from minzheng.core.services import user_create

    registrar = user_create(actor="test", username="reg", password="pass-12345", role=Role.REGISTRAR,
                            scope_code="310117")
    assert logged_in(registrar).get(reverse("special_groups")).status_code == 403
    assert section == []


def test_the_apps_of_issue_17_fill_the_board(users):
    text = logged_in(users["bureau"]).get(reverse("special_groups")).content.decode()
    for title in ("困境儿童（截至", "残疾人服务", "流浪乞讨人员救助（"):
        assert title in text, title
    assert "散居孤儿" in text and "有效残疾人证" in text and "护送返乡" in text
