"""The rules of 流浪乞讨人员救助 (ADR 0038): a repeat rescue matched by ID number,
an unidentified person later identified (merge, undo), bounds, campaigns and shifts,
scope and roles, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.core.scope import OutOfScope
from minzheng.homeless_rescue import selectors, services
from minzheng.homeless_rescue.models import Identity, Outcome, Rescue, RescuedPerson
from minzheng.homeless_rescue.tests.conftest import at

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _rescue(users, kinds, *, days_ago=1, hour=9, street="310117001", actor="street", **person):
    if not person:
        person = {"description": "男性，约50岁，灰色棉衣，左手有疤"}
    return services.rescue_record(actor=users[actor], found_at=at(timezone.localdate() - dt.timedelta(days=days_ago),
                                                                  hour),
                                  street=street, place="人民北路地铁站出口", finder_kind=kinds["police"],
                                  needs="御寒衣物、热食", **person)


def test_a_repeat_rescue_is_matched_by_id_number(users, kinds, make_person):
    number = make_id_number(dt.date(1970, 3, 4))
    first = _rescue(users, kinds, days_ago=40, id_number=number, name="王建国")
    second = _rescue(users, kinds, days_ago=2, id_number=number.lower(), street="310117001")
    assert first.person_id == second.person_id
    assert RescuedPerson.objects.count() == 1
    person = first.person
    assert person.identity == Identity.IDENTIFIED and person.id_number_masked.endswith(number[-1])
    assert number not in person.id_number_enc and len(person.id_number_masked) == 18 and "*" in person.id_number_masked
    entry = AuditEntry.objects.filter(action="homeless_rescue.rescue_record").order_by("-id").first()
    assert entry.changes["matched_by_id_number"] is True and number not in str(entry.changes)
    # an ID number the district's registry holds links the registry person
    resident = make_person(name="李本地", birth=dt.date(1960, 1, 1))
    from minzheng.core.personal_data import decrypt
    rescue = _rescue(users, kinds, id_number=decrypt(resident.id_number_enc))
    assert rescue.person.registry_person_id == resident.pk and rescue.person.name == "李本地"
    # an invalid number is a Chinese refusal, nothing written
    with pytest.raises(ValidationError, match="身份证号码"):
        _rescue(users, kinds, id_number="310117197003041235")
    assert Rescue.objects.count() == 3


def test_unidentified_needs_a_description(users, kinds):
    with pytest.raises(ValidationError, match="体貌特征"):
        _rescue(users, kinds, name="")


def test_unidentified_person_later_identified_is_merged_and_the_merge_undone(users, kinds):
    number = make_id_number(dt.date(1965, 8, 9))
    unknown = _rescue(users, kinds, days_ago=60).person
    again = services.rescue_record(actor=users["street"], found_at=at(timezone.localdate() - dt.timedelta(days=30)),
                                   street="310117001", place="松江南站", finder_kind=kinds["patrol"], needs="住宿",
                                   person=unknown)
    services.photo_attach(actor=users["street"], person=unknown, name="a.png", content=PNG)
    known = _rescue(users, kinds, days_ago=3, id_number=number, name="赵志刚").person
    assert again.person_id == unknown.pk and unknown.pk != known.pk
    # identifying the old record with a number another record holds: refused, merge instead
    with pytest.raises(ValidationError, match="合并"):
        services.person_identify(actor=users["street"], person=unknown, id_number=number)
    merge = services.person_merge(actor=users["street"], keep=unknown, duplicate=known, reason="照片比对并经本人确认")
    unknown.refresh_from_db()
    known.refresh_from_db()
    assert unknown.identity == Identity.IDENTIFIED and unknown.name == "赵志刚" and unknown.rescues.count() == 3
    assert known.merged_into_id == unknown.pk and known.rescues.count() == 0 and known.id_number_index == ""
    assert "灰色棉衣" in unknown.description
    # the number now finds the record kept
    assert _rescue(users, kinds, days_ago=1, id_number=number).person_id == unknown.pk
    assert selectors.persons_visible(users["street"]).count() == 1  # the merged record is hidden from lists
    entry = AuditEntry.objects.get(action="homeless_rescue.person_merge")
    assert entry.changes["rescues_moved"] == 1 and entry.changes["identity_taken"] is True
    # the latest merge is undone only after later ones; then everything goes back
    with pytest.raises(ValidationError, match="撤销原因"):
        services.person_unmerge(actor=users["street"], merge=merge, reason=" ")
    services.person_unmerge(actor=users["street"], merge=merge, reason="比对有误")
    unknown.refresh_from_db()
    known.refresh_from_db()
    assert unknown.identity == Identity.PENDING and unknown.id_number_index == "" and unknown.name == ""
    assert known.identity == Identity.IDENTIFIED and known.merged_into_id is None
    assert known.rescues.count() == 1 and unknown.rescues.count() == 3  # the rescue recorded after the merge stays
    assert unknown.photos.count() == 1 and unknown.description.startswith("男性")
    with pytest.raises(ValidationError, match="已撤销"):
        services.person_unmerge(actor=users["street"], merge=merge, reason="再次")
    assert AuditEntry.objects.filter(action="homeless_rescue.person_unmerge").count() == 1


def test_merge_refusals(users, kinds):
    a = _rescue(users, kinds, id_number=make_id_number(dt.date(1970, 1, 1))).person
    b = _rescue(users, kinds, id_number=make_id_number(dt.date(1971, 1, 1))).person
    with pytest.raises(ValidationError, match="不是同一人"):
        services.person_merge(actor=users["bureau"], keep=a, duplicate=b, reason="x")
    with pytest.raises(ValidationError, match="自身"):
        services.person_merge(actor=users["bureau"], keep=a, duplicate=a, reason="x")
    theirs = _rescue(users, kinds, street="310117102", actor="other_street").person
    with pytest.raises(OutOfScope):
        services.person_merge(actor=users["street"], keep=a, duplicate=theirs, reason="x")
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=users["auditor"], keep=a, duplicate=theirs, reason="x")


@pytest.mark.parametrize(("lat", "lon", "message"), [
    (31.03, None, "同时"), (121.22, 31.03, "纬度"), (31.03, 12.1, "经度"), (float("nan"), 121.2, "有效"),
    ("1e999", 121.2, "纬度"), ("abc", 121.2, "有效"),
])
def test_coordinates_are_bounded(users, kinds, lat, lon, message):
    with pytest.raises(ValidationError, match=message):
        _rescue(users, kinds, latitude=lat, longitude=lon, description="x")


def test_coordinates_inside_shanghai_are_kept(users, kinds):
    rescue = _rescue(users, kinds, latitude=31.0323, longitude=121.2277, description="x")
    assert str(rescue.latitude) == "31.03230"


def test_dates_and_quantities_are_bounded(users, kinds):
    with pytest.raises(ValidationError, match="晚于现在"):
        _rescue(users, kinds, days_ago=-2)
    with pytest.raises(ValidationError, match="过早"):
        services.rescue_record(actor=users["street"], found_at=at(dt.date(1999, 1, 1)), street="310117001",
                               place="x", finder_kind=kinds["police"], needs="x", description="x")
    rescue = _rescue(users, kinds, days_ago=5)
    with pytest.raises(ValidationError, match="1至90份"):
        services.service_give(actor=users["street"], rescue=rescue, kind=kinds["food"], quantity=10**6,
                              given_on=timezone.localdate())
    with pytest.raises(ValidationError, match="早于发现日期"):
        services.service_give(actor=users["street"], rescue=rescue, kind=kinds["food"], quantity=2,
                              given_on=timezone.localdate() - dt.timedelta(days=9))
    services.service_give(actor=users["street"], rescue=rescue, kind=kinds["shelter"], quantity=3,
                          given_on=timezone.localdate() - dt.timedelta(days=4))
    with pytest.raises(ValidationError, match="去向"):
        services.outcome_record(actor=users["street"], rescue=rescue, outcome=Outcome.RETURNED_HOME,
                                on=timezone.localdate())
    with pytest.raises(ValidationError, match="救助结果"):
        services.outcome_record(actor=users["street"], rescue=rescue, outcome=Outcome.IN_CARE, on=timezone.localdate())
    services.service_give(actor=users["street"], rescue=rescue, kind=kinds["ticket"], quantity=1,
                          given_on=timezone.localdate())
    services.outcome_record(actor=users["street"], rescue=rescue, outcome=Outcome.RETURNED_HOME,
                            on=timezone.localdate(), note="护送至安徽省阜阳市，家属接回")
    services.follow_up_record(actor=users["street"], rescue=rescue, on=timezone.localdate(), note="电话回访，已到家")
    rescue.refresh_from_db()
    assert rescue.outcome == Outcome.RETURNED_HOME and rescue.follow_ups.count() == 1


def test_a_rescue_during_a_cold_campaign_is_linked_to_it_and_its_shift(users, kinds, cold_campaign):
    campaign, shift = cold_campaign["campaign"], cold_campaign["shift"]
    during = _rescue(users, kinds, days_ago=3, hour=21)
    assert during.campaign_id == campaign.pk and during.shift_id == shift.pk
    other_street = _rescue(users, kinds, days_ago=3, hour=21, street="310117102", actor="other_street")
    assert other_street.campaign_id == campaign.pk and other_street.shift_id is None
    before = _rescue(users, kinds, days_ago=20)
    assert before.campaign_id is None
    with pytest.raises(ValidationError, match="发现人数不能少于"):
        services.shift_report(actor=users["street"], shift=shift, people_met=0, people_refused=0)
    services.shift_report(actor=users["street"], shift=shift, people_met=4, people_refused=2)
    with pytest.raises(ValidationError, match="0至10000"):
        services.shift_report(actor=users["street"], shift=shift, people_met=10**9, people_refused=0)
    with pytest.raises(OutOfScope):
        services.shift_report(actor=users["other_street"], shift=shift, people_met=4, people_refused=0)
    figures = selectors.year_figures(users["bureau"], timezone.localdate().year)
    row = next(c for c in figures.campaigns if c.campaign.pk == campaign.pk)
    if (timezone.localdate() - dt.timedelta(days=20)).year == timezone.localdate().year:
        assert (row.shifts, row.people_met, row.people_refused, row.rescues) == (1, 4, 2, 2)


def test_campaign_rules(users, kinds, cold_campaign):
    heat = services.warning_record(actor=users["bureau"], kind="heat", level="orange",
                                   issued_at=at(timezone.localdate() - dt.timedelta(days=1), 11), issuer="上海中心气象台")
    with pytest.raises(ValidationError, match="不能由高温预警触发"):
        services.campaign_create(actor=users["bureau"], name="x", kind="cold", warning=heat,
                                 starts_on=timezone.localdate())
    with pytest.raises(ValidationError, match="过早"):
        services.campaign_create(actor=users["bureau"], name="x", kind="heat", warning=heat,
                                 starts_on=timezone.localdate() - dt.timedelta(days=5))
    with pytest.raises(PermissionDenied):
        services.warning_record(actor=users["street"], kind="heat", level="red", issued_at=timezone.now(), issuer="x")
    with pytest.raises(ValidationError, match="24小时"):
        services.shift_create(actor=users["street"], campaign=cold_campaign["campaign"], street="310117001",
                              starts_at=at(timezone.localdate(), 8), ends_at=at(timezone.localdate() + dt.timedelta(days=2)),
                              team="x")
    with pytest.raises(OutOfScope):
        services.shift_create(actor=users["street"], campaign=cold_campaign["campaign"], street="310117102",
                              starts_at=at(timezone.localdate(), 8), ends_at=at(timezone.localdate(), 10), team="x")


def test_scope_and_roles(users, kinds):
    ours = _rescue(users, kinds)
    assert selectors.rescue_get(users["bureau"], ours.pk) == ours
    with pytest.raises(OutOfScope):
        selectors.rescue_get(users["other_street"], ours.pk)
    with pytest.raises(OutOfScope):
        selectors.person_get(users["other_street"], ours.person_id)
    for role in ("committee", "advisor"):
        with pytest.raises(PermissionDenied):
            selectors.rescues_visible(users[role])
    with pytest.raises(PermissionDenied):
        _rescue(users, kinds, actor="auditor")
    with pytest.raises(OutOfScope):
        _rescue(users, kinds, street="310117102")
    # a person rescued again in another town is seen there too, with the history
    services.rescue_record(actor=users["other_street"], found_at=timezone.now() - dt.timedelta(hours=1),
                           street="310117102",
                           place="泗泾镇", finder_kind=kinds["police"], needs="x", person=ours.person)
    assert selectors.person_get(users["other_street"], ours.person_id).rescues.count() == 2


def test_photos_are_checked_and_sealed(users, kinds, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = _rescue(users, kinds).person
    with pytest.raises(ValidationError, match="PNG或JPEG"):
        services.photo_attach(actor=users["street"], person=person, name="x.gif", content=b"GIF89a....")
    with pytest.raises(ValidationError, match="5MB"):
        services.photo_attach(actor=users["street"], person=person, name="x.png", content=PNG + b"0" * 5 * 1024 * 1024)
    photo = services.photo_attach(actor=users["street"], person=person, name="x.png", content=PNG)
    assert PNG not in photo.file.open("rb").read()
    from minzheng.homeless_rescue.photos import photo_bytes
    assert photo_bytes(photo).getvalue() == PNG
