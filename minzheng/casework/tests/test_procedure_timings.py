"""The national procedure timings (REFERENCE §15): deadlines with their
articles across holidays, the extension of the review period (dibao 第二十二条),
refusal and 不予受理 letters, the extreme-poverty spot check (特困 第十六条),
and the recompute after the timings changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.casework import letters, services
from minzheng.casework.deadlines import deadlines_refresh, milestones, overall_basis, step_basis
from minzheng.casework.models import (
    Application,
    CaseStep,
    DecisionLetter,
    SpotCheck,
    SpotCheckDraw,
    Status,
)
from minzheng.casework.procedure_timings import citation, default_values
from minzheng.casework.program_settings import program_setting
from minzheng.casework.spot_checks import (
    draw_ids,
    draw_reproduce,
    draw_size,
    spot_check_draw,
    spot_check_problem,
    spot_check_record,
)
from minzheng.casework.tests.conftest import walk
from minzheng.casework.transitions import allowed_actions
from minzheng.core.models import AuditEntry
from minzheng.core.permissions import NotPermitted

D = dt.date


def _accepted(users, new_case, on: dt.date, program: str = "dibao", applicant=None) -> Application:
    application = new_case(program=program, applicant=applicant, on=on - dt.timedelta(days=1))
    services.application_accept(actor=users["street"], application=application, on=on)
    application.refresh_from_db()
    return application


# --- the values and their articles ---------------------------------------------

def test_defaults_are_the_national_values_with_their_articles():
    dibao, extreme = default_values("dibao"), default_values("extreme_poverty")
    assert (dibao["survey_start_days"], dibao["notice_days"], dibao["approve_days"], dibao["decide_days"],
            dibao["total_days"], dibao["extended_total_days"]) == (3, 7, 10, 3, 30, 45)
    assert (dibao["rereview_months_stable"], dibao["rereview_months_able"]) == (12, 6)
    assert (extreme["street_opinion_days"], extreme["notice_days"], extreme["approve_days"],
            extreme["decide_days"], extreme["total_days"]) == (15, 7, 15, 3, None)
    assert citation("dibao", "approve_days", 10) == "《最低生活保障审核确认办法》第二十条：10个工作日"
    assert citation("extreme_poverty", "approve_days", 15) == "《特困人员认定办法》第十六条：15个工作日"
    # a value the bureau changed, and a step the rules do not give, have no article
    assert citation("dibao", "approve_days", 12) == ""
    assert citation("dibao", "accept_days", 5) == ""
    assert citation("low_income", "total_days", 30) == ""


@pytest.mark.django_db
def test_survey_start_and_overall_deadline_skip_national_day(users, new_case):
    # given a dibao application accepted on Tuesday 2025-09-30, the eve of National Day
    # (10-01..10-08 off, Saturday 10-11 a make-up working day)
    application = _accepted(users, new_case, D(2025, 9, 30))
    setting = program_setting("dibao")
    # then the survey must start by 10-11: 10-09, 10-10, 10-11 (第十五条: 3 working days)
    survey = milestones(application, setting)[0]
    assert (survey.label, survey.due_on, survey.met_on) == ("启动家庭经济状况调查", D(2025, 10, 11), None)
    assert survey.basis == "《最低生活保障审核确认办法》第十五条：3个工作日"
    # and the whole review by 11-18 (第二十二条: 30 working days)
    assert application.overall_due_on == D(2025, 11, 18)
    assert overall_basis(application, setting) == "《最低生活保障审核确认办法》第二十二条：30个工作日"
    # and the pending step (核对) is our own split: no article
    assert application.due_action == "verify" and step_basis(application, setting) == ""


@pytest.mark.django_db
def test_district_opinion_is_due_ten_working_days_after_the_notice(users, new_case):
    # given a dibao case in notice from 2025-09-15 (7 days: to 09-21)
    application = walk(new_case(), users, Status.IN_NOTICE)
    # then the district's opinion is due 10 working days after it receives the file: 09-22..09-26,
    # Sunday 09-28 (make-up), 09-29, 09-30, then (National Day off) 10-09, 10-10
    assert application.notice.ends_on == D(2025, 9, 21)
    assert (application.due_action, application.due_on) == ("approve", D(2025, 10, 10))
    assert step_basis(application, program_setting("dibao")) == "《最低生活保障审核确认办法》第二十条：10个工作日"
    # and once approved (refused), the written decision is due within 3 working days (第二十一条)
    services.application_approve(actor=users["bureau"], application=application, agree=False, reasons="收入超标",
                                 on=D(2025, 9, 23))
    application.refresh_from_db()
    assert (application.due_action, application.due_on) == ("decide", D(2025, 9, 26))
    assert step_basis(application, program_setting("dibao")) == "《最低生活保障审核确认办法》第二十一条：3个工作日"


@pytest.mark.django_db
def test_extreme_poverty_street_steps_are_capped_at_fifteen_working_days(users, new_case, family):
    # given an extreme-poverty application accepted on 2025-09-30
    application = _accepted(users, new_case, D(2025, 9, 30), program="extreme_poverty")
    setting = program_setting("extreme_poverty")
    # then the street's investigation and first opinion are due within 15 working days (第十三条):
    # 10-09, 10-10, Saturday 10-11 (make-up), 10-13 .. 10-28, and no step of the street is due later
    opinion = milestones(application, setting)[0]
    assert (opinion.label, opinion.due_on) == ("调查并提出初审意见", D(2025, 10, 28))
    assert opinion.basis == "《特困人员认定办法》第十三条：15个工作日"
    assert application.due_on <= D(2025, 10, 28)
    # and the rules give no overall limit, so none is invented
    assert application.overall_due_on is None


# --- the extension (第二十二条) ----------------------------------------------------

@pytest.mark.django_db
def test_extension_moves_the_overall_deadline_to_45_working_days_once(users, new_case):
    # given a dibao case accepted on 2025-09-30 (30 working days: 11-18)
    application = _accepted(users, new_case, D(2025, 9, 30))
    assert application.overall_due_on == D(2025, 11, 18)
    due_before = application.due_on
    # then the district sees the step; the street may not take it
    assert "extend" in [a.action for a in allowed_actions(users["bureau"], application, D(2025, 11, 10))]
    with pytest.raises(NotPermitted, match="延长审核期限"):
        services.application_extend(actor=users["street"], application=application, reasons="需补充调查家庭财产",
                                    on=D(2025, 11, 10))
    # and a reason of fewer than 5 characters is refused
    for reasons in ("", "   ", "补充调查"):
        with pytest.raises(ValidationError, match="请写明延长审核期限的理由"):
            services.application_extend(actor=users["bureau"], application=application, reasons=reasons,
                                        on=D(2025, 11, 10))
    # when the district extends it with a reason
    services.application_extend(actor=users["bureau"], application=application,
                                reasons="申请人在外地住院，需补充调查", on=D(2025, 11, 10))
    application.refresh_from_db()
    # then the whole review runs to 45 working days from acceptance: 12-09; the step deadline is unchanged
    assert application.overall_due_on == D(2025, 12, 9) and application.due_on == due_before
    assert application.extended_on == D(2025, 11, 10)
    assert overall_basis(application, program_setting("dibao")) == (
        "《最低生活保障审核确认办法》第二十二条：45个工作日")
    step = CaseStep.objects.get(application=application, action="extend")
    assert (step.label, step.from_status, step.to_status) == ("延长审核期限", Status.ACCEPTED, Status.ACCEPTED)
    entry = AuditEntry.objects.filter(action="application.extend", object_id=str(application.pk)).get()
    assert entry.changes["reasons"] == "申请人在外地住院，需补充调查"
    # and it cannot be extended a second time
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.application_extend(actor=users["bureau"], application=application, reasons="再次延长审核期限",
                                    on=D(2025, 11, 20))
    assert "extend" not in [a.action for a in allowed_actions(users["bureau"], application, D(2025, 11, 20))]


@pytest.mark.django_db
def test_extension_after_the_period_ended_or_without_the_rule_is_refused(users, new_case, family):
    # given a dibao case whose 30 working days ended on 11-18
    application = _accepted(users, new_case, D(2025, 9, 30))
    # then it cannot be extended after the fact
    with pytest.raises(ValidationError, match="届满后不能再延长"):
        services.application_extend(actor=users["bureau"], application=application,
                                    reasons="申请人在外地住院，需补充调查", on=D(2025, 11, 19))
    # but on the last day it can
    services.application_extend(actor=users["bureau"], application=application,
                                reasons="申请人在外地住院，需补充调查", on=D(2025, 11, 18))
    # and extreme poverty has no extension (its rules give no overall limit)
    other = _accepted(users, new_case, D(2025, 9, 30), program="extreme_poverty", applicant=family.wife)
    with pytest.raises(ValidationError, match="无延长期限的规定"):
        services.application_extend(actor=users["bureau"], application=other, reasons="需补充调查家庭情况",
                                    on=D(2025, 10, 9))


# --- letters -----------------------------------------------------------------------

@pytest.fixture
def letter_texts(monkeypatch):
    """Every paragraph a letter renders (no PDF text extraction library in the venv)."""
    texts: list[str] = []
    real = letters.paragraph

    def spy(text, *args, **kwargs):
        texts.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(letters, "paragraph", spy)
    return texts


@pytest.mark.django_db
def test_refusal_letter_states_the_reasons(users, new_case, letter_texts):
    # given a dibao case the district refuses on 2025-09-23
    application = walk(new_case(), users, Status.IN_NOTICE)
    services.application_approve(actor=users["bureau"], application=application, agree=False,
                                 reasons="公示期间核实家庭存款超过规定", on=D(2025, 9, 23))
    application.refresh_from_db()
    # when the decision is made within the 3 working days
    letter = services.application_decide(actor=users["bureau"], application=application, on=D(2025, 9, 24))
    # then a 不予批准决定书 with the reasons is stored as a PDF, downloadable from the case
    assert letter.outcome == "deny" and letter.reasons == "公示期间核实家庭存款超过规定"
    letter.file.open("rb")
    assert letter.file.read().startswith(b"%PDF")
    assert "最低生活保障不予批准决定书" in letter_texts and "理由：公示期间核实家庭存款超过规定" in letter_texts
    assert application.steps.get(action="decide").late is False
    client = _client(users["street"])
    response = client.get(f"/cases/{application.pk}/letters/{letter.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_not_accepted_letter_with_reasons_and_remedies(users, new_case, letter_texts):
    # given a new application
    application = new_case()
    # when the street does not accept it
    services.application_reject(actor=users["street"], application=application, reasons="户籍不在本市，不符合申请条件",
                                on=D(2025, 9, 2))
    # then a 不予受理通知书 is issued by the street the same day, with the reasons and the remedies
    letter = DecisionLetter.objects.get(application=application)
    assert (letter.outcome, letter.issued_on, letter.issuer) == ("reject", D(2025, 9, 2), "岳阳街道办事处")
    assert letter.reasons == "户籍不在本市，不符合申请条件"
    letter.file.open("rb")
    assert letter.file.read().startswith(b"%PDF")
    assert "最低生活保障申请不予受理通知书" in letter_texts
    assert "理由：户籍不在本市，不符合申请条件" in letter_texts
    assert any("行政复议" in t and "本通知书" in t for t in letter_texts)
    assert application.steps.get(action="reject").data["letter"] == letter.number
    # and the case page lists it for download
    page = _client(users["street"]).get(f"/cases/{application.pk}/").content.decode()
    assert "不予受理通知书" in page and f"/letters/{letter.pk}.pdf" in page


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- the spot check (特困 第十六条) --------------------------------------------

def test_draw_size_is_the_ceiling_of_thirty_percent():
    assert [draw_size(n) for n in (0, 1, 2, 3, 4, 10, 11)] == [0, 1, 1, 1, 2, 3, 4]


def test_draw_is_reproducible_from_its_seed():
    ids = list(range(100, 120))
    first = draw_ids(ids, seed=42)
    assert len(first) == 6 and set(first) <= set(ids)
    assert draw_ids(list(reversed(ids)), seed=42) == first  # order of the queue does not matter
    assert any(draw_ids(ids, seed=s) != first for s in range(43, 48))


@pytest.mark.django_db
def test_spot_check_draw_records_and_gates_confirmation(users, new_case, family):
    # given two extreme-poverty files in notice until 09-21 (head and wife)
    files = [walk(new_case(program="extreme_poverty", applicant=p), users, Status.IN_NOTICE)
             for p in (family.head, family.wife)]
    # then neither can be confirmed before a draw
    assert "认定抽查" in spot_check_problem(files[0])
    with pytest.raises(ValidationError, match="认定抽查"):
        services.application_approve(actor=users["bureau"], application=files[0], agree=True, reasons="同意",
                                     on=D(2025, 9, 23))
    # and the street cannot draw
    with pytest.raises(NotPermitted):
        spot_check_draw(actor=users["street"], on=D(2025, 9, 23), seed=7)
    # when the district draws on 09-23 with a recorded seed
    draw = spot_check_draw(actor=users["bureau"], on=D(2025, 9, 23), seed=7)
    # then ceil(30% × 2) = 1 file is drawn, every file is recorded, and the draw is audited and reproducible
    assert sorted(draw.population) == sorted(a.pk for a in files) and draw.seed == 7
    drawn = list(SpotCheck.objects.filter(draw=draw, drawn=True).values_list("application_id", flat=True))
    assert len(drawn) == 1 and SpotCheck.objects.filter(draw=draw).count() == 2
    assert draw_reproduce(draw) == {"identical": True, "drawn": drawn}
    assert drawn == draw_ids([a.pk for a in files], seed=7)
    audit = AuditEntry.objects.get(action="casework.spot_check.draw")
    assert audit.changes["seed"] == 7 and audit.changes["drawn"] == drawn
    # and a second draw finds nothing new
    with pytest.raises(ValidationError, match="没有待确认且尚未抽查的案卷"):
        spot_check_draw(actor=users["bureau"], on=D(2025, 9, 24), seed=8)
    assert SpotCheckDraw.objects.count() == 1
    # and the drawn file waits for its in-person check; the other can be confirmed
    chosen = next(a for a in files if a.pk == drawn[0])
    other = next(a for a in files if a.pk != drawn[0])
    with pytest.raises(ValidationError, match="入户抽查"):
        services.application_approve(actor=users["bureau"], application=chosen, agree=True, reasons="同意",
                                     on=D(2025, 9, 24))
    services.application_approve(actor=users["bureau"], application=other, agree=True, reasons="同意",
                                 on=D(2025, 9, 24))
    check = chosen.spot_checks.get()
    with pytest.raises(ValidationError, match="请填写入户抽查情况"):
        spot_check_record(actor=users["bureau"], check=check, findings=" ")
    spot_check_record(actor=users["bureau"], check=check, findings="入户核实，与申报一致",
                      checked_on=D(2025, 9, 24))
    assert AuditEntry.objects.filter(action="casework.spot_check.record").count() == 1
    services.application_approve(actor=users["bureau"], application=chosen, agree=True, reasons="同意",
                                 on=D(2025, 9, 25))
    # and the confirmation letter follows; support starts the month after (第十七条)
    letter = services.application_decide(actor=users["bureau"], application=chosen, on=D(2025, 9, 26))
    assert letter.start_month == "2025-10"
    # and the page lists the draw
    page = _client(users["bureau"]).get("/cases/spot-checks/").content.decode()
    assert chosen.number in page and "已抽查" in page and "第十六条" in page


# --- recompute after the change of rules -------------------------------------

@pytest.mark.django_db
def test_recompute_brings_open_cases_to_the_current_timings(users, new_case):
    # given an open dibao case whose deadlines were stored under the former assumptions
    application = walk(new_case(), users, Status.IN_NOTICE)
    Application.objects.filter(pk=application.pk).update(due_on=D(2025, 10, 31), overall_due_on=D(2025, 12, 31))
    # when the deadlines of every open case are recomputed (manage.py casework_deadlines_recompute)
    assert deadlines_refresh(actor="casework_deadlines_recompute", all_open=True) == 1
    application.refresh_from_db()
    # then they follow the national rules again
    assert (application.due_on, application.overall_due_on) == (D(2025, 10, 10), D(2025, 10, 20))


# --- the pages show each deadline with its article ------------------------------

@pytest.mark.django_db
def test_case_page_and_settings_page_show_the_articles(users, new_case):
    client = _client(users["bureau"])
    # given a dibao case waiting for acceptance: our own assumption, still marked
    today = dt.date.today()
    application = new_case(on=today)
    page = client.get(f"/cases/{application.pk}/").content.decode()
    assert "此期限尚未核实" in page
    # when accepted today, the survey start and the overall limit show their articles,
    # and the district is offered the extension while the 30 working days run
    services.application_accept(actor=users["street"], application=application, on=today)
    page = client.get(f"/cases/{application.pk}/").content.decode()
    assert "《最低生活保障审核确认办法》第十五条：3个工作日" in page
    assert "《最低生活保障审核确认办法》第二十二条：30个工作日" in page
    assert 'id="action-extend"' in page and "延长理由（不少于5个字）" in page
    # and once extended, the case shows it with its reason and the 45 days
    services.application_extend(actor=users["bureau"], application=application, reasons="申请人住院，需补充调查",
                                on=today)
    page = client.get(f"/cases/{application.pk}/").content.decode()
    assert "已延长审核期限" in page and "申请人住院，需补充调查" in page
    assert "《最低生活保障审核确认办法》第二十二条：45个工作日" in page
    assert 'id="action-extend"' not in page
    # and the settings page lists every official value with its article, assumptions marked
    page = client.get("/cases/settings/").content.decode()
    assert "《特困人员认定办法》第十六条：15个工作日" in page
    assert "《最低生活保障审核确认办法》第二十条：10个工作日" in page
    assert "《最低生活保障审核确认办法》第三十一条：6个月" in page
    assert "此期限尚未核实" in page


@pytest.mark.django_db
def test_an_employed_member_of_any_age_means_the_six_monthly_review(users, make_person):
    from minzheng.casework.review_schedule import has_able_member, next_review_date

    # given a 62-year-old who still works, and one who does not
    worker = make_person("王建国", D(1963, 3, 1), employment="employed")
    retired = make_person("王建华", D(1963, 4, 1), employment="retired")
    # then the worker's income is read as irregular: six months (第三十一条); the retiree's as stable: a year
    assert has_able_member(household=None, person=worker, on=D(2025, 9, 1))
    assert not has_able_member(household=None, person=retired, on=D(2025, 9, 1))
    assert next_review_date(program="dibao", able=True, start=D(2025, 9, 1)) == D(2026, 3, 1)
    assert next_review_date(program="dibao", able=False, start=D(2025, 9, 1)) == D(2026, 9, 1)


@pytest.mark.django_db
def test_recompute_command_brings_reviews_forward_to_the_new_cadence(users, new_case):
    from io import StringIO

    from django.core.management import call_command

    from minzheng.casework.models import Enrolment

    # given an enrolment decided on 2025-09-24 whose review was scheduled under the former 12 months
    enrolment = walk(new_case(), users, Status.ENROLLED).enrolments.get()
    Enrolment.objects.filter(pk=enrolment.pk).update(next_review_on=D(2026, 9, 24))
    # when the recompute command runs after migrating
    out = StringIO()
    call_command("casework_deadlines_recompute", stdout=out)
    # then the review is brought forward to six months after the decision (第三十一条), and recorded
    enrolment.refresh_from_db()
    assert enrolment.next_review_on == D(2026, 3, 24)
    assert enrolment.events.filter(kind="rescheduled").get().kind_label == "调整复核日期"
    assert "1 个保障对象" in out.getvalue()
    # and running it again changes nothing
    call_command("casework_deadlines_recompute", stdout=StringIO())
    assert enrolment.events.filter(kind="rescheduled").count() == 1
