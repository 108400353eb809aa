"""Seal (AES-256-GCM) the bank files and batch ledgers already stored in the
clear. Self-contained on purpose (a migration must not follow later changes of
the app's code); the format is the one of ``payments.bank_files.seal``:
``MZPF1\\n`` | 12-byte nonce | ciphertext+tag, the associated data naming the
batch and the file kind. A file whose content no longer matches its recorded
SHA-256 is left untouched and reported (it will refuse to download)."""

import base64
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import migrations

MAGIC = b"MZPF1\n"


def _aead():
    return AESGCM(base64.b64decode(settings.MINZHENG_DATA_KEY))


def _associated(number, kind):
    return f"minzheng.payments.bank_file:{number}:{kind}".encode()


def _rewrite(bank_file, content):
    storage, name = bank_file.file.storage, bank_file.file.name
    storage.delete(name)
    bank_file.file.name = storage.save(name, ContentFile(content))
    bank_file.save(update_fields=["file"])


def seal_files(apps, schema_editor):
    BankFile = apps.get_model("payments", "BankFile")
    for bank_file in BankFile.objects.select_related("batch").iterator():
        try:
            with bank_file.file.open("rb") as handle:
                blob = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            print(f"  payments: stored file of BankFile {bank_file.pk} is missing; left as is")
            continue
        if blob.startswith(MAGIC):
            continue
        if hashlib.sha256(blob).hexdigest() != bank_file.sha256:
            print(f"  payments: BankFile {bank_file.pk} does not match its SHA-256; left as is")
            continue
        nonce = os.urandom(12)
        sealed = _aead().encrypt(nonce, blob, _associated(bank_file.batch.number, bank_file.kind))
        _rewrite(bank_file, MAGIC + nonce + sealed)


def unseal_files(apps, schema_editor):
    BankFile = apps.get_model("payments", "BankFile")
    for bank_file in BankFile.objects.select_related("batch").iterator():
        try:
            with bank_file.file.open("rb") as handle:
                blob = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            continue
        if not blob.startswith(MAGIC):
            continue
        raw = blob[len(MAGIC):]
        plain = _aead().decrypt(raw[:12], raw[12:], _associated(bank_file.batch.number, bank_file.kind))
        _rewrite(bank_file, plain)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_payees_batches_lines_returns_receivables_samples")]

    operations = [migrations.RunPython(seal_files, unseal_files, elidable=True)]
