"""The demo's "one flow of facts" scenario: a job loss reported by the
human-resources bureau, the household's economic verification computed by the
committee and waiting for the street to accept it.

In the demo committee (the first of 岳阳街道) a household whose only earner is
an employed head is chosen (fixed order, so every machine picks the same one).
The department data say his contract ended two months into the verification's
12-month window: wages for those two months, a job-loss record, and complete
extracts with no record for every other source the verification needs. The
committee account has requested the verification, recorded the members'
authorisations and computed it; the street account accepts it (核对 →
认定), after which the next month's monitoring run finds the household
eligible and opens a lead (政策找人). Safe to run again: done once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from minzheng.core.models import User
from minzheng.core.personal_data import decrypt
from minzheng.feeds.selectors import source_get
from minzheng.feeds.services import feed_file_import
from minzheng.registry.models import Household
from minzheng.registry.selectors import household_members, income_in_force
from minzheng.verification.models import VerificationRequest
from minzheng.verification.services import (
    verification_authorisation_record,
    verification_compute,
    verification_request_create,
)
from policy import dibao_line_fen
from policy.money import format_fen

NOTE = "演示：人社部门报送失业（劳动合同终止），待街镇认定核对结果"
REQUIRED = ("hrss_wages", "tax_income", "hrss_pension", "hrss_unemployment", "bank_deposits", "securities",
            "real_estate", "vehicles", "market_business")


def _csv(code: str, rows: list[dict[str, str]]) -> bytes:
    source = source_get(code)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(source.headers)
    writer.writerows([[row.get(c.field, "") for c in source.columns] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def _yuan(fen: int) -> str:
    return format_fen(fen)


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _candidate(scope: dict, today: dt.date) -> Household | None:
    """A household of two to four with an employed Shanghai-hukou head whose
    household falls below the dibao line once his wage stops after two months
    (the other members' declared income and pension continue)."""
    households = (Household.objects.filter(archived=False, **scope)
                  .order_by("id").values_list("id", flat=True)[:2000])
    for household_id in households:
        household = Household.objects.get(pk=household_id)
        members = list(household_members(household))
        if not 2 <= len(members) <= 4:
            continue
        head = next((m.person for m in members if m.relation == "本人"), None)
        if head is None or head.employment != "employed" or not head.hukou_shanghai:
            continue
        facts = {m.person_id: income_in_force(m.person, today) for m in members}
        if any(f is None for f in facts.values()):
            continue
        others = sum(f.total_fen for pid, f in facts.items() if pid != head.pk)
        head_fact = facts[head.pk]
        if head_fact.earned_fen >= 300_000 and 2 * head_fact.earned_fen + 12 * others < 12 * dibao_line_fen(
                today, len(members)):
            return household
    return None


def job_loss_scenario_seed(*, bureau: User, committee_user: User, today: dt.date | None = None) -> str:
    """Seed the scenario once; returns a Chinese line for the set-up log."""
    today = today or timezone.localdate()
    existing = VerificationRequest.objects.filter(note=NOTE).first()
    if existing is not None:
        return f"演示场景（失业→核对→认定→线索）已存在：核对编号 {existing.reference}"
    computer = committee_user  # the committee's clerk requests and computes; the street accepts
    household = _candidate({"committee_id": committee_user.scope_id}, today)
    if household is None:  # a small demo: anywhere in the committee's street, computed at the bureau
        computer = bureau
        household = _candidate({"street_id": committee_user.scope.parent_id}, today)
    if household is None:
        return "演示场景（失业）：演示街镇中没有合适的家庭，未生成"
    members = [m.person for m in household_members(household)]
    head = next(m.person for m in household_members(household) if m.relation == "本人")
    window_start = _month_start(today, 12)
    window = [_month_start(today, 12 - k) for k in range(12)]
    worked = window[:2]  # two months of wages, then the contract ends
    ended_on = _month_start(today, 10) - dt.timedelta(days=1)
    wage = income_in_force(head, today).earned_fen
    number = decrypt(head.id_number_enc)
    suffix = f"{household.pk}-{today:%Y%m%d}"
    feed_file_import(actor=bureau, source_code="hrss_employment", filename=f"就业登记-{suffix}.csv", content=_csv(
        "hrss_employment", [{"id_number": number, "name": head.name, "employer": "上海松江某精密制造有限公司",
                             "start_date": "2016-04-01", "end_date": ended_on.isoformat(), "end_reason": "单位关停"}]))
    feed_file_import(actor=bureau, source_code="hrss_wages", filename=f"工资-{suffix}.csv", content=_csv(
        "hrss_wages", [{"id_number": number, "name": head.name, "month": f"{m:%Y-%m}",
                        "employer": "上海松江某精密制造有限公司", "amount": _yuan(wage)}
                       for m in worked]))
    others = [(p, income_in_force(p, today)) for p in members if p.pk != head.pk]
    other_wages = [{"id_number": decrypt(p.id_number_enc), "name": p.name, "month": f"{m:%Y-%m}",
                    "employer": "松江区某服务公司", "amount": _yuan(f.earned_fen + f.other_fen)}
                   for p, f in others if f.earned_fen + f.other_fen for m in window]
    pensions = [{"id_number": decrypt(p.id_number_enc), "name": p.name, "month": f"{m:%Y-%m}",
                 "scheme": "城镇职工基本养老保险", "amount": _yuan(f.pension_fen)}
                for p, f in others if f.pension_fen for m in window]
    for code, rows, name in (("hrss_wages", other_wages, "工资-家庭成员"), ("hrss_pension", pensions, "养老金")):
        if rows:
            feed_file_import(actor=bureau, source_code=code, filename=f"{name}-{suffix}.csv", content=_csv(code, rows))
    for code in REQUIRED:  # every other reply: a complete extract of the period with no record for them
        feed_file_import(actor=bureau, source_code=code, filename=f"{source_get(code).name}-全量-{suffix}.csv",
                         content=_csv(code, []),
                         complete_extract=True, extract_period=(window_start, today))
    request = verification_request_create(actor=computer, household=household, purpose="dibao", note=NOTE)
    for person in members:
        scan = SimpleUploadedFile(f"授权书-{person.pk}.pdf", b"%PDF-1.4 demo authorisation " + str(person.pk).encode(),
                                  content_type="application/pdf")
        verification_authorisation_record(actor=computer, request=request, signed_by=person, signed_on=today,
                                          document=scan)
    result = verification_compute(actor=computer, request=request, as_of=today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE feeds_feedrecord")
    return (f"演示场景（失业→核对→认定→线索）：{head.name}家（家庭 {household.pk}），核对编号 {request.reference}，"
            f"核对结论“{result.get_outcome_display()}”，待街镇账号认定")
