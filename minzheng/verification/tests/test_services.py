import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minzheng.core.models import AuditEntry
from minzheng.feeds.models import FeedRecord
from minzheng.verification import selectors
from minzheng.verification.models import Outcome, Status
from minzheng.verification.services import (
    verification_authorisation_record,
    verification_compute,
    verification_report_generate,
    verification_request_create,
)
from minzheng.verification.tests.conftest import AS_OF, every_source_replied, feed, scan

MONTHS = [f"{y}-{m:02d}" for y, m in [(2023, m) for m in range(6, 13)] + [(2024, m) for m in range(1, 6)]]


def _authorised(users, household, *signers):
    vr = verification_request_create(actor=users["committee"], household=household, purpose="dibao")
    for person in signers:
        verification_authorisation_record(actor=users["committee"], request=vr, signed_by=person,
                                          signed_on=dt.date(2024, 6, 1), document=scan())
    return vr


@pytest.fixture
def known_rows(users, family):
    """Department rows with known amounts (see test_figures_from_known_feed_rows)."""
    _, head, spouse, _, ids = family
    wages = [{"id_number": ids["王建华"], "name": "王建华", "month": m, "employer": "松江制衣厂", "amount": "3000.00"}
             for m in ["2023-05", *MONTHS, "2024-06"]]  # May 2023 and June 2024 fall outside the window
    feed(users, "hrss_wages", wages)
    feed(users, "tax_income", [
        {"id_number": ids["王建华"], "name": "王建华", "month": "2024-03", "item": "工资薪金所得", "payer": "松江制衣厂", "amount": "3500.00"},
        {"id_number": ids["王建华"], "name": "王建华", "month": "2024-01", "item": "工资薪金所得", "payer": "松江制衣厂", "amount": "2800.00"},
        {"id_number": ids["王建华"], "name": "王建华", "month": "2023-08", "item": "劳务报酬所得", "payer": "某公司", "amount": "100.01"},
    ])
    feed(users, "hrss_pension", [{"id_number": ids["李梅"], "name": "李梅", "month": m, "scheme": "城镇职工基本养老保险",
                                  "amount": "1234.56"} for m in MONTHS])
    feed(users, "bank_deposits", [
        {"id_number": ids["王建华"], "name": "王建华", "bank": "工商银行", "account": "1111", "as_of": "2024-01-10", "balance": "20000.00"},
        {"id_number": ids["王建华"], "name": "王建华", "bank": "工商银行", "account": "1111", "as_of": "2024-05-20", "balance": "25000.50"},
        {"id_number": ids["李梅"], "name": "李梅", "bank": "农业银行", "account": "2222", "as_of": "2023-01-05", "balance": "99999.00"},
    ])
    feed(users, "securities", [{"id_number": ids["李梅"], "name": "李梅", "account": "A1", "as_of": "2024-06-01",
                                "market_value": "5000.00"}])
    feed(users, "vehicles", [{"id_number": ids["王建华"], "name": "王建华", "plate": "沪C00001", "vehicle_type": "残疾人机动轮椅车",
                              "registered_on": "2020-01-01", "status": "正常"}])
    every_source_replied(users, dt.date(2023, 6, 1), AS_OF)
    return family


@pytest.mark.django_db
def test_figures_from_known_feed_rows(users, known_rows):
    # given a household of three with 12 months of wages, a pension and deposits
    household, head, spouse, child, _ = known_rows
    vr = _authorised(users, household, head, spouse)
    # when the verification is computed on 15 June 2024
    result = verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    # then the window is June 2023 - May 2024
    assert (result.window_start, result.window_end) == (dt.date(2023, 6, 1), dt.date(2024, 5, 31))
    incomes = {f.person_id: f for f in result.figures.filter(kind="income")}
    # head: 10 months × 3000 + March (tax 3500 > 3000) + January (3000 > tax 2800) + 100.01 = 36600.01 → ÷12 = 3050.0008 → 3050.00
    assert incomes[head.pk].amount_fen == 305000
    # spouse: 1234.56 each month
    assert incomes[spouse.pk].amount_fen == 123456
    assert incomes[child.pk].amount_fen == 0 and incomes[child.pk].records.count() == 0
    assert result.monthly_income_fen == 428456
    assert result.per_capita_income_fen == 142819  # 428456 / 3 = 142818.67, half up
    # and each figure names exactly the records it used
    used = incomes[head.pk].records.all()
    assert used.count() == 13  # 12 months of wages (March from tax) + the labour income
    march = {(r.source, r.amount_fen) for r in used if r.month == dt.date(2024, 3, 1)}
    assert march == {("tax_income", 350000)}
    assert not used.filter(month=dt.date(2023, 5, 1)).exists()
    # deposits: the latest reply of account 1111 counts; the reply older than 365 days does not
    deposit = result.figures.get(kind="deposit")
    assert deposit.amount_fen == 2500050 and [r.amount_fen for r in deposit.records.all()] == [2500050]
    assert result.monetary_assets_fen == 2500050 + 500000
    # the mobility vehicle is listed but not counted
    assert result.vehicles == 0 and result.figures.get(kind="vehicle").records.count() == 1
    # June 2024 parameters: dibao standard 1510 × 3 = 4530 > 4284.56
    assert result.outcome == Outcome.BELOW_DIBAO
    assert {line["name"] for line in result.lines} >= {"dibao.standard", "low_income.income_line_ratio"}
    assert vr.status == Status.COMPUTED
    assert AuditEntry.objects.filter(action="verification.compute", object_id=str(vr.pk)).count() == 1


@pytest.mark.django_db
def test_a_car_puts_the_household_above_the_lines(users, known_rows):
    household, head, spouse, _, ids = known_rows
    feed(users, "vehicles", [{"id_number": ids["李梅"], "name": "李梅", "plate": "沪A88888", "vehicle_type": "小型汽车",
                              "registered_on": "2022-01-01", "status": "正常"}], filename="car.csv")
    vr = _authorised(users, household, head, spouse)
    result = verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    assert result.vehicles == 1 and result.outcome == Outcome.ABOVE_LINES
    assert any("机动车1辆" in f for f in result.findings)


@pytest.mark.django_db
def test_a_cancelled_vehicle_no_longer_counts(users, known_rows):
    household, head, spouse, _, ids = known_rows
    car = {"id_number": ids["李梅"], "name": "李梅", "plate": "沪A88888", "vehicle_type": "小型汽车", "registered_on": "2022-01-01"}
    feed(users, "vehicles", [{**car, "status": "正常"}], filename="car.csv")
    feed(users, "vehicles", [{**car, "status": "注销"}], filename="car-cancelled.csv")
    vr = _authorised(users, household, head, spouse)
    assert verification_compute(actor=users["committee"], request=vr, as_of=AS_OF).vehicles == 0


@pytest.mark.django_db
def test_missing_parameter_is_reported_not_guessed(users, family):
    # given a verification month before the first dibao standard (April 2019)
    household, head, spouse, _, _ = family
    every_source_replied(users, dt.date(2018, 3, 1), dt.date(2019, 3, 20))
    vr = _authorised(users, household, head, spouse)
    result = verification_compute(actor=users["committee"], request=vr, as_of=dt.date(2019, 3, 20))
    assert result.outcome == Outcome.UNDETERMINED
    assert any("dibao.standard" in f and "2019年3月没有有效值" in f for f in result.findings)


@pytest.mark.django_db
def test_computation_refused_without_authorisation(users, family):
    household, head, spouse, _, _ = family
    vr = verification_request_create(actor=users["committee"], household=household, purpose="medical")
    with pytest.raises(ValidationError, match="尚未登记家庭成员的授权书"):
        verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    verification_authorisation_record(actor=users["committee"], request=vr, signed_by=head,
                                      signed_on=dt.date(2024, 6, 1), document=scan())
    with pytest.raises(ValidationError, match="以下家庭成员尚未签署授权书，不能进行核对：李梅"):
        verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    assert vr.results.count() == 0


@pytest.mark.django_db
def test_authorisation_must_come_from_a_member_with_a_document(users, family, other_household, make_person):
    household, head, _, _, _ = family
    outsider = make_person("路人甲", dt.date(1970, 1, 1))
    vr = verification_request_create(actor=users["committee"], household=household, purpose="housing")
    with pytest.raises(ValidationError, match="不是该家庭的现有成员"):
        verification_authorisation_record(actor=users["committee"], request=vr, signed_by=outsider,
                                          signed_on=dt.date(2024, 6, 1), document=scan())
    with pytest.raises(ValidationError, match="PDF、JPG 或 PNG"):
        verification_authorisation_record(actor=users["committee"], request=vr, signed_by=head,
                                          signed_on=dt.date(2024, 6, 1), document=scan("auth.exe"))
    authorisation = verification_authorisation_record(actor=users["committee"], request=vr, signed_by=head,
                                                      signed_on=dt.date(2024, 6, 1), document=scan())
    assert authorisation.document.read().startswith(b"%PDF") and len(authorisation.document_sha256) == 64
    vr.refresh_from_db()
    assert vr.status == Status.AUTHORISED


@pytest.mark.django_db
def test_report_pdf_is_generated_and_stored(users, known_rows):
    household, head, spouse, _, _ = known_rows
    vr = _authorised(users, household, head, spouse)
    result = verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    report = verification_report_generate(actor=users["committee"], result=result)
    content = report.pdf.read()
    assert content.startswith(b"%PDF") and len(content) > 2000
    vr.refresh_from_db()
    assert vr.status == Status.REPORTED
    assert AuditEntry.objects.filter(action="verification.report_generate").count() == 1


@pytest.mark.django_db
def test_scope_and_roles_in_services(users, family, other_household):
    household, head, _, _, _ = family
    with pytest.raises(Exception, match="不在您的辖区内"):
        verification_request_create(actor=users["other_street"], household=household, purpose="dibao")
    with pytest.raises(PermissionDenied):
        verification_request_create(actor=users["auditor"], household=household, purpose="dibao")
    with pytest.raises(PermissionDenied):
        verification_request_create(actor=users["advisor"], household=household, purpose="dibao")
    with pytest.raises(ValidationError, match="核对用途"):
        verification_request_create(actor=users["street"], household=household, purpose="lottery")


@pytest.mark.django_db
def test_queue_counts_and_yearly_count_are_scoped(users, family, other_household):
    household = family[0]
    first = verification_request_create(actor=users["committee"], household=household, purpose="dibao")
    verification_request_create(actor=users["street"], household=household, purpose="education")
    verification_request_create(actor=users["bureau"], household=other_household, purpose="rural_hardship")
    year = first.created_at.year
    assert selectors.verification_yearly_count(users["bureau"], year) == 3
    assert selectors.verification_yearly_count(users["street"], year) == 2
    assert selectors.verification_yearly_count(users["other_street"], year) == 1
    assert selectors.verification_yearly_count(users["advisor"], year) == 0
    assert selectors.request_status_counts(users["committee"])[Status.AWAITING_AUTHORISATION] == 2
    assert first.reference.startswith(f"HD{year}-") and first.reference.endswith("000001")


@pytest.mark.django_db
def test_records_are_not_copied_into_results(users, known_rows):
    household, head, spouse, _, _ = known_rows
    before = FeedRecord.objects.count()
    vr = _authorised(users, household, head, spouse)
    verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    assert FeedRecord.objects.count() == before and vr.results.count() == 2


@pytest.mark.django_db
def test_two_securities_accounts_with_the_same_last_four_are_both_counted(users, family):
    from minzheng.verification.computation import compute_figures

    household, head, spouse, child, ids = family
    feed(users, "securities", [
        {"id_number": ids["李梅"], "name": "李梅", "account": "A000001234", "as_of": "2024-06-01", "market_value": "5000.00"},
        {"id_number": ids["李梅"], "name": "李梅", "account": "B000001234", "as_of": "2024-06-01", "market_value": "3000.00"},
    ])
    figures = compute_figures(user=users["bureau"], members=[head, spouse, child], as_of=AS_OF)
    assert figures.securities_fen == 800000


@pytest.mark.django_db
def test_an_employed_members_wages_are_counted_less_the_disregard(users, known_rows):
    # given the head is employed (registry 在职): his wage average is his earned income (REFERENCE §1)
    from minzheng.registry.services import person_update

    household, head, spouse, _, _ = known_rows
    person_update(actor=users["bureau"], person=head, employment="employed")
    vr = _authorised(users, household, head, spouse)
    result = verification_compute(actor=users["committee"], request=vr, as_of=AS_OF)
    # wages 36500.00 ÷ 12 = 3041.67 earned; 870 of it is not counted; the labour-service 100.01 is other income
    assert result.member_income[str(head.pk)]["earned_fen"] == 304167
    assert any("就业人员收入豁免：王建华为就业人员，月均劳动收入3,041.67元，豁免870.00元" in f for f in result.findings)
    assert any("家庭计入收入合计3,414.56元" in f for f in result.findings)
    assert any("人均计入收入低于低保标准" in f for f in result.findings)
    assert result.outcome == Outcome.BELOW_DIBAO
    assert result.monthly_income_fen == 428456  # the whole income is still reported as such


@pytest.mark.django_db
def test_an_unknown_disregard_leaves_an_earners_household_undetermined(users, family):
    # given a verification in June 2023, before the disregard has a value, and an employed head with wages
    from minzheng.registry.services import person_update

    household, head, spouse, _, ids = family
    person_update(actor=users["bureau"], person=head, employment="employed")
    feed(users, "hrss_wages", [{"id_number": ids["王建华"], "name": "王建华", "month": "2023-05",
                                "employer": "松江制衣厂", "amount": "3000.00"}])
    every_source_replied(users, dt.date(2022, 6, 1), dt.date(2023, 6, 15))
    vr = _authorised(users, household, head, spouse)
    result = verification_compute(actor=users["committee"], request=vr, as_of=dt.date(2023, 6, 15))
    assert result.outcome == Outcome.UNDETERMINED
    assert any("王建华为就业人员且有劳动收入" in f and "2023年6月没有有效值" in f and "参数缺失" in f
               for f in result.findings)
