"""The Chinese labels of the booking core's coded audit values (registered at start-up)."""

from minzheng.bookings.models import BookingStatus, ResourceKind, SenderStatus
from minzheng.core.audit_labels import register_value_labels


def register_labels() -> None:
    register_value_labels("resource_kind", ResourceKind.choices, object_type="Resource")
    register_value_labels("status", BookingStatus.choices, object_type="Booking")
    register_value_labels("sender_status", SenderStatus.choices, object_type="Booking")
