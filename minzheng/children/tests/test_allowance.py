"""The register is the source of the engine's facts: category changes over
time and turning 18 start and stop ``child_basic_living`` through the
monitor run (免申即享) and the exit review (应退尽退) — REFERENCE § 7."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.casework.models import Enrolment, EnrolmentSource, EnrolmentStatus
from minzheng.children import selectors, services
from minzheng.monitoring.models import ExitReview
from minzheng.monitoring.monitor_runs import monitor_run_month
from minzheng.monitoring.services import exit_review_resolve
from minzheng.registry.models import Person

pytestmark = pytest.mark.django_db
PROGRAM = "child_basic_living"


def _enrolment(person):
    return Enrolment.objects.filter(person=person, program=PROGRAM).first()


def test_a_category_starts_and_ends_the_allowance(users, family, cat):
    son = family.son
    # 事实无人抚养 from July: the registry fact follows the register
    child = services.child_register(actor=users["committee"], person=son, category=cat["unsupported"],
                                    started_on=dt.date(2025, 7, 1), evidence_kind="police_court",
                                    evidence="父母双方服刑（判决书）", today=dt.date(2025, 8, 1))
    son.refresh_from_db()
    assert son.unsupported_child and not son.orphan
    # the August monitor run enrols him without an application at 1,800 yuan
    monitor_run_month(actor="test", month="2025-08", today=dt.date(2025, 8, 20))
    enrolment = _enrolment(son)
    assert (enrolment.source, enrolment.start_month, enrolment.monthly_amount_fen) == (
        EnrolmentSource.AUTO, "2025-08", 180000)
    assert selectors.allowance_of(child).enrolments == [enrolment]
    # the category ends on 25 August (a parent released): the fact is cleared
    spell = child.spells.get()
    services.spell_end(actor=users["committee"], spell=spell, ended_on=dt.date(2025, 8, 25), reason="父亲刑满释放",
                       today=dt.date(2025, 8, 25))
    son.refresh_from_db()
    assert not son.unsupported_child
    # September: the engine no longer finds him eligible → an exit review with the reason
    monitor_run_month(actor="test", month="2025-09", today=dt.date(2025, 9, 20))
    review = ExitReview.objects.get(enrolment=enrolment)
    allowance = selectors.allowance_of(child)
    assert allowance.exit_reviews[0]["register_reason"] == "“事实无人抚养儿童”类别于2025年08月25日终止：父亲刑满释放"
    exit_review_resolve(actor=users["street"], review=review, exit_benefit=True, resolution="类别已终止",
                        on=dt.date(2025, 9, 20))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.TERMINATED and "类别已终止" in enrolment.status_reason
    # a new category later (orphan) enrols him again from the register
    services.spell_start(actor=users["committee"], child=child, category=cat["orphan"], started_on=dt.date(2025, 10, 2),
                         evidence_kind="death_record", evidence="父母死亡证明", today=dt.date(2025, 10, 2))
    son.refresh_from_db()
    assert son.orphan and not son.unsupported_child
    monitor_run_month(actor="test", month="2025-11", today=dt.date(2025, 11, 20))
    assert Enrolment.objects.filter(person=son, program=PROGRAM, status=EnrolmentStatus.ACTIVE,
                                    start_month="2025-11").exists()


def test_turning_18_stops_the_allowance_even_in_school(users, family, cat):
    girl = family.girl
    assert girl.employment == "student"
    child = services.child_register(actor=users["committee"], person=girl, category=cat["orphan"],
                                    started_on=dt.date(2025, 7, 1), evidence_kind="death_record",
                                    evidence="父母死亡证明", today=dt.date(2025, 8, 1))
    monitor_run_month(actor="test", month="2025-08", today=dt.date(2025, 8, 20))
    enrolment = _enrolment(girl)
    assert enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
    # she turns 18 on 10 September: the September batch says 已满18周岁 (REFERENCE § 7 gives no in-school
    # extension for this allowance; § 15's is for extreme-poverty support)
    monitor_run_month(actor="test", month="2025-09", today=dt.date(2025, 9, 20))
    allowance = selectors.allowance_of(child)
    assert allowance.exit_reviews[0]["register_reason"] == "年满18周岁（2025年9月10日）"
    exit_review_resolve(actor=users["street"], review=ExitReview.objects.get(enrolment=enrolment), exit_benefit=True,
                        resolution="年满18周岁", effective_month="2025-10", on=dt.date(2025, 9, 20))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.TERMINATED and enrolment.end_month == "2025-09"


def test_facts_follow_the_dates_of_the_history(users, family, cat):
    child = services.child_register(actor=users["committee"], person=family.son, category=cat["guardianship"],
                                    started_on=dt.date(2025, 1, 1), evidence_kind="investigation", evidence="走访核实",
                                    today=dt.date(2025, 8, 1))
    family.son.refresh_from_db()
    assert not family.son.orphan and not family.son.unsupported_child  # not an allowance category
    services.spell_start(actor=users["committee"], child=child, category=cat["unsupported"],
                         started_on=dt.date(2025, 3, 1), evidence_kind="medical", evidence="父母重病诊断",
                         today=dt.date(2025, 8, 1))
    assert services.facts_on(family.son.pk, dt.date(2025, 2, 28)) == {"orphan": False, "unsupported_child": False}
    assert services.facts_on(family.son.pk, dt.date(2025, 3, 1)) == {"orphan": False, "unsupported_child": True}
    # the nightly sync is idempotent
    assert services.engine_facts_sync(actor="test", today=dt.date(2025, 8, 1)) == 0
    assert Person.objects.get(pk=family.son.pk).unsupported_child
