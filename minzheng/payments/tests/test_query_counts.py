"""Query counts of the payments list pages do not grow with the number of
rows: the batch list with 3 and 23 batches, a batch's lines with 2 and 22
lines (one page each)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.casework.models import Enrolment
from minzheng.core.tests.web import logged_in, page_queries
from minzheng.payments.accounts import accounts_synthesise
from minzheng.payments.batches import batch_run
from minzheng.payments.models import PaymentBatch, PaymentLine
from minzheng.payments.tests.conftest import SINCE
from minzheng.registry import services as registry


def _more_batches(template: PaymentBatch, months: list[str]) -> list[PaymentBatch]:
    """Copies of ``template`` and its lines for other months (so street
    staff, who see batches with a line in their scope, see them too)."""
    made = []
    for month in months:
        copy = PaymentBatch.objects.get(pk=template.pk)
        copy.pk, copy.month, copy.number = None, month, f"QC{month.replace('-', '')}{template.program[:6]}"
        copy.save()
        for line in PaymentLine.objects.filter(batch=template):
            line.pk, line.batch, line.benefit_month = None, copy, month
            line.save()
        made.append(copy)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bureau", "street"])
def test_batch_list_query_count_does_not_grow_with_batches(staff, town, paid_month, username):
    # given three batches
    first = paid_month("dibao", "2025-08")
    paid_month("dibao", "2025-09")
    batch_run(actor=staff["bureau"], program="dibao", month="2025-10")
    client = logged_in(staff[username])
    page_queries(client, "/payments/")  # warm caches (session, content types)
    few = page_queries(client, "/payments/", first.number)
    # when twenty more batches exist
    months = [f"{year}-{m:02d}" for year in (2023, 2024) for m in range(1, 13)][:20]
    more = _more_batches(first, months)
    # then the page shows them all in the same number of queries
    many = page_queries(client, "/payments/", more[0].number, more[-1].number)
    assert PaymentBatch.objects.count() == 23
    assert many == few, (few, many)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bureau", "street"])
def test_batch_detail_query_count_does_not_grow_with_lines(staff, town, paid_month, make_person, username):
    # given a batch with the town's two dibao lines
    small = paid_month("dibao", "2025-08")
    # and twenty more enrolled households, paid from September
    for i in range(20):
        head = make_person(f"低保{i}", dt.date(1970 + i, 1 + i % 12, 1 + i % 28), monthly_income_fen=30000)
        household = registry.household_create(actor=staff["bureau"], head=head, address=f"谷阳路{100 + i}号",
                                              start_date=SINCE)
        Enrolment.objects.create(program="dibao", household=household, street_id="310117001",
                                 committee_id="310117001001", start_month="2025-09", source="application",
                                 monthly_amount_fen=100000 + i)
    accounts_synthesise(actor="test", seed="test")
    large = paid_month("dibao", "2025-09")
    assert small.lines.count() == 2 and large.lines.count() == 22
    client = logged_in(staff[username])
    page_queries(client, f"/payments/batches/{small.pk}/")
    # when the bureau or the street opens each batch
    few = page_queries(client, f"/payments/batches/{small.pk}/", "贫困甲")
    many = page_queries(client, f"/payments/batches/{large.pk}/", "低保0", "低保19")
    # then the line table costs no query per line
    assert many == few, (few, many)
