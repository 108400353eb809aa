"""The verification report is signed with the staff members' names and posts."""

import datetime as dt

import pytest


@pytest.mark.django_db
def test_the_verification_report_is_signed_by_name(users, make_person, monkeypatch):
    from minzheng.core import pdf
    from minzheng.registry.services import household_create
    from minzheng.verification.report_pdf import render_report
    from minzheng.verification.tests.flows import accepted_verification

    users["bureau"].full_name, users["bureau"].post = "陈建华", "松江区民政局社会救助科 科员"
    users["bureau"].save()
    head = make_person("钱进", dt.date(1970, 1, 1))
    household = household_create(actor=users["bureau"], head=head, address="谷阳北路1号", start_date=dt.date(2020, 1, 1))
    result = accepted_verification(users, household, as_of=dt.date(2025, 9, 1))
    texts: list[str] = []
    monkeypatch.setattr(pdf, "render", lambda story, title: texts.extend(
        getattr(item, "text", "") for item in story) or b"%PDF")
    render_report(result)
    signed = next(t for t in texts if t.startswith("核对人"))
    assert "核对人：陈建华（松江区民政局社会救助科 科员）" in signed and "认定人：（未登记姓名的工作人员）" in signed
    assert not any("bureau" in t or "street" in t for t in texts)
