"""The one validation of a person's facts, shared by the batch import
(``minzheng.registry.importing``) and the services (``person_create``,
``disability_certificate_add``), so both refuse the same input with the same
Chinese message.

Values may come typed (a service call: ``hukou_shanghai=True``, amounts in
integer fen, ``employment="employed"``) or as the text of an import cell
(``"是"``, amounts in yuan such as ``"4200.50"``, ``"在职"``). Each problem is
``(column, message)``, the column named as in the import template; the import
reports it as ``第N行【列】原因`` and the services raise
``ValidationError`` with ``列：原因`` (``problems_error``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from minzheng.core.models import Division, DivisionLevel
from minzheng.registry.id_numbers import InvalidIdNumber, parse_id_number
from minzheng.registry.models import DisabilityKind, Employment
from policy.money import FEN_PER_YUAN, MAX_YUAN, parse_yuan

Problem = tuple[str, str]  # (column, message)

REQUIRED_EMPTY = "必填项为空"
EMPLOYMENT_BY_LABEL = {label: value for value, label in Employment.choices}


@dataclass(frozen=True)
class PersonFacts:
    name: str
    id_number: str
    birth_date: dt.date
    sex: str
    phone: str
    hukou_shanghai: bool
    hukou_street_code: str | None
    committee: Division
    employment: str
    monthly_income_fen: int
    pension_fen: int


@dataclass(frozen=True)
class DisabilityFacts:
    grade: int
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None


def person_validate(
    *,
    name: str,
    id_number: str,
    committee_code: str,
    phone: str = "",
    hukou_shanghai: bool | str = True,
    hukou_street_code: str | None = None,
    employment: str = "",
    monthly_income: int | str = 0,
    pension: int | str = 0,
    committees: Mapping[str, Division] | None = None,
    streets: Container[str] | None = None,
) -> tuple[PersonFacts | None, list[Problem]]:
    """Check one person's facts; the facts when there is no problem.

    ``committees`` and ``streets`` are lookups the import loads once per
    file; without them each code is looked up in the database.
    """
    problems: list[Problem] = []
    name = name.strip()
    if not name:
        problems.append(("姓名", REQUIRED_EMPTY))
    facts = None
    if not id_number.strip():
        problems.append(("身份证号码", REQUIRED_EMPTY))
    else:
        try:
            facts = parse_id_number(id_number)
        except InvalidIdNumber as err:
            problems.append(("身份证号码", str(err)))
    hukou: bool | None = hukou_shanghai if isinstance(hukou_shanghai, bool) else None
    if isinstance(hukou_shanghai, str):
        if not hukou_shanghai:
            problems.append(("本市户籍", REQUIRED_EMPTY))
        elif hukou_shanghai not in ("是", "否"):
            problems.append(("本市户籍", "应填“是”或“否”"))
        else:
            hukou = hukou_shanghai == "是"
    hukou_street_code = hukou_street_code or None
    if hukou_street_code and not _street_exists(hukou_street_code, streets):
        problems.append(("户籍街镇代码", f"街镇代码 {hukou_street_code} 不存在"))
    committee = None
    if not committee_code:
        problems.append(("居住居村委代码", REQUIRED_EMPTY))
    else:
        committee = _committee(committee_code, committees)
        if committee is None:
            problems.append(("居住居村委代码", f"居村委代码 {committee_code} 不存在"))
    employment_value = EMPLOYMENT_BY_LABEL.get(employment, employment) or Employment.NOT_IN_LABOUR
    if employment_value not in Employment.values:
        problems.append(("就业状况", f"“{employment}”无效，应为：{'、'.join(EMPLOYMENT_BY_LABEL)}"))
    amounts = {}
    for column, value in (("月均收入（元）", monthly_income), ("月养老金（元）", pension)):
        try:
            amounts[column] = amount_fen(value)
        except ValueError as err:
            problems.append((column, str(err)))
    if problems or facts is None or committee is None or hukou is None:
        return None, problems
    return PersonFacts(
        name=name, id_number=facts.number, birth_date=facts.birth_date, sex=facts.sex, phone=phone.strip(),
        hukou_shanghai=hukou, hukou_street_code=hukou_street_code, committee=committee,
        employment=employment_value, monthly_income_fen=amounts["月均收入（元）"], pension_fen=amounts["月养老金（元）"],
    ), []


def disability_validate(
    *, grade: int | str, kind: str, valid_from: dt.date | str | None, valid_to: dt.date | str | None = None,
) -> tuple[DisabilityFacts | None, list[Problem]]:
    """Check a disability certificate: grade 1-4, one of the seven kinds, dates in order."""
    problems: list[Problem] = []
    if str(grade) not in ("1", "2", "3", "4"):
        problems.append(("残疾等级", "应为1至4级"))
    if kind not in DisabilityKind.values:
        problems.append(("残疾类别", f"“{kind}”无效，应为：{'、'.join(DisabilityKind.values)}"))
    dates: dict[str, dt.date | None] = {}
    for column, value in (("残疾证有效期起", valid_from), ("残疾证有效期止", valid_to)):
        try:
            dates[column] = date_value(value)
        except ValueError as err:
            problems.append((column, str(err)))
    start, end = dates.get("残疾证有效期起"), dates.get("残疾证有效期止")
    if "残疾证有效期起" in dates and start is None:
        problems.append(("残疾证有效期起", "填写残疾信息时必填"))
    if start and end and end < start:
        problems.append(("残疾证有效期止", "不能早于有效期起"))
    if problems or start is None:
        return None, problems
    return DisabilityFacts(grade=int(grade), kind=kind, valid_from=start, valid_to=end), []


def amount_fen(value: int | str) -> int:
    """An amount as integer fen (typed) or yuan text (an import cell; empty is 0)."""
    if isinstance(value, str):
        return parse_yuan(value, thousands=True) if value.strip() else 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("金额应为整数（分）")
    if value < 0:
        raise ValueError("金额不能为负数")
    if value > MAX_YUAN * FEN_PER_YUAN:
        raise ValueError(f"金额过大：不能超过 {MAX_YUAN:,} 元")
    return value


def date_value(value: dt.date | str | None) -> dt.date | None:
    """A date (typed) or ``YYYY-MM-DD`` / ``YYYY/MM/DD`` text; empty is None."""
    if value is None or isinstance(value, dt.date):
        return value
    if value == "":
        return None
    try:
        return dt.date.fromisoformat(value.replace("/", "-"))
    except ValueError as err:
        raise ValueError("日期格式应为 YYYY-MM-DD") from err


def problems_error(problems: list[Problem]) -> ValidationError:
    """The services' error: one ``列：原因`` message a problem."""
    return ValidationError([f"{column}：{message}" for column, message in problems])


def _committee(code: str, committees: Mapping[str, Division] | None) -> Division | None:
    if committees is not None:
        return committees.get(code)
    return Division.objects.filter(code=code, level=DivisionLevel.COMMITTEE).first()


def _street_exists(code: str, streets: Container[str] | None) -> bool:
    if streets is not None:
        return code in streets
    return Division.objects.filter(code=code, level=DivisionLevel.STREET).exists()
