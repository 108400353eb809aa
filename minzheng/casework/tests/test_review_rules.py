"""Deadlines in working days, the public notice (masking, period, objections),
decision letters, enrolment on approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.casework import selectors, services
from minzheng.casework.deadlines import deadlines_refresh
from minzheng.casework.models import Enrolment, Status
from minzheng.casework.notices import notice_pdf, notice_rows
from minzheng.casework.tests.conftest import STEP_DATES, walk
from minzheng.core.workdays import holiday_year_record

D = dt.date


@pytest.mark.django_db
def test_deadline_across_national_day_2025(users, new_case):
    # given an application on Friday 2025-09-26, before the National Day week (10-01..10-08 off,
    # Sunday 09-28 and Saturday 10-11 working days)
    application = new_case(on=D(2025, 9, 26))
    # then acceptance (5 working days) is due on 10-10: 09-28, 09-29, 09-30, 10-09, 10-10
    assert (application.due_action, application.due_on) == ("accept", D(2025, 10, 10))
    # and the case is overdue on 10-11 but not on 10-10
    assert selectors.application_list(users["street"], today=D(2025, 10, 10), overdue=True).count() == 0
    assert selectors.application_list(users["street"], today=D(2025, 10, 11), overdue=True).count() == 1
    assert selectors.application_counts(users["street"], today=D(2025, 10, 11))["overdue"] == 1
    # when accepted late, the step row remembers it was late; the overall 30 working days start
    services.application_accept(actor=users["street"], application=application, on=D(2025, 10, 13))
    step = application.steps.get(action="accept")
    assert step.was_due_on == D(2025, 10, 10) and step.late
    assert application.overall_due_on == D(2025, 11, 24)


@pytest.mark.django_db
def test_deadline_across_spring_festival_2026(users, new_case):
    # given an application on Friday 2026-02-13 (Saturday 02-14 works, 02-15..02-23 off)
    application = new_case(on=D(2026, 2, 13))
    # then acceptance is due 02-14, 02-24, 02-25, 02-26, 02-27
    assert application.due_on == D(2026, 2, 27)


@pytest.mark.django_db
def test_deadline_past_the_known_years_is_left_open_with_the_reason(users, new_case):
    # given an application at the end of 2026, with no 2027 arrangement recorded
    application = new_case(on=D(2026, 12, 28))
    # then the case is recorded but its deadline is not guessed
    assert application.due_on is None
    assert "2027年节假日安排尚未录入" in application.deadline_note
    assert selectors.application_counts(users["street"], today=D(2026, 12, 29))["undated"] == 1
    # when the bureau records 2027 and refreshes
    holiday_year_record(actor=users["bureau"], year=2027, source="国办发明电〔2026〕×号",
                        holidays=[(D(2027, 1, 1), "元旦")], workdays=[])
    assert deadlines_refresh(actor=users["bureau"]) == 1
    application.refresh_from_db()
    # then 12-29, 12-30, 12-31, 01-04, 01-05
    assert application.due_on == D(2027, 1, 5) and application.deadline_note == ""


@pytest.mark.django_db
def test_public_notice_masks_names_and_id_numbers(users, new_case, family):
    # given a case in notice from 2025-09-15
    application = walk(new_case(), users, Status.IN_NOTICE)
    notice = application.notice
    assert (notice.starts_on, notice.ends_on) == (D(2025, 9, 15), D(2025, 9, 21))
    # when the committee's notice list is read on 09-18
    notices = selectors.committee_notices(users["committee"], application.committee, on=D(2025, 9, 18))
    rows = notice_rows(notices)
    # then the name and the ID number are masked
    assert rows[0].name == "张*明"
    assert rows[0].id_number.startswith("310117***********") and len(rows[0].id_number) == 18
    assert rows[0].household_size == 2
    # and the printable list is a PDF
    pdf = notice_pdf(committee=application.committee, street=application.street, rows=rows, on=D(2025, 9, 18))
    assert pdf.startswith(b"%PDF")
    # and after the period the list is empty
    assert not selectors.committee_notices(users["committee"], application.committee, on=D(2025, 9, 22)).exists()


@pytest.mark.django_db
def test_notice_period_blocks_approval(users, new_case):
    application = walk(new_case(), users, Status.IN_NOTICE)
    # when the bureau approves on the last day of the notice
    with pytest.raises(ValidationError, match="公示期至2025年9月21日止，公示期内不能审批"):
        services.application_approve(actor=users["bureau"], application=application, agree=True,
                                     reasons="同意", on=D(2025, 9, 21))
    # then the next day it may
    services.application_approve(actor=users["bureau"], application=application, agree=True, reasons="同意",
                                 on=D(2025, 9, 22))


@pytest.mark.django_db
def test_unresolved_objection_blocks_approval(users, new_case):
    # given an objection received during the notice
    application = walk(new_case(), users, Status.IN_NOTICE)
    objection = services.objection_record(actor=users["committee"], application=application,
                                          content="该户有一辆私家车", raised_by="匿名", received_on=D(2025, 9, 17))
    # when the bureau approves after the period
    with pytest.raises(ValidationError, match="异议尚有1件未处理"):
        services.application_approve(actor=users["bureau"], application=application, agree=True,
                                     reasons="同意", on=D(2025, 9, 25))
    # then the committee cannot resolve it; the street can, and approval follows
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.objection_resolve(actor=users["committee"], objection=objection, upheld=False, resolution="x")
    services.objection_resolve(actor=users["street"], objection=objection, upheld=False,
                               resolution="经核实车辆已于2024年过户", on=D(2025, 9, 24))
    services.application_approve(actor=users["bureau"], application=application, agree=True, reasons="同意",
                                 on=D(2025, 9, 25))
    assert selectors.application_archive(application)["objections"][0].resolved


@pytest.mark.django_db
def test_decision_letter_and_enrolment_on_approval(users, new_case):
    # given a dibao case approved on 2025-09-24 (standard 1,650 from 2025-07; incomes 600 + 0)
    application = walk(new_case(), users, Status.ENROLLED)
    letter = application.letters.get()
    # then a stored PDF letter was issued by the bureau
    assert letter.outcome == "approve" and letter.issuer == "上海市松江区民政局"
    assert letter.number == "松民救决〔2025〕0001号"
    letter.file.open("rb")
    assert letter.file.read().startswith(b"%PDF")
    # and the household is enrolled from October with the engine's amount: (1650 − 300) × 2
    enrolment = Enrolment.objects.get(application=application)
    assert (enrolment.household_id, enrolment.person_id) == (application.household_id, None)
    assert enrolment.start_month == "2025-10" and enrolment.status == "active"
    assert enrolment.monthly_amount_fen == 270000 == letter.monthly_amount_fen
    assert enrolment.amount_basis["month"] == "2025-10"
    # and (members able to work: 《最低生活保障审核确认办法》第三十一条) re-review in six months
    assert enrolment.has_able_member and enrolment.next_review_on == D(2026, 3, 24)


@pytest.mark.django_db
def test_person_level_program_enrols_the_applicant(users, new_case, family):
    from minzheng.registry.services import disability_certificate_add

    disability_certificate_add(actor=users["bureau"], person=family.wife, grade=1, kind="肢体",
                               valid_from=D(2020, 1, 1))
    application = walk(new_case("disability_care_subsidy", applicant=family.wife), users, Status.ENROLLED)
    enrolment = application.enrolments.get()
    # then the person (not the household) is enrolled, approved by the street (default for the two subsidies)
    assert enrolment.person_id == family.wife.pk and enrolment.household_id == family.household.pk
    assert application.letters.get().issuer == "岳阳街道办事处"
    assert enrolment.monthly_amount_fen == 35000  # grade 1 care subsidy from 2025-07
    assert not enrolment.has_able_member and enrolment.next_review_on == D(2027, 9, 24)


@pytest.mark.django_db
def test_documents_are_kept_with_their_hash(users, new_case):
    application = new_case()
    document = services.document_attach(actor=users["committee"], application=application, kind="申请书",
                                        name="申请书.pdf", content=b"%PDF-1.4 test")
    assert document.size == 13 and len(document.sha256) == 64
    with pytest.raises(ValidationError, match="材料类型"):
        services.document_attach(actor=users["committee"], application=application, kind="照片", name="a.jpg",
                                 content=b"x")
    assert STEP_DATES["apply"] == application.applied_on


@pytest.mark.django_db
@pytest.mark.parametrize("name, refusal", [("street", "不能办理“重新计算办理期限”"),
                                           ("committee", "不能办理“重新计算办理期限”"),
                                           ("auditor", "不能办理“重新计算办理期限”")])
def test_deadlines_refresh_is_for_the_bureau_or_a_system_job(users, name, refusal):
    from django.core.exceptions import PermissionDenied

    from minzheng.core.models import AuditEntry

    with pytest.raises(PermissionDenied, match=refusal):
        deadlines_refresh(actor=users[name])
    assert not AuditEntry.objects.filter(action="casework.deadlines_refresh").exists()
    assert deadlines_refresh(actor=users["bureau"]) == 0
    assert deadlines_refresh(actor="nightly-job") == 0
