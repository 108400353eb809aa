"""The yearly inspection (公墓年检, ADR 0025): the checklist copied forward, the
outcome rules, overdue rectifications, evidence files, the yearly report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from minzheng.cemeteries import services
from minzheng.cemeteries.models import ChecklistCategory, ItemResult, Outcome
from minzheng.cemeteries.outcome import inspection_summary
from minzheng.cemeteries.selectors import rectifications_overdue
from minzheng.cemeteries.yearly_report import report_pdf, report_workbook, yearly_report
from minzheng.core.permissions import NotPermitted

INSPECTED = dt.date(2025, 6, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def checklist(users):
    version = services.checklist_ensure(actor=users["bureau"], year=2025)
    for category, text in ((ChecklistCategory.LICENCE, "持有有效批准文件"), (ChecklistCategory.PRICE, "明码标价"),
                           (ChecklistCategory.ECO, "建设节地生态葬区")):
        services.checklist_item_add(actor=users["bureau"], version=version, category=category, text=text)
    return version


@pytest.fixture
def inspection(users, sites, checklist):
    return services.inspection_create(actor=users["bureau"], cemetery=sites["commercial"], year=2025,
                                      inspected_on=INSPECTED, inspectors="陈建华、周丽萍")


def _answer(users, inspection, *results):
    items = list(inspection.checklist.items.order_by("position"))
    services.inspection_record_results(actor=users["bureau"], inspection=inspection, results={
        item.pk: (result, "发现问题" if result == ItemResult.FAIL else "") for item, result in zip(items, results, strict=True)})
    return items


def test_checklist_is_copied_forward_and_kept_apart(users, checklist):
    nxt = services.checklist_ensure(actor=users["bureau"], year=2026)
    assert nxt.copied_from == checklist
    assert [i.text for i in nxt.items.all()] == [i.text for i in checklist.items.all()]
    item = nxt.items.first()
    services.checklist_item_update(actor=users["bureau"], item=item, category=item.category, text="证照齐全有效")
    assert checklist.items.first().text == "持有有效批准文件"


def test_outcome_pending_then_passed_when_every_applicable_item_passes(users, inspection):
    assert inspection_summary(inspection, INSPECTED).outcome == Outcome.PENDING
    _answer(users, inspection, ItemResult.PASS, ItemResult.PASS, ItemResult.NOT_APPLICABLE)
    assert inspection_summary(inspection, INSPECTED).outcome == Outcome.PASSED


def test_outcome_follows_rectifications_verified_or_overdue(users, inspection, cemetery_user):
    _answer(users, inspection, ItemResult.PASS, ItemResult.FAIL, ItemResult.PASS)
    assert inspection_summary(inspection, INSPECTED).outcome == Outcome.RECTIFY  # 不符合, no rectification yet
    failed = inspection.results.get(result=ItemResult.FAIL)
    rect = services.rectification_add(actor=users["bureau"], inspection=inspection, result=failed, finding="",
                                      deadline=dt.date(2025, 7, 10), responsible="王经理")
    assert rect.finding == "发现问题"
    assert inspection_summary(inspection, dt.date(2025, 7, 10)).outcome == Outcome.RECTIFY
    assert inspection_summary(inspection, dt.date(2025, 7, 11)).outcome == Outcome.FAILED
    assert list(rectifications_overdue(users["bureau"], dt.date(2025, 7, 11))) == [rect]
    with pytest.raises(ValidationError, match="尚未报告完成"):
        services.rectification_verify(actor=users["bureau"], rectification=rect, on=dt.date(2025, 7, 5))
    services.rectification_done(actor=cemetery_user, rectification=rect, done_on=dt.date(2025, 7, 1),
                                note="已公示价格")
    with pytest.raises(NotPermitted):
        services.rectification_verify(actor=cemetery_user, rectification=rect)
    # reported done but not verified by the deadline: still overdue
    assert inspection_summary(inspection, dt.date(2025, 8, 1)).outcome == Outcome.FAILED
    services.rectification_verify(actor=users["bureau"], rectification=rect, on=dt.date(2025, 8, 2))
    assert inspection_summary(inspection, dt.date(2025, 8, 2)).outcome == Outcome.PASSED
    assert list(rectifications_overdue(users["bureau"], dt.date(2025, 8, 2))) == []
    with pytest.raises(ValidationError, match="已有整改记录"):
        services.inspection_record_results(actor=users["bureau"], inspection=inspection,
                                           results={failed.item_id: (ItemResult.PASS, "")})


def test_fail_needs_a_note_and_planned_sites_are_not_inspected(users, sites, inspection, checklist):
    item = checklist.items.first()
    with pytest.raises(ValidationError, match="请说明发现的问题"):
        services.inspection_record_results(actor=users["bureau"], inspection=inspection,
                                           results={item.pk: (ItemResult.FAIL, " ")})
    with pytest.raises(ValidationError, match="规划中"):
        services.inspection_create(actor=users["bureau"], cemetery=sites["planned"], year=2025,
                                   inspected_on=INSPECTED, inspectors="陈建华")
    with pytest.raises(ValidationError, match="已有2025年度年检"):
        services.inspection_create(actor=users["bureau"], cemetery=sites["commercial"], year=2025,
                                   inspected_on=INSPECTED, inspectors="陈建华")


def test_evidence_type_and_size_are_checked(users, inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rect = services.rectification_add(actor=users["bureau"], inspection=inspection, finding="消防通道堵塞",
                                      deadline=dt.date(2025, 7, 1), responsible="王经理")
    evidence = services.evidence_attach(actor=users["street"], rectification=rect, name="照片.png", content=PNG)
    assert evidence.content_type == "image/png" and evidence.file.read() == PNG
    with pytest.raises(ValidationError, match="PDF、PNG 或 JPEG"):
        services.evidence_attach(actor=users["bureau"], rectification=rect, name="x.png", content=b"MZ\x90\x00")
    with pytest.raises(ValidationError, match="10MB"):
        services.evidence_attach(actor=users["bureau"], rectification=rect, name="big.pdf",
                                 content=b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(NotPermitted):
        services.evidence_attach(actor=users["auditor"], rectification=rect, name="a.pdf", content=b"%PDF-1.4")


def test_yearly_report_page_data_excel_and_pdf(users, sites, inspection):
    _answer(users, inspection, ItemResult.PASS, ItemResult.FAIL, ItemResult.PASS)
    services.rectification_add(actor=users["bureau"], inspection=inspection, finding="未明码标价",
                               deadline=dt.date(2025, 7, 1), responsible="王经理")
    report = yearly_report(users["bureau"], 2025, dt.date(2025, 12, 31))
    texts = {r.cemetery.name: r.outcome_text for r in report.rows}
    assert texts == {"测试经营性公墓": "不合格", "测试泗泾公益性公墓": "未检查", "测试泗泾公益性骨灰堂": "不参加年检（规划中）"}
    sheet = load_workbook(__import__("io").BytesIO(report_workbook(report))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "松江区2025年度公墓和骨灰堂年检报告"
    assert ["测试经营性公墓", "经营性公墓", "岳阳街道", "在营", "2025-06-10", "不合格", 1, 1, 0, 1, "未登记", "未登记", "未登记", "未登记", "未登记"] in values
    assert report_pdf(report).startswith(b"%PDF")
    street_report = yearly_report(users["street"], 2025, dt.date(2025, 12, 31))
    assert [r.cemetery.name for r in street_report.rows] == ["测试经营性公墓"]


def test_checklist_items_with_results_are_kept(users, inspection):
    items = _answer(users, inspection, ItemResult.PASS, ItemResult.PASS, ItemResult.PASS)
    with pytest.raises(ValidationError, match="不能删除"):
        services.checklist_item_remove(actor=users["bureau"], item=items[0])
    with pytest.raises(ValidationError, match="不能修改内容"):
        services.checklist_item_update(actor=users["bureau"], item=items[0], category=items[0].category, text="改写")
    added = services.checklist_item_add(actor=users["bureau"], version=inspection.checklist,
                                        category=ChecklistCategory.SAFETY, text="消防设施完好")
    # a new item makes the inspection incomplete until it is answered
    assert inspection_summary(inspection, INSPECTED).outcome == Outcome.PENDING
    services.checklist_item_remove(actor=users["bureau"], item=added)
    assert inspection_summary(inspection, INSPECTED).outcome == Outcome.PASSED


def test_only_the_bureau_inspects_and_a_street_only_its_own(users, sites, checklist, cemetery_user):
    with pytest.raises(NotPermitted):
        services.inspection_create(actor=cemetery_user, cemetery=sites["commercial"], year=2025,
                                   inspected_on=INSPECTED, inspectors="钱伟")
    with pytest.raises(NotPermitted):
        services.checklist_item_add(actor=users["street"], version=checklist, category=ChecklistCategory.ECO,
                                    text="x")
