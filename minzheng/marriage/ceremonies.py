"""Group certificate ceremonies (集体颁证): the office's themed ceremonies —
"上海之根 山水婚典", 8 of them in 2023 (seed: the bureau's 2023 work report,
"全年共举办结婚登记主题颁证仪式8场") — and the couples who received their
certificates there (docs/adr/0022-marriage-registration.md, "Group ceremonies").

Rules (ours, recorded in the ADR):

* a ceremony belongs to the office of the registrar who records it; the
  registrar in charge is an active registrar of the same office;
* a couple is a marriage registered **at this office**, in force, registered
  on or before the ceremony day; a marriage is at most at one ceremony (a
  one-to-one row: the database refuses a second);
* a couple is removed (a correction) with a reason, audited.

Reads: :func:`ceremonies_visible` (``marriage.ceremony_view``, scoped to the
user's office); the couples' names are shown only to roles with
``marriage.view`` (the registrars), the bureau and the auditor see the counts.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import Role, User
from minzheng.core.permissions import require
from minzheng.core.scope import OutOfScope
from minzheng.marriage.models import (
    Ceremony,
    CeremonyCouple,
    MarriageRegistration,
    MarriageStatus,
)
from minzheng.marriage.selectors import office_rows
from minzheng.marriage.services import office_of

NAME_MAX, PLACE_MAX, THEME_MAX = 100, 100, 200


def ceremonies_visible(user: User) -> QuerySet[Ceremony]:
    """Ceremonies of the offices in ``user``'s jurisdiction (a district user:
    that district's office; a superuser without a district: all), with the
    number of couples as ``couple_count``."""
    require(user, "marriage.ceremony_view")
    return office_rows(Ceremony.objects.select_related("registrar", "office"), user).annotate(
        couple_count=Count("couples")).order_by("-held_on", "-id")  # Meta.ordering is dropped with GROUP BY


def ceremony_get(user: User, pk: int) -> Ceremony:
    """One ceremony in the user's jurisdiction, else 404 (``Ceremony.DoesNotExist``)."""
    return ceremonies_visible(user).get(pk=pk)


def ceremony_couples(ceremony: Ceremony) -> QuerySet[CeremonyCouple]:
    """The couples, with their parties (男方 first), for a page that may show them."""
    return (CeremonyCouple.objects.filter(ceremony=ceremony).select_related("registration")
            .prefetch_related("registration__parties").order_by("registration__registered_on", "id"))


@transaction.atomic
def ceremony_couples_view_record(*, actor: User, ceremony: Ceremony, marriages: list[int]) -> None:
    """One read audit entry for a page that shows a ceremony's couples (every
    view of a marriage record is audited, issue 13)."""
    require(actor, "marriage.view")
    audit_record(actor=actor, action="marriage.ceremony_couples_view", object_type="Ceremony",
                 object_id=ceremony.pk, scope_code=ceremony.office_id, changes={"marriages": marriages[:200]})


def _registrar_of(office_code: str, registrar: User | None) -> User:
    if registrar is None:
        raise ValidationError("请选择负责本次颁证的婚姻登记员")
    if (registrar.role != Role.REGISTRAR or not registrar.is_active
            or registrar.scope_id != office_code):
        raise ValidationError(f"{registrar.full_name or '所选账号'}不是本登记机关在岗的婚姻登记员，"
                              "不能负责本次颁证")
    return registrar


@transaction.atomic
def ceremony_create(*, actor: User, name: str, held_on: dt.date | None, place: str, theme: str = "",
                    registrar: User | None = None) -> Ceremony:
    """Record a group ceremony of the actor's office (all refusals at once)."""
    require(actor, "marriage.ceremony_manage")
    office = office_of(actor)
    name, place, theme = (name or "").strip(), (place or "").strip(), (theme or "").strip()
    problems = []
    if not name:
        problems.append("请填写活动名称（如：上海之根 山水婚典）")
    elif len(name) > NAME_MAX:
        problems.append(f"活动名称不能超过{NAME_MAX}个字")
    if held_on is None:
        problems.append("请填写颁证日期")
    if not place:
        problems.append("请填写颁证地点")
    elif len(place) > PLACE_MAX:
        problems.append(f"地点不能超过{PLACE_MAX}个字")
    if len(theme) > THEME_MAX:
        problems.append(f"主题不能超过{THEME_MAX}个字")
    try:
        registrar = _registrar_of(office.code, registrar)
    except ValidationError as err:
        problems.extend(err.messages)
    if problems:
        raise ValidationError(problems)
    ceremony = Ceremony.objects.create(office=office, name=name, held_on=held_on, place=place, theme=theme,
                                       registrar=registrar, created_by=actor.username)
    audit_record(actor=actor, action="marriage.ceremony_create", object_type="Ceremony", object_id=ceremony.pk,
                 scope_code=office.code,
                 changes={"name": name, "held_on": held_on, "place": place, "theme": theme,
                          "registrar": registrar.username})
    return ceremony


def _own_ceremony(actor: User, ceremony: Ceremony) -> Ceremony:
    office = office_of(actor)
    locked = Ceremony.objects.select_for_update().filter(pk=ceremony.pk).first()
    if locked is None or locked.office_id != office.code:
        raise OutOfScope("该颁证活动不属于您的登记机关")
    return locked


@transaction.atomic
def ceremony_couple_add(*, actor: User, ceremony: Ceremony, registration: MarriageRegistration) -> CeremonyCouple:
    """Add a couple: registered at this office, in force, on or before the
    ceremony day, and at no other ceremony."""
    require(actor, "marriage.ceremony_manage")
    ceremony = _own_ceremony(actor, ceremony)
    marriage = MarriageRegistration.objects.filter(pk=registration.pk).first()
    if marriage is None or marriage.office_id != ceremony.office_id:
        raise ValidationError("该结婚登记不是在本登记机关办理的，不能参加本处的集体颁证")
    if marriage.status != MarriageStatus.IN_FORCE:
        raise StateConflict(f"该婚姻已{marriage.get_status_display()}，不能参加集体颁证")
    if marriage.registered_on > ceremony.held_on:
        raise ValidationError(f"该结婚登记日期（{marriage.registered_on:%Y年%m月%d日}）晚于颁证日期"
                              f"（{ceremony.held_on:%Y年%m月%d日}），须先登记结婚再参加颁证")
    other = CeremonyCouple.objects.filter(registration=marriage).select_related("ceremony").first()
    if other is not None:
        where = "本次活动" if other.ceremony_id == ceremony.pk else f"“{other.ceremony}”"
        raise StateConflict(f"这对新人已在{where}中，每对新人只能参加一次集体颁证")
    try:
        with transaction.atomic():
            row = CeremonyCouple.objects.create(ceremony=ceremony, registration=marriage, added_by=actor.username)
    except IntegrityError as err:  # added by someone else at the same moment
        raise StateConflict("这对新人已在其他集体颁证活动中，每对新人只能参加一次集体颁证") from err
    audit_record(actor=actor, action="marriage.ceremony_couple_add", object_type="Ceremony", object_id=ceremony.pk,
                 scope_code=ceremony.office_id,
                 changes={"marriage": marriage.pk,
                          "parties": list(marriage.parties.values_list("id_number_masked", flat=True))})
    return row


@transaction.atomic
def ceremony_couple_remove(*, actor: User, ceremony: Ceremony, registration: MarriageRegistration,
                           reason: str) -> None:
    """Take a couple off the ceremony's list (a correction), with its reason."""
    require(actor, "marriage.ceremony_manage")
    ceremony = _own_ceremony(actor, ceremony)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("请填写移除的原因（如：录入错误、新人未到场）")
    row = CeremonyCouple.objects.filter(ceremony=ceremony, registration_id=registration.pk).first()
    if row is None:
        raise StateConflict("这对新人不在本次颁证活动中")
    row.delete()
    audit_record(actor=actor, action="marriage.ceremony_couple_remove", object_type="Ceremony",
                 object_id=ceremony.pk, scope_code=ceremony.office_id,
                 changes={"marriage": registration.pk, "reason": reason[:200]})


def couple_candidates(actor: User, ceremony: Ceremony, *, limit: int = 50) -> QuerySet[MarriageRegistration]:
    """Marriages the registrar may add: this office's, in force, registered on
    or before the ceremony day (within 90 days before it), at no ceremony."""
    require(actor, "marriage.ceremony_manage")
    return (MarriageRegistration.objects
            .filter(office_id=ceremony.office_id, status=MarriageStatus.IN_FORCE,
                    registered_on__lte=ceremony.held_on,
                    registered_on__gte=ceremony.held_on - dt.timedelta(days=90), ceremony_place__isnull=True)
            .prefetch_related("parties").order_by("-registered_on", "-id")[:limit])
