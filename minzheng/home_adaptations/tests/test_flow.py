"""An adaptation from application to a queued one-off payment; the refusals (ADR 0034)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minzheng.core.errors import StateConflict
from minzheng.home_adaptations import selectors, services
from minzheng.home_adaptations.models import CatalogueItem, Status, YearTarget
from minzheng.payments.models import OneOffPayment, OneOffStatus

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
USCC = "91310117MA1FL0KX2B"


def _valid_uscc() -> str:
    from stdnum.cn import uscc

    body = "91310117MA1FL0KX2"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def application(users, make_person):
    elder = make_person(name="改造老人", birth=dt.date(1945, 4, 1))
    return services.application_create(actor=users["committee"], elder=elder, address="岳阳街道某路1号",
                                       applied_on=dt.date(2026, 3, 1), today=dt.date(2026, 3, 1))


def _through_acceptance(users, application, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    street = users["street"]
    bar, slip = CatalogueItem.objects.get(code="grab_bar"), CatalogueItem.objects.get(code="anti_slip")
    services.assessment_record(actor=street, application=application, assessed_on=dt.date(2026, 3, 5),
                               assessor="评估员李", lines=[(bar, 2), (slip, 5)])
    contractor = services.contractor_create(actor=users["bureau"], name="演示装修有限公司", uscc=_valid_uscc())
    services.contractor_assign(actor=street, application=application, contractor=contractor,
                               contracted_on=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError, match="完工照片"):
        services.completion_record(actor=street, application=application, completed_on=dt.date(2026, 3, 20))
    with pytest.raises(ValidationError, match="PNG或JPEG"):
        services.photo_attach(actor=street, application=application, name="x.pdf", content=b"%PDF-1.4")
    services.photo_attach(actor=street, application=application, name="完工.png", content=PNG)
    services.completion_record(actor=street, application=application, completed_on=dt.date(2026, 3, 20))
    slip_line = application.lines.get(item=slip)
    bar_line = application.lines.get(item=bar)
    services.acceptance_record(actor=street, application=application, accepted_on=dt.date(2026, 3, 25),
                               accepted_by="验收员张", accepted_line_ids=[bar_line.pk])
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert not application.lines.get(pk=slip_line.pk).accepted
    return bar


def test_flow_to_a_queued_one_off_payment(users, application, tmp_path, settings):
    bar = _through_acceptance(users, application, tmp_path, settings)
    # no subsidy share configured: refused, never guessed
    with pytest.raises(ValidationError, match="参数缺失"):
        services.subsidy_request(actor=users["bureau"], application=application)
    assert not OneOffPayment.objects.exists()
    services.item_update(actor=users["bureau"], item=bar, unit_price_fen=bar.unit_price_fen,
                         price_basis="测试价格", subsidy_percent=50, subsidy_basis="测试文件")
    services.subsidy_request(actor=users["bureau"], application=application)
    application.refresh_from_db()
    # only the accepted line (2 × 300.00 元 × 50%), at the price of the assessment
    assert application.subsidy_fen == 2 * 30000 // 2
    assert application.status == Status.SUBSIDISED
    payment = OneOffPayment.objects.get()
    assert (payment.program, payment.payee_id, payment.amount_fen, payment.status) == (
        "home_adaptation", application.elder_id, 30000, OneOffStatus.QUEUED)
    with pytest.raises(StateConflict):
        services.subsidy_request(actor=users["bureau"], application=application)


def test_steps_in_order_and_permissions(users, application):
    from minzheng.core.permissions import NotPermitted

    with pytest.raises(StateConflict):
        services.completion_record(actor=users["street"], application=application, completed_on=dt.date(2026, 3, 2))
    with pytest.raises(NotPermitted):
        services.assessment_record(actor=users["committee"], application=application,
                                   assessed_on=dt.date(2026, 3, 2), assessor="x",
                                   lines=[(CatalogueItem.objects.first(), 1)])
    with pytest.raises(ValidationError, match="办理中"):
        services.application_create(actor=users["committee"], elder=application.elder, address="x")


def test_contractor_uscc_checked(users):
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        services.contractor_create(actor=users["bureau"], name="某公司", uscc="91310117MA1FL0KX2X"
                                   if _valid_uscc()[-1] != "X" else "91310117MA1FL0KX2Y")
    assert services.contractor_create(actor=users["bureau"], name="某公司", uscc=_valid_uscc()).uscc == _valid_uscc()


def test_targets_are_seeded_rows_and_progress_by_street(users, application, tmp_path, settings):
    assert YearTarget.objects.get(year=2024).target_households == 300
    assert YearTarget.objects.get(year=2023).reported_done == 206
    assert "206" in YearTarget.objects.get(year=2023).source
    _through_acceptance(users, application, tmp_path, settings)
    rows = {r.street.code: r for r in selectors.progress_by_street(users["bureau"], 2026)}
    assert rows["310117001"].done == 1 and rows["310117102"].done == 0
    assert [r.street.code for r in selectors.progress_by_street(users["street"], 2026)] == ["310117001"]
