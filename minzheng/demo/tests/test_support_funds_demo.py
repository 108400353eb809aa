"""The demo's support funds (minzheng.demo.support_funds): the seed's 2023 figures —
44 organizations, 598,000.00 yuan (近60万元) awarded and paid through the payments app —
this year's calls at each step with the demo account's application, once."""

from __future__ import annotations

import datetime as dt

from minzheng.core.models import Role
from minzheng.core.services import user_create
from minzheng.demo.committees import ensure_committees
from minzheng.demo.social_orgs import social_orgs_seed
from minzheng.demo.support_funds import TOTAL_2023_FEN, support_funds_seed
from minzheng.payments.models import BatchStatus, OneOffPayment, OneOffStatus, PaymentBatch
from minzheng.social_orgs.models import ApplicationStatus, FundApplication
from minzheng.social_orgs.support_funds import applications_visible, fund_figures


def test_demo_support_funds_match_the_seed(users):
    ensure_committees()
    account = user_create(actor="test", username="socorg", password="pass-12345", role=Role.ORGANIZATION,
                          scope_code="310117")
    checker, approver = (user_create(actor="test", username=name, password="pass-12345", role=Role.BUREAU,
                                     scope_code="310117") for name in ("checker", "approver"))
    today = dt.date(2026, 12, 1)
    social_orgs_seed(account=account, today=today)
    message = support_funds_seed(bureau=users["bureau"], checker=checker, approver=approver, account=account,
                                 today=today)
    assert "44 家" in message and "598,000.00 元" in message
    assert TOTAL_2023_FEN == 598_000_00
    year = fund_figures(users["bureau"], 2023)["year"]
    assert (year.organizations, year.awarded_fen, year.paid_fen, year.applications) == (44, 598_000_00, 598_000_00, 50)
    assert not OneOffPayment.objects.filter(program="social_org_fund", status=OneOffStatus.QUEUED,
                                            requested_at__year=2023).exists()
    assert set(PaymentBatch.objects.filter(month__startswith="2023").values_list("status", flat=True)) == {
        BatchStatus.RECONCILED}
    assert FundApplication.objects.filter(call__year=2023, final_report__conclusion="qualified").count() == 44
    now = fund_figures(users["bureau"], 2026)["year"]
    assert now.calls == 2 and now.applications == 6
    own = list(applications_visible(account))
    assert len(own) == 1 and own[0].status == ApplicationStatus.SUBMITTED
    statuses = set(FundApplication.objects.filter(call__year=2026).values_list("status", flat=True))
    assert statuses == {"submitted", "refused", "awarded", "completed"}
    assert support_funds_seed(bureau=users["bureau"], checker=checker, approver=approver, account=account,
                              today=today) == "演示扶持资金已存在，未重复生成。"
