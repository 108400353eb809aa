"""Review findings: bank files sealed at rest and checked before they are
written; batches scoped to the lines a user may see (district-wide figures for
district-level staff only); closed-loop and sampling reproduction for
district-level staff; export is a POST, a GET only downloads; auditors can
download (audited); bad input gives a Chinese message, never a 500."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.test import Client

from minzheng.core.models import AuditEntry
from minzheng.core.personal_data import decrypt
from minzheng.core.tests.web import logged_in
from minzheng.jobs.models import Job
from minzheng.jobs.services import jobs_run_queued
from minzheng.payments.bank_files import SEALED_MAGIC, batch_export, file_bytes
from minzheng.payments.batches import batch_run
from minzheng.payments.models import (
    BankFile,
    BatchStatus,
    FileKind,
    PaymentBatch,
    PaymentLine,
    SampleDraw,
)
from minzheng.payments.sampling import sample_draw
from minzheng.payments.tests.conftest import approve


def _api(client: Client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", {"username": username, "password": "pass-12345"},
                           content_type="application/json")
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def _stored(storage, path: str = "") -> list[str]:
    dirs, files = storage.listdir(path)
    found = [f"{path}{name}" for name in files]
    for d in dirs:
        found += _stored(storage, f"{path}{d}/")
    return found


@pytest.fixture
def fresh_storage(settings):
    """An empty in-memory storage for this test only."""
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return default_storage


# 1. bank files at rest --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_bank_files_are_sealed_at_rest_and_decrypted_only_for_download(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    bank_file = BankFile.objects.get(batch=batch, kind=FileKind.BANK_CSV)
    with bank_file.file.storage.open(bank_file.file.name, "rb") as handle:
        raw = handle.read()
    accounts = [decrypt(line.account.number_enc) for line in batch.lines.select_related("account")]
    assert raw.startswith(SEALED_MAGIC)
    assert all(number.encode() not in raw for number in accounts)
    assert "批次号".encode() not in raw and batch.number.encode() not in raw
    plain = file_bytes(bank_file)
    assert all(number in plain.decode("utf-8-sig") for number in accounts)
    assert hashlib.sha256(plain).hexdigest() == bank_file.sha256  # digest of what the bank receives
    ledger = batch_export(actor=staff["bureau"], batch=batch, kind=FileKind.LEDGER_XLSX)
    with ledger.file.storage.open(ledger.file.name, "rb") as handle:
        assert handle.read().startswith(SEALED_MAGIC)
    assert file_bytes(ledger).startswith(b"PK")  # the workbook, once decrypted


@pytest.mark.django_db
def test_a_stored_file_cannot_be_passed_off_as_another_batchs(staff, town, paid_month):
    first, second = paid_month("dibao", "2025-08"), paid_month("dibao", "2025-09")
    a = BankFile.objects.get(batch=first, kind=FileKind.BANK_CSV)
    b = BankFile.objects.get(batch=second, kind=FileKind.BANK_CSV)
    BankFile.objects.filter(pk=b.pk).update(file=a.file.name, sha256=a.sha256)
    b.refresh_from_db()
    with pytest.raises(InvalidTag):  # sealed for another batch: the AEAD tag does not verify
        file_bytes(b)


@pytest.mark.django_db
def test_control_total_mismatch_writes_no_file(staff, town, fresh_storage):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    approve(staff, batch)
    PaymentLine.objects.filter(batch=batch, seq=1).update(amount_fen=1, city_fen=0, district_fen=1)
    with pytest.raises(ValidationError, match="控制数"):
        batch_export(actor=staff["bureau"], batch=batch)
    assert not BankFile.objects.exists()
    assert _stored(fresh_storage) == []  # no orphan (plaintext or otherwise) left behind
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED


# 2. batch scope ---------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_batch_without_a_line_in_scope_is_404_in_ui_and_api(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")  # lines in 310117001 only
    other = logged_in(staff["other_street"])
    assert other.get(f"/payments/batches/{batch.pk}/").status_code == 404
    assert batch.number not in other.get("/payments/").content.decode()
    client = Client()
    token = _api(client, "other_street")
    assert client.get(f"/api/v1/payments/batches/{batch.pk}", **token).status_code == 404
    assert client.get(f"/api/v1/payments/batches/{batch.pk}/lines", **token).status_code == 404
    assert client.get("/api/v1/payments/batches", **token).json() == []
    assert client.post(f"/api/v1/payments/batches/{batch.pk}/actions/reconcile", {},
                       content_type="application/json", **token).status_code == 404
    # the street of the lines still sees it
    assert client.get(f"/api/v1/payments/batches/{batch.pk}", **_api(client, "street")).status_code == 200


@pytest.mark.django_db
def test_district_figures_only_for_district_staff(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")  # 2 lines: one in committee 310117001001, one in 310117001002
    mine = PaymentLine.objects.get(batch=batch, committee_id="310117001001")
    page = logged_in(staff["committee"]).get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "控制笔数" not in page and "控制金额" not in page
    assert "本辖区笔数" in page and "办理记录" not in page and "已导出文件" not in page
    listing = logged_in(staff["committee"]).get("/payments/").content.decode()
    assert batch.number in listing and "<th>笔数</th>" not in listing
    for name in ("bureau", "auditor"):
        page = logged_in(staff[name]).get(f"/payments/batches/{batch.pk}/").content.decode()
        assert "控制笔数" in page and "办理记录" in page and "已导出文件" in page, name

    client = Client()
    seen = client.get(f"/api/v1/payments/batches/{batch.pk}", **_api(client, "committee")).json()
    assert seen["control_count"] is None and seen["control_total_fen"] is None and seen["skipped"] is None
    assert seen["events"] is None
    assert (seen["scope_count"], seen["scope_total_fen"]) == (1, mine.amount_fen)
    listed = client.get("/api/v1/payments/batches", **_api(client, "committee")).json()
    assert [(b["control_count"], b["scope_count"]) for b in listed] == [(None, 1)]
    full = client.get(f"/api/v1/payments/batches/{batch.pk}", **_api(client, "auditor")).json()
    assert full["control_count"] == 2 and full["skipped"] is not None and full["events"]
    assert (full["scope_count"], full["scope_total_fen"]) == (2, batch.control_total_fen)


# 3. closed loop and sampling reproduction ------------------------------------------------------------------------

@pytest.mark.django_db
def test_closed_loop_api_is_for_district_staff(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    client = Client()
    for name in ("street", "committee", "advisor"):
        assert client.get("/api/v1/payments/closed-loop", **_api(client, name)).status_code == 403, name
    for name in ("bureau", "auditor"):
        assert client.get("/api/v1/payments/closed-loop", **_api(client, name)).status_code == 200, name


@pytest.mark.django_db
def test_sampling_reproduction_is_for_district_staff(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    draw = sample_draw(actor=staff["bureau"], purpose="household_survey", month="2025-08", per_street=1, seed=7)
    client = Client()
    street = _api(client, "street")
    assert client.get(f"/api/v1/payments/samples/{draw.pk}?reproduce=true", **street).status_code == 403
    assert client.get(f"/api/v1/payments/samples/{draw.pk}", **street).status_code == 200
    assert client.get(f"/api/v1/payments/samples/{draw.pk}?reproduce=true",
                      **_api(client, "auditor")).json()["reproduced"]["identical"]
    assert logged_in(staff["street"]).get(f"/payments/samples/{draw.pk}/?reproduce=1").status_code == 403
    page = logged_in(staff["street"]).get(f"/payments/samples/{draw.pk}/").content.decode()
    assert "reproduce=1" not in page
    page = logged_in(staff["bureau"]).get(f"/payments/samples/{draw.pk}/?reproduce=1").content.decode()
    assert 'id="reproduced"' in page


# 4. export is a POST ----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_get_never_exports_and_export_is_a_post(staff, town):
    batch = batch_run(actor=staff["bureau"], program="dibao", month="2025-08").batch
    approve(staff, batch)
    bureau = logged_in(staff["bureau"])
    response = bureau.get(f"/payments/batches/{batch.pk}/files/bank_csv/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED and not BankFile.objects.exists()
    assert not AuditEntry.objects.filter(action="payments.batch.export").exists()
    assert bureau.get(f"/payments/batches/{batch.pk}/export/bank_csv/").status_code == 405
    page = bureau.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert f"/payments/batches/{batch.pk}/export/bank_csv/" in page and "csrfmiddlewaretoken" in page
    # without the CSRF token the POST is refused
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff["bureau"])
    assert strict.post(f"/payments/batches/{batch.pk}/export/bank_csv/").status_code == 403
    assert not BankFile.objects.exists()
    response = bureau.post(f"/payments/batches/{batch.pk}/export/bank_csv/")
    job = Job.objects.get()  # a background job (ADR 0017) whose result offers the download
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert jobs_run_queued() == 1
    job.refresh_from_db()
    assert job.result_url == f"/payments/batches/{batch.pk}/files/bank_csv/"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED and BankFile.objects.filter(batch=batch).count() == 1
    download = bureau.get(f"/payments/batches/{batch.pk}/files/bank_csv/")
    assert download.status_code == 200 and "批次号" in download.content.decode("utf-8-sig")


# 5. auditors download (read-only, audited) -----------------------------------------------------------------------

@pytest.mark.django_db
def test_auditor_downloads_exported_files_read_only_and_audited(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    auditor = logged_in(staff["auditor"])
    page = auditor.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert f"/payments/batches/{batch.pk}/files/bank_csv/" in page
    assert f"/payments/batches/{batch.pk}/export/" not in page  # no export buttons
    response = auditor.get(f"/payments/batches/{batch.pk}/files/bank_csv/")
    assert response.status_code == 200 and batch.number in response.content.decode("utf-8-sig")
    entry = AuditEntry.objects.filter(action="payments.batch.download", object_id=batch.number).get()
    assert entry.actor == "auditor" and entry.changes["kind"] == "bank_csv"
    # the ledger is not exported yet: the auditor cannot create it
    assert auditor.get(f"/payments/batches/{batch.pk}/files/ledger_xlsx/").status_code == 302
    auditor.post(f"/payments/batches/{batch.pk}/export/ledger_xlsx/")
    assert not BankFile.objects.filter(kind=FileKind.LEDGER_XLSX).exists()
    client = Client()
    api = client.get(f"/api/v1/payments/batches/{batch.pk}/files/bank_csv", **_api(client, "auditor"))
    assert api.status_code == 200 and "批次号" in api.content.decode("utf-8-sig")
    assert client.post(f"/api/v1/payments/batches/{batch.pk}/files/ledger_xlsx/export",
                       **_api(client, "auditor")).status_code == 403
    assert client.get(f"/api/v1/payments/batches/{batch.pk}/files/bank_csv",
                      **_api(client, "street")).status_code == 403
    assert AuditEntry.objects.filter(action="payments.batch.download", object_id=batch.number).count() == 2
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.EXPORTED


# 6. bad input -----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_bad_sampling_input_is_a_form_error(staff, town, paid_month):
    paid_month("dibao", "2025-08")
    bureau = logged_in(staff["bureau"])
    for per_street, seed in (("abc", ""), ("-1", ""), ("１０", ""), ("2", "xyz")):
        response = bureau.post("/payments/samples/", {"purpose": "household_survey", "month": "2025-08",
                                                      "per_street": per_street, "seed": seed}, follow=True)
        assert response.status_code == 200, per_street
        assert "无效" in response.content.decode(), per_street
    assert not SampleDraw.objects.exists()


@pytest.mark.django_db
def test_negative_paging_is_422(staff, town, paid_month):
    batch = paid_month("dibao", "2025-08")
    client = Client()
    token = _api(client, "bureau")
    url = f"/api/v1/payments/batches/{batch.pk}/lines"
    for query in ("offset=-1", "limit=-5", "limit=0", "offset=-10&limit=-1"):
        response = client.get(f"{url}?{query}", **token)
        assert response.status_code == 422, query
        body = response.json()  # the error model names each bad paging parameter and its bound
        assert body["code"] == "invalid" and {p["field"] for p in body["problems"]} <= {"offset", "limit"}, query
        assert all("数值太小" in p["message"] for p in body["problems"]), query
    assert client.get(f"{url}?offset=1&limit=1", **token).json()["count"] == 2


@pytest.mark.django_db
def test_migration_seals_files_stored_in_the_clear(staff, town, paid_month):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile

    migration = importlib.import_module("minzheng.payments.migrations.0002_seal_stored_bank_files")
    batch = paid_month("dibao", "2025-08")
    bank_file = BankFile.objects.get(batch=batch, kind=FileKind.BANK_CSV)
    plain = file_bytes(bank_file)
    storage, name = bank_file.file.storage, bank_file.file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(plain)) == name  # as the code before the fix left it
    migration.seal_files(apps, None)
    migration.seal_files(apps, None)  # idempotent
    bank_file.refresh_from_db()
    with storage.open(bank_file.file.name, "rb") as handle:
        assert handle.read().startswith(SEALED_MAGIC)
    assert file_bytes(bank_file) == plain
    migration.unseal_files(apps, None)
    bank_file.refresh_from_db()
    with storage.open(bank_file.file.name, "rb") as handle:
        assert handle.read() == plain
