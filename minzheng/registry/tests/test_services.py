import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from conftest import make_id_number
from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import decrypt
from minzheng.core.scope import OutOfScope
from minzheng.registry import selectors, services
from minzheng.registry.models import HouseholdMembership, Person


@pytest.mark.django_db
def test_person_is_stored_encrypted_and_masked(users):
    number = make_id_number(dt.date(1980, 5, 17))
    person = services.person_create(actor=users["bureau"], name="张小明", id_number=number,
                                    committee_code="310117001001", phone="13812345678")
    stored = Person.objects.get(pk=person.pk)
    assert number not in stored.id_number_enc
    assert decrypt(stored.id_number_enc) == number
    assert stored.id_number_masked == number[:6] + "***********" + number[-1:]
    assert stored.birth_date == dt.date(1980, 5, 17)
    assert (stored.name_pinyin, stored.name_initials) == ("zhangxiaoming", "zxm")
    assert stored.street_id == "310117001"
    entry = AuditEntry.objects.filter(action="person.create").last()
    assert number not in str(entry.changes)
    assert "13812345678" not in str(entry.changes)


@pytest.mark.django_db
def test_second_record_with_same_number_is_refused(users):
    number = make_id_number(dt.date(1970, 1, 2))
    first = services.person_create(actor=users["bureau"], name="李梅", id_number=number, committee_code="310117001001")
    with pytest.raises(ValidationError) as err:
        services.person_create(actor=users["bureau"], name="李玫", id_number=number.lower(), committee_code="310117001002")
    assert "已登记为“李梅”" in err.value.messages[0]
    assert f"人员编号 {first.pk}" in err.value.messages[0]
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_database_refuses_duplicate_blind_index_even_bypassing_services(make_person):
    person = make_person()
    clone = Person.objects.get(pk=person.pk)
    clone.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


@pytest.mark.django_db
def test_person_belongs_to_one_household_at_a_time(users, make_person):
    head_a, head_b, child = make_person("王大"), make_person("赵二"), make_person("王小", dt.date(2010, 1, 1))
    a = services.household_create(actor=users["bureau"], head=head_a, address="谷阳路1号")
    b = services.household_create(actor=users["bureau"], head=head_b, address="谷阳路2号")
    services.household_add_member(actor=users["bureau"], household=a, person=child, relation="子女")
    with pytest.raises(ValidationError, match="只能属于一个共同生活家庭"):
        services.household_add_member(actor=users["bureau"], household=b, person=child, relation="子女")
    # moving between households keeps the old membership as history
    services.household_remove_member(actor=users["bureau"], household=a, person=child, reason="随母迁出")
    services.household_add_member(actor=users["bureau"], household=b, person=child, relation="子女")
    history = list(selectors.person_household_history(child))
    assert len(history) == 2
    assert {m.household_id for m in history} == {a.pk, b.pk}
    assert [m.end_reason for m in selectors.household_history(a)] == ["随母迁出"]


@pytest.mark.django_db
def test_database_refuses_two_current_memberships(users, make_person):
    head_a, head_b = make_person("王大"), make_person("赵二")
    services.household_create(actor=users["bureau"], head=head_a, address="谷阳路1号")
    b = services.household_create(actor=users["bureau"], head=head_b, address="谷阳路2号")
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMembership.objects.create(household=b, person=head_a, relation="其他", start_date=dt.date.today())


@pytest.mark.django_db
def test_head_cannot_leave_while_others_stay(users, make_person):
    head, spouse = make_person("王大"), make_person("刘芳", male=False)
    h = services.household_create(actor=users["bureau"], head=head, address="谷阳路1号")
    services.household_add_member(actor=users["bureau"], household=h, person=spouse, relation="配偶")
    with pytest.raises(ValidationError, match="户主不能"):
        services.household_remove_member(actor=users["bureau"], household=h, person=head)


@pytest.mark.django_db
def test_move_is_kept_as_history_and_members_follow(users, make_person):
    head = make_person("王大")
    h = services.household_create(actor=users["bureau"], head=head, address="谷阳路1号")
    services.household_move(actor=users["bureau"], household=h, to_committee_code="310117102201",
                            to_address="张泾村3组", reason="购房迁居")
    h.refresh_from_db()
    head.refresh_from_db()
    assert (h.committee_id, h.street_id, head.committee_id) == ("310117102201", "310117102", "310117102201")
    move = h.moves.get()
    assert (move.from_committee_id, move.from_address) == ("310117001001", "谷阳路1号")


@pytest.mark.django_db
def test_death_ends_membership(users, make_person):
    head, spouse = make_person("王大"), make_person("刘芳", male=False)
    h = services.household_create(actor=users["bureau"], head=head, address="谷阳路1号")
    services.household_add_member(actor=users["bureau"], household=h, person=spouse, relation="配偶")
    services.person_record_death(actor=users["bureau"], person=spouse, death_date=dt.date(2025, 3, 1))
    assert [m.person_id for m in selectors.household_members(h)] == [head.pk]
    assert selectors.household_history(h).get().end_reason == "死亡"
    with pytest.raises(ValidationError, match="已于"):
        services.person_record_death(actor=users["bureau"], person=spouse, death_date=dt.date(2025, 3, 1))


@pytest.mark.django_db
def test_auditor_cannot_write(users, make_person):
    person = make_person()
    with pytest.raises(PermissionDenied):
        services.person_update(actor=users["auditor"], person=person, employment="employed")
    with pytest.raises(PermissionDenied):
        services.person_create(actor=users["auditor"], name="甲", id_number=make_id_number(dt.date(1990, 1, 1)),
                               committee_code="310117001001")


@pytest.mark.django_db
def test_writes_outside_scope_are_refused(users, make_person):
    outside = make_person("钱多", committee="310117102201")
    with pytest.raises(OutOfScope):
        services.person_update(actor=users["street"], person=outside, employment="employed")
    with pytest.raises(OutOfScope):
        services.person_create(actor=users["committee"], name="孙甲", id_number=make_id_number(dt.date(1990, 1, 1)),
                               committee_code="310117001002")


@pytest.mark.django_db
def test_update_audits_old_and_new_values(users, make_person):
    person = make_person()
    services.person_update(actor=users["street"], person=person, employment="employed", youfu=True)
    entry = AuditEntry.objects.filter(action="person.update").get()
    assert entry.changes["employment"] == ["inactive", "employed"]
    assert entry.changes["youfu"] == [False, True]
    assert entry.actor == "street"


@pytest.mark.django_db
def test_reveal_is_audited_and_role_limited(users, make_person):
    person = make_person()
    number = services.person_reveal_id_number(actor=users["street"], person=person)
    assert len(number) == 18
    assert AuditEntry.objects.filter(action="person.reveal_id_number", actor="street").count() == 1
    with pytest.raises(PermissionDenied, match="查看完整身份证号码"):
        services.person_reveal_id_number(actor=users["auditor"], person=person)


@pytest.mark.django_db
def test_duplicate_candidates_and_merge(users, make_person):
    keep = make_person("周明", dt.date(1966, 6, 6))
    dup = make_person("周明", dt.date(1966, 6, 6), committee="310117001002")
    services.disability_certificate_add(actor=users["bureau"], person=dup, grade=2, kind="肢体",
                                        valid_from=dt.date(2020, 1, 1))
    groups = selectors.duplicate_candidates(users["street"])
    assert [[p.pk for p in g] for g in groups] == [[keep.pk, dup.pk]]
    services.person_merge(actor=users["street"], keep=keep, duplicate=dup)
    assert selectors.duplicate_candidates(users["street"]) == []
    assert keep.disabilities.count() == 1
    assert not selectors.person_search(users["bureau"]).filter(pk=dup.pk).exists()


@pytest.mark.django_db
def test_disability_certificate_validation(users, make_person):
    person = make_person()
    with pytest.raises(ValidationError, match="类别"):
        services.disability_certificate_add(actor=users["bureau"], person=person, grade=2, kind="其他",
                                            valid_from=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="1至4级"):
        services.disability_certificate_add(actor=users["bureau"], person=person, grade=5, kind="肢体",
                                            valid_from=dt.date(2020, 1, 1))
    services.disability_certificate_add(actor=users["bureau"], person=person, grade=1, kind="视力",
                                        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2030, 1, 1))
    assert selectors.person_valid_disability(person, dt.date(2025, 1, 1)).grade == 1
    assert selectors.person_valid_disability(person, dt.date(2031, 1, 1)) is None


@pytest.mark.django_db
def test_search_by_name_pinyin_initials_and_id(users, make_person):
    target = make_person("张小明")
    make_person("李四")
    bureau = users["bureau"]
    assert list(selectors.person_search(bureau, "张小")) == [target]  # 1–2 characters: the start of the name
    assert list(selectors.person_search(bureau, "小明")) == []
    assert list(selectors.person_search(bureau, "张小明")) == [target]
    assert list(selectors.person_search(bureau, "zxm")) == [target]
    assert list(selectors.person_search(bureau, "zhangxiao")) == [target]
    assert list(selectors.person_search(bureau, "Zhang Xiao Ming")) == [target]
    number = services.person_reveal_id_number(actor=bureau, person=target)
    assert list(selectors.person_search(bureau, number)) == [target]


@pytest.mark.django_db
def test_merging_needs_matching_evidence_or_a_documented_reason(users, make_person):
    keep = make_person("周明", dt.date(1966, 6, 6))
    stranger = make_person("李华", dt.date(1980, 1, 2), committee="310117001002")
    with pytest.raises(ValidationError, match="姓名或出生日期不一致"):
        services.person_merge(actor=users["street"], keep=keep, duplicate=stranger)
    with pytest.raises(ValidationError, match="合并依据"):
        services.person_merge(actor=users["street"], keep=keep, duplicate=stranger, reason="同一人")
    assert stranger.__class__.objects.get(pk=stranger.pk).merged_into_id is None
    services.person_merge(actor=users["street"], keep=keep, duplicate=stranger,
                          reason="户籍民警出具证明：李华系周明曾用名，出生日期登记有误")
    stranger.refresh_from_db()
    assert stranger.merged_into_id == keep.pk


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["advisor", "committee", "auditor"])
def test_only_bureau_and_street_staff_merge(users, make_person, role):
    keep = make_person("周明", dt.date(1966, 6, 6))
    dup = make_person("周明", dt.date(1966, 6, 6))
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=users[role], keep=keep, duplicate=dup)


@pytest.mark.django_db
def test_advisors_do_not_write_to_the_registry(users, make_person):
    from minzheng.core.permissions import can

    assert not any(can(users["advisor"], a) for a in ("registry.write", "registry.import", "registry.merge"))
    person = make_person("周明", dt.date(1966, 6, 6))
    with pytest.raises(PermissionDenied):
        services.household_create(actor=users["advisor"], head=person, address="谷阳路9号")


@pytest.mark.django_db
def test_a_merge_is_undone_with_memberships_certificates_and_both_states_audited(users, make_person):
    from minzheng.core.models import AuditEntry
    from minzheng.registry.models import HouseholdMembership, PersonMerge

    keep = make_person("周明", dt.date(1966, 6, 6))
    dup = make_person("周明", dt.date(1966, 6, 6), committee="310117001002")
    household = services.household_create(actor=users["bureau"], head=dup, address="乐都路5号")
    services.disability_certificate_add(actor=users["bureau"], person=dup, grade=2, kind="肢体",
                                        valid_from=dt.date(2020, 1, 1))
    services.person_merge(actor=users["street"], keep=keep, duplicate=dup)
    entry = AuditEntry.objects.filter(action="person.merge").last()
    assert entry.changes["before"]["duplicate"]["household"] == household.pk
    assert entry.changes["before"]["keep"]["name"] == "周明" and "*" in entry.changes["before"]["duplicate"]["id_number"]
    assert keep.disabilities.count() == 1
    assert not HouseholdMembership.objects.filter(person=dup, end_date__isnull=True).exists()
    # when the merge turns out wrong
    with pytest.raises(ValidationError, match="撤销原因"):
        services.person_unmerge(actor=users["street"], merge=PersonMerge.objects.get(), reason=" ")
    services.person_unmerge(actor=users["street"], merge=PersonMerge.objects.get(), reason="核实为两个人")
    dup.refresh_from_db()
    assert dup.merged_into_id is None and dup.disabilities.count() == 1 and keep.disabilities.count() == 0
    assert HouseholdMembership.objects.get(person=dup, end_date__isnull=True).household == household
    assert selectors.person_search(users["bureau"]).filter(pk=dup.pk).exists()
    assert AuditEntry.objects.filter(action="person.unmerge").count() == 1
    with pytest.raises(ValidationError, match="已撤销"):
        services.person_unmerge(actor=users["street"], merge=PersonMerge.objects.get(), reason="再次")
