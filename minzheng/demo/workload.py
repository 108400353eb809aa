"""A day's work for every demo role (``make run``).

After the population, the caseload and the month's monitoring, the demo
district gets work in flight, written through the apps' services as staff
would have done it over the past weeks:

* in every street, applications at every open step (申请, 受理, 核对, 入户调查,
  街镇审核, 公示, 审批, 决定), some past their step's deadline; in the demo
  street also a notice still running and an ended one with an objection to resolve;
* department data the verifications read (wages and pensions from the
  registry's declared figures, complete extracts for the other sources), so a
  verification finds real figures — and some households come out above the
  lines (not eligible); in the demo street, verifications computed by a
  committee and waiting for the street's acceptance;
* in the advisor's committees: new disability certificates and job losses
  reported by the human-resources bureau, so the month's monitoring opens
  leads (政策找人) and follow-up tasks there;
* a department file with rejected rows (imported by a 部门数据导入 job) and
  a registry import refused for its bad rows (a failed 人员和家庭批量导入 job
  whose result page lists the problems);
* payment batches prepared by ``bureau``: one waiting for ``checker``'s
  review, one reviewed and waiting for ``approver``, and the elderly
  allowance approved, with a household survey drawn from it (sample checks)
  and its ledger exported — each batch and the export through the jobs the
  pages start (生成发放批次, 导出发放文件), so every kind of job has a page.

Past steps are dated in the past (the services take ``on``), so deadlines run
as they would have. Other streets' and committees' steps are taken by
synthetic staff of those offices (accounts that cannot sign in). Done once:
a second ``demo_setup`` finds the marker note and changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from itertools import islice

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from minzheng.casework import services as casework
from minzheng.casework.models import Application
from minzheng.core.models import Division, DivisionLevel, Role, User
from minzheng.core.personal_data import decrypt
from minzheng.feeds.selectors import source_get
from minzheng.feeds.services import feed_file_import
from minzheng.jobs.services import job_run_now, upload_store
from minzheng.monitoring.models import AdvisorAssignment
from minzheng.monitoring.services import monitor_run_month
from minzheng.payments.models import PaymentBatch
from minzheng.payments.services import batch_approve, batch_review, sample_draw
from minzheng.registry.models import DisabilityCertificate, Household, Person, PersonIncomeFact
from minzheng.registry.selectors import household_members, income_in_force
from minzheng.registry.services import disability_certificate_add
from minzheng.verification.models import Outcome, VerificationRequest
from minzheng.verification.services import (
    verification_authorisation_record,
    verification_compute,
    verification_request_create,
    verification_result_accept,
)
from policy.money import format_fen

MARK = "演示："  # every demo application's note starts with it
REQUIRED = ("hrss_wages", "tax_income", "hrss_pension", "hrss_unemployment", "bank_deposits", "securities",
            "real_estate", "vehicles", "market_business")
# The open steps, in order: (status reached, label for the note, days ago the last step was taken).
STEPS = ("applied_late", "applied", "accepted_late", "verified", "visited", "reviewed", "notice_running",
         "notice_objection", "notice_ended", "approved")
# Outside the demo street (where no one signs in) the three notice cases are one.
DEMO_STREET_ONLY = ("notice_running", "notice_objection")
NEEDS_VERIFICATION = {"verified", "visited", "reviewed", "notice_running", "notice_objection", "notice_ended",
                      "approved"}
PAYMENT_PROGRAMS = ("dibao", "disability_care_subsidy", "disability_living_subsidy", "extreme_poverty",
                    "child_basic_living")


def _csv(code: str, rows: list[dict[str, str]], *, bom: bool = False) -> bytes:
    source = source_get(code)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(source.headers)
    writer.writerows([[row.get(c.field, "") for c in source.columns] for row in rows])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


class Staff:
    """The accounts that take each office's steps: the demo accounts in their
    own street and committee, synthetic staff (no password) elsewhere."""

    def __init__(self) -> None:
        self.named = {u.username: u for u in User.objects.filter(
            username__in=("bureau", "checker", "approver", "street", "committee"))}
        self.cache: dict[str, User] = {}

    def street(self, street: Division) -> User:
        demo = self.named["street"]
        if demo.scope_id == street.code:
            return demo
        return self._clerk(Role.STREET, street, f"{street.name}社区事务受理服务中心 社会救助专员")

    def committee(self, committee: Division) -> User:
        demo = self.named["committee"]
        if demo.scope_id == committee.code:
            return demo
        return self._clerk(Role.COMMITTEE, committee, f"{committee.name} 社工")

    def _clerk(self, role: str, division: Division, post: str) -> User:
        username = f"demo-{role}-{division.code}"
        if username not in self.cache:
            user = User.objects.filter(username=username).first()
            if user is None:
                names = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴斌")
                user = User(username=username, role=role, scope=division, post=post,
                            full_name=names[int(division.code) % len(names)])
                user.set_unusable_password()
                user.save()
            self.cache[username] = user
        return self.cache[username]


def _households(street: Division, prefer_committee: str | None) -> Iterator[tuple[Household, list[Person]]]:
    """The street's households with an adult head, the preferred committee's first."""
    qs = (Household.objects.filter(street=street, archived=False).order_by("id")
          .exclude(pk__in=VerificationRequest.objects.values("household_id")))  # e.g. the job-loss scenario's
    ordered = list(qs.filter(committee_id=prefer_committee)) + list(qs.exclude(committee_id=prefer_committee)) \
        if prefer_committee else list(qs)
    for household in ordered:
        members = [m.person for m in household_members(household)]
        if members and any(m.alive for m in members):
            yield household, members


def _per_capita(candidates: list[tuple[Household, list[Person]]], on: dt.date) -> dict[int, int]:
    """Household id → declared monthly income per head on ``on`` (one query)."""
    latest: dict[int, PersonIncomeFact] = {}
    people = [p.pk for _, members in candidates for p in members]
    for fact in PersonIncomeFact.objects.filter(person_id__in=people, valid_from__lte=on).order_by(
            "person_id", "valid_from", "id"):
        latest[fact.person_id] = fact
    return {h.pk: sum(latest[p.pk].total_fen for p in members if p.pk in latest) // len(members)
            for h, members in candidates}


def _department_data(bureau: User, chosen: list[list[Person]], today: dt.date) -> None:
    """Wages and pensions of the chosen households' members as the departments
    report them (from the registry's declared figures), and complete extracts
    for every source a verification needs, over the past 14 months."""
    start = _month_start(today, 14)
    months = [_month_start(today, 14 - k) for k in range(15)]
    wages, pensions = [], []
    for members in chosen:
        for person in members:
            fact = income_in_force(person, today)
            if fact is None:
                continue
            number = decrypt(person.id_number_enc)
            if fact.earned_fen + fact.other_fen:
                wages += [{"id_number": number, "name": person.name, "month": f"{m:%Y-%m}",
                           "employer": "松江区某企业", "amount": format_fen(fact.earned_fen + fact.other_fen)}
                          for m in months]
            if fact.pension_fen:
                pensions += [{"id_number": number, "name": person.name, "month": f"{m:%Y-%m}",
                              "scheme": "城镇职工基本养老保险", "amount": format_fen(fact.pension_fen)} for m in months]
    rows = {"hrss_wages": wages, "hrss_pension": pensions}
    for code in REQUIRED:
        feed_file_import(actor=bureau, source_code=code, filename=f"{source_get(code).name}-全量-{today:%Y%m%d}.csv",
                         content=_csv(code, rows.get(code, [])), complete_extract=True, extract_period=(start, today))


def _verify(staff: Staff, household: Household, members: list[Person], as_of: dt.date, *, accept: bool):
    """Committee computes, street accepts (two pairs of eyes)."""
    committee = Division.objects.get(code=household.committee_id)
    computer = staff.committee(committee)
    request = verification_request_create(actor=computer, household=household, purpose="dibao",
                                          note=f"{MARK}申请救助前的家庭经济状况核对")
    for person in members:
        scan = SimpleUploadedFile(f"授权书-{person.pk}.pdf", b"%PDF-1.4 demo authorisation " + str(person.pk).encode(),
                                  content_type="application/pdf")
        verification_authorisation_record(actor=computer, request=request, signed_by=person, signed_on=as_of,
                                          document=scan)
    result = verification_compute(actor=computer, request=request, as_of=as_of)
    if accept and result.outcome not in (Outcome.INCOMPLETE, Outcome.UNDETERMINED):
        verification_result_accept(actor=staff.street(Division.objects.get(code=household.street_id)), result=result)
    return request, result


def _case(staff: Staff, step: str, household: Household, members: list[Person], today: dt.date) -> None:
    """One application taken up to ``step`` with past dates."""
    street = Division.objects.get(code=household.street_id)
    committee = Division.objects.get(code=household.committee_id)
    s, c = staff.street(street), staff.committee(committee)
    applicant = next((p for p in members if p.alive), members[0])
    late = step in ("applied_late", "accepted_late")
    applied = today - dt.timedelta(days={"applied": 1, "applied_late": 14, "accepted_late": 24}.get(step, 45))
    app = casework.application_create(actor=c, household=household, applicant=applicant, program="dibao",
                                      applied_on=applied,
                                      note=f"{MARK}{'家庭收入下降，申请最低生活保障' if not late else '申请最低生活保障（已超期）'}")
    if step.startswith("applied"):
        return
    casework.application_accept(actor=s, application=app, on=applied + dt.timedelta(days=1), note="材料齐全，予以受理")
    if step == "accepted_late":
        return
    _, result = _verify(staff, household, members, today - dt.timedelta(days=35), accept=True)
    if result.accepted_at is None:
        return
    app.refresh_from_db()
    casework.application_verify(actor=s, application=app, verification_reference=result.request.reference,
                                on=today - dt.timedelta(days=30 if step != "verified" else 3),
                                summary=result.get_outcome_display())
    if step == "verified":
        return
    below = result.outcome in (Outcome.BELOW_DIBAO, Outcome.BELOW_LOW_INCOME)
    visit_on = today - dt.timedelta(days=26 if step != "visited" else 2)
    casework.application_visit(actor=c, application=app, visited_on=visit_on, on=visit_on,
                               visitors=f"{c.full_name}、居委会主任",
                               findings="入户查看居住和生活情况，家庭成员情况与申报一致。")
    if step == "visited":
        return
    review_on = today - dt.timedelta(days=22 if step != "reviewed" else 1)
    casework.application_street_review(
        actor=s, application=app, agree=below, on=review_on,
        reasons="经核对和入户调查，符合最低生活保障条件，同意。" if below else
        "经济状况核对结果显示家庭收入或财产超过规定标准，不同意。")
    if step == "reviewed" or not below:
        return
    post_on = today - dt.timedelta(days=1 if step == "notice_running" else 14)
    casework.application_post_notice(actor=s, application=app, on=post_on)
    if step == "notice_objection":
        casework.objection_record(actor=c, application=app, received_on=post_on + dt.timedelta(days=3),
                                  raised_by="匿名", content="反映该户家中有一辆小汽车，可能不符合条件。")
    if step != "approved":
        return
    approver = staff.named["approver"]
    casework.application_approve(actor=approver, application=app, agree=True, on=today - dt.timedelta(days=5),
                                 reasons="同意纳入最低生活保障。")


def _advisor_signals(staff: Staff, bureau: User, today: dt.date) -> None:
    """New certificates and job losses in the advisor's committees (leads and tasks)."""
    committees = Division.objects.filter(code__in=AdvisorAssignment.objects.filter(
        advisor__username="advisor", ended_on__isnull=True).values("committee_id"))
    job_losses = []
    for committee in committees:
        people = list(Person.objects.filter(committee=committee, alive=True).order_by("id"))
        clerk = staff.committee(committee)
        certified = set(DisabilityCertificate.objects.filter(person__in=people).values_list("person_id", flat=True))
        for person in [p for p in people if p.pk not in certified][:2]:
            disability_certificate_add(actor=clerk, person=person, grade=1, kind="肢体",
                                       valid_from=today - dt.timedelta(days=20))
        for person in [p for p in people if p.employment == "employed"][:2]:
            job_losses.append({"id_number": decrypt(person.id_number_enc), "name": person.name,
                               "employer": "上海松江某制衣有限公司", "start_date": "2015-03-01",
                               "end_date": (today - dt.timedelta(days=12)).isoformat(), "end_reason": "单位解除"})
    if job_losses:
        feed_file_import(actor=bureau, source_code="hrss_employment", filename=f"就业登记变动-{today:%Y%m%d}.csv",
                         content=_csv("hrss_employment", job_losses))


def _rejected_rows_file(bureau: User, today: dt.date) -> None:
    people = list(Person.objects.filter(alive=True).order_by("id")[:3])
    rows = [{"id_number": decrypt(p.id_number_enc), "name": p.name, "month": f"{_month_start(today, 1):%Y-%m}",
             "employer": "松江区某物流公司", "amount": "4200.00"} for p in people]
    rows += [{"id_number": "31011719800101123", "name": "王某", "month": f"{_month_start(today, 1):%Y-%m}",
              "employer": "松江区某物流公司", "amount": "3900.00"},
             {"id_number": decrypt(people[0].id_number_enc) if people else "", "name": "李某", "month": "上月",
              "employer": "松江区某物流公司", "amount": "约四千"}]
    # through the page's background job (ADR 0017), so the jobs list has a 部门数据导入
    upload = upload_store(actor=bureau, name=f"工资-补报-{today:%Y%m%d}.csv", content=_csv("hrss_wages", rows))
    job_run_now(actor=bureau, kind="feeds_import", params={"source": "hrss_wages", "upload": upload.pk})


def _failed_registry_import(bureau: User, today: dt.date) -> None:
    """A registry import refused (all-or-nothing) as a failed job: its result
    page lists the problems (a person already registered, an ID number that
    is not one) and offers them as CSV; the job page offers the retry."""
    registered = Person.objects.filter(alive=True).order_by("id").first()
    header = ["户编号", "与户主关系", "姓名", "身份证号码", "本市户籍", "居住居村委代码", "居住地址"]
    rows = [header, ["H1", "本人", "王某", "31011719800101123", "是", "310117001001", "谷阳北路1号"]]
    if registered is not None:
        rows.append(["H2", "本人", registered.name, decrypt(registered.id_number_enc), "是", registered.committee_id,
                     "谷阳北路2号"])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = upload_store(actor=bureau, name=f"人员名单-补录-{today:%Y%m%d}.csv", content=out.getvalue().encode("utf-8-sig"))
    try:
        job_run_now(actor=bureau, kind="registry_import", params={"upload": upload.pk, "skip_bad": False})
    except ValidationError:
        pass  # expected: the job failed with its problem list


def _batch_job(bureau: User, program: str, month: str) -> PaymentBatch:
    """A batch prepared by ``bureau`` as the page does it: a 生成发放批次 job (ADR 0017)."""
    _job, outcome = job_run_now(actor=bureau, kind="payments_batch_run", params={"program": program, "month": month})
    return outcome.value.batch


def _payment_batches(month: str) -> list[PaymentBatch]:
    """bureau prepares the month's batches: the first waits for checker's
    review, the second (reviewed by checker) for approver; the elderly
    allowance goes all the way (approved) and the bureau draws the month's
    household survey from it, for the sample checks."""
    from minzheng.casework.models import Enrolment

    bureau, checker, approver = (User.objects.get(username=u) for u in ("bureau", "checker", "approver"))
    counts = {p: Enrolment.objects.filter(program=p, status="active").count() for p in PAYMENT_PROGRAMS}
    programs = [p for p in sorted(PAYMENT_PROGRAMS, key=lambda p: -counts[p]) if counts[p]][:2]
    batches = []
    for index, program in enumerate(programs):
        batch = _batch_job(bureau, program, month)
        if index == 1 and batch.control_count:
            batch = batch_review(actor=checker, batch=batch, note="明细与控制数核对无误")
        batches.append(batch)
    allowance = _batch_job(bureau, "elderly_allowance", month)
    if allowance.control_count:
        batch_review(actor=checker, batch=allowance, note="明细与控制数核对无误")
        batch_approve(actor=approver, batch=allowance, note="同意发放")
        sample_draw(actor=bureau, purpose="household_survey", month=month, per_street=2, seed=2024)
        # the ledger (not the bank file: the batch stays 已审批 for the demo's export step)
        job_run_now(actor=approver, kind="payments_export", params={"batch": allowance.pk, "file": "ledger_xlsx"})
        batches.append(allowance)
    return batches


@transaction.atomic
def workload_seed(*, today: dt.date | None = None) -> str:
    """Seed the day's work once; returns a Chinese line for the set-up log."""
    today = today or timezone.localdate()
    if Application.objects.filter(note__startswith=MARK).exists():
        return "演示待办（各环节申请、线索任务、发放批次）已存在"
    staff = Staff()
    bureau = staff.named["bureau"]
    demo_committee = staff.named["committee"].scope_id
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    plan: list[tuple[str, Household, list[Person]]] = []
    waiting: list[tuple[Household, list[Person]]] = []
    for street in streets:
        demo_street = street.code == demo_committee[:9]
        candidates = list(islice(_households(street, demo_committee if demo_street else None), 40))
        if not candidates:
            continue
        steps = STEPS if demo_street else tuple(s for s in STEPS if s not in DEMO_STREET_ONLY)
        later = [step for step in steps if step in NEEDS_VERIFICATION]
        # the poorest households for the later steps (they reach the notice), the rest for the early ones
        income = _per_capita(candidates, today)
        ranked = sorted(candidates, key=lambda hm: income.get(hm[0].pk, 0))
        poor = ranked[:len(later)]
        if demo_street:  # the demo committee's household gets the home visit
            own = [hm for hm in candidates if hm[0].committee_id == demo_committee][:1]
            poor = own + [hm for hm in poor if hm not in own]
        picks = dict(zip(later, poor, strict=False))
        used = {hm[0].pk for hm in picks.values()}
        rest = [hm for hm in reversed(ranked) if hm[0].pk not in used]
        if demo_street:  # the richest: verifications (mostly above the lines) waiting for the street
            waiting, rest = rest[:3], rest[3:]
        early = iter(rest)
        for step in steps:
            pick = picks.get(step) if step in NEEDS_VERIFICATION else next(early, None)
            if pick is not None:
                plan.append((step, *pick))
    _department_data(bureau, [members for step, _, members in plan if step in NEEDS_VERIFICATION]
                     + [members for _, members in waiting], today)
    for step, household, members in plan:
        _case(staff, step, household, members, today)
    for household, members in waiting:
        _verify(staff, household, members, today - dt.timedelta(days=2), accept=False)
    _advisor_signals(staff, bureau, today)
    _rejected_rows_file(bureau, today)
    _failed_registry_import(bureau, today)
    month = today.strftime("%Y-%m")
    monitor_run_month(actor="demo-setup", month=month, today=today)
    batches = _payment_batches(month)
    return (f"演示待办：各街镇各环节申请 {len(plan)} 件，待认定核对 {len(waiting)} 件，"
            f"发放批次 {len(batches)} 个（待复核、待审批、已审批并抽样），救助顾问联系居村的新线索和风险任务已生成")
