"""Reads of the marriage registry office, scoped: a registrar sees the records
of the office of their district (``marriage.view``); nobody else sees a
record (ADR 0022). Reading one record is audited by the caller through
``services.registration_view_record``.

For statistics (another module, later): every figure is one query on these
models — registrations by ``registered_on`` (``cross_province`` for the
跨省 share), divorce applications by ``received_on``, divorces by
``registered_on``, re-issued certificates by ``issued_on`` with
``reissue_of`` set; :func:`office_rows` narrows any of them to the user's offices.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from minzheng.core.models import DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.personal_data import blind_index
from minzheng.core.scope import Scope
from minzheng.marriage.models import (
    DivorceApplication,
    DivorceStatus,
    MarriageCertificate,
    MarriageDocument,
    MarriageRegistration,
)
from minzheng.registry.services import InvalidIdNumber, parse_id_number


def office_rows(qs: QuerySet, user: User, *, field: str = "office_id") -> QuerySet:
    """``qs`` narrowed to the offices in ``user``'s jurisdiction (an office is a
    district; a street or committee account has none)."""
    scope = Scope.of(user)
    if scope.level != DivisionLevel.DISTRICT:
        return qs.none()
    return qs if not scope.code else qs.filter(**{field: scope.code})


def registrations_visible(user: User) -> QuerySet[MarriageRegistration]:
    require(user, "marriage.view")
    return office_rows(MarriageRegistration.objects.all(), user).select_related("office").prefetch_related("parties")


def registration_search(user: User, q: str = "") -> QuerySet[MarriageRegistration]:
    """By a party's name (part of it), a complete ID number or a certificate number."""
    rows = registrations_visible(user)
    q = (q or "").strip()
    if not q:
        return rows
    try:
        number = parse_id_number(q).number
    except InvalidIdNumber:
        number = ""
    if number:
        return rows.filter(parties__id_number_index=blind_index(number)).distinct()
    if q[:1].upper() in ("J", "L", "B") and any(ch.isdigit() for ch in q):
        return rows.filter(certificates__number__iexact=q).distinct()
    return rows.filter(parties__name__contains=q[:64]).distinct()


def registration_get(user: User, pk: int) -> MarriageRegistration:
    return registrations_visible(user).get(pk=pk)


def registration_certificates(registration: MarriageRegistration) -> QuerySet[MarriageCertificate]:
    return registration.certificates.select_related("holder", "reissue_of", "issued_by").order_by("issued_on", "id")


def certificate_get(user: User, pk: int) -> MarriageCertificate:
    require(user, "marriage.view")
    return office_rows(MarriageCertificate.objects.select_related("registration", "holder", "office", "issued_by",
                                                                    "divorce"), user).get(pk=pk)


def divorces_visible(user: User) -> QuerySet[DivorceApplication]:
    require(user, "marriage.view")
    return office_rows(DivorceApplication.objects.all(), user).select_related("marriage").prefetch_related(
        "marriage__parties")


def divorce_get(user: User, pk: int) -> DivorceApplication:
    return divorces_visible(user).get(pk=pk)


def document_get(user: User, pk: int) -> MarriageDocument:
    """A document of a marriage record or divorce application of the user's office."""
    require(user, "marriage.view")
    return office_rows(MarriageDocument.objects.select_related("registration", "divorce__marriage"), user,
                       field="registration__office_id").get(pk=pk)


def divorces_open(user: User) -> QuerySet[DivorceApplication]:
    return divorces_visible(user).filter(status=DivorceStatus.PENDING).order_by("appear_until", "id")


def divorces_awaiting_appearance(user: User, today: dt.date) -> QuerySet[DivorceApplication]:
    """Open applications whose cooling-off has ended and whose window is still open (可到场办理)."""
    return divorces_open(user).filter(withdrawal_until__lt=today, appear_until__gte=today)


def divorces_awaiting_appearance_todo(user: User, today: dt.date) -> QuerySet[DivorceApplication]:
    """The same, with ``due_on`` (the last day to appear) for the home page's to-do inbox."""
    from django.db.models import F

    return divorces_awaiting_appearance(user, today).annotate(due_on=F("appear_until"))


def divorce_status_counts(user: User) -> dict[str, int]:
    from django.db.models import Count

    return dict(divorces_visible(user).order_by().values_list("status").annotate(n=Count("id")))


def marriages_in_force_matching(user: User, q: str) -> QuerySet[MarriageRegistration]:
    """Marriages in force a divorce application may be opened for."""
    from minzheng.marriage.models import MarriageStatus

    return registration_search(user, q).filter(Q(status=MarriageStatus.IN_FORCE))


def appointments_on(user: User, day: dt.date):
    """The marriage office's appointments (bookings in domain 婚姻登记) of ``day``,
    by time, with their parties (masked) — cancelled and lapsed ones left out."""
    from minzheng.bookings import selectors as bookings
    from minzheng.bookings.models import BookingStatus, Domain

    require(user, "marriage.view")
    return (bookings.bookings(user).filter(domain=Domain.MARRIAGE, slot__day=day)
            .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.EXPIRED])
            .prefetch_related("parties").order_by("slot__start", "id"))


def appointment_get(user: User, pk: int):
    from minzheng.bookings import selectors as bookings
    from minzheng.bookings.models import Domain

    require(user, "marriage.view")
    return bookings.bookings(user).filter(domain=Domain.MARRIAGE).prefetch_related("parties").get(pk=pk)


def registrations_by_booking(booking_ids: list[int]) -> dict[int, int]:
    """booking id → registration id, for the appointments already registered."""
    return dict(MarriageRegistration.objects.filter(booking_id__in=booking_ids).values_list("booking_id", "pk"))
