"""Fund ledgers (资金台账) by street, program, month and fund source, their
Excel form, and yearly totals by program.

Entries are the lines of approved (and later) batches not on hold, grouped by the
batch's payment month (发放月份). The total row is a separate aggregate over
the same entries, and the Excel sheet carries both, so "the totals equal the
sum of their entries" is checked, not assumed (``tests/test_ledgers``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from openpyxl import Workbook

from minzheng.core.bounds import month_check, year_parse
from minzheng.core.models import Division, User
from minzheng.core.spreadsheets import sheet_append
from minzheng.payments.labels import program_label
from minzheng.payments.models import FINAL_STATUSES, PaymentLine, ReturnOutcome
from minzheng.payments.selectors import lines_visible

SUMS = {"n": Count("id"), "amount": Sum("amount_fen"), "city": Sum("city_fen"), "district": Sum("district_fen"),
        "failed": Sum("amount_fen", filter=Q(bank_return__outcome=ReturnOutcome.FAILED))}


def _named(row: dict) -> dict:
    """Aggregate aliases (which may not shadow field names) → the ledger's keys."""
    return {"count": row.pop("n") or 0, "amount_fen": row.pop("amount") or 0, "city_fen": row.pop("city") or 0,
            "district_fen": row.pop("district") or 0, "failed_fen": row.pop("failed") or 0, **row}


def ledger_entries(user: User, *, year: str = "", month: str = "", program: str = "",
                   street: str = "") -> QuerySet[PaymentLine]:
    """Lines of final batches in scope; ``year`` (2000–2099) and ``month`` are
    checked (``core.bounds``): a Chinese ``ValidationError`` otherwise."""
    year = str(year_parse(year)) if year else ""
    month = month_check(month, "发放月份", months_ahead=None) if month else ""
    # a line on hold (已暂停发放) was never in the bank file: not an entry of the fund ledger
    qs = (lines_visible(user).filter(batch__status__in=FINAL_STATUSES)
          .filter(Q(hold__isnull=True) | Q(hold__released_at__isnull=False)))
    if month:
        qs = qs.filter(batch__month=month)
    elif year:
        qs = qs.filter(batch__month__startswith=f"{year}-")
    if program:
        qs = qs.filter(program=program)
    if street:
        qs = qs.filter(street_id=street)
    return qs


@dataclass
class Ledger:
    rows: list[dict]
    totals: dict


def ledger(user: User, **filters: str) -> Ledger:
    """Rows by (street, program, month) with fund-source columns, and totals."""
    qs = ledger_entries(user, **filters)
    names = dict(Division.objects.filter(level="street").values_list("code", "name"))
    rows = [_named(r) for r in qs.values("street_id", "program", "batch__month").annotate(**SUMS)
            .order_by("batch__month", "street_id", "program")]
    for r in rows:
        r["month"] = r.pop("batch__month")
        r["street_name"] = names.get(r["street_id"], r["street_id"])
        r["program_label"] = program_label(r["program"])
    totals = _named(qs.aggregate(**SUMS))
    return Ledger(rows, totals)


def ledger_workbook(data: Ledger, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("资金台账")
    sheet_append(sheet, [title])
    sheet_append(sheet, ["发放月份", "街镇", "救助项目", "笔数", "金额（元）", "市级资金（元）", "区级资金（元）", "其中银行退回（元）"])
    for r in data.rows:
        sheet_append(sheet, [r["month"], r["street_name"], r["program_label"], r["count"], r["amount_fen"] / 100,
                      r["city_fen"] / 100, r["district_fen"] / 100, r["failed_fen"] / 100])
    t = data.totals
    sheet_append(sheet, ["合计", "", "", t["count"], t["amount_fen"] / 100, t["city_fen"] / 100, t["district_fen"] / 100,
                  t["failed_fen"] / 100])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def yearly_totals(user: User, year: str) -> dict:
    """Paid in ``year`` by program (bank failures excluded; their re-issue
    counts when paid): 人次, 人数, 金额 — the figures of the yearly summary
    ("共发放低保等各类生活补助金1.83亿元")."""
    year = str(year_parse(year))
    qs = ledger_entries(user, year=year).exclude(bank_return__outcome=ReturnOutcome.FAILED)
    rows = list(qs.values("program").annotate(person_times=Count("id"), persons=Count("beneficiary", distinct=True),
                                              amount=Sum("amount_fen")).order_by("-amount"))
    for r in rows:
        r["label"] = program_label(r["program"])
        r["amount_fen"] = r.pop("amount")
    total = sum(r["amount_fen"] for r in rows)
    return {"year": year, "programs": rows, "amount_fen": total,
            "person_times": sum(r["person_times"] for r in rows), "headline": headline(rows, total)}


def amount_words(fen: int) -> str:
    """Amounts as the yearly summary writes them: 1.83亿元, 3025.00万元, 959.00元."""
    if fen >= 10_000_000_000:  # ≥ 1亿元
        return f"{fen / 10_000_000_000:.2f}亿元"
    if fen >= 1_000_000:  # ≥ 1万元
        return f"{fen / 1_000_000:.2f}万元"
    return f"{fen / 100:.2f}元"


def headline(rows: list[dict], total: int) -> str:
    if not rows:
        return "本年度尚无已审批的发放"
    first = rows[0]["label"]
    more = "等各类" if len(rows) > 1 else ""
    return f"共发放{first}{more}生活补助金{amount_words(total)}，{sum(r['person_times'] for r in rows)}人次"
