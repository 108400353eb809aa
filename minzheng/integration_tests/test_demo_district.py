"""Everything checked on the one demo district that ``make run`` sets up
(``demo_setup --persons 2000 --seed 2024``), built **once** for this module
and rolled back at its end; each test runs inside it in its own transaction
(``db``), so tests do not see each other's changes. Building the district
takes most of a minute, so the tests that read a whole district share it:

* the page crawl: every page reachable from the navigation, and one detail
  page of each kind linked from them, opens for every demo role — no 4xx/5xx,
  no "；；；"-style rendering of a value, no citation of a project file, no
  internal identifier (a code such as ``low_income``) in a page's visible text
  (the server-side part of issue 9's crawl; the browser part is
  ``test_browser_crawl``);
* the home page is each role's to-do inbox (issue 9: work comes to the user):
  every role finds its own work there, only inside its jurisdiction, overdue
  items first, at a bounded number of queries; the auditor's home is read-only;
* the README's "在演示中试一试": one short scenario per role through the pages
  (Django test client), starting from the role's home page and following the
  link it offers (one click);
* the job-loss scenario: the street accepts the waiting verification, and the
  month's monitoring run then finds the household and opens a lead (政策找人);
* the demo gives every role a day's work, once (a second run changes nothing);
* the demo's year of deaths (ADR 0023): in proportion to the district, through
  the death record's services (the consequences are real), several sources for
  a share, one conflicting date, a few unmatched non-residents; once.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from minzheng.casework.models import (
    CLOSED_STATUSES,
    Application,
    Objection,
    OverpaymentCase,
    Status,
)
from minzheng.casework.selectors import cases_todo
from minzheng.core.models import AuditEntry, Division, DivisionLevel, User
from minzheng.deaths.models import DeathRecord, DeathReport, DeathStatus
from minzheng.demo.deaths import deaths_seed
from minzheng.feeds.models import FeedFile
from minzheng.monitoring.models import AdvisorAssignment, FollowUpTask, HomeVisitRecord, Lead
from minzheng.monitoring.selectors import leads_todo, tasks_todo
from minzheng.monitoring.services import monitor_run_month
from minzheng.payments.models import BatchStatus, PaymentBatch, SampleCase
from minzheng.payments.selectors import batches_todo
from minzheng.registry.models import FactOrigin
from minzheng.registry.selectors import household_members, income_in_force
from minzheng.verification.models import Outcome, VerificationRequest, VerificationResult
from minzheng.verification.models import Status as VerificationStatus
from minzheng.verification.selectors import request_latest_result
from minzheng.verification.services import verification_result_accept
from minzheng.workbench.inbox import inbox

DEATHS_SEEDED: list[int] = []  # death records right after the demo's deaths step (see the last test)


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    """One demo district for the whole module, rolled back at its end."""
    from minzheng.demo.management.commands import demo_setup

    def counted(**kwargs):
        line = deaths_seed(**kwargs)
        DEATHS_SEEDED.append(DeathRecord.objects.count())  # the funeral demo adds non-residents' cremations later
        return line

    with django_db_blocker.unblock(), transaction.atomic():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(demo_setup, "deaths_seed", counted)
            call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_district, db):
    return None


# --- the page crawl ---------------------------------------------------------------------------

ROLES = ("bureau", "checker", "approver", "street", "committee", "advisor", "auditor", "registrar", "funeral", "cemetery", "carehome",
         "canteen", "socorg")
SKIP = re.compile(r"logout|download|export|\.pdf|\.xlsx|\.csv|template\.|/api/|/static/|/admin/|reveal")
BROKEN_VALUE = re.compile(r"[；;]\s*[；;]\s*[；;]")
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")
PROJECT_FILE = re.compile("REFERENCE" + r"\.md|\.\./shared")  # spelled apart: this file is checked too
PER_ROLE_LIMIT = 80


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


# Pages the navigation reaches only through a result link, opened for every role with the
# answer each role must get: a failed registry import's result page and its problems CSV
# (registry.import, and the district level sees every import: street/committee 404 for an
# import not theirs, no right 403), and one job page of every kind (the starter, or
# jobs.view: bureau roles and the auditor; others 403).
DISTRICT, JOBS_VIEW = ("bureau", "checker", "approver"), ("bureau", "checker", "approver", "auditor")
IMPORT_RUN = {role: 200 if role in DISTRICT else 404 if role in ("street", "committee") else 403 for role in ROLES}
JOB_PAGE = {role: 200 if role in JOBS_VIEW else 403 for role in ROLES}


def test_every_reachable_page_opens_for_every_role(client, demo):
    targets = _result_pages()
    problems = {role: _crawl(client, role) + _visit(client, role, targets) for role in ROLES}
    assert problems == dict.fromkeys(ROLES, [])


def _result_pages() -> dict[str, dict[str, int]]:
    """path → expected status per role, for the demo's failed import and a job of each kind."""
    from minzheng.jobs.kinds import all_kinds
    from minzheng.jobs.models import Job
    from minzheng.registry.models import ImportRun

    run = ImportRun.objects.filter(rejected_rows__gt=0, imported_rows=0).order_by("-pk").first()
    assert run is not None, "the demo has no failed registry import"
    pages = {f"/registry/import/runs/{run.pk}/": IMPORT_RUN, f"/registry/import/runs/{run.pk}/problems.csv": IMPORT_RUN}
    failed = Job.objects.filter(kind="registry_import", status="failed", result_url=f"/registry/import/runs/{run.pk}/")
    assert failed.exists(), "the failed import is not a failed job linking to its problems"
    missing = []
    for kind in all_kinds():
        job = Job.objects.filter(kind=kind.code).order_by("-pk").first()
        if job is None:
            missing.append(kind.label)
        else:
            pages[f"/jobs/{job.pk}/"] = JOB_PAGE
    assert missing == [], f"the demo has no job of these kinds: {missing}"
    return pages


def _visit(client, role: str, targets: dict[str, dict[str, int]]) -> list[str]:
    client.force_login(User.objects.get(username=role))
    problems = []
    for path, expected in targets.items():
        response = client.get(path)
        if response.status_code != expected[role]:
            problems.append(f"{path}: {response.status_code}, expected {expected[role]}")
        elif response.status_code == 200 and path.endswith(".csv"):
            if not response.content.decode("utf-8-sig").startswith("行号,列,问题"):
                problems.append(f"{path}: not the problems CSV")
        elif response.status_code == 200:
            problems += _page_problems(path, response.content.decode())
    return problems


def _crawl(client, role: str) -> list[str]:
    client.force_login(User.objects.get(username=role))
    home = client.get("/")
    assert home.status_code == 200
    todo = re.findall(r'href="(/[^"#?]*)"', home.content.decode())
    seen_kinds: set[str] = set()
    visited, problems = 0, []
    while todo and visited < PER_ROLE_LIMIT:
        path = todo.pop(0)
        if SKIP.search(path) or _kind(path) in seen_kinds:
            continue
        seen_kinds.add(_kind(path))
        response = client.get(path)
        visited += 1
        if response.status_code >= 400:
            problems.append(f"{path}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        problems += _page_problems(path, page)
        todo += [href for href in re.findall(r'href="(/[^"#?]*)"', page) if _kind(href) not in seen_kinds]
    if visited < 5:
        problems.append(f"reached only {visited} pages")
    return problems


def _page_problems(path: str, page: str) -> list[str]:
    problems = []
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    if BROKEN_VALUE.search(text):
        problems.append(f"{path}: a value rendered as separators")
    if found := sorted(set(IDENTIFIER.findall(text))):
        problems.append(f"{path}: internal identifiers {found}")
    if PROJECT_FILE.search(text):
        problems.append(f"{path}: cites a project file")
    return problems


# --- the home page: each role's inbox ---------------------------------------------------------

HOME_ROLES = ("bureau", "checker", "approver", "street", "committee", "advisor", "auditor")
MAX_QUERIES = 40


def _counts(page: str) -> dict[str, int]:
    """Card title "标题（N）" → N."""
    return {title: int(n) for title, n in re.findall(r'<h2 class="card-title">(.*?)（(\d+)）</h2>', page)}


def _inbox_page(client, role: str, django_assert_max_num_queries) -> str:
    client.force_login(User.objects.get(username=role))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_role_sees_its_own_work(client, demo, django_assert_max_num_queries):
    pages = {role: _inbox_page(client, role, django_assert_max_num_queries) for role in HOME_ROLES}
    counts = {role: _counts(page) for role, page in pages.items()}

    assert counts["bureau"]["待我办理的救助申请"] > 0  # district approvals and decisions
    assert counts["bureau"]["有错误行的部门数据文件（近30天）"] > 0
    # maker-checker: the preparer never sees their own batch; checker reviews, approver approves
    assert counts["bureau"]["待我复核或审批的发放批次"] == 0
    assert counts["checker"]["待我复核或审批的发放批次"] == 1 and "待复核" in pages["checker"]
    assert "待审批" in pages["approver"]
    street = counts["street"]
    assert street["待我办理的救助申请"] > 0 and street["待处理的公示异议"] > 0
    assert street["待认定的核对结果"] > 0
    assert counts["committee"]["待我办理的救助申请"] > 0 and "待入户调查" in pages["committee"]
    assert counts["advisor"]["政策找人线索"] > 0 and counts["advisor"]["风险跟进任务"] > 0
    assert counts["auditor"]["抽样核查中尚未核查的对象"] > 0 and "近期操作记录" in pages["auditor"]
    for role, page in pages.items():
        assert "人口库概况" in page
        assert not re.search(r"家庭\s*\d+", re.sub(r"<[^>]+>", " ", page)), role  # households by their head
        assert all(n >= 0 for n in counts[role].values())


def test_items_stay_inside_the_jurisdiction(demo):
    today = timezone.localdate()
    street, committee, advisor = (User.objects.get(username=u) for u in ("street", "committee", "advisor"))
    assert all(a.street_id == street.scope_id for a in cases_todo(street, today=today))
    assert all(a.committee_id == committee.scope_id for a in cases_todo(committee, today=today))
    assert {a.due_action for a in cases_todo(committee, today=today)} == {"visit"}
    mine = set(AdvisorAssignment.objects.filter(advisor=advisor, ended_on__isnull=True)
               .values_list("committee_id", flat=True))
    assert {lead.committee_id for lead in leads_todo(advisor)} <= mine
    assert {task.committee_id for task in tasks_todo(advisor)} <= mine
    assert not cases_todo(advisor, today=today).exists()
    # bureau staff decide district-level programs only; street staff never see them at the approval step
    assert not cases_todo(street, today=today).filter(due_action__in=("approve", "decide"), program="dibao").exists()
    assert not batches_todo(street).exists()


def test_overdue_items_come_first(demo):
    today = timezone.localdate()
    street = User.objects.get(username="street")
    sections = inbox(street, today=today)
    flags = [s.overdue > 0 for s in sections]
    assert flags == sorted(flags, reverse=True) and flags[0]
    cases = next(s for s in sections if s.key == "cases")
    dates = [item.due_on for item in cases.items if item.due_on]
    assert dates == sorted(dates) and dates[0] < today
    overdue = [a for a in cases_todo(User.objects.get(username="bureau"), today=today) if a.due_on]
    assert overdue[0].due_on <= overdue[-1].due_on


def test_auditor_home_offers_no_action(client, demo, django_assert_max_num_queries):
    page = _inbox_page(client, "auditor", django_assert_max_num_queries)
    forms = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', page)
    assert forms == ["/logout/"]


# --- the README's scenarios, one per role ------------------------------------------------------

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


# --- the job-loss scenario ---------------------------------------------------------------------

def test_the_street_accepts_and_the_monitoring_run_finds_the_household(demo):
    # given the demo district as ``make run`` sets it up
    request = VerificationRequest.objects.get(note__startswith="演示：人社部门报送失业")
    result = request_latest_result(request)
    assert result.outcome == Outcome.BELOW_DIBAO and not result.missing_replies
    household = request.household
    month = timezone.localdate().strftime("%Y-%m")
    assert not Lead.objects.filter(household=household, program="dibao").exists()
    # when the street accepts the result
    verification_result_accept(actor=User.objects.get(username="street"), result=result)
    head = next(m.person for m in household_members(household) if m.relation == "本人")
    assert income_in_force(head, result.as_of).origin == FactOrigin.VERIFIED
    # and the month's monitoring runs again (the verification is dated the 1st or the facts count next month)
    target = month if result.as_of.day == 1 else _next(month)
    monitor_run_month(actor="test", month=target, today=timezone.localdate())
    # then the household is a dibao lead
    assert Lead.objects.filter(household=household, program="dibao", month=target).exists()


def _next(month: str) -> str:
    y, m = map(int, month.split("-"))
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def test_three_district_accounts_take_a_batch_through_maker_checker(demo):
    from minzheng.payments.services import batch_approve, batch_review

    # the demo leaves a draft prepared by bureau for checker, and a reviewed batch for approver
    draft = PaymentBatch.objects.get(status=BatchStatus.DRAFT, prepared_by="bureau")
    reviewed = PaymentBatch.objects.get(status=BatchStatus.REVIEWED, prepared_by="bureau", reviewed_by="checker")
    batch_review(actor=User.objects.get(username="checker"), batch=draft)
    for batch in (draft, reviewed):
        assert batch_approve(actor=User.objects.get(username="approver"), batch=batch).status == BatchStatus.APPROVED


# --- a day's work for every role, once ---------------------------------------------------------

def _sizes() -> dict[str, int]:
    return {"applications": Application.objects.count(), "verifications": VerificationRequest.objects.count(),
            "batches": PaymentBatch.objects.count(), "files": FeedFile.objects.count(),
            "leads": Lead.objects.count(), "tasks": FollowUpTask.objects.count(), "users": User.objects.count()}


def test_a_days_work_for_every_role_once(demo):
    today = timezone.localdate()
    open_cases = Application.objects.exclude(status__in=CLOSED_STATUSES)
    streets = Division.objects.filter(level=DivisionLevel.STREET)
    for street in streets:  # the early steps in every street
        statuses = set(open_cases.filter(street=street).values_list("status", flat=True))
        assert {"applied", "accepted", "verified", "visited", "street_reviewed"} <= statuses, street.name
        assert open_cases.filter(street=street, due_on__lt=today).exists(), street.name
    assert set(open_cases.values_list("status", flat=True)) >= {
        "applied", "accepted", "verified", "visited", "street_reviewed", "in_notice", "approval_recorded"}
    assert Objection.objects.filter(resolved_on__isnull=True).exists()
    # verifications read real department figures: some households above the lines, some below
    outcomes = set(VerificationResult.objects.values_list("outcome", flat=True))
    assert Outcome.ABOVE_LINES in outcomes and outcomes & {Outcome.BELOW_DIBAO, Outcome.BELOW_LOW_INCOME}
    assert VerificationResult.objects.filter(monthly_income_fen__gt=0).exists()
    assert leads_todo(User.objects.get(username="advisor")).exists()
    assert FeedFile.objects.filter(bad_rows__gt=0).exists()
    assert set(PaymentBatch.objects.values_list("status", flat=True)) >= {"draft", "reviewed", "approved"}
    assert SampleCase.objects.exists()
    # a second run changes nothing
    before = _sizes()
    call_command("demo_setup", persons=2000, seed=2024, stdout=io.StringIO())
    assert _sizes() == before


# --- the demo's year of deaths -------------------------------------------------------------------

def test_the_demo_year_of_deaths(demo):
    records = DeathRecord.objects.all()
    assert DEATHS_SEEDED == [round(2000 * 3.4 / 1000)]
    assert records.filter(status=DeathStatus.CONFLICT).count() == 1
    assert records.filter(person__isnull=True, status=DeathStatus.UNMATCHED).count() >= 1
    assert all(not r.person.alive for r in records.filter(person__isnull=False))
    assert DeathReport.objects.filter(source="feed").exists()
    assert DeathReport.objects.count() > records.count()
    assert records.exclude(consequences__stopped=[]).filter(person__isnull=False).exists()
    # a second run changes nothing
    assert deaths_seed(persons=2000, seed=2024) == "演示死亡登记已存在"
    assert OverpaymentCase.objects.filter(reason__contains="死亡").count() == sum(
        len(r.consequences.get("overpayments", [])) for r in records)
