"""The audit page reads as "who did what to which record", with the values of
coded fields in Chinese (labels registered by each app)."""

import pytest

from minzheng.registry.services import person_update


@pytest.mark.django_db
def test_the_audit_page_names_people_actions_and_changes(client, users, make_person):
    users["street"].full_name, users["street"].post = "李晓燕", "岳阳街道社区事务受理服务中心 社会救助专员"
    users["street"].save()
    person = make_person("赵四")
    person_update(actor=users["street"], person=person, employment="employed")
    client.force_login(users["bureau"])
    page = client.get("/core/audit/").content.decode()
    assert "李晓燕（岳阳街道社区事务受理服务中心 社会救助专员）" in page
    assert "修改人员信息" in page and f"人员 {person.pk}" in page and "就业状况：无业 → 在职" in page
    assert "person.update" not in page.split("<tbody")[1] and "{&#x27;" not in page
