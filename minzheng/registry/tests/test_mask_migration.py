"""Migration 0008 rewrites the stored masked ID copies to the new rule (first
6 and last 1 kept, ADR 0002) without decrypting anything, on both databases."""

from __future__ import annotations

import datetime as dt

from minzheng.core.personal_data import mask_id_number

KIND = "街道"  # the kind is not what this test is about
BEFORE = [("registry", "0007_person_search_indexes")]
AFTER = [("registry", "0008_id_number_masked_first_six_last_one")]
OLD_COPIES = {  # the number → its copy under the former rule (first 6, last 4)
    "310117198005171234": "310117********1234",
    "31011719800517123X": "310117********123X",
    "310117800517123": "310117*****7123",  # 15 characters
    "3101171980": "3101171980",  # 10 characters: the former rule hid nothing
    "310117198": "*********",  # under 10: all stars then and now
}


def test_old_masked_copies_are_rewritten_in_place(migration_executor):
    executor = migration_executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Division = old.get_model("core", "Division")
    district = Division.objects.get_or_create(code="310117", defaults={"name": "松江区", "level": "district", "kind": KIND})[0]
    street = Division.objects.get_or_create(code="310117001", defaults={"name": "岳阳街道", "level": "street", "kind": KIND,
                                                                          "parent": district})[0]
    committee = Division.objects.get_or_create(code="310117001001", defaults={
        "name": "谷阳居委会", "level": "committee", "kind": KIND, "parent": street})[0]
    Person = old.get_model("registry", "Person")
    ids = {}
    for i, (number, copy) in enumerate(OLD_COPIES.items()):
        ids[number] = Person.objects.create(
            name="甲", id_number_index=f"i{i}", id_number_masked=copy, birth_date=dt.date(1980, 5, 17), sex="M",
            street_id=street.code, committee_id=committee.code, name_pinyin="jia", name_initials="j",
            id_number_enc="x").pk
    already_new = Person.objects.create(
        name="乙", id_number_index="new", id_number_masked=mask_id_number("310117199001011234"),
        birth_date=dt.date(1990, 1, 1), sex="F", street_id=street.code, committee_id=committee.code,
        name_pinyin="yi", name_initials="y", id_number_enc="x").pk

    executor = migration_executor()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("registry", "Person")
    stored = dict(new.objects.values_list("pk", "id_number_masked"))
    for number, pk in ids.items():
        assert stored[pk] == mask_id_number(number), number
    assert stored[already_new] == "310117***********4"

    executor = migration_executor()
    executor.migrate(BEFORE)  # going back changes nothing: the hidden digits stay hidden
    assert old.get_model("registry", "Person").objects.get(pk=ids["310117198005171234"]).id_number_masked == (
        "310117***********4")
