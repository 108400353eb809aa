"""Registration matters: the name check (duplicates, near-duplicates, forbidden
words), documents at acceptance, deadlines in working days (or unknown until the
limit is entered), the supervising unit's review, approval and refusal with their
effects on the register, the letter, the counts, and the organization's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.scope import OutOfScope
from minzheng.social_orgs import matters
from minzheng.social_orgs.letters import matter_letter_pdf
from minzheng.social_orgs.matter_rules import REQUIRED_DOCUMENTS, name_check, normalise_name
from minzheng.social_orgs.models import ForbiddenWord, MatterKind, MatterStatus, Organization
from minzheng.social_orgs.selectors import matter_counts, matters_visible
from minzheng.social_orgs.tests.conftest import TODAY, valid_uscc

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2024, 5, 6)


def _establishment(users, name="松江区青年创业服务中心", applied_on=MONDAY, **extra):
    proposed = {"name": name, "kind": "service_institution", "legal_rep_name": "周八", "supervisor": "松江区民政局",
                "registered_capital_fen": 300_000_00, "address": "松江区某路1号", "business_scope": "创业服务"} | extra
    return matters.matter_apply(actor=users["bureau"], kind=MatterKind.ESTABLISHMENT, applied_on=applied_on,
                                today=TODAY, proposed=proposed,
                                documents=list(REQUIRED_DOCUMENTS[MatterKind.ESTABLISHMENT]))


def test_names_are_compared_after_normalising(orgs):
    assert normalise_name("上海市松江区 书画协会（演示）") == "书画协会"
    check = name_check("松江区书画协会")
    assert check.duplicates == ["松江区书画协会"] and check.refused
    near = name_check("松江区书画家协会")
    assert not near.refused and near.near and near.near[0][0] == "松江区书画协会"
    assert name_check("松江区围棋协会").near == []


def test_establishment_refused_for_a_duplicate_or_a_forbidden_word(users, orgs):
    with pytest.raises(ValidationError, match="重名"):
        _establishment(users, name="上海市松江区书画协会")
    ForbiddenWord.objects.create(word="中国", reason="区级社会组织名称不得冠以“中国”")
    with pytest.raises(ValidationError, match="禁用字词“中国”"):
        _establishment(users, name="松江区中国书法服务中心")


def test_establishment_end_to_end_with_working_day_deadline(users, orgs):
    matter = _establishment(users, name="松江区书画家协会")
    assert matter.proposed["name_check"]["near"]
    accepted = matters.matter_accept(actor=users["bureau"], matter=matter, on=MONDAY, today=TODAY)
    assert accepted.due_on is None  # no time limit entered: unknown, not guessed
    matters.time_limit_enter(actor=users["bureau"], kind=MatterKind.ESTABLISHMENT, working_days=5,
                             basis="测试用依据")
    matter2 = _establishment(users, name="松江区社区营造中心", applied_on=dt.date(2024, 4, 29))
    accepted2 = matters.matter_accept(actor=users["bureau"], matter=matter2, on=dt.date(2024, 4, 30), today=TODAY)
    assert accepted2.due_on == dt.date(2024, 5, 10)  # 5 working days over the 劳动节 holiday (5-1..5-5; 5-11 调休)
    with pytest.raises(ValidationError, match="须先受理并登记业务主管单位"):
        matters.matter_decide(actor=users["bureau"], matter=accepted, approve=True, reason="", on=MONDAY,
                              today=TODAY, uscc=valid_uscc("52310117MJ0000071"))
    reviewed = matters.matter_review(actor=users["bureau"], matter=accepted, agrees=True, opinion="发起人资格审查通过",
                                     on=MONDAY, today=TODAY)
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        matters.matter_decide(actor=users["bureau"], matter=reviewed, approve=True, reason="", on=MONDAY,
                              today=TODAY)
    decided = matters.matter_decide(actor=users["bureau"], matter=reviewed, approve=True, reason="符合条件",
                                    on=MONDAY, today=TODAY, uscc=valid_uscc("52310117MJ0000071"))
    assert decided.status == MatterStatus.APPROVED and decided.organization.name == "松江区书画家协会"
    assert decided.organization.registered_on == MONDAY
    assert matter_letter_pdf(decided).startswith(b"%PDF")
    counts = {c.kind: c for c in matter_counts(users["bureau"], 2024)}
    assert counts["establishment"].organizations == 1 and counts["establishment"].open == 1


def test_documents_are_needed_at_acceptance(users, orgs):
    matter = matters.matter_apply(actor=users["bureau"], kind=MatterKind.RENEWAL, organization=orgs["a"],
                                  applied_on=MONDAY, today=TODAY, documents=["有效期延续申请书"])
    with pytest.raises(ValidationError, match="缺少：原登记证书正副本"):
        matters.matter_accept(actor=users["bureau"], matter=matter, on=MONDAY, today=TODAY)
    matters.matter_documents_add(actor=users["bureau"], matter=matter, documents=["原登记证书正副本"])
    matters.matter_accept(actor=users["bureau"], matter=matter, on=MONDAY, today=TODAY)


def test_refusal_needs_reasons_and_a_disagreeing_supervisor_blocks_approval(users, orgs):
    docs = list(REQUIRED_DOCUMENTS[MatterKind.CHANGE])
    matter = matters.matter_apply(actor=users["bureau"], kind=MatterKind.CHANGE, organization=orgs["a"],
                                  applied_on=MONDAY, today=TODAY, proposed={"address": "松江区新地址"},
                                  documents=docs)
    with pytest.raises(ValidationError, match="已有一件办理中的变更登记"):
        matters.matter_apply(actor=users["bureau"], kind=MatterKind.CHANGE, organization=orgs["a"],
                             applied_on=MONDAY, today=TODAY, proposed={"address": "别处"}, documents=docs)
    matters.matter_accept(actor=users["bureau"], matter=matter, on=MONDAY, today=TODAY)
    reviewed = matters.matter_review(actor=users["bureau"], matter=matter, agrees=False, opinion="住所证明不实",
                                     on=MONDAY, today=TODAY)
    with pytest.raises(ValidationError, match="业务主管单位不同意"):
        matters.matter_decide(actor=users["bureau"], matter=reviewed, approve=True, reason="", on=MONDAY, today=TODAY)
    with pytest.raises(ValidationError, match="写明理由"):
        matters.matter_decide(actor=users["bureau"], matter=reviewed, approve=False, reason=" ", on=MONDAY,
                              today=TODAY)
    refused = matters.matter_decide(actor=users["bureau"], matter=reviewed, approve=False, reason="住所证明不实",
                                    on=MONDAY, today=TODAY)
    assert refused.status == MatterStatus.REFUSED and b"%PDF" in matter_letter_pdf(refused)[:5]
    orgs["a"].refresh_from_db()
    assert orgs["a"].address != "松江区新地址"


def test_approved_change_and_deregistration_change_the_register(users, orgs):
    for kind, proposed in ((MatterKind.CHANGE, {"address": "松江区新地址"}), (MatterKind.DEREGISTRATION, {})):
        matter = matters.matter_apply(actor=users["bureau"], kind=kind, organization=orgs["a"], applied_on=MONDAY,
                                      today=TODAY, proposed=proposed, documents=list(REQUIRED_DOCUMENTS[kind]))
        matters.matter_accept(actor=users["bureau"], matter=matter, on=MONDAY, today=TODAY)
        matters.matter_review(actor=users["bureau"], matter=matter, agrees=True, opinion="同意", on=MONDAY,
                              today=TODAY)
        matters.matter_decide(actor=users["bureau"], matter=matter, approve=True, reason="", on=MONDAY, today=TODAY)
    org = Organization.objects.get(pk=orgs["a"].pk)
    assert org.address == "松江区新地址" and org.status == "deregistered"
    with pytest.raises(ValidationError, match="登记状态为“注销”"):
        matters.matter_apply(actor=users["bureau"], kind=MatterKind.RENEWAL, organization=org, applied_on=MONDAY,
                             today=TODAY)


def test_an_organization_applies_only_for_itself(users, orgs, org_users):
    own = matters.matter_apply(actor=org_users["a"], kind=MatterKind.CHARTER, organization=orgs["a"],
                               applied_on=MONDAY, today=TODAY)
    with pytest.raises(OutOfScope):
        matters.matter_apply(actor=org_users["a"], kind=MatterKind.CHARTER, organization=orgs["b"],
                             applied_on=MONDAY, today=TODAY)
    with pytest.raises(ValidationError, match="窗口受理"):
        _establishment({"bureau": org_users["a"]})
    assert list(matters_visible(org_users["b"])) == []
    assert list(matters_visible(org_users["a"])) == [own]
