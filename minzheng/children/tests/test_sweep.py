"""The sweep: leads from a death record and a disability record, idempotent
generation with counts, acceptance and dismissal, checklists, scope."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from minzheng.children import selectors, services
from minzheng.children.models import Child, Lead, LeadStatus
from minzheng.core.models import AuditEntry
from minzheng.core.scope import OutOfScope
from minzheng.registry import services as registry

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_leads_from_a_death_and_a_disability_certificate_are_generated_once(users, family, cat):
    registry.person_record_death(actor=users["bureau"], person=family.father, death_date=TODAY - dt.timedelta(days=3))
    registry.disability_certificate_add(actor=users["bureau"], person=family.mother, grade=1, kind="肢体",
                                        valid_from=dt.date(2020, 1, 1))
    counts = services.leads_generate(actor="test")
    assert counts["parent_death"] == 1 and counts["parent_disability"] == 1 and counts["created"] == 2
    death = Lead.objects.get(kind="parent_death")
    assert death.person == family.son and death.category.code == "unsupported"  # one dead, one severely disabled
    assert death.source_ref == f"person:{family.father.pk}" and "父亲甲" in death.detail
    # again: nothing new
    out = io.StringIO()
    call_command("children_leads", stdout=out)
    again = json.loads(out.getvalue())
    assert again["created"] == 0 and again["open_total"] == 2
    # accept one: the son joins the register; the other is dismissed with a reason
    child = services.lead_accept(actor=users["committee"], lead=death, started_on=TODAY, evidence_kind="death_record",
                                 evidence="死亡证明", today=TODAY)
    assert child.person == family.son and family.son.pk in set(Child.objects.values_list("person_id", flat=True))
    family.son.refresh_from_db()
    assert family.son.unsupported_child
    other = Lead.objects.get(kind="parent_disability")
    with pytest.raises(ValidationError):
        services.lead_dismiss(actor=users["committee"], lead=other, reason=" ")
    services.lead_dismiss(actor=users["committee"], lead=other, reason="与死亡线索为同一儿童，已纳入")
    assert Lead.objects.filter(status=LeadStatus.OPEN).count() == 0
    assert AuditEntry.objects.filter(action="children.lead_accept").count() == 1


def test_an_orphan_lead_when_both_parents_died(users, family):
    registry.person_record_death(actor=users["bureau"], person=family.father, death_date=TODAY - dt.timedelta(days=3))
    registry.person_record_death(actor=users["bureau"], person=family.mother, death_date=TODAY - dt.timedelta(days=2))
    services.leads_generate(actor="test")
    assert set(Lead.objects.values_list("category__code", flat=True)) == {"orphan"}
    assert Lead.objects.count() == 2


def test_imprisonment_is_a_lead_staff_record(users, family, cat):
    lead = services.lead_report(actor=users["committee"], person=family.son, kind="parent_imprisoned",
                                category=cat["unsupported"], detail="父母双方服刑（见判决书）")
    assert lead.get_kind_display() == "父母服刑（工作人员登记）"
    with pytest.raises(ValidationError):
        services.lead_report(actor=users["committee"], person=family.father, kind="staff", category=cat["poor"],
                             detail="成年人")


def test_checklists_by_child_and_committee_and_progress(users, family, cat, district):
    child = services.child_register(actor=users["committee"], person=family.son, category=cat["poor"],
                                    started_on=TODAY, evidence_kind="enrolment", evidence="低保")
    campaign = services.campaign_open(actor=users["bureau"], year=TODAY.year, started_on=TODAY, due_on=TODAY)
    items = [i.code for i in selectors.checklist("child")]
    with pytest.raises(ValidationError, match="请逐项填写"):
        services.child_check_record(actor=users["committee"], campaign=campaign, child=child, checked_on=TODAY,
                                    answers={}, outcome="unchanged")
    with pytest.raises(ValidationError, match="请填写情况说明"):
        services.child_check_record(actor=users["committee"], campaign=campaign, child=child, checked_on=TODAY,
                                    answers={**dict.fromkeys(items, True), "school": False}, outcome="unchanged")
    services.child_check_record(actor=users["committee"], campaign=campaign, child=child, checked_on=TODAY,
                                answers=dict.fromkeys(items, True), outcome="unchanged")
    services.committee_check_record(actor=users["committee"], campaign=campaign, committee=district["c1"],
                                    checked_on=TODAY,
                                    answers={i.code: True for i in selectors.checklist("committee")})
    with pytest.raises(OutOfScope):
        services.committee_check_record(actor=users["committee"], campaign=campaign, committee=district["c3"],
                                        checked_on=TODAY, answers={})
    row = next(r for r in selectors.sweep_progress(users["bureau"], campaign) if r.street.code == "310117001")
    assert (row.committees, row.committees_done, row.children, row.children_checked) == (2, 1, 1, 1)
    figures = {r.street.code: r for r in selectors.figures_by_street(users["bureau"], year=TODAY.year, day=TODAY)}
    assert figures["310117001"].total == 1 and figures["310117001"].by_group["poor"] == 1


def test_scope_other_street_is_404_and_guardians_change(users, family, cat):
    boy = services.child_register(actor=users["bureau"], person=family.boy, category=cat["left_behind"],
                                  started_on=TODAY, evidence_kind="investigation", evidence="父母外出务工")
    with pytest.raises(OutOfScope):
        selectors.child_get(users["street"], boy.pk)
    with pytest.raises(OutOfScope):
        services.spell_start(actor=users["committee"], child=boy, category=cat["poor"], started_on=TODAY,
                             evidence_kind="other", evidence="x")
    first = services.guardian_add(actor=users["bureau"], child=boy, relation="grandparent", capacity="limited",
                                  started_on=TODAY, name="祖父")
    second = services.guardian_add(actor=users["bureau"], child=boy, relation="committee", capacity="full",
                                   started_on=TODAY, name="张泾村委会", replaces=first, change_reason="祖父病故")
    first.refresh_from_db()
    assert first.ended_on == TODAY and first.end_reason == "祖父病故" and second.ended_on is None
    # not counted among children in difficulty (留守儿童)
    figures = {r.street.code: r for r in selectors.figures_by_street(users["bureau"], year=TODAY.year, day=TODAY)}
    assert figures["310117102"].total == 0
