"""Registry endpoints: person search and detail, household detail. Scoped."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from minzheng.core.api import (
    STAFF_AUTH,
    ApiRefusal,
    Limit,
    Offset,
    PickPage,
    call_service,
    path_id,
    responses,
)
from minzheng.core.permissions import require
from minzheng.registry import selectors, services
from minzheng.registry.models import Household, Person
from policy.money import format_fen

router = Router(tags=["人口库"])


class PersonOut(Schema):
    id: int
    name: str
    id_number: str
    birth_date: dt.date
    sex: str
    hukou_shanghai: bool
    street: str
    committee: str
    committee_code: str
    alive: bool
    death_date: dt.date | None
    employment: str


class DisabilityOut(Schema):
    grade: int
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None


class PersonDetailOut(PersonOut):
    household_id: int | None
    relation: str | None
    disabilities: list[DisabilityOut]
    monthly_income_yuan: str | None  # income in force today (earned + other); None: nothing known
    pension_yuan: str | None
    income_valid_from: dt.date | None
    income_origin: str | None  # Chinese label of where the figure came from


class MemberOut(Schema):
    person_id: int
    name: str
    id_number: str
    relation: str
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str


class HouseholdOut(Schema):
    id: int
    street: str
    committee: str
    committee_code: str
    address: str
    members: list[MemberOut]
    history: list[MemberOut]


class PersonPage(Schema):
    count: int = Field(description="符合条件的人数，最多数到 1000（超过时为 1000，count_exact 为 false，即“超过 1000 人”）")
    count_exact: bool = Field(description="count 是否为确切人数")
    results: list[PersonOut]


def _person_out(p: Person) -> dict:
    return {
        "id": p.pk, "name": p.name, "id_number": p.id_number_masked, "birth_date": p.birth_date,
        "sex": p.get_sex_display(), "hukou_shanghai": p.hukou_shanghai, "street": p.street.name,
        "committee": p.committee.name, "committee_code": p.committee_id, "alive": p.alive,
        "death_date": p.death_date, "employment": p.get_employment_display(),
    }


def _member_out(m) -> dict:
    return {
        "person_id": m.person_id, "name": m.person.name, "id_number": m.person.id_number_masked,
        "relation": m.relation, "start_date": m.start_date, "end_date": m.end_date, "end_reason": m.end_reason,
    }


@router.get("/persons", response=responses(PersonPage), summary="按姓名、拼音或身份证号查询人员",
            operation_id="registry_person_search")
def persons(request: HttpRequest, q: str = Query("", max_length=200,
                                                description="姓名、拼音、身份证号前6至14位或完整的18位身份证号"),
            limit: Limit = 50, offset: Offset = 0) -> dict:
    if problem := selectors.person_search_problem(q):
        raise ApiRefusal(422, problem, [{"field": "q", "message": problem}])
    qs = selectors.person_search(request.user, q)
    count, exact = selectors.bounded_count(qs)
    return {"count": count, "count_exact": exact, "results": [_person_out(p) for p in qs[offset : offset + limit]]}


@router.get("/persons/{person_id}", response=responses(PersonDetailOut), summary="人员详情",
            operation_id="registry_person_detail")
def person(request: HttpRequest, person_id: int = path_id("人员编号")) -> dict:
    try:
        p = selectors.person_get(request.user, person_id)
    except Person.DoesNotExist as err:
        raise HttpError(404, "未找到该人员") from err
    membership = selectors.person_current_membership(p)
    income = selectors.income_in_force(p, dt.date.today())
    return {
        **_person_out(p),
        "household_id": membership.household_id if membership else None,
        "relation": membership.relation if membership else None,
        "disabilities": list(selectors.person_disabilities(p).values("grade", "kind", "valid_from", "valid_to")),
        "monthly_income_yuan": format_fen(income.earned_fen + income.other_fen) if income else None,
        "pension_yuan": format_fen(income.pension_fen) if income else None,
        "income_valid_from": income.valid_from if income else None,
        "income_origin": income.get_origin_display() if income else None,
    }


@router.get("/households/{household_id}", response=responses(HouseholdOut), summary="家庭详情（成员及变动历史）",
            operation_id="registry_household_detail")
def household(request: HttpRequest, household_id: int = path_id("家庭编号")) -> dict:
    try:
        h = selectors.household_get(request.user, household_id)
    except Household.DoesNotExist as err:
        raise HttpError(404, "未找到该家庭") from err
    return {
        "id": h.pk, "street": h.street.name, "committee": h.committee.name, "committee_code": h.committee_id,
        "address": h.address,
        "members": [_member_out(m) for m in selectors.household_members(h)],
        "history": [_member_out(m) for m in selectors.household_history(h)],
    }


class RevealOut(Schema):
    id: int
    id_number: str


@router.post("/persons/{person_id}/reveal-id-number", response=responses(RevealOut),
             summary="查看完整身份证号码（居村委、街镇、区民政局；每次查看留痕）",
             operation_id="registry_person_reveal_id_number")
def person_reveal(request: HttpRequest, person_id: int = path_id("人员编号")) -> dict:
    require(request.user, "registry.reveal_id_number")
    p = call_service(lambda: selectors.person_get(request.user, person_id))
    number = call_service(lambda: services.person_reveal_id_number(actor=request.user, person=p, purpose="接口查看"))
    return {"id": p.pk, "id_number": number}


@router.get("/pick/persons", auth=STAFF_AUTH, response=responses(PickPage),
            summary="选择人员（姓名、全拼、首字母或完整身份证号，限本人辖区）", operation_id="registry_pick_persons")
def pick_persons(request: HttpRequest, q: str = Query("", max_length=200, description="姓名、拼音或身份证号")) -> dict:
    require(request.user, "registry.view")
    rows = list(selectors.person_search(request.user, q[:40])[:20]) if q.strip() else []
    return {"results": [
        {"value": str(p.pk), "label": p.name, "detail": f"{p.id_number_masked} · {p.committee.name}"} for p in rows
    ]}


@router.get("/pick/households", auth=STAFF_AUTH, response=responses(PickPage),
            summary="选择家庭（按任一在册成员的姓名、拼音或身份证号，限本人辖区）", operation_id="registry_pick_households")
def pick_households(request: HttpRequest, q: str = Query("", max_length=200, description="成员姓名、拼音或身份证号")) -> dict:
    require(request.user, "registry.view")
    results = []
    for h in selectors.household_search(request.user, q[:40]):
        heads = selectors.household_heads(h)
        head = heads[0].person if heads else None
        label = f"{head.name}家" if head else "无在册户主的家庭"
        detail = " · ".join(x for x in (head.id_number_masked if head else "", h.committee.name, h.address,
                                        f"{h.member_count}人") if x)
        results.append({"value": str(h.pk), "label": label, "detail": detail})
    return {"results": results}
