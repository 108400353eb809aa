"""One way to create a person: the import and the services refuse the same
bad input with the same Chinese messages (``person_validate``)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from conftest import make_id_number
from minzheng.registry import importing, services
from minzheng.registry.models import Person

BIRTH = dt.date(1960, 2, 3)


def _import_messages(users, row: dict[str, str]) -> set[str]:
    report = importing.registry_import(actor=users["bureau"], filename="one.csv", content=_csv_of(row))
    assert not report.committed
    return {f"{p.column}：{p.message}" for p in report.problems}


def _service_messages(call) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return set(caught.value.messages)


def _row(id_number: str, **cells: str) -> dict[str, str]:
    return {"户编号": "H1", "与户主关系": "本人", "姓名": "陈国强", "身份证号码": id_number, "本市户籍": "是",
            "居住居村委代码": "310117001001", "居住地址": "谷阳北路1号", **cells}


def _wrong_check_character(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


# (import cells, person_create arguments, the expected messages)
CASES = {
    "empty name": ({"姓名": ""}, {"name": " "}, {"姓名：必填项为空"}),
    "empty ID number": ({"身份证号码": ""}, {"id_number": ""}, {"身份证号码：必填项为空"}),
    "ID check character": ({"身份证号码": "wrong"}, {"id_number": "wrong"}, None),
    "ID birth date in the future": ({"身份证号码": "future"}, {"id_number": "future"}, None),
    "unknown committee": ({"居住居村委代码": "310117999999"}, {"committee_code": "310117999999"},
                          {"居住居村委代码：居村委代码 310117999999 不存在"}),
    "unknown hukou street": ({"户籍街镇代码": "310117999"}, {"hukou_street_code": "310117999"},
                             {"户籍街镇代码：街镇代码 310117999 不存在"}),
    "unknown employment": ({"就业状况": "打零工"}, {"employment": "打零工"},
                           {"就业状况：“打零工”无效，应为：在职、失业、退休、在校学生、学龄前儿童、无业"}),
    "negative income": ({"月均收入（元）": "-5"}, {"monthly_income_fen": -500}, {"月均收入（元）：金额不能为负数"}),
    "negative pension": ({"月养老金（元）": "-0.50"}, {"pension_fen": -50}, {"月养老金（元）：金额不能为负数"}),
    "several at once": ({"姓名": "", "月均收入（元）": "-1", "就业状况": "x"},
                        {"name": "", "monthly_income_fen": -100, "employment": "x"}, None),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_import_and_service_refuse_the_same_person_with_the_same_messages(users, case):
    cells, arguments, expected = CASES[case]
    number = make_id_number(BIRTH)
    special = {"wrong": _wrong_check_character(number),
               "future": make_id_number(dt.date.today() + dt.timedelta(days=400))}
    cells = {k: special.get(v, v) for k, v in cells.items()}
    arguments = {k: special.get(v, v) for k, v in arguments.items()}
    from_import = _import_messages(users, _row(number, **cells))
    from_service = _service_messages(lambda: services.person_create(
        actor=users["bureau"], **{"name": "陈国强", "id_number": number, "committee_code": "310117001001", **arguments}))
    assert from_import == from_service
    if expected is not None:
        assert from_service == expected
    assert Person.objects.count() == 0


DISABILITY_CASES = {
    "grade and kind": ({"残疾等级": "5", "残疾类别": "其他", "残疾证有效期起": "2020-01-01"},
                       {"grade": 5, "kind": "其他", "valid_from": dt.date(2020, 1, 1)},
                       {"残疾等级：应为1至4级", "残疾类别：“其他”无效，应为：视力、听力、言语、肢体、智力、精神、多重"}),
    "dates out of order": ({"残疾等级": "2", "残疾类别": "肢体", "残疾证有效期起": "2020-01-01", "残疾证有效期止": "2019-12-31"},
                           {"grade": 2, "kind": "肢体", "valid_from": dt.date(2020, 1, 1), "valid_to": dt.date(2019, 12, 31)},
                           {"残疾证有效期止：不能早于有效期起"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", DISABILITY_CASES)
def test_import_and_service_refuse_the_same_disability_certificate(users, make_person, case):
    cells, arguments, expected = DISABILITY_CASES[case]
    from_import = _import_messages(users, _row(make_id_number(BIRTH), **cells))
    person = make_person()
    from_service = _service_messages(lambda: services.disability_certificate_add(
        actor=users["bureau"], person=person, **arguments))
    assert from_import == from_service == expected


@pytest.mark.django_db
def test_the_same_person_is_accepted_by_both(users):
    number = make_id_number(BIRTH)
    person = services.person_create(actor=users["bureau"], name=" 陈国强 ", id_number=number,
                                    committee_code="310117001001", employment="employed", monthly_income_fen=650050)
    assert (person.name, person.employment, person.income_facts.get().earned_fen) == ("陈国强", "employed", 650050)
    report = importing.registry_import(actor=users["bureau"], filename="one.csv", content=_csv_of(
        _row(make_id_number(BIRTH), **{"就业状况": "在职", "月均收入（元）": "6,500.50"})))
    assert report.committed
    imported = Person.objects.exclude(pk=person.pk).get()
    assert (imported.employment, imported.income_facts.get().earned_fen) == ("employed", 650050)


def _csv_of(row: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=importing.HEADERS)
    writer.writeheader()
    writer.writerow({h: row.get(h, "") for h in importing.HEADERS})
    return out.getvalue().encode("utf-8-sig")
