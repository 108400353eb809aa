"""The worlds of ``test_refusals_everywhere`` and ``test_refusals_everywhere_domains``: one small district
(built once per test module, rolled back at its end) and, per app, a few
objects built through the app's own services — one inside 岳阳街道 (the
``street``/``committee`` users' jurisdiction) and, where the app has
per-object data, one inside 泗泾镇 (``other_street``'s).

Each builder takes the :class:`World` and returns the ids the calls name
(``{"dc_ours": 12, …}``); ids are prefixed with a short app tag so that the
builders cannot collide (``assistance``, the first module's world, keeps its
short names: ``head``, ``household`` …). Objects are built as each app's own
tests build them: through the services, and where those tests create a
register row directly (a facility, a cemetery, a sensor reading), the same way.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from minzheng.core.models import Role, User
from minzheng.core.services import committee_create, division_load_tree, user_create
from minzheng.registry import services as registry

D = dt.date
SINCE = D(2020, 1, 1)
YUEYANG, SIJING = "310117001", "310117102"
GUYANG, LEDU, ZHANGJING = "310117001001", "310117001002", "310117102201"
PASSWORD = "pass-12345"


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, object] = field(default_factory=dict)

    def person(self, name: str, birth: D, committee: str = GUYANG, male: bool = True, **extra):
        from conftest import make_id_number

        return registry.person_create(actor=self.users["bureau"], name=name,
                                      id_number=make_id_number(birth, male=male), committee_code=committee, **extra)

    def household(self, head, address: str):
        return registry.household_create(actor=self.users["bureau"], head=head, address=address, start_date=SINCE)

    def user(self, username: str, role: str, scope: str) -> User:
        self.users[username] = user_create(actor="test", username=username, password=PASSWORD, role=role,
                                           scope_code=scope)
        return self.users[username]


def district_and_users() -> World:
    """The project conftest's district and its six assistance accounts."""
    division_load_tree(actor="test")
    from minzheng.core.models import Division

    yueyang, sijing = Division.objects.get(code=YUEYANG), Division.objects.get(code=SIJING)
    committee_create(actor="test", street=yueyang, code=GUYANG, name="谷阳居委会", village=False)
    committee_create(actor="test", street=yueyang, code=LEDU, name="乐都居委会", village=False)
    committee_create(actor="test", street=sijing, code=ZHANGJING, name="张泾村委会", village=True)
    world = World(users={})
    for name, role, scope in (("bureau", Role.BUREAU, "310117"), ("street", Role.STREET, YUEYANG),
                              ("other_street", Role.STREET, SIJING), ("committee", Role.COMMITTEE, GUYANG),
                              ("advisor", Role.ADVISOR, YUEYANG), ("auditor", Role.AUDITOR, "310117")):
        world.user(name, role, scope)
    return world


def today() -> D:
    return timezone.localdate()


# --- the apps' worlds ------------------------------------------------------------------------

def dementia_care(w: World) -> dict:
    """An AD8 screening of an elder of 谷阳居委会 and one of 张泾村委会."""
    from minzheng.dementia_care import services
    from minzheng.dementia_care.models import ScreeningTool

    ad8 = ScreeningTool.objects.get(code="ad8")
    out = {}
    for key, committee in (("ours", GUYANG), ("theirs", ZHANGJING)):
        person = w.person(f"筛查{key}", D(1950, 1, 1), committee)
        out[f"dc_{key}"] = services.screening_record(
            actor=w.users["bureau"], person=person, tool=ad8, score=3, screened_on=today(), screener="医生",
            risk_level="high").pk
        out[f"dc_person_{key}"] = person.pk
    return out


def charity(w: World) -> dict:
    """A charity supermarket in 谷阳居委会 and one in 张泾村委会, each with a donation of rice."""
    from minzheng.charity import services

    out = {}
    for key, street, committee in (("ours", YUEYANG, GUYANG), ("theirs", SIJING, ZHANGJING)):
        market = services.supermarket_register(actor=w.users["bureau"], name=f"{key}慈善超市", operator="社区服务中心",
                                               street_code=street, committee_code=committee, address="某路1号",
                                               opened_on=SINCE)
        donation = services.donation_record(actor=w.users["bureau"], supermarket=market, kind="goods",
                                            donor_kind="organisation", donor_name="爱心粮油店",
                                            received_on=today(), receipt_no=f"JZ-{key}",
                                            lines=[services.GoodsLine("大米", 20, "袋")])
        out[f"ch_market_{key}"], out[f"ch_donation_{key}"] = market.pk, donation.pk
    return out


def children(w: World) -> dict:
    """A boy of 谷阳居委会 and one of 张泾村委会 on the register of children in difficulty."""
    from minzheng.children import services
    from minzheng.children.models import Category

    poor = Category.objects.get(code="poor")
    out = {}
    for key, committee in (("ours", GUYANG), ("theirs", ZHANGJING)):
        boy = w.person(f"儿童{key}", D(2015, 6, 1), committee, employment="student")
        w.household(boy, f"{key}路1号")
        out[f"cd_{key}"] = services.child_register(actor=w.users["bureau"], person=boy, category=poor,
                                                   started_on=today(), evidence_kind="enrolment",
                                                   evidence="低保").pk
    out["cd_year"] = services.campaign_open(actor=w.users["bureau"], year=today().year, started_on=today(),
                                            due_on=today()).year
    return out




def eldercare_homes(w: World) -> dict:
    """Two 养老院 (谷阳居委会, 张泾村委会) as the facilities' register keeps them,
    each with its operator's account (``carehome``, ``carehome2``), a caregiver
    and, in the first, a room and a resident."""
    from conftest import make_id_number
    from minzheng.care_facilities.models import (
        Facility,
        FacilityKind,
        FacilityStaff,
        FacilityStatus,
    )
    from minzheng.care_homes import services as care_homes
    from minzheng.caregivers import services as caregivers
    from minzheng.core.models import Division

    out = {}
    for key, username, street, committee in (("a", "carehome", YUEYANG, GUYANG),
                                             ("b", "carehome2", SIJING, ZHANGJING)):
        home = Facility.objects.create(  # as the facilities' tests do: the register's services are tested there
            name=f"测试{key}养老院", kind=FacilityKind.CARE_HOME, street_id=street,
            committee=Division.objects.get(code=committee), status=FacilityStatus.OPERATING, beds=4,
            operating_since=SINCE)
        FacilityStaff.objects.create(user=w.user(username, Role.CARE_OPERATOR, "310117"), facility=home)
        out[f"home_{key}"] = home.pk
        out[f"carer_{key}"] = caregivers.caregiver_create(
            actor=w.users["bureau"], name=f"护理员{key}", id_number=make_id_number(D(1975, 3, 3)), employer=home).pk
    room = care_homes.room_create(actor=w.users["carehome"], facility=Facility.objects.get(pk=out["home_a"]),
                                  number="101", beds=2)
    out["resident_a"] = care_homes.resident_admit(
        actor=w.users["carehome"], facility=room.facility, name="王阿婆",
        id_number=make_id_number(D(1938, 3, 2), male=False), admitted_on=today() - dt.timedelta(days=30),
        bed=room.beds.first()).pk
    return out


def cemeteries(w: World) -> dict:
    """A cemetery in 岳阳街道 and one in 泗泾镇, and the cemeteries' staff account."""
    from minzheng.cemeteries.models import Cemetery, CemeteryKind

    w.user("cemetery", Role.CEMETERY, "310117")
    out = {}
    for key, street in (("a", YUEYANG), ("b", SIJING)):
        out[f"cem_{key}"] = Cemetery.objects.create(  # as the cemeteries' tests do
            name=f"测试{key}公墓", kind=CemeteryKind.PUBLIC_CEMETERY, street_id=street, operator="镇人民政府",
            licence_number=f"测试批准文号{key}").pk
    return out


def elder_alerts(w: World) -> dict:
    """A gas alarm at an elder's home in 谷阳居委会 and one in 张泾村委会, each an open task after the scan."""
    from minzheng.elder_alerts import services
    from minzheng.elder_alerts.models import AlertTask, SensorKind, SensorReading

    services.rules_seed_missing()
    alarm_at = timezone.make_aware(dt.datetime.combine(today() - dt.timedelta(days=3), dt.time(9)))
    elders = {}
    for key, committee in (("ours", GUYANG), ("theirs", ZHANGJING)):
        elders[key] = w.person(f"燃气{key}", D(1940, 3, 8), committee, male=False)
        device = services.sensor_device_create(actor=w.users["bureau"], person=elders[key],
                                               kind=SensorKind.GAS_ALARM, number=f"GA-{key}",
                                               installed_on=today() - dt.timedelta(days=30))
        SensorReading.objects.create(device=device, at=alarm_at, alarm=True)  # as the feed job stores it
    services.alerts_scan(actor="test", until=alarm_at + dt.timedelta(minutes=5))
    return {f"alert_task_{key}": AlertTask.objects.get(alert__person=p).pk for key, p in elders.items()}


def hardship_visits(w: World) -> dict:
    """An elder of 85 living alone in 谷阳居委会 and one in 张泾村委会 on the visiting list."""
    from minzheng.hardship_visits import services
    from minzheng.hardship_visits.models import VisitTarget

    for key, committee in (("ours", GUYANG), ("theirs", ZHANGJING)):
        elder = w.person(f"独居{key}", D(today().year - 85, 3, 1), committee)
        w.household(elder, f"{key}独居老人家")
    services.targets_refresh(actor=w.users["bureau"], today=today() - dt.timedelta(days=10))
    return {"visit_target_ours": VisitTarget.objects.get(street_id=YUEYANG).pk,
            "visit_target_theirs": VisitTarget.objects.get(street_id=SIJING).pk}


def homeless_rescue(w: World) -> dict:
    """A rescue recorded by 岳阳街道 two days ago."""
    from minzheng.homeless_rescue import services
    from minzheng.homeless_rescue.models import FinderKind

    found = timezone.make_aware(dt.datetime.combine(today() - dt.timedelta(days=2), dt.time(9)))
    rescue = services.rescue_record(actor=w.users["street"], found_at=found, street=YUEYANG, place="岳阳街道人民广场",
                                    finder_kind=FinderKind.objects.get(code="police"), needs="热食",
                                    description="女性，约60岁，红色外套")
    return {"rescue": rescue.pk}


def home_adaptations(w: World) -> dict:
    """An application for home adaptation in 谷阳居委会 and one in 张泾村委会."""
    from minzheng.home_adaptations import services

    out = {}
    for key, committee in (("ours", GUYANG), ("theirs", ZHANGJING)):
        elder = w.person(f"适老{key}", D(1944, 1, 1), committee)
        out[f"adapt_{key}"] = services.application_create(actor=w.users["bureau"], elder=elder,
                                                          address=f"{key}某路").pk
    return out


def disability_services(w: World) -> dict:
    """A wheelchair rented in 岳阳街道 by a disabled person of 谷阳居委会, and the subsidy application."""
    from minzheng.disability_services import services
    from minzheng.registry.services import disability_certificate_add

    point = services.point_create(actor=w.users["street"], name="岳阳辅具租赁点", street_code=YUEYANG,
                                  address="岳阳街道某路1号", operator="某康复辅具租赁公司", opened_on=D(2024, 1, 1))
    person = w.person("轮椅使用者", D(1960, 3, 1))
    disability_certificate_add(actor=w.users["bureau"], person=person, grade=1, kind="肢体", valid_from=SINCE,
                               valid_to=D(2030, 1, 1), number=f"SJ{person.pk:08d}")
    rental = services.rental_record(actor=w.users["street"], point=point, person=person,
                                    device_category="wheelchair", device_name="手动轮椅 A1", start_on=D(2024, 3, 20),
                                    end_on=D(2024, 5, 2), monthly_rent_fen=30000)
    application = services.application_create(actor=w.users["committee"], rental=rental, applicant_name="",
                                               applicant_relation="self")
    return {"aid_rental": rental.pk, "aid_application": application.pk}


def minors_protection(w: World) -> dict:
    """岳阳街道's protection station with the ``street`` user as its head (so
    assigned to every case reported there), the ``bureau`` user in the district
    office, and a case about a child of 谷阳居委会 reported by the ``committee`` user."""
    from minzheng.core.models import Division
    from minzheng.minors_protection import services
    from minzheng.minors_protection.models import ConcernKind, StaffPosition

    services.reference_seed_missing()
    bureau = w.users["bureau"]
    station = services.station_create(actor=bureau, street=Division.objects.get(code=YUEYANG),
                                      name="岳阳街道未成年人保护工作站")
    services.station_staff_add(actor=bureau, station=station, name="", position=StaffPosition.HEAD,
                               user=w.users["street"])
    services.office_member_add(actor=bureau, user=bureau)
    child = w.person("王小明", today().replace(day=1) - dt.timedelta(days=365 * 10))
    case = services.case_report(actor=w.users["committee"], child=child,
                                kinds=list(ConcernKind.objects.filter(code="guardianship")), urgency="high",
                                description="邻居反映孩子长期独自在家，无人照料", reporter_kind="public",
                                reporter_name="邻居")
    return {"minors_case": case.pk}


def supervision(w: World) -> dict:
    """A district-wide double-random plan drawn over the two 养老院 of
    :func:`eldercare_homes` (one inspector each, from a pool of four)."""
    from minzheng.supervision import services
    from minzheng.supervision.models import ChecklistVersion, InspectorKind

    bureau = w.users["bureau"]
    services.inspector_add(actor=bureau, name="陈检查", kind=InspectorKind.STAFF, user=bureau)
    services.inspector_add(actor=bureau, name="李检查", kind=InspectorKind.STAFF, user=w.users["street"])
    services.inspector_add(actor=bureau, name="王专家", kind=InspectorKind.EXPERT, organisation="某消防技术服务机构")
    services.inspector_add(actor=bureau, name="李专家", kind=InspectorKind.EXPERT, organisation="某会计师事务所")
    plan = services.plan_create(actor=bureau, name="养老机构双随机抽查", period_start=D(2024, 3, 1),
                                period_end=D(2024, 12, 31), institutions_to_draw=2, inspectors_per_institution=1,
                                checklist=ChecklistVersion.objects.get(version=1), street=None)
    plan = services.draw_record(actor=bureau, plan=plan, seed=3)
    by_home = {i.facility_id: i.pk for i in plan.inspections.all()}
    return {"sv_plan": plan.pk, "sv_inspection_a": by_home[w.ids["home_a"]],
            "sv_inspection_b": by_home[w.ids["home_b"]]}


def social_orgs(w: World) -> dict:
    """Two registered organizations, each with its own account (``org-a``,
    ``org-b``), and a change matter organization b applied for."""
    from stdnum.cn import uscc

    from minzheng.social_orgs import matters, services
    from minzheng.social_orgs.models import OrganizationAccount, OrgKind

    out = {}
    for key, kind, body in (("a", OrgKind.SERVICE_INSTITUTION, "52310117MJ0000001"),
                            ("b", OrgKind.SOCIAL_GROUP, "51310117MJ0000002")):
        org = services.organization_register(
            actor=w.users["bureau"], today=today(), name=f"松江区测试社会组织{key}", kind=kind,
            uscc=body + uscc.calc_check_digit(body), legal_rep_name="王建国", supervisor="松江区民政局",
            registered_capital_fen=300_000_00, address="松江区岳阳街道中山中路1号", business_scope="为老服务",
            registered_on=D(2019, 3, 12))
        OrganizationAccount.objects.create(user=w.user(f"org-{key}", Role.ORGANIZATION, "310117"), organization=org)
        out[f"so_{key}"] = org.pk
    out["so_matter_b"] = matters.matter_apply(actor=w.users["org-b"], kind="change", organization=org,
                                              applied_on=today(), today=today(),
                                              proposed={"address": "松江区泗泾镇某路2号"}).pk
    return out


def deaths(w: World) -> dict:
    """The family's report at 岳阳街道's window of the death of a resident of 谷阳居委会."""
    from conftest import make_id_number
    from minzheng.deaths import services

    number = make_id_number(D(1944, 2, 3))
    registry.person_create(actor=w.users["bureau"], name="陈国强", id_number=number, committee_code=GUYANG)
    record = services.death_report(actor=w.users["street"], source="family", id_number=number, name="陈国强",
                                   death_date=today() - dt.timedelta(days=3))
    return {"death": record.pk, "death_id_number": number}


def funeral(w: World) -> dict:
    """The district's funeral home, its clerk (``funeral``, district scope) and
    a funeral-home account scoped to 泗泾镇 (``funeral_sijing``: the district's
    home is not in its jurisdiction); one catalogue item and a window order."""
    from conftest import make_id_number
    from minzheng.funeral import services
    from minzheng.funeral.models import BasicService, Category, Channel, Relation, Unit

    clerk = w.user("funeral", Role.FUNERAL_HOME, "310117")
    w.user("funeral_sijing", Role.FUNERAL_HOME, SIJING)
    from minzheng.core.models import Division

    home = services.home_create(actor=w.users["bureau"], name="松江区殡仪馆", code="FH310117",
                                division=Division.objects.get(code="310117"))
    item = services.item_create(actor=clerk, home=home, category=Category.TRANSPORT, name="遗体接运", unit=Unit.TRIP,
                                price_fen=20000, effective_from=SINCE, basic=BasicService.TRANSPORT, hall_size="")
    order = services.order_create(
        actor=clerk, home=home, channel=Channel.WINDOW, ordered_on=None, hall_slot=None,
        deceased=services.DeceasedInput("王大明", make_id_number(D(1940, 2, 3)), today() - dt.timedelta(days=1)),
        contact=services.ContactInput("王小明", Relation.CHILD, "13812345678"), items=[(item, 1)])
    return {"fn_order": order.pk, "fn_item": item.pk}


def funeral_subsidies(w: World) -> dict:
    """The basic funeral-service subsidy granted (免申即享) on the recorded death of
    an entitled person (优抚对象) of 谷阳居委会."""
    from minzheng.funeral_subsidies.models import Grant
    from minzheng.registry.services import person_record_death

    person = w.person("赵老伯", D(1936, 5, 5), youfu=True)
    person_record_death(actor=w.users["bureau"], person=person, death_date=today() - dt.timedelta(days=20))
    return {"fs_grant": Grant.objects.get(person=person).pk, "fs_person": person.pk}


def marriage(w: World) -> dict:
    """A marriage registered by the district office's registrar, and a registrar
    of another district's office (青浦区, loaded as a second division tree)."""
    import json
    import tempfile
    from pathlib import Path

    from conftest import make_id_number
    from minzheng.marriage.services import PartyInput, marriage_register

    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "qingpu.json"
        tree.write_text(json.dumps({"district": {"code": "310118", "name": "青浦区", "kind": "区"},
                                    "streets": [{"code": "310118001", "name": "夏阳街道", "kind": "街道"}]}),
                        encoding="utf-8")
        division_load_tree(actor="test", path=tree)
    w.user("registrar_qingpu", Role.REGISTRAR, "310118")

    def party(name, birth, male):
        return PartyInput(name=name, id_number=make_id_number(birth, male=male), domicile_province="31",
                          signed_no_spouse=True, signed_no_kinship=True)

    registration = marriage_register(actor=w.user("registrar", Role.REGISTRAR, "310117"),
                                     registered_on=today() - dt.timedelta(days=30),
                                     first=party("李强", D(1995, 3, 4), True),
                                     second=party("赵敏", D(1997, 8, 9), False))
    return {"mr_registration": registration.pk, "mr_certificate": registration.certificates.first().pk}


def sweeping(w: World) -> dict:
    """A sweeping area at 岳阳街道's cemetery (:func:`cemeteries`), a district-wide
    清明 peak open for booking with one day of two slots, and a cemeteries' staff
    account scoped to 泗泾镇 (``cemetery_sijing``: sees 泗泾镇's cemeteries only)."""
    from minzheng.cemeteries.models import Cemetery
    from minzheng.sweeping import services
    from minzheng.sweeping.models import PeakKind, SweepingSlot

    bureau = w.users["bureau"]
    w.user("cemetery_sijing", Role.CEMETERY, SIJING)
    services.area_create(actor=bureau, cemetery=Cemetery.objects.get(pk=w.ids["cem_a"]), name="一区",
                         physical_capacity=10)
    period = services.period_create(actor=bureau, kind=PeakKind.QINGMING, title="测试清明", cemetery=None,
                                    booking_opens_at=timezone.now() - dt.timedelta(days=1), cap_percent=50)
    day = today() + dt.timedelta(days=5)
    services.day_set(actor=bureau, period=period, date=day, times="07:00-08:30\n08:30-10:00")
    services.period_generate_slots(actor=bureau, period=period)
    slot = SweepingSlot.objects.filter(period=period).order_by("slot__start").first()
    return {"sw_period": period.pk, "sw_slot": slot.slot_id, "sw_day": day.isoformat()}


def meals(w: World) -> dict:
    """A canteen in 谷阳居委会 (its account ``canteen``) and a meal point in 张泾村委会,
    each with a day's file of one elder's lunch and the month's settlement."""
    from minzheng.care_facilities.models import (
        Facility,
        FacilityKind,
        FacilityStaff,
        FacilityStatus,
    )
    from minzheng.core.models import Division
    from minzheng.core.personal_data import decrypt
    from minzheng.meals.daily_files import HEADERS
    from minzheng.meals.services import meal_file_import, settlement_run

    elder = w.person("助餐阿婆", D(1950, 1, 1), male=False)
    row = ",".join([decrypt(elder.id_number_enc), elder.name, "2025-03-03", "午餐", "堂食"])
    out = {"ml_id_number": decrypt(elder.id_number_enc)}
    for key, street, committee, kind in (("a", YUEYANG, GUYANG, FacilityKind.CANTEEN),
                                         ("b", SIJING, ZHANGJING, FacilityKind.MEAL_POINT)):
        canteen = Facility.objects.create(  # as the meals' tests do: the register's services are tested there
            name=f"测试{key}长者食堂", kind=kind, street_id=street, committee=Division.objects.get(code=committee),
            status=FacilityStatus.OPERATING)
        content = "\ufeff" + ",".join(HEADERS) + "\n" + row + "\n"
        meal_file_import(actor="test", canteen_id=canteen.pk, stream=io.BytesIO(content.encode("utf-8")),
                         file_name="d.csv")
        out[f"ml_canteen_{key}"] = canteen.pk
        out[f"ml_settlement_{key}"] = settlement_run(actor="maker", canteen_id=canteen.pk, month="2025-03")[0].pk
    FacilityStaff.objects.create(user=w.user("canteen", Role.CANTEEN, "310117"),
                                 facility=Facility.objects.get(pk=out["ml_canteen_a"]))
    return out


def jobs_and_tokens(w: World) -> dict:
    """A job the bureau ran (releasing expired booking holds) and the bureau's API token."""
    from minzheng.core.services import api_token_issue
    from minzheng.jobs.services import job_run_now

    job, _ = job_run_now(actor=w.users["bureau"], kind="bookings_expire_holds", params={})
    _, token = api_token_issue(user=w.users["bureau"])
    return {"job": job.pk, "bureau_token": token.pk}


def assistance(w: World) -> dict:
    """``test_refusals_everywhere``'s apps: a household of 谷阳居委会 (岳阳街道) with
    an application and a verification request, a department file about it and
    about a resident of 泗泾镇, and 泗泾镇's funeral hall with a booking."""
    from conftest import make_id_number
    from minzheng.bookings import services as bookings
    from minzheng.casework import services as casework
    from minzheng.core.models import Division
    from minzheng.core.personal_data import decrypt
    from minzheng.feeds.models import FeedRecord
    from minzheng.feeds.services import feed_file_import
    from minzheng.feeds.tests.files import csv_file
    from minzheng.verification import services as verification

    users = w.users
    head = w.person("张小明", D(1975, 3, 2), monthly_income_fen=60000)
    household = registry.household_create(actor=users["bureau"], head=head, address="谷阳北路1号",
                                          start_date=D(2020, 1, 1))
    application = casework.application_create(actor=users["committee"], household=household, applicant=head,
                                              program="dibao", applied_on=D(2025, 9, 1))
    vr = verification.verification_request_create(actor=users["committee"], household=household, purpose="dibao")
    here = w.person("王建华", D(1940, 3, 8))
    there = w.person("李秀英", D(1938, 1, 1), committee=ZHANGJING, male=False)
    rows = [{"id_number": decrypt(p.id_number_enc), "name": p.name, "death_date": "2024-05-03",
             "cremated_on": "2024-05-05", "certificate": f"HH{p.pk}"} for p in (here, there)]
    feed_file = feed_file_import(actor=users["bureau"], source_code="cremation", filename="cremation.csv",
                                 content=csv_file("cremation", rows)).file
    hall = bookings.resource_create(actor=users["bureau"], name="泗泾殡仪厅", kind="funeral_hall",
                                    division=Division.objects.get(code=SIJING))
    bookings.template_add(actor=users["bureau"], resource=hall, weekdays="1234567", day_start=dt.time(9),
                          day_end=dt.time(10), slot_minutes=60, capacity=2)
    day = today() + dt.timedelta(days=5)
    bookings.special_day_add(actor=users["bureau"], resource=hall, date=day, name="开放")
    bookings.generate_slots(hall, day, day, users["bureau"])
    bookings.book(hall.slots.get(), parties=[("李秀英", make_id_number(D(1938, 1, 1), male=False))],
                  purpose="告别仪式", actor=users["other_street"])
    return {"hall": hall.pk, "booking": hall.bookings.get().pk, "head": head.pk, "household": household.pk,
            "application": application.pk, "vr": vr.pk, "feed_file": feed_file.pk,
            "here_record": FeedRecord.objects.get(person=here).pk,
            "there_record": FeedRecord.objects.get(person=there).pk}


BUILDERS: tuple[Callable[[World], dict], ...] = (
    assistance, dementia_care, charity, children, eldercare_homes, cemeteries, elder_alerts, hardship_visits,
    homeless_rescue, home_adaptations, disability_services, minors_protection,
    supervision,  # after eldercare_homes: draws its two homes
    social_orgs, deaths, funeral, funeral_subsidies, marriage,
    sweeping,  # after cemeteries: an area at cem_a
    meals, jobs_and_tokens)


def reference_data_restored() -> None:
    """The rows data migrations seed (holidays, the elderly-care and special
    groups' catalogues and rules), again if a transactional test elsewhere
    flushed them — as the project conftest's ``holiday_table`` does."""
    import importlib

    from django.apps import apps

    from conftest import ELDERCARE_SEEDS
    from minzheng.core.models import HolidayYear

    if not HolidayYear.objects.exists():
        importlib.import_module("minzheng.core.migrations.0003_seed_holidays_from_chinesecalendar").seed(apps, None)
    for module, model in ELDERCARE_SEEDS:
        if not apps.get_model(model).objects.exists():
            importlib.import_module(module).seed(apps, None)


def build() -> World:
    reference_data_restored()
    world = district_and_users()
    world.ids["today"] = today().isoformat()
    for builder in BUILDERS:
        world.ids.update(builder(world))
    return world


def tokens(world: World) -> dict[str, str]:
    """An API token for every account, issued once (a request need not sign in first)."""
    from minzheng.core.services import api_token_issue

    return {name: api_token_issue(user=user)[0] for name, user in world.users.items()}
