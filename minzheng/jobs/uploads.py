"""Files uploaded for a job (ADR 0017, "imports must first store the uploaded
file"): the page stores the upload, then queues a job that names it by number.

At rest the file is sealed with AES-256-GCM under ``MINZHENG_DATA_KEY`` (the
cipher of ``core.personal_data``, as the bank files are; the upload's token is
the associated data), because an import file is a list of persons with their
ID numbers. The stored path is random; the original file name stays in the
row, and logs name the upload by number only. Once the job that used the file
has succeeded the file is deleted (its rows are in the database); a failed
job keeps it, so it can be retried.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from minzheng.core.models import User
from minzheng.core.personal_data import mask_id_number, seal_bytes, unseal_bytes
from minzheng.jobs.models import JobUpload

_LONG_NUMBER = re.compile(r"\d{11,}[\dXx]?")
MISSING = "上传的文件已不在服务器上（作业成功后即删除，失败作业的文件保留期满后也会删除），请重新上传。"


def upload_store(*, actor: User, name: str, content: IO[bytes] | bytes) -> JobUpload:
    """Store an uploaded file sealed, before its job is queued (caller checks size and permission)."""
    data = content if isinstance(content, bytes) else content.read()
    token = uuid.uuid4().hex
    sealed = seal_bytes(data, token)
    upload = JobUpload(token=token, original_name=name[:255], size_bytes=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor)
    upload.file.save("upload.bin", ContentFile(sealed), save=False)
    try:
        upload.save()
    except BaseException:
        upload.file.delete(save=False)
        raise
    return upload


def upload_get(pk: int) -> JobUpload:
    try:
        return JobUpload.objects.get(pk=pk)
    except JobUpload.DoesNotExist as err:
        raise ValidationError(MISSING) from err


def upload_open(upload: JobUpload) -> io.BytesIO:
    """The plaintext of a stored upload, in memory (digest checked)."""
    if upload.discarded_at is not None or not upload.file:
        raise ValidationError(MISSING)
    try:
        with upload.file.open("rb") as handle:
            blob = handle.read()
    except FileNotFoundError as err:
        raise ValidationError(MISSING) from err
    data = unseal_bytes(blob, upload.token)
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise ValidationError("上传的文件已损坏（与上传时的 SHA-256 不符），请重新上传。")
    return io.BytesIO(data)


def upload_discard(upload: JobUpload) -> None:
    """Delete the stored file (its job has succeeded); the row stays as the record."""
    if upload.discarded_at is None:
        upload.file.delete(save=False)
        upload.discarded_at = timezone.now()
        upload.save(update_fields=["file", "discarded_at"])


def display_name(upload: JobUpload) -> str:
    """The original name for pages and the audit trail, with long numbers masked
    (an ID number keeps its first 6 and last 1, ADR 0002; other 11+ digit runs their last 4)."""
    def mask(match: re.Match[str]) -> str:
        text = match.group(0)
        return mask_id_number(text) if len(text) in (15, 18) else "*" * (len(text) - 4) + text[-4:]

    return _LONG_NUMBER.sub(mask, upload.original_name)


def upload_param(params: dict) -> int:
    """The upload a queued job's parameters name (``upload``, a positive
    number), or a Chinese ``ValidationError`` asking to upload again."""
    try:
        upload = int(params.get("upload", 0))
    except (TypeError, ValueError) as err:
        raise ValidationError("未找到上传的文件，请重新上传") from err
    if upload <= 0:
        raise ValidationError("未找到上传的文件，请重新上传")
    return upload


def upload_description(pk: int) -> str:
    """The upload's name for a job's page (masked, ``display_name``), or
    （文件已删除） once it is gone."""
    try:
        return display_name(upload_get(pk))
    except ValidationError:
        return "（文件已删除）"
