"""代客祭扫: orders, the service recorded with photos, the photo checks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from minzheng.core.errors import StateConflict
from minzheng.sweeping import services
from minzheng.sweeping.models import ProxyPhoto, ProxyStatus

pytestmark = pytest.mark.django_db


def png(name="photo.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def order(cemetery_user, cemetery):
    return services.proxy_order_create(
        actor=cemetery_user, cemetery=cemetery, deceased_name="王老先生", grave_location="福寿园三区12排5号",
        service_date=timezone.localdate() + dt.timedelta(days=2), services=["clean", "flowers"],
        family_name="王小明", family_phone="13700003333", message="请代读家书")


def test_an_order_is_accepted_with_a_code_and_a_masked_phone(order):
    assert order.status == ProxyStatus.ACCEPTED and len(order.code) == 8
    assert order.family_phone_masked != "13700003333" and "13700003333" not in order.family_phone_enc
    assert order.service_labels() == "清扫墓碑、献花"


def test_the_service_is_recorded_with_photos(cemetery_user, order, media):
    done = services.proxy_order_complete(actor=cemetery_user, order=order, note="已清扫并献花", photos=[png()])
    assert done.status == ProxyStatus.DONE and done.done_by == "cemetery"
    photo = ProxyPhoto.objects.get(order=order)
    assert photo.content_type == "image/png" and photo.file.name.startswith("sweeping/proxy/")
    assert order.code in photo.file.name and "photo" not in photo.file.name
    with pytest.raises(StateConflict, match="已完成"):
        services.proxy_order_cancel(actor=cemetery_user, order=order, reason="重复")


def test_photos_are_checked_by_content(cemetery_user, order, media):
    fake = SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError, match="不是JPEG或PNG"):
        services.proxy_order_complete(actor=cemetery_user, order=order, note="x", photos=[fake])
    broken = SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, content_type="image/png")
    with pytest.raises(ValidationError, match="损坏"):
        services.proxy_order_complete(actor=cemetery_user, order=order, note="x", photos=[broken])
    with pytest.raises(ValidationError, match="至少一张"):
        services.proxy_order_complete(actor=cemetery_user, order=order, note="x", photos=[])
    order.refresh_from_db()
    assert order.status == ProxyStatus.ACCEPTED and not ProxyPhoto.objects.exists()


def test_too_large_a_photo_is_refused(cemetery_user, order, media, monkeypatch):
    monkeypatch.setattr("minzheng.sweeping.proxy.MAX_PHOTO_BYTES", 10)
    with pytest.raises(ValidationError, match="超过"):
        services.proxy_order_complete(actor=cemetery_user, order=order, note="x", photos=[png()])


def test_an_order_is_cancelled_with_a_reason(cemetery_user, order):
    with pytest.raises(ValidationError, match="取消原因"):
        services.proxy_order_cancel(actor=cemetery_user, order=order, reason=" ")
    assert services.proxy_order_cancel(actor=cemetery_user, order=order, reason="家属自行前往").status == \
        ProxyStatus.CANCELLED


def test_orders_need_valid_input(cemetery_user, cemetery):
    with pytest.raises(ValidationError, match="服务项目"):
        services.proxy_order_create(actor=cemetery_user, cemetery=cemetery, deceased_name="甲", grave_location="乙",
                                    service_date=timezone.localdate(), services=["dance"], family_name="丙",
                                    family_phone="13700003333")
    with pytest.raises(ValidationError, match="不能早于今天"):
        services.proxy_order_create(actor=cemetery_user, cemetery=cemetery, deceased_name="甲", grave_location="乙",
                                    service_date=timezone.localdate() - dt.timedelta(days=1), services=["clean"],
                                    family_name="丙", family_phone="13700003333")
