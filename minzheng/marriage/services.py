"""Writes of the marriage registry office: registration, certificates and their
re-issue, divorce by agreement with its clock, and the marital status of the
registry's persons (docs/adr/0022-marriage-registration.md).

Each service checks the action (``core.permissions``), validates first, runs
in one transaction and appends an audit entry with masked ID numbers only.
Refusals are ``ValidationError``s with Chinese sentences (``StateConflict``
when the record's state does not allow the step).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from minzheng.core.audit import audit_record
from minzheng.core.errors import StateConflict
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.personal_data import (
    blind_index,
    encrypt,
    mask_id_number,
    seal_bytes,
    unseal_bytes,
)
from minzheng.marriage import clock as divorce_clock_rules
from minzheng.marriage.certificate_pdf import OFFICE_SUFFIX
from minzheng.marriage.conditions import (
    SEX_WORD,
    age_refusal,
    cn_day,
    is_cross_province,
    place_allows,
)
from minzheng.marriage.models import (
    AppointmentPurpose,
    CertificateKind,
    CertificateStatus,
    DivorceApplication,
    DivorceStatus,
    DocumentKind,
    MarriageCertificate,
    MarriageDocument,
    MarriageParty,
    MarriageRegistration,
    MarriageStatus,
    Province,
)
from minzheng.marriage.numbering import next_number
from minzheng.registry import selectors as registry_selectors
from minzheng.registry.models import MaritalStatus, Person
from minzheng.registry.services import (
    InvalidIdNumber,
    parse_id_number,
    person_marital_status_record,
)

ROLE_WORD = {"M": "男方", "F": "女方"}
REISSUE_PREFIX = {CertificateKind.MARRIAGE: "BJ", CertificateKind.DIVORCE: "BL"}
MAX_AGREEMENT_BYTES = 10 * 1024 * 1024


def _today() -> dt.date:
    return timezone.localdate()


def office_of(actor: User) -> Division:
    """The registry office a registrar works at: the district of their account
    (婚姻登记机关 is the district civil-affairs bureau; ADR 0022)."""
    scope = getattr(actor, "scope", None)
    if scope is None or scope.level != DivisionLevel.DISTRICT:
        raise ValidationError("您的账号未设在区级婚姻登记机关，不能办理婚姻登记；请联系系统管理员设置辖区")
    return scope


def _actor_name(actor: Any) -> str:
    return actor if isinstance(actor, str) else actor.username


# ---------------------------------------------------------------------------
# Registration (结婚登记)


@dataclass(frozen=True)
class PartyInput:
    """One party as typed by the registrar from the ID card and hukou."""

    name: str
    id_number: str
    domicile_province: str
    signed_no_spouse: bool = False  # 本人无配偶声明, signed in person
    signed_no_kinship: bool = False  # 无直系血亲和三代以内旁系血亲关系声明


@dataclass(frozen=True)
class _Party:
    given: PartyInput
    number: str
    index: str
    sex: str
    birth: dt.date
    person: Person | None


def _declaration_text(kind: str, name: str, masked: str, other: str) -> str:
    if kind == DocumentKind.NO_SPOUSE:
        return f"本人{name}（身份证号 {masked}）郑重声明：本人目前无配偶。以上声明如有不实，本人愿承担法律责任。"
    return (f"本人{name}（身份证号 {masked}）郑重声明：本人与{other}没有直系血亲和三代以内旁系血亲关系。"
            "以上声明如有不实，本人愿承担法律责任。")


def _married_refusal(role: str, party: _Party, on: dt.date) -> str | None:
    """民法典 art. 1042 (禁止重婚): our own records first, then the registry."""
    existing = (MarriageParty.objects.filter(id_number_index=party.index,
                                             registration__status=MarriageStatus.IN_FORCE)
                .select_related("registration").first())
    if existing is not None:
        return (f"{role}{party.given.name}已于{cn_day(existing.registration.registered_on)}在本系统登记结婚且婚姻存续，"
                "不能再次登记结婚（《民法典》第一千零四十二条禁止重婚）")
    if party.person is not None:
        if not party.person.alive:
            return f"{role}{party.given.name}在人口库中已登记死亡，不能登记结婚，请核对身份证件"
        status = registry_selectors.marital_status_in_force(party.person, on)
        if status is not None and status.status == MaritalStatus.MARRIED:
            return (f"{role}{party.given.name}在人口库中的婚姻状况为已婚（自{cn_day(status.since)}，依据：{status.source}），"
                    "不能登记结婚；如已离婚或丧偶，请先核实并更正婚姻状况")
    return None


def _parse_party(label: str, given: PartyInput, on: dt.date, problems: list[str]) -> _Party | None:
    name = (given.name or "").strip()
    if not name:
        problems.append(f"{label}姓名不能为空")
    if given.domicile_province not in Province.values:
        problems.append(f"请选择{label}的户籍所在省份（内地居民）")
    try:
        facts = parse_id_number(given.id_number, today=on)
    except InvalidIdNumber as err:
        problems.append(f"{label}{name}的身份证号码无效：{err}")
        return None
    index = blind_index(facts.number)
    return _Party(PartyInput(name, facts.number, given.domicile_province, given.signed_no_spouse,
                             given.signed_no_kinship), facts.number, index, facts.sex, facts.birth_date,
                  registry_selectors.person_by_id_index(index))


def registration_problems(first: PartyInput, second: PartyInput, *, on: dt.date) -> tuple[list[str], list[_Party]]:
    """Every reason this couple may not register on ``on`` (empty: they may),
    and the parsed parties (男方 first when both numbers are valid)."""
    problems: list[str] = []
    parsed = [_parse_party("当事人一", first, on, problems), _parse_party("当事人二", second, on, problems)]
    parties = [p for p in parsed if p is not None]
    if len(parties) < 2:
        return problems, parties
    a, b = parties
    if a.index == b.index:
        problems.append("两位当事人的身份证号码相同，请核对")
        return problems, parties
    if a.sex == b.sex:
        problems.append(f"两位当事人的身份证号码显示均为{SEX_WORD[a.sex]}性；《民法典》第一千零四十九条规定结婚须男女双方"
                        "亲自到婚姻登记机关申请，本处不能办理")
        return problems, parties
    parties = sorted(parties, key=lambda p: p.sex != "M")  # 男方 first
    for party in parties:
        role = ROLE_WORD[party.sex]
        refusal = age_refusal(role=role, name=party.given.name, sex=party.sex, birth=party.birth, on=on)
        if refusal:
            problems.append(refusal)
        refusal = _married_refusal(role, party, on)
        if refusal:
            problems.append(refusal)
        if not party.given.signed_no_spouse:
            problems.append(f"{role}{party.given.name}尚未签署“本人无配偶”声明")
        if not party.given.signed_no_kinship:
            problems.append(f"{role}{party.given.name}尚未签署“与对方无直系血亲和三代以内旁系血亲关系”声明")
    provinces = (parties[0].given.domicile_province, parties[1].given.domicile_province)
    if all(p in Province.values for p in provinces):
        refusal = place_allows(registered_on=on, provinces=provinces)
        if refusal:
            problems.append(refusal)
    return problems, parties


def _status_record(actor: Any, person: Person | None, status: str, since: dt.date, source: str, ref: str) -> None:
    if person is not None:
        person_marital_status_record(actor=actor, person=person, status=status, since=since, source=source,
                                     reference=ref)


def _issue(*, actor: User, kind: str, prefix: str, registration: MarriageRegistration, holder: MarriageParty,
           office: Division, on: dt.date, divorce: DivorceApplication | None = None, reissue_of=None,
           reason: str = "") -> MarriageCertificate:
    return MarriageCertificate.objects.create(
        number=next_number(prefix, office.code, on), kind=kind, registration=registration, divorce=divorce,
        holder=holder, office=office, issued_on=on, issued_by=actor, reissue_of=reissue_of, reissue_reason=reason)


@transaction.atomic
def marriage_register(*, actor: User, first: PartyInput, second: PartyInput, registered_on: dt.date | None = None,
                      booking_ref: str = "") -> MarriageRegistration:
    """结婚登记: check every condition (all reasons at once), then record the
    registration, both parties, their signed declarations, one 结婚证 per party
    (numbered from the office's series) and 已婚 in the registry for parties
    found there."""
    require(actor, "marriage.register")
    office = office_of(actor)
    today = _today()
    on = registered_on or today
    if on > today:
        raise ValidationError("登记日期不能晚于今天")
    problems, parties = registration_problems(first, second, on=on)
    if problems:
        raise ValidationError(problems)
    provinces = (parties[0].given.domicile_province, parties[1].given.domicile_province)
    registration = MarriageRegistration.objects.create(
        office=office, registered_on=on, registrar=actor, cross_province=is_cross_province(provinces),
        booking_ref=booking_ref[:40])
    rows = []
    for party in parties:
        rows.append(MarriageParty.objects.create(
            registration=registration, sex=party.sex, name=party.given.name, id_number_enc=encrypt(party.number),
            id_number_index=party.index, id_number_masked=mask_id_number(party.number), birth_date=party.birth,
            domicile_province=party.given.domicile_province, person=party.person))
    for row, other in ((rows[0], rows[1]), (rows[1], rows[0])):
        for kind in (DocumentKind.NO_SPOUSE, DocumentKind.NO_KINSHIP):
            text = _declaration_text(kind, row.name, row.id_number_masked, other.name)
            MarriageDocument.objects.create(registration=registration, kind=kind, signed_by=row.name, signed_on=on,
                                            text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                                            recorded_by=actor.username)
    certificates = [_issue(actor=actor, kind=CertificateKind.MARRIAGE, prefix=CertificateKind.MARRIAGE,
                           registration=registration, holder=row, office=office, on=on) for row in rows]
    # the registry's readers are not registrars: the source names the office, not the certificate
    for party in parties:
        _status_record(actor, party.person, MaritalStatus.MARRIED, on, f"结婚登记（{office.name}{OFFICE_SUFFIX}）",
                       f"marriage:{registration.pk}")
    audit_record(actor=actor, action="marriage.register", object_type="MarriageRegistration",
                 object_id=registration.pk, scope_code=office.code,
                 changes={"registered_on": on, "parties": [r.id_number_masked for r in rows],
                          "certificates": [c.number for c in certificates],
                          "cross_province": registration.cross_province, "booking": booking_ref[:40]})
    return registration


# ---------------------------------------------------------------------------
# Reading a record is audited (issue 13: every view of a record)


@transaction.atomic
def registration_view_record(*, actor: User, registration: MarriageRegistration, what: str = "档案") -> None:
    """Write the read audit entry for one view of a marriage record (page, API,
    certificate print): who looked, at which record, what."""
    require(actor, "marriage.view")
    audit_record(actor=actor, action="marriage.record_view", object_type="MarriageRegistration",
                 object_id=registration.pk, scope_code=registration.office_id, changes={"purpose": what[:40]})


def document_context(document: MarriageDocument) -> str:
    """What a stored document's sealed file is bound to (``seal_bytes``)."""
    return f"marriage-document:{document.kind}:{document.sha256}"


def document_open(*, actor: User, document: MarriageDocument) -> tuple[str, bytes]:
    """A stored document's file (the uploaded divorce agreement), unsealed and
    checked against its SHA-256, for a registrar; the download is audited as a
    view of the record. Returns (the original file name, the bytes)."""
    require(actor, "marriage.view")
    if not document.file:
        raise ValidationError("该材料没有上传的文件")
    try:
        with document.file.open("rb") as handle:
            data = unseal_bytes(handle.read(), document_context(document))
    except (FileNotFoundError, InvalidTag) as err:
        raise ValidationError("该材料的文件已不在服务器上或已损坏，请联系系统管理员") from err
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValidationError("该材料的文件与录入时的 SHA-256 不符")
    registration = document.registration or document.divorce.marriage
    registration_view_record(actor=actor, registration=registration, what=f"下载{document.get_kind_display()}")
    return document.original_name or f"{document.get_kind_display()}", data


# ---------------------------------------------------------------------------
# Certificate re-issue (补发)


@transaction.atomic
def certificate_reissue(*, actor: User, certificate: MarriageCertificate, reason: str,
                        on: dt.date | None = None) -> MarriageCertificate:
    """补发: a new certificate with a new number from the re-issue series (BJ/BL);
    the old one is marked superseded. A 结婚证 only while the marriage is in
    force; a 离婚证 only for a registered divorce."""
    require(actor, "marriage.reissue")
    office = office_of(actor)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("请填写补发原因（如：遗失、损毁）")
    on = on or _today()
    old = MarriageCertificate.objects.select_for_update().select_related("registration", "holder").get(
        pk=certificate.pk)
    if old.status != CertificateStatus.VALID:
        raise StateConflict(f"证书 {old.number} 已作废（已补发新证），请对最新的证书办理补发")
    if old.kind == CertificateKind.MARRIAGE and old.registration.status != MarriageStatus.IN_FORCE:
        raise StateConflict("该婚姻已终止，不能补发结婚证")
    old.status = CertificateStatus.SUPERSEDED
    old.superseded_on = on
    old.save(update_fields=["status", "superseded_on"])
    new = _issue(actor=actor, kind=old.kind, prefix=REISSUE_PREFIX[old.kind], registration=old.registration,
                 holder=old.holder, office=office, on=on, divorce=old.divorce, reissue_of=old, reason=reason[:200])
    text = f"{old.holder.name}申请补领{old.get_kind_display()}（原证 {old.number}），原因：{reason[:200]}"
    MarriageDocument.objects.create(registration=old.registration, divorce=old.divorce,
                                    kind=DocumentKind.REISSUE_APPLICATION, signed_by=old.holder.name, signed_on=on,
                                    text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                                    recorded_by=actor.username)
    audit_record(actor=actor, action="marriage.certificate_reissue", object_type="MarriageCertificate",
                 object_id=new.pk, scope_code=office.code,
                 changes={"superseded": old.number, "number": new.number, "reason": reason[:200]})
    return new


# ---------------------------------------------------------------------------
# Divorce by agreement (协议离婚) and the cooling-off clock


def _agreement(file: UploadedFile | None, text: str) -> tuple[str, bytes | None]:
    text = (text or "").strip()
    if file is None and not text:
        raise ValidationError("请上传双方签署的离婚协议书，或录入协议内容")
    if file is not None:
        if file.size > MAX_AGREEMENT_BYTES:
            raise ValidationError("离婚协议书文件不能超过10MB")
        data = file.read()
        if not data:
            raise ValidationError("离婚协议书文件为空")
        return text, data
    return text, None


@transaction.atomic
def divorce_apply(*, actor: User, marriage: MarriageRegistration, agreement_text: str = "",
                  agreement_file: UploadedFile | None = None, received_on: dt.date | None = None,
                  both_present: bool = False) -> DivorceApplication:
    """协议离婚申请 (民法典 art. 1076): both parties present with the agreement;
    the clock (art. 1077) is computed from the day of receipt and stored."""
    require(actor, "marriage.divorce")
    office = office_of(actor)
    today = _today()
    on = received_on or today
    if on > today:
        raise ValidationError("收到申请的日期不能晚于今天")
    marriage = MarriageRegistration.objects.select_for_update().get(pk=marriage.pk)
    if marriage.status != MarriageStatus.IN_FORCE:
        raise StateConflict(f"该婚姻已{marriage.get_status_display()}，不能申请离婚登记")
    if DivorceApplication.objects.filter(marriage=marriage, status=DivorceStatus.PENDING).exists():
        raise StateConflict("该婚姻已有办理中的离婚登记申请，请在原申请中办理")
    if not both_present:
        raise ValidationError("协议离婚须双方亲自到场共同申请（《民法典》第一千零七十六条）")
    if on < marriage.registered_on:
        raise ValidationError("收到申请的日期早于结婚登记日期")
    text, data = _agreement(agreement_file, agreement_text)
    # a last day in a year without a recorded holiday arrangement stays empty (filled by the daily job)
    when = divorce_clock_rules.divorce_clock_partial(on)
    parties = list(marriage.parties.all())
    application = DivorceApplication.objects.create(
        marriage=marriage, office=office, received_on=on, received_by=actor, withdrawal_until=when.withdrawal_until,
        appear_until=when.appear_until,
        cross_province=is_cross_province(tuple(p.domicile_province for p in parties)))
    document = MarriageDocument(divorce=application, registration=marriage, kind=DocumentKind.DIVORCE_AGREEMENT,
                                signed_by="、".join(p.name for p in parties), signed_on=on, text=text,
                                recorded_by=actor.username)
    if data is not None:  # sealed at rest: an agreement lists the parties' property and children (ADR 0022)
        from django.core.files.base import ContentFile

        document.original_name = (agreement_file.name or "离婚协议书")[-255:]
        document.sha256 = hashlib.sha256(data).hexdigest()
        document.file.save(f"divorce-{application.pk}-agreement.bin",
                           ContentFile(seal_bytes(data, document_context(document))), save=False)
    else:
        document.sha256 = hashlib.sha256(text.encode()).hexdigest()
    document.save()
    audit_record(actor=actor, action="marriage.divorce_apply", object_type="DivorceApplication",
                 object_id=application.pk, scope_code=office.code,
                 changes={"received_on": on, "withdrawal_until": when.withdrawal_until,
                          "appear_until": when.appear_until, "marriage": marriage.pk,
                          "cross_province": application.cross_province, "note": when.missing})
    return application


def _locked_open(application: DivorceApplication) -> DivorceApplication:
    application = DivorceApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != DivorceStatus.PENDING:
        raise StateConflict(f"该离婚登记申请已{application.get_status_display()}，不能再办理")
    return application


@transaction.atomic
def divorce_withdraw(*, actor: User, application: DivorceApplication, party_sex: str, on: dt.date | None = None,
                     note: str = "") -> DivorceApplication:
    """Either party withdraws within the cooling-off period (民法典 art. 1077 ¶1),
    up to and including ``withdrawal_until``."""
    require(actor, "marriage.divorce")
    office_of(actor)
    application = _locked_open(application)
    on = on or _today()
    party = application.marriage.parties.filter(sex=party_sex).first()
    if party is None:
        raise ValidationError("请选择撤回申请的一方")
    if on < application.received_on:
        raise ValidationError("撤回日期早于收到申请的日期")
    if application.withdrawal_until is None:
        if not divorce_clock_rules.surely_within_withdrawal(application.received_on, on):
            raise ValidationError(_pending_text(application, "撤回申请的最后一日"))
    elif on > application.withdrawal_until:
        raise StateConflict(f"冷静期已于{cn_day(application.withdrawal_until)}届满，不能再撤回；"
                            "到场期限内双方未共同到场申领离婚证的，申请视为撤回")
    application.status = DivorceStatus.WITHDRAWN
    application.closed_on = on
    application.withdrawn_by = f"{ROLE_WORD[party.sex]}{party.name}"
    application.close_note = (note or "").strip()[:200]
    application.save(update_fields=["status", "closed_on", "withdrawn_by", "close_note"])
    audit_record(actor=actor, action="marriage.divorce_withdraw", object_type="DivorceApplication",
                 object_id=application.pk, scope_code=application.office_id,
                 changes={"on": on, "party": ROLE_WORD[party.sex], "note": application.close_note})
    return application


@transaction.atomic
def divorce_register(*, actor: User, application: DivorceApplication, both_present: bool,
                     on: dt.date | None = None) -> DivorceApplication:
    """Both parties appear within the appearance window (art. 1077 ¶2): the
    divorce is registered, one 离婚证 per party, the marriage ends and the
    registry's persons become 离婚."""
    require(actor, "marriage.divorce")
    office = office_of(actor)
    application = _locked_open(application)
    on = on or _today()
    if not both_present:
        raise ValidationError("须双方亲自到场才能发给离婚证（《民法典》第一千零七十七条）")
    if application.withdrawal_until is None or application.appear_until is None:
        raise ValidationError(_pending_text(application, "冷静期和到场期限"))
    if on <= application.withdrawal_until:
        raise StateConflict(f"冷静期至{cn_day(application.withdrawal_until)}届满，"
                            f"双方可自{cn_day(application.withdrawal_until + dt.timedelta(days=1))}起到场申领离婚证")
    if on > application.appear_until:
        raise StateConflict(f"到场期限已于{cn_day(application.appear_until)}届满，申请视为撤回")
    marriage = MarriageRegistration.objects.select_for_update().get(pk=application.marriage_id)
    if marriage.status != MarriageStatus.IN_FORCE:
        raise StateConflict(f"该婚姻已{marriage.get_status_display()}")
    application.status = DivorceStatus.REGISTERED
    application.registered_on = on
    application.closed_on = on
    application.registrar = actor
    application.save(update_fields=["status", "registered_on", "closed_on", "registrar"])
    marriage.status = MarriageStatus.DIVORCED
    marriage.ended_on = on
    marriage.save(update_fields=["status", "ended_on"])
    parties = list(marriage.parties.all())
    certificates = [_issue(actor=actor, kind=CertificateKind.DIVORCE, prefix=CertificateKind.DIVORCE,
                           registration=marriage, holder=p, office=office, on=on, divorce=application)
                    for p in parties]
    for party in parties:
        _status_record(actor, party.person, MaritalStatus.DIVORCED, on, f"离婚登记（{office.name}{OFFICE_SUFFIX}）",
                       f"divorce:{application.pk}")
    audit_record(actor=actor, action="marriage.divorce_register", object_type="DivorceApplication",
                 object_id=application.pk, scope_code=office.code,
                 changes={"on": on, "certificates": [c.number for c in certificates], "marriage": marriage.pk})
    return application


def _pending_text(application: DivorceApplication, what: str) -> str:
    missing = divorce_clock_rules.divorce_clock_partial(application.received_on).missing
    return f"{what}尚不能确定：{missing}" if missing else f"{what}尚未计算，请先运行离婚申请到期处理"


def divorce_clocks_complete(*, actor: User | str) -> int:
    """Fill the last days left empty at receipt once the holiday arrangement of
    their year is recorded; returns how many applications got a date."""
    filled = 0
    for pk in (DivorceApplication.objects.filter(status=DivorceStatus.PENDING)
               .filter(Q(withdrawal_until__isnull=True) | Q(appear_until__isnull=True))
               .order_by("id").values_list("pk", flat=True)):
        with transaction.atomic():
            application = DivorceApplication.objects.select_for_update().get(pk=pk)
            when = divorce_clock_rules.divorce_clock_partial(application.received_on)
            changed = {}
            for field in ("withdrawal_until", "appear_until"):
                if getattr(application, field) is None and getattr(when, field) is not None:
                    setattr(application, field, getattr(when, field))
                    changed[field] = getattr(when, field)
            if not changed:
                continue
            application.save(update_fields=list(changed))
            audit_record(actor=actor, action="marriage.divorce_clock_complete", object_type="DivorceApplication",
                         object_id=application.pk, scope_code=application.office_id, changes=changed)
            filled += 1
    return filled


def divorce_expire(*, actor: User | str, today: dt.date | None = None) -> int:
    """Deem withdrawn every open application whose appearance window ended
    before ``today`` (art. 1077 ¶2: 未申请的，视为撤回), after filling last days
    that were waiting for a holiday arrangement. Idempotent: a second run the
    same day finds nothing. Each application in its own transaction with its
    audit entry; returns how many were closed."""
    require(actor, "marriage.expire", allow_job=True)
    today = today or _today()
    divorce_clocks_complete(actor=actor)
    closed = 0
    for pk in (DivorceApplication.objects.filter(status=DivorceStatus.PENDING, appear_until__lt=today)
               .order_by("id").values_list("pk", flat=True)):
        with transaction.atomic():
            application = DivorceApplication.objects.select_for_update().get(pk=pk)
            if application.status != DivorceStatus.PENDING or application.appear_until >= today:
                continue
            application.status = DivorceStatus.DEEMED_WITHDRAWN
            application.closed_on = application.appear_until + dt.timedelta(days=1)
            application.close_note = "到场期限内双方未申请发给离婚证，视为撤回离婚登记申请（《民法典》第一千零七十七条）"
            application.save(update_fields=["status", "closed_on", "close_note"])
            audit_record(actor=actor, action="marriage.divorce_deemed_withdrawn", object_type="DivorceApplication",
                         object_id=application.pk, scope_code=application.office_id,
                         changes={"appear_until": application.appear_until, "on": application.closed_on})
            closed += 1
    return closed


# ---------------------------------------------------------------------------
# A recorded death ends the marriage (registry port: death_listener_register)


def widowed_on_death(*, actor: Any, person: Person, death_date: dt.date) -> None:
    """Called by the registry inside a death's transaction: a marriage in force
    of the deceased ends on the death date, the surviving spouse becomes 丧偶 in
    the registry, and an open divorce application of that marriage is closed."""
    parties = MarriageParty.objects.filter(id_number_index=person.id_number_index,
                                           registration__status=MarriageStatus.IN_FORCE).select_related("registration")
    for party in parties:
        marriage = MarriageRegistration.objects.select_for_update().get(pk=party.registration_id)
        if marriage.status != MarriageStatus.IN_FORCE or death_date < marriage.registered_on:
            continue
        marriage.status = MarriageStatus.DEATH
        marriage.ended_on = death_date
        marriage.save(update_fields=["status", "ended_on"])
        DivorceApplication.objects.filter(marriage=marriage, status=DivorceStatus.PENDING).update(
            status=DivorceStatus.WITHDRAWN, closed_on=death_date, close_note="一方死亡，婚姻终止")
        for spouse in marriage.parties.exclude(pk=party.pk):
            person_spouse = spouse.person or registry_selectors.person_by_id_index(spouse.id_number_index)
            _status_record(actor, person_spouse, MaritalStatus.WIDOWED, death_date, f"配偶{party.name}死亡",
                           f"marriage:{marriage.pk}")
        audit_record(actor=actor, action="marriage.end_by_death", object_type="MarriageRegistration",
                     object_id=marriage.pk, scope_code=marriage.office_id,
                     changes={"death_date": death_date, "person": party.id_number_masked})


# ---------------------------------------------------------------------------
# Appointments: a marriage appointment is a booking of the shared booking core
# (ADR 0021) in domain 婚姻登记 for the two parties; arrival → registration.


OTHER_PURPOSES = (AppointmentPurpose.DIVORCE_APPLICATION, AppointmentPurpose.DIVORCE_CERTIFICATE,
                  AppointmentPurpose.REISSUE)


def is_marriage_purpose(purpose: str) -> bool:
    """A booking of the marriage office is for 结婚登记 unless it names another
    of the office's services (the booking core's window form defaults to 婚姻登记)."""
    return purpose.strip() not in OTHER_PURPOSES


def _marriage_booking(booking: Any) -> Any:
    from minzheng.bookings.models import Domain

    if booking.domain != Domain.MARRIAGE:
        raise ValidationError("这不是婚姻登记的预约")
    return booking


@transaction.atomic
def appointment_book(*, actor: User, slot: Any, first: tuple[str, str], second: tuple[str, str],
                     purpose: str = AppointmentPurpose.MARRIAGE, contact_phone: str = "") -> Any:
    """Book (hold + confirm) a slot of the marriage office for the two parties;
    the booking core refuses a full slot and a second active booking per person."""
    from minzheng.bookings import services as bookings
    from minzheng.bookings.models import Domain

    require(actor, "marriage.view")
    if slot.resource.domain != Domain.MARRIAGE:
        raise ValidationError("请选择婚姻登记处的预约时段")
    if purpose not in AppointmentPurpose.values:
        raise ValidationError("请选择预约事项")
    return bookings.book(slot, parties=[first, second], purpose=purpose, actor=actor, contact_phone=contact_phone)


@transaction.atomic
def appointment_check_in(*, actor: User, booking: Any) -> Any:
    """The couple arrived (已到场), through the booking core."""
    from minzheng.bookings import services as bookings

    require(actor, "marriage.view")
    return bookings.check_in(_marriage_booking(booking), actor)


@dataclass(frozen=True)
class PartyFacts:
    """What the registrar adds at the window to a booked party: the domicile
    province and the two signed declarations."""

    domicile_province: str
    signed_no_spouse: bool = False
    signed_no_kinship: bool = False


@transaction.atomic
def marriage_register_from_booking(*, actor: User, booking: Any, facts: list[PartyFacts],
                                   registered_on: dt.date | None = None) -> MarriageRegistration:
    """结婚登记 for an arrived appointment: the parties' names and ID numbers come
    from the booking (read here, never shown in full), the rest from the registrar."""
    from minzheng.bookings.models import BookingStatus
    from minzheng.core.personal_data import decrypt

    require(actor, "marriage.register")
    booking = _marriage_booking(booking)
    if booking.status != BookingStatus.ARRIVED:
        raise StateConflict(f"预约状态为“{booking.get_status_display()}”：须先登记到场再办理结婚登记")
    if not is_marriage_purpose(booking.purpose):
        raise ValidationError(f"该预约的事项是“{booking.purpose[:20]}”，不是结婚登记")
    if MarriageRegistration.objects.filter(booking=booking).exists():
        raise StateConflict("该预约已办理结婚登记")
    parties = list(booking.parties.order_by("id"))
    if len(parties) != 2 or len(facts) != 2:
        raise ValidationError("结婚登记的预约须有两位当事人")
    inputs = [PartyInput(p.name, decrypt(p.id_number_enc), f.domicile_province, f.signed_no_spouse,
                         f.signed_no_kinship) for p, f in zip(parties, facts, strict=True)]
    registration = marriage_register(actor=actor, first=inputs[0], second=inputs[1], registered_on=registered_on,
                                     booking_ref=str(booking.pk))
    registration.booking = booking
    registration.save(update_fields=["booking"])
    return registration
