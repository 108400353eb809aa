"""The registry pages on the design system (ADR 0012): the person search as a
staff list (filters, export), households named by their head, inline form
errors, irreversible merges confirmed, import results by row number."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import decrypt
from minzheng.registry.models import Employment
from minzheng.registry.services import household_add_member, household_create

pytestmark = pytest.mark.django_db

HOUSEHOLD_BY_NUMBER = re.compile(r"家庭\s*\d+")


def _text(response) -> str:
    """The page's visible text (tags stripped)."""
    return re.sub(r"<[^>]+>", " ", response.content.decode())


@pytest.fixture
def family(users, make_person):
    head = make_person("欧阳明辉", dt.date(1950, 4, 9), employment=Employment.RETIRED)
    wife = make_person("沈丽华", dt.date(1990, 7, 1), male=False)
    child = make_person("欧阳小", dt.date(2015, 1, 1), committee="310117001002")
    h = household_create(actor=users["bureau"], head=head, address="谷阳北路88弄3号")
    household_add_member(actor=users["bureau"], household=h, person=wife, relation="配偶")
    return h, head, wife, child


def test_person_list_filters_by_pinyin_sex_age_band_employment_and_committee(client, users, family):
    _, head, wife, child = family
    client.force_login(users["bureau"])

    def names(**params) -> set[str]:
        page = client.get("/registry/persons/", params).content.decode()
        return {p.name for p in (head, wife, child) if f">{p.name}</a>" in page}

    assert names() == {"欧阳明辉", "沈丽华", "欧阳小"}
    assert names(q="oy") == {"欧阳明辉", "欧阳小"}
    assert names(sex="F") == {"沈丽华"}
    assert names(age="60-79") == {"欧阳明辉"}
    assert names(age="0-17") == {"欧阳小"}
    assert names(age="18-59") == {"沈丽华"}
    assert names(employment="retired") == {"欧阳明辉"}
    assert names(committee="310117001002") == {"欧阳小"}
    assert names(q=decrypt(wife.id_number_enc)) == {"沈丽华"}


def test_person_list_shows_labels_not_codes(client, users, family):
    client.force_login(users["bureau"])
    page = client.get("/registry/persons/").content.decode()
    assert 'id="q"' in page and "退休" in page and "60至79岁" in page and ">retired<" not in page


def test_person_export_is_masked_chinese_and_audited(client, users, family):
    _, head, *_ = family
    client.force_login(users["bureau"])
    response = client.get("/registry/persons/", {"sex": "M", "_export": "xlsx"})
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "身份证号", "性别")
    assert {r[0] for r in rows[1:]} == {"欧阳明辉", "欧阳小"}
    body = "".join(str(c) for r in rows for c in r)
    assert decrypt(head.id_number_enc) not in body and head.id_number_masked in body
    entry = AuditEntry.objects.filter(action="core.list.export").latest("id")
    assert entry.changes["rows"] == 2 and entry.changes["filters"] == {"sex": "M"}


def test_person_and_household_pages_name_the_household_by_its_head(client, users, family):
    h, head, wife, _ = family
    client.force_login(users["bureau"])
    person_page = client.get(f"/registry/persons/{wife.pk}/")
    household_page = client.get(f"/registry/households/{h.pk}/")
    for response in (person_page, household_page):
        assert response.status_code == 200
        assert "欧阳明辉家" in response.content.decode()
        assert not HOUSEHOLD_BY_NUMBER.search(_text(response))
    page = household_page.content.decode()
    assert f'href="/registry/persons/{wife.pk}/"' in page and wife.id_number_masked in page
    assert f"/registry/households/{h.pk}/declare/" in page and "本人（户主）" in page


def test_declaration_errors_stand_next_to_their_inputs(client, users, family):
    h, head, wife, _ = family
    client.force_login(users["bureau"])
    data = {"valid_from": "", f"earned_{head.pk}": "abc", f"pension_{head.pk}": "0", f"other_{head.pk}": "0",
            f"earned_{wife.pk}": "0", f"pension_{wife.pk}": "0", f"other_{wife.pk}": "0",
            "monetary_assets": "0", "securities": "0", "private_cars": "0", "homes": "1", "medical_oop_12m": "0"}
    page = client.post(f"/registry/households/{h.pk}/declare/", data).content.decode()
    field = re.search(rf'<input class="form-control is-invalid" id="earned_{head.pk}"[^>]*>\s*'
                      r'<div class="invalid-feedback">([^<]+)</div>', page)
    assert field and field.group(1).startswith("欧阳明辉劳动收入：")
    assert 'id="valid_from" name="valid_from"' in page and "起始日期：请选择日期" in page
    assert '<label class="form-label required" for="homes">' in page


def test_merge_is_a_confirmed_danger_button_naming_both_records(client, users, make_person):
    first = make_person("李重复", dt.date(1970, 1, 1))
    second = make_person("李重复", dt.date(1970, 1, 1), committee="310117001002")
    client.force_login(users["bureau"])
    page = client.get("/registry/duplicates/").content.decode()
    button = re.search(r'<button type="submit" class="btn btn-danger"[^>]*data-confirm="([^"]+)"', page)
    assert button, "the merge button is btn-danger with data-confirm"
    confirm = button.group(1)
    assert first.id_number_masked in confirm and second.id_number_masked in confirm
    assert "谷阳居委会" in confirm and "乐都居委会" in confirm and "撤销合并" in confirm
    response = client.post("/registry/duplicates/merge/", {"keep": first.pk, "duplicate": second.pk}, follow=True)
    message = _text(response).split("已将")[1][:60]
    assert "李重复" in message and "人员编号" not in message  # people by name and masked ID, not internal numbers
    assert second.id_number_masked in message and first.id_number_masked in message


def test_import_lists_rejected_rows_by_number_and_reason(client, users):
    client.force_login(users["bureau"])
    from minzheng.registry.importing import template_csv

    header = template_csv().decode("utf-8-sig").splitlines()[0]
    bad = "H001,本人,张某,123,,是,310117001,310117001001,某路1号,退休,0,0,,,,,0,0,1"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("人员.csv", f"{header}\n{bad}\n".encode())
    job_page = client.post("/registry/import/", {"file": upload}, follow=True).content.decode()
    assert "正在后台校验并导入" in job_page  # the page answers at once with the job's page (ADR 0017)
    from minzheng.jobs.models import Job
    from minzheng.jobs.services import jobs_run_queued

    jobs_run_queued()
    page = client.get(Job.objects.get().result_url).content.decode()
    assert 'id="import-report"' in page and "第 2 行" in page and "本次未导入任何数据" in page
    assert "身份证号码" in page


def test_import_template_has_a_chinese_file_name(client, users):
    client.force_login(users["bureau"])
    response = client.get("/registry/import/template.xlsx")
    assert "registry" not in response["Content-Disposition"] and "filename*=UTF-8''" in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_merge_is_undone_from_the_kept_persons_page(users, make_person):
    import datetime as dt

    from django.test import Client

    from minzheng.registry.models import Person
    from minzheng.registry.services import person_merge

    keep = make_person("周明", dt.date(1966, 6, 6))
    dup = make_person("周明", dt.date(1966, 6, 6))
    client = Client()
    client.force_login(users["street"])
    client.post("/registry/duplicates/merge/", {"keep": keep.pk, "duplicate": dup.pk})
    assert Person.objects.get(pk=dup.pk).merged_into_id == keep.pk
    page = client.get(f"/registry/persons/{keep.pk}/").content.decode()
    assert "撤销合并" in page and "data-confirm" in page
    assert "撤销合并" not in page.split("</title>")[0]  # the page title is the name only
    merge = keep.merges_kept.get()
    client.post(f"/registry/persons/{keep.pk}/merges/{merge.pk}/undo/", {"reason": "核实为两个人"})
    assert Person.objects.get(pk=dup.pk).merged_into_id is None
    # a committee user may not undo (403), and another street's user does not see the record (404)
    person_merge(actor=users["street"], keep=keep, duplicate=dup)
    merge = keep.merges_kept.filter(undone_at__isnull=True).get()
    committee = Client()
    committee.force_login(users["committee"])
    assert committee.post(f"/registry/persons/{keep.pk}/merges/{merge.pk}/undo/", {"reason": "x"}).status_code == 403
    other = Client()
    other.force_login(users["other_street"])
    assert other.post(f"/registry/persons/{keep.pk}/merges/{merge.pk}/undo/", {"reason": "x"}).status_code == 404
