"""Notices about a booking (确认, 取消, 提醒) and the port that sends them.

A :class:`NoticeSender` takes the text and the full recipient number and
answers with a status. The default, :class:`RecordingNoticeSender`, sends
nothing: it stores the notice (status 「已记录（未接入短信平台）」) and logs
that it did, without the number or the text (nothing personal in logs).
An SMS gateway, when the bureau has one, is a class with the same
``send`` registered with :func:`notice_sender_set` at start-up.

A booking without a contact phone gets its notice recorded as
「未发送（无联系电话）」 — never sent to a guessed number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone

from minzheng.bookings.models import Booking, Notice, NoticeChannel, NoticeKind, SenderStatus
from minzheng.core.personal_data import decrypt

logger = logging.getLogger("minzheng.bookings.notices")


@dataclass(frozen=True)
class SendResult:
    status: str  # a SenderStatus value
    reference: str = ""


class NoticeSender(Protocol):
    def send(self, *, channel: str, recipient: str, text: str) -> SendResult: ...


class RecordingNoticeSender:
    """Stores and logs, sends nothing (no network)."""

    def send(self, *, channel: str, recipient: str, text: str) -> SendResult:
        logger.info("booking notice recorded, not sent (no gateway configured); channel=%s chars=%d",
                    channel, len(text))
        return SendResult(SenderStatus.RECORDED)


_sender: NoticeSender = RecordingNoticeSender()


def notice_sender_set(sender: NoticeSender) -> None:
    """Register the sender used when a service is given none (a gateway, at start-up)."""
    global _sender
    _sender = sender


def notice_sender() -> NoticeSender:
    return _sender


def _when(booking: Booking) -> str:
    start = timezone.localtime(booking.slot.start)
    end = timezone.localtime(booking.slot.end)
    return f"{start:%Y年%m月%d日} {start:%H:%M}—{end:%H:%M}"


def notice_text(booking: Booking, kind: str) -> str:
    """The SMS text: the office, the time, the booking number; no name, no ID number."""
    resource = booking.resource.name
    if kind == NoticeKind.CONFIRMATION:
        return (f"【{resource}】您预约的“{booking.purpose}”已确认：{_when(booking)}，预约号 {booking.pk}。"
                f"请按时携带本人有效身份证件到场办理。")
    if kind == NoticeKind.CANCELLATION:
        return f"【{resource}】您预约的“{booking.purpose}”（{_when(booking)}，预约号 {booking.pk}）已取消。"
    return f"【{resource}】提醒：您预约的“{booking.purpose}”在{_when(booking)}，预约号 {booking.pk}。"


def notice_send(booking: Booking, kind: str, *, sender: NoticeSender | None = None) -> Notice:
    """Compose, hand to the sender and store one notice (inside the caller's transaction)."""
    text = notice_text(booking, kind)
    phone = decrypt(booking.contact_phone_enc) if booking.contact_phone_enc else ""
    if phone:
        try:
            result = (sender or _sender).send(channel=NoticeChannel.SMS, recipient=phone, text=text)
        except Exception:  # a gateway failure must not undo the booking
            logger.exception("booking notice sender failed; booking=%s kind=%s", booking.pk, kind)
            result = SendResult(SenderStatus.FAILED)
    else:
        result = SendResult(SenderStatus.NO_RECIPIENT)
    return Notice.objects.create(
        booking=booking, kind=kind, channel=NoticeChannel.SMS, text=text,
        recipient_masked=booking.contact_phone_masked, sent_at=timezone.now(),
        sender_status=result.status, sender_reference=result.reference[:64])
