"""代客祭扫 (proxy sweeping, ADR 0026): a family that cannot come orders the
cemetery's staff to sweep a grave; the staff record the service with photos
and the family sees them.

Status flow: 已受理 → 已完成 (the service recorded, at least one photo) or
已取消 (with a reason). Each write is one transaction with an audit entry,
guarded by ``sweeping.proxy`` and the cemetery's scope.

Photos: JPEG or PNG only, recognised by their content (the first bytes and a
full decode by Pillow), not by the name or the browser's claimed type; at most
``MAX_PHOTO_BYTES`` each and ``MAX_PHOTOS`` per order; stored under MEDIA and
served only through a page that checks the permission and the scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.cemeteries.models import Cemetery
from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.permissions import require
from minzheng.core.personal_data import encrypt, mask_phone
from minzheng.sweeping import codes
from minzheng.sweeping.access import require_cemetery_covered
from minzheng.sweeping.models import ProxyOrder, ProxyPhoto, ProxyService, ProxyStatus

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 9
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "JPEG", ".jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "PNG", ".png")}
_MOBILE_DIGITS = 11


def _name(actor) -> str:
    return (actor if isinstance(actor, str) else actor.username)[:150]


def _text(value: str, what: str, max_length: int, *, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError(f"请填写{what}")
    if len(cleaned) > max_length:
        raise ValidationError(f"{what}不能超过{max_length}个字")
    return cleaned


def _clean_phone(phone: str) -> str:
    cleaned = (phone or "").replace(" ", "").replace("-", "").strip()
    if not cleaned:
        raise ValidationError("请填写家属联系电话")
    if not (cleaned.isdigit() and len(cleaned) == _MOBILE_DIGITS and cleaned.startswith("1")):
        raise ValidationError("家属联系电话应为11位手机号码")
    return cleaned


@transaction.atomic
def order_create(*, actor, cemetery: Cemetery, deceased_name: str, grave_location: str, service_date: dt.date,
                 services: Sequence[str], family_name: str, family_phone: str, message: str = "") -> ProxyOrder:
    """Take a proxy-sweeping order (已受理) with its order code."""
    require(actor, "sweeping.proxy", allow_job=True)
    require_cemetery_covered(actor, cemetery)
    chosen = [s for s in ProxyService.values if s in set(services or ())]
    if not chosen or len(chosen) != len(set(services or ())):
        raise ValidationError("请从列表中选择服务项目（至少一项）")
    if service_date is None:
        raise ValidationError("请填写祭扫日期")
    if service_date < timezone.localdate():
        raise ValidationError("祭扫日期不能早于今天")
    phone = _clean_phone(family_phone)
    fields = dict(cemetery=cemetery, deceased_name=_text(deceased_name, "逝者姓名", 64),
                  grave_location=_text(grave_location, "墓位位置", 100), service_date=service_date, services=chosen,
                  family_name=_text(family_name, "家属姓名", 64), family_phone_enc=encrypt(phone),
                  family_phone_masked=mask_phone(phone), message=_text(message, "家属嘱托", 500, required=False),
                  created_by=_name(actor))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                order = ProxyOrder.objects.create(code=codes.new_code(), **fields)
            break
        except IntegrityError:  # the same code drawn twice: draw again
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not draw a unique order code")
    audit_record(actor=actor, action="sweeping.proxy.create", object_type="ProxyOrder", object_id=order.pk,
                 scope_code=cemetery.street_id,
                 changes={"cemetery": cemetery.name, "service_date": service_date, "services": chosen,
                          "phone": order.family_phone_masked})
    return order


def _check_photo(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) of a JPEG or PNG; anything else is refused."""
    from PIL import Image, UnidentifiedImageError

    label = (upload.name or "照片")[:60]
    if not upload.size:
        raise ValidationError(f"照片“{label}”是空文件")
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(f"照片“{label}”超过{MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = next((v for magic, v in PHOTO_TYPES.items() if head.startswith(magic)), None)
    if kind is None:
        raise ValidationError(f"“{label}”不是JPEG或PNG格式的照片")
    try:
        with Image.open(upload) as image:
            if image.format != kind[1]:
                raise ValidationError(f"“{label}”不是JPEG或PNG格式的照片")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(f"照片“{label}”已损坏，无法读取") from None
    finally:
        upload.seek(0)
    return kind[0], kind[2]


@transaction.atomic
def order_complete(*, actor, order: ProxyOrder, note: str, photos: Sequence[UploadedFile]) -> ProxyOrder:
    """Record the service (已完成) with a note and at least one photo."""
    require(actor, "sweeping.proxy", allow_job=True)
    require_cemetery_covered(actor, order.cemetery)
    note = _text(note, "服务记录", 500)
    if not photos:
        raise ValidationError("请上传至少一张服务照片")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(f"每个订单最多{MAX_PHOTOS}张照片")
    checked = [(upload, *_check_photo(upload)) for upload in photos]
    now = timezone.now()
    if ProxyOrder.objects.filter(pk=order.pk, status=ProxyStatus.ACCEPTED).update(
            status=ProxyStatus.DONE, service_note=note, done_by=_name(actor), done_at=now) != 1:
        order.refresh_from_db(fields=["status"])
        raise StateConflict(f"该订单当前状态为“{order.get_status_display()}”，不能记录服务")
    for upload, content_type, extension in checked:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        photo = ProxyPhoto(order=order, content_type=content_type, size=upload.size, sha256=digest.hexdigest(),
                           uploaded_by=_name(actor))
        # a stored name of our own: the order code and a counter, never the uploaded name
        photo.file.save(f"{order.code}{extension}", upload, save=False)
        photo.save()
    order.refresh_from_db()
    audit_record(actor=actor, action="sweeping.proxy.complete", object_type="ProxyOrder", object_id=order.pk,
                 scope_code=order.cemetery.street_id,
                 changes={"status": [ProxyStatus.ACCEPTED, ProxyStatus.DONE], "photos": len(checked), "note": note})
    return order


@transaction.atomic
def order_cancel(*, actor, order: ProxyOrder, reason: str) -> ProxyOrder:
    require(actor, "sweeping.proxy", allow_job=True)
    require_cemetery_covered(actor, order.cemetery)
    reason = _text(reason, "取消原因", 200)
    if ProxyOrder.objects.filter(pk=order.pk, status=ProxyStatus.ACCEPTED).update(
            status=ProxyStatus.CANCELLED, cancel_reason=reason) != 1:
        order.refresh_from_db(fields=["status"])
        raise StateConflict(f"该订单当前状态为“{order.get_status_display()}”，不能取消")
    order.refresh_from_db()
    audit_record(actor=actor, action="sweeping.proxy.cancel", object_type="ProxyOrder", object_id=order.pk,
                 scope_code=order.cemetery.street_id,
                 changes={"status": [ProxyStatus.ACCEPTED, ProxyStatus.CANCELLED], "reason": reason})
    return order
