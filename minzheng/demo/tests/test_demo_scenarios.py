"""The README's "在演示中试一试": one short scenario per role, done on a fresh
demo district through the pages (Django test client), starting from the
role's home page and following the link it offers (one click)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from minzheng.casework.models import Application, Objection, Status
from minzheng.core.models import AuditEntry, User
from minzheng.feeds.models import FeedFile
from minzheng.monitoring.models import HomeVisitRecord, Lead
from minzheng.payments.models import BatchStatus, PaymentBatch
from minzheng.verification.models import Status as VerificationStatus
from minzheng.verification.models import VerificationRequest


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    """One demo district for the whole module, rolled back at its end; each
    test runs inside it in its own transaction (``db``), so tests do not see
    each other's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_district, db):
    return None


def _home(client, username: str) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _ok(response) -> None:
    assert response.status_code == 302, response.status_code
    assert not [m for m in response.wsgi_request._messages if m.level_tag == "error"]


def test_bureau_sees_rejected_rows_and_decides_a_case(client, demo):
    home = _home(client, "bureau")
    bad = FeedFile.objects.get(bad_rows__gt=0)
    assert f"/feeds/files/{bad.pk}/" in home
    page = client.get(f"/feeds/files/{bad.pk}/").content.decode()
    assert "身份证号码" in page and 'id="quarantine"' in page
    case = Application.objects.filter(status=Status.APPROVAL_RECORDED).order_by("due_on").first()
    assert f"/cases/{case.pk}/" in home
    _ok(client.post(f"/cases/{case.pk}/act/decide/", {"reasons": "经审批同意，纳入最低生活保障。"}))
    case.refresh_from_db()
    assert case.status == Status.ENROLLED and case.letters.exists()


def test_checker_reviews_and_approver_approves_what_bureau_prepared(client, demo):
    draft = PaymentBatch.objects.get(status=BatchStatus.DRAFT, prepared_by="bureau")
    reviewed = PaymentBatch.objects.get(status=BatchStatus.REVIEWED, prepared_by="bureau", reviewed_by="checker")
    assert f"/payments/batches/{draft.pk}/" in _home(client, "checker")
    _ok(client.post(f"/payments/batches/{draft.pk}/act/review/"))
    draft.refresh_from_db()
    assert draft.status == BatchStatus.REVIEWED and draft.reviewed_by == "checker"
    # the preparer may not approve (maker-checker): refused with the reason
    client.force_login(User.objects.get(username="bureau"))
    client.post(f"/payments/batches/{reviewed.pk}/act/approve/")
    reviewed.refresh_from_db()
    assert reviewed.status == BatchStatus.REVIEWED
    assert f"/payments/batches/{reviewed.pk}/" in _home(client, "approver")
    _ok(client.post(f"/payments/batches/{reviewed.pk}/act/approve/"))
    reviewed.refresh_from_db()
    assert reviewed.status == BatchStatus.APPROVED and reviewed.approved_by == "approver"


def test_street_resolves_an_objection_accepts_a_verification_and_a_case(client, demo):
    home = _home(client, "street")
    street = User.objects.get(username="street")
    objection = Objection.objects.filter(street=street.scope, resolved_on__isnull=True).first()
    assert f"/cases/{objection.application_id}/" in home
    _ok(client.post(f"/cases/objections/{objection.pk}/resolve/",
                    {"upheld": "0", "resolution": "经入户核实，该车辆已于去年转让，异议不成立。"}))
    objection.refresh_from_db()
    assert objection.resolved and objection.upheld is False
    request = VerificationRequest.objects.filter(street=street.scope, status=VerificationStatus.COMPUTED).first()
    assert f"/verification/{request.pk}/" in home
    _ok(client.post(f"/verification/{request.pk}/accept/"))
    request.refresh_from_db()
    assert request.status == VerificationStatus.ACCEPTED
    case = Application.objects.filter(street=street.scope, status=Status.APPLIED).order_by("due_on").first()
    assert case.due_on < timezone.localdate() and f"/cases/{case.pk}/" in home  # overdue, listed
    _ok(client.post(f"/cases/{case.pk}/act/accept/", {"note": "材料齐全"}))
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_committee_records_the_home_visit(client, demo):
    home = _home(client, "committee")
    committee = User.objects.get(username="committee")
    case = Application.objects.get(committee=committee.scope, status=Status.VERIFIED)
    assert f"/cases/{case.pk}/" in home and "待入户调查" in home
    _ok(client.post(f"/cases/{case.pk}/act/visit/", {
        "visited_on": timezone.localdate().isoformat(), "visitors": "张美华、居委会主任",
        "findings": "入户查看，家庭成员情况与申报一致。"}))
    case.refresh_from_db()
    assert case.status == Status.VISITED


def test_advisor_visits_a_lead(client, demo):
    home = _home(client, "advisor")
    lead = Lead.objects.filter(status="open", committee__in=User.objects.get(username="advisor")
                               .advisor_assignments.values("committee")).first()
    assert f"/monitoring/leads/{lead.pk}/" in home
    response = client.post(f"/monitoring/leads/{lead.pk}/", {
        "form": "visit", "visited_on": timezone.localdate().isoformat(), "visitors": "刘志明",
        "findings": "上门介绍残疾人护理补贴政策，本人愿意申请。"})
    assert response.status_code in (200, 302)
    assert HomeVisitRecord.objects.filter(lead=lead).exists()


def test_auditor_reads_only(client, demo):
    home = _home(client, "auditor")
    assert "近期操作记录" in home and "抽样核查中尚未核查的对象" in home
    assert client.get("/core/audit/").status_code == 200
    batch = PaymentBatch.objects.get(status=BatchStatus.DRAFT)
    before = AuditEntry.objects.count()
    assert client.post(f"/payments/batches/{batch.pk}/act/review/").status_code == 403
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT and AuditEntry.objects.count() == before
