"""Every write of the cemetery register, the price control and the yearly
inspection (ADR 0025): one transaction, the permission, the user's
jurisdiction, an audit entry each. Business refusals are ``ValidationError``
with a Chinese message.

Public interface for other apps: the register's writes; the sweeping helper
only reads (``selectors``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from minzheng.cemeteries.models import (
    PUBLIC_KINDS,
    Cemetery,
    CemeteryKind,
    CemeteryStatus,
    ChecklistCategory,
    ChecklistItem,
    ChecklistVersion,
    Evidence,
    Inspection,
    InspectionResult,
    ItemResult,
    PlotKind,
    PlotStock,
    Price,
    PriceCap,
    Rectification,
    Section,
)
from minzheng.cemeteries.pricing import OverCap, cap_in_force, cap_text, money, prices_over_cap
from minzheng.core.audit import audit_record
from minzheng.core.models import Division, DivisionLevel, User
from minzheng.core.permissions import require
from minzheng.core.scope import require_scope_covers

ACTOR = User | str


def _name(actor: ACTOR) -> str:
    return actor if isinstance(actor, str) else actor.username


def _guard(actor: ACTOR, action: str, cemetery: Cemetery | None = None) -> None:
    """The permission, and (for a staff account) the cemetery's street in scope.
    A plain-name actor is the operator (demo, command line)."""
    require(actor, action, allow_job=True)
    if cemetery is not None and not isinstance(actor, str):
        require_scope_covers(actor, street_code=cemetery.street_id, committee_code=None)


def _audit(actor: ACTOR, action: str, obj: Any, cemetery: Cemetery | None, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, object_type=type(obj).__name__, object_id=obj.pk,
                 scope_code=cemetery.street_id if cemetery is not None else "", changes=changes)


# --- the register ---------------------------------------------------------------

CEMETERY_FIELDS = ("name", "kind", "street", "operator", "address", "licence_number", "status", "note")
# the audit trail's keys for a site's fields (core.audit_labels: one label per key, across apps)
AUDIT_KEYS = {"name": "site_name", "kind": "site_kind", "status": "site_status"}


def _cemetery_check(values: Mapping[str, Any]) -> None:
    if not str(values.get("name", "")).strip():
        raise ValidationError("请填写名称")
    if values.get("kind") not in CemeteryKind.values:
        raise ValidationError("类型应为经营性公墓、公益性公墓、经营性骨灰堂或公益性骨灰堂")
    if values.get("status", CemeteryStatus.OPEN) not in CemeteryStatus.values:
        raise ValidationError("状态应为在营、规划中或停业")
    street = values.get("street")
    if not isinstance(street, Division) or street.level != DivisionLevel.STREET:
        raise ValidationError("所在街镇应为本区的一个街道或镇")
    if not str(values.get("operator", "")).strip():
        raise ValidationError("请填写经营（管理）单位")
    if values.get("status", CemeteryStatus.OPEN) == CemeteryStatus.OPEN and not str(
            values.get("licence_number", "")).strip():
        raise ValidationError("在营的公墓或骨灰堂应填写批准文号")


@transaction.atomic
def cemetery_create(*, actor: ACTOR, name: str, kind: str, street: Division, operator: str, address: str = "",
                    licence_number: str = "", status: str = CemeteryStatus.OPEN, note: str = "") -> Cemetery:
    values = {"name": name.strip(), "kind": kind, "street": street, "operator": operator.strip(),
              "address": address.strip(), "licence_number": licence_number.strip(), "status": status,
              "note": note.strip()}
    _cemetery_check(values)
    site = Cemetery(**values)
    _guard(actor, "cemeteries.manage", site)
    if Cemetery.objects.filter(name=site.name).exists():
        raise ValidationError(f"已有名为“{site.name}”的公墓或骨灰堂")
    site.save()
    _audit(actor, "cemetery.create", site, site, {"site_name": site.name, "site_kind": kind, "street": street.code,
                                                   "site_status": status})
    return site


@transaction.atomic
def cemetery_update(*, actor: ACTOR, cemetery: Cemetery, **values: Any) -> Cemetery:
    _guard(actor, "cemeteries.manage", cemetery)
    unknown = set(values) - set(CEMETERY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    merged = {f: getattr(cemetery, f) for f in CEMETERY_FIELDS} | {
        k: (v.strip() if isinstance(v, str) and k != "kind" else v) for k, v in values.items()}
    _cemetery_check(merged)
    if merged["kind"] != cemetery.kind and (cemetery.prices.exists() or cemetery.inspections.exists()):
        raise ValidationError("已有价格或年检记录的公墓不能更改类型（经营性与公益性的价格规则不同）")
    if Cemetery.objects.filter(name=merged["name"]).exclude(pk=cemetery.pk).exists():
        raise ValidationError(f"已有名为“{merged['name']}”的公墓或骨灰堂")
    changes = {AUDIT_KEYS.get(f, f): [_plain(getattr(cemetery, f)), _plain(v)] for f, v in merged.items()
               if getattr(cemetery, f) != v}
    if not isinstance(actor, str):  # moving a site to another street: the new street must be the user's too
        require_scope_covers(actor, street_code=merged["street"].code, committee_code=None)
    for f, v in merged.items():
        setattr(cemetery, f, v)
    cemetery.save()
    _audit(actor, "cemetery.update", cemetery, cemetery, changes)
    return cemetery


def _plain(value: Any) -> Any:
    return value.code if isinstance(value, Division) else value


@transaction.atomic
def section_create(*, actor: ACTOR, cemetery: Cemetery, name: str, note: str = "") -> Section:
    _guard(actor, "cemeteries.manage", cemetery)
    name = name.strip()
    if not name:
        raise ValidationError("请填写墓区名称")
    if cemetery.sections.filter(name=name).exists():
        raise ValidationError(f"{cemetery.name}已有墓区“{name}”")
    section = Section.objects.create(cemetery=cemetery, name=name, note=note.strip())
    _audit(actor, "cemetery.section_create", section, cemetery, {"cemetery": cemetery.pk, "section_name": name})
    return section


def _locked_stock(section: Section, plot_kind: str) -> PlotStock | None:
    return PlotStock.objects.select_for_update().filter(section=section, plot_kind=plot_kind).first()


@transaction.atomic
def stock_set_capacity(*, actor: ACTOR, section: Section, plot_kind: str, capacity: int) -> PlotStock:
    """Set how many places of ``plot_kind`` the section has (new kind: a new row)."""
    cemetery = section.cemetery
    _guard(actor, "cemeteries.manage", cemetery)
    if plot_kind not in PlotKind.values:
        raise ValidationError("墓穴（格位）类型无效")
    if capacity is None or capacity < 0:
        raise ValidationError("容量不能为负数")
    stock = _locked_stock(section, plot_kind)
    if stock is None:
        stock = PlotStock.objects.create(section=section, plot_kind=plot_kind, capacity=capacity)
        before = None
    else:
        if capacity < stock.sold:
            raise ValidationError(f"{section.name}{PlotKind(plot_kind).label}已售{stock.sold}个，容量不能少于已售数")
        before = stock.capacity
        stock.capacity = capacity
        stock.save(update_fields=["capacity"])
    _audit(actor, "cemetery.stock_capacity", stock, cemetery,
           {"section": section.pk, "plot_kind": plot_kind, "plot_capacity": [before, capacity]})
    return stock


@transaction.atomic
def stock_record(*, actor: ACTOR, stock: PlotStock, sold: int = 0, used: int = 0, reason: str = "") -> PlotStock:
    """Record sales (``sold`` more places sold or allotted) and burials (``used``
    more places used); a negative number corrects an earlier entry and needs a
    reason. Never negative, sold ≤ capacity, used ≤ sold (the database checks too)."""
    cemetery = stock.section.cemetery
    _guard(actor, "cemeteries.manage", cemetery)
    if not sold and not used:
        raise ValidationError("请填写售出或安葬的数量")
    if (sold < 0 or used < 0) and not reason.strip():
        raise ValidationError("减少数量是更正，请说明原因")
    locked = PlotStock.objects.select_for_update().get(pk=stock.pk)
    new_sold, new_used = locked.sold + sold, locked.used + used
    label = f"{stock.section.name}{PlotKind(stock.plot_kind).label}"
    if new_sold < 0 or new_used < 0:
        raise ValidationError(f"{label}的已售数和已安葬数不能为负数")
    if new_sold > locked.capacity:
        raise ValidationError(f"{label}容量{locked.capacity}个、已售{locked.sold}个，不能再售出{sold}个")
    if new_used > new_sold:
        raise ValidationError(f"{label}已安葬数（{new_used}）不能超过已售数（{new_sold}）")
    before = [locked.sold, locked.used]
    locked.sold, locked.used = new_sold, new_used
    try:
        with transaction.atomic():
            locked.save(update_fields=["sold", "used"])
    except IntegrityError as err:  # a concurrent writer; the row lock makes this unlikely
        raise ValidationError(f"{label}的数量不符合“已安葬≤已售≤容量”") from err
    _audit(actor, "cemetery.stock_record", locked, cemetery,
           {"plot_kind": stock.plot_kind, "sold": [before[0], new_sold], "used": [before[1], new_used],
            "reason": reason.strip()})
    return locked


# --- prices and caps (价格管控) ---------------------------------------------------

@transaction.atomic
def price_add(*, actor: ACTOR, cemetery: Cemetery, plot_kind: str, price_fen: int, effective_from: dt.date,
              basis: str = "") -> Price:
    """Add a price from a date on (the history is kept). A 经营性 cemetery's price
    above the cap in force on that date is refused, naming the cap and its
    document; a 公益性 cemetery's price needs the document that set it."""
    _guard(actor, "cemeteries.manage", cemetery)
    if plot_kind not in PlotKind.values:
        raise ValidationError("墓穴（格位）类型无效")
    if price_fen is None or price_fen <= 0:
        raise ValidationError("价格应大于0")
    basis = basis.strip()
    if cemetery.kind in PUBLIC_KINDS and not basis:
        raise ValidationError("公益性公墓和骨灰堂的价格由政府部门核定，请填写定价依据（文件名称和文号）")
    cap = cap_in_force(cemetery, plot_kind, effective_from)
    if cap is not None and price_fen > cap.cap_fen:
        raise ValidationError(f"价格{money(price_fen)}超过{cap_text(cap)}，不能录入")
    if Price.objects.filter(cemetery=cemetery, plot_kind=plot_kind, effective_from=effective_from).exists():
        raise ValidationError(f"{cemetery.name}{PlotKind(plot_kind).label}在该日已有一条价格，请改用另一执行日期")
    price = Price.objects.create(cemetery=cemetery, plot_kind=plot_kind, price_fen=price_fen,
                                 effective_from=effective_from, basis=basis, recorded_by=_name(actor))
    _audit(actor, "cemetery.price_add", price, cemetery,
           {"cemetery": cemetery.pk, "plot_kind": plot_kind, "price_fen": price_fen,
            "effective_from": effective_from.isoformat(), "cap": cap.pk if cap else None})
    return price


@transaction.atomic
def cap_set(*, actor: ACTOR, plot_kind: str, cap_fen: int, effective_from: dt.date, citation: str,
            cemetery: Cemetery | None = None) -> tuple[PriceCap, list[OverCap]]:
    """Set a cap from a date on (district-wide, or for one 经营性 cemetery).
    No price changes: returns the prices now over the cap (the report)."""
    require(actor, "cemeteries.price_cap", allow_job=True)
    if plot_kind not in PlotKind.values:
        raise ValidationError("墓穴（格位）类型无效")
    if cap_fen is None or cap_fen <= 0:
        raise ValidationError("最高限价应大于0")
    citation = citation.strip()
    if not citation:
        raise ValidationError("请填写设定限价的文件（名称和文号）")
    if cemetery is not None and not cemetery.is_commercial:
        raise ValidationError("限价只适用于经营性公墓和经营性骨灰堂；公益性的价格由政府部门核定")
    same = PriceCap.objects.filter(plot_kind=plot_kind, effective_from=effective_from, cemetery=cemetery)
    if same.exists():
        raise ValidationError(f"{PlotKind(plot_kind).label}在该日已有一项限价，请改用另一执行日期")
    cap = PriceCap.objects.create(cemetery=cemetery, plot_kind=plot_kind, cap_fen=cap_fen,
                                  effective_from=effective_from, citation=citation, recorded_by=_name(actor))
    sites = Cemetery.objects.filter(pk=cemetery.pk) if cemetery is not None else Cemetery.objects.all()
    over = prices_over_cap(sites, effective_from, plot_kind=plot_kind)
    audit_record(actor=actor, action="cemetery.cap_set", object_type="PriceCap", object_id=cap.pk,
                 scope_code=cemetery.street_id if cemetery else "",
                 changes={"plot_kind": plot_kind, "cap_fen": cap_fen, "effective_from": effective_from.isoformat(),
                          "cemetery": cemetery.pk if cemetery else None, "citation": citation,
                          "over_cap": len(over)})
    return cap, over


# --- the yearly inspection (公墓年检) ---------------------------------------------

@transaction.atomic
def checklist_ensure(*, actor: ACTOR, year: int) -> ChecklistVersion:
    """The checklist of ``year``; if there is none yet, a copy of the latest
    earlier year's (or an empty one for the first year)."""
    require(actor, "cemeteries.inspect", allow_job=True)
    existing = ChecklistVersion.objects.filter(year=year).first()
    if existing is not None:
        return existing
    source = ChecklistVersion.objects.filter(year__lt=year).order_by("-year").first()
    version = ChecklistVersion.objects.create(year=year, copied_from=source, created_by=_name(actor))
    if source is not None:
        ChecklistItem.objects.bulk_create([
            ChecklistItem(version=version, position=i.position, category=i.category, text=i.text)
            for i in source.items.all()])
    audit_record(actor=actor, action="cemetery.checklist_create", object_type="ChecklistVersion",
                 object_id=version.pk, changes={"year": year, "copied_from": source.year if source else None})
    return version


def _item_check(category: str, text: str) -> None:
    if category not in ChecklistCategory.values:
        raise ValidationError("检查项类别无效")
    if not text.strip():
        raise ValidationError("请填写检查内容")


@transaction.atomic
def checklist_item_add(*, actor: ACTOR, version: ChecklistVersion, category: str, text: str) -> ChecklistItem:
    require(actor, "cemeteries.inspect", allow_job=True)
    _item_check(category, text)
    last = version.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = ChecklistItem.objects.create(version=version, position=last + 1, category=category, text=text.strip())
    audit_record(actor=actor, action="cemetery.checklist_item_add", object_type="ChecklistItem", object_id=item.pk,
                 changes={"year": version.year, "category": category, "text": item.text})
    return item


@transaction.atomic
def checklist_item_update(*, actor: ACTOR, item: ChecklistItem, category: str, text: str) -> ChecklistItem:
    require(actor, "cemeteries.inspect", allow_job=True)
    _item_check(category, text)
    if item.results.exists() and text.strip() != item.text:
        raise ValidationError("该检查项已有检查结果，不能修改内容；如需调整，请新增一项")
    changes = {"category": [item.category, category], "text": [item.text, text.strip()]}
    item.category, item.text = category, text.strip()
    item.save()
    audit_record(actor=actor, action="cemetery.checklist_item_update", object_type="ChecklistItem",
                 object_id=item.pk, changes=changes)
    return item


@transaction.atomic
def checklist_item_remove(*, actor: ACTOR, item: ChecklistItem) -> None:
    require(actor, "cemeteries.inspect", allow_job=True)
    if item.results.exists():
        raise ValidationError("该检查项已有检查结果，不能删除")
    audit_record(actor=actor, action="cemetery.checklist_item_remove", object_type="ChecklistItem",
                 object_id=item.pk, changes={"year": item.version.year, "text": item.text})
    item.delete()


@transaction.atomic
def inspection_create(*, actor: ACTOR, cemetery: Cemetery, year: int, inspected_on: dt.date,
                      inspectors: str, note: str = "") -> Inspection:
    _guard(actor, "cemeteries.inspect", cemetery)
    if cemetery.status == CemeteryStatus.PLANNED:
        raise ValidationError("规划中的公墓或骨灰堂尚未运营，不开展年检")
    if not inspectors.strip():
        raise ValidationError("请填写检查人员")
    if inspected_on.year not in (year, year + 1):
        raise ValidationError(f"{year}年度年检的检查日期应在{year}年或{year + 1}年")
    if Inspection.objects.filter(cemetery=cemetery, year=year).exists():
        raise ValidationError(f"{cemetery.name}已有{year}年度年检")
    checklist = checklist_ensure(actor=actor, year=year)
    if not checklist.items.exists():
        raise ValidationError(f"{year}年度检查表还没有检查项，请先编辑检查表")
    inspection = Inspection.objects.create(cemetery=cemetery, year=year, checklist=checklist,
                                           inspected_on=inspected_on, inspectors=inspectors.strip(),
                                           note=note.strip(), created_by=_name(actor))
    _audit(actor, "cemetery.inspection_create", inspection, cemetery,
           {"cemetery": cemetery.pk, "year": year, "inspected_on": inspected_on.isoformat()})
    return inspection


@transaction.atomic
def inspection_record_results(*, actor: ACTOR, inspection: Inspection,
                              results: Mapping[int, tuple[str, str]]) -> int:
    """Record (or correct) the result of items: ``{item id: (result, note)}``.
    A 不符合 needs a note (what was found). Returns how many changed."""
    _guard(actor, "cemeteries.inspect", inspection.cemetery)
    items = {i.pk: i for i in inspection.checklist.items.all()}
    existing = {r.item_id: r for r in inspection.results.select_for_update()}
    changed: list[str] = []
    for item_id, (result, note) in results.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError("检查项不属于本年度检查表")
        if result not in ItemResult.values:
            raise ValidationError(f"“{item.text}”的检查结果应为符合、不符合或不适用")
        note = (note or "").strip()
        if result == ItemResult.FAIL and not note:
            raise ValidationError(f"“{item.text}”不符合，请说明发现的问题")
        row = existing.get(item_id)
        if row is None:
            InspectionResult.objects.create(inspection=inspection, item=item, result=result, note=note)
        elif (row.result, row.note) != (result, note):
            if row.result == ItemResult.FAIL and result != ItemResult.FAIL and row.rectifications.exists():
                raise ValidationError(f"“{item.text}”已有整改记录，不能改为{ItemResult(result).label}")
            row.result, row.note = result, note
            row.save()
        else:
            continue
        changed.append(f"检查项{item.position}：{ItemResult(result).label}")
    if changed:
        _audit(actor, "cemetery.inspection_results", inspection, inspection.cemetery, {"results": changed})
    return len(changed)


@transaction.atomic
def rectification_add(*, actor: ACTOR, inspection: Inspection, finding: str, deadline: dt.date,
                      responsible: str, requirement: str = "", result: InspectionResult | None = None
                      ) -> Rectification:
    _guard(actor, "cemeteries.inspect", inspection.cemetery)
    if result is not None and (result.inspection_id != inspection.pk or result.result != ItemResult.FAIL):
        raise ValidationError("只有本次年检中不符合的检查项需要整改")
    finding = finding.strip() or (result.note if result is not None else "")
    if not finding:
        raise ValidationError("请填写发现的问题")
    if not responsible.strip():
        raise ValidationError("请填写整改责任人")
    if deadline < inspection.inspected_on:
        raise ValidationError("整改期限不能早于检查日期")
    rect = Rectification.objects.create(inspection=inspection, result=result, finding=finding[:300],
                                        requirement=requirement.strip(), deadline=deadline,
                                        responsible=responsible.strip())
    _audit(actor, "cemetery.rectification_add", rect, inspection.cemetery,
           {"inspection": inspection.pk, "deadline": deadline.isoformat(), "item": result.item_id if result else None})
    return rect


@transaction.atomic
def rectification_done(*, actor: ACTOR, rectification: Rectification, done_on: dt.date, note: str) -> Rectification:
    """The cemetery (or its street, or the bureau) reports the rectification done."""
    cemetery = rectification.inspection.cemetery
    _guard(actor, "cemeteries.rectify", cemetery)
    if rectification.verified_on is not None:
        raise ValidationError("该整改已验证，不能再修改")
    if not note.strip():
        raise ValidationError("请说明整改情况")
    if done_on > timezone.localdate():
        raise ValidationError("整改完成日期不能晚于今天")
    if done_on < rectification.inspection.inspected_on:
        raise ValidationError("整改完成日期不能早于检查日期")
    rectification.done_on, rectification.done_note = done_on, note.strip()
    rectification.save(update_fields=["done_on", "done_note"])
    _audit(actor, "cemetery.rectification_done", rectification, cemetery, {"done_on": done_on.isoformat()})
    return rectification


@transaction.atomic
def rectification_verify(*, actor: User, rectification: Rectification, on: dt.date | None = None) -> Rectification:
    """The bureau checks the rectification and its evidence and confirms it."""
    cemetery = rectification.inspection.cemetery
    _guard(actor, "cemeteries.inspect", cemetery)
    on = on or timezone.localdate()
    if rectification.verified_on is not None:
        raise ValidationError("该整改已验证")
    if rectification.done_on is None:
        raise ValidationError("整改尚未报告完成，不能验证")
    if on < rectification.done_on:
        raise ValidationError("验证日期不能早于整改完成日期")
    rectification.verified_on, rectification.verified_by = on, actor
    rectification.save(update_fields=["verified_on", "verified_by"])
    _audit(actor, "cemetery.rectification_verify", rectification, cemetery, {"verified_on": on.isoformat()})
    return rectification


# Evidence files: pictures, scans and PDFs only, checked by their first bytes
# (not by the name the browser sends), at most 10 MB each.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
EVIDENCE_TYPES_TEXT = "PDF、PNG 或 JPEG"


def evidence_type(content: bytes) -> tuple[str, str]:
    for magic, mime, suffix in EVIDENCE_TYPES:
        if content.startswith(magic):
            return mime, suffix
    raise ValidationError(f"佐证材料只能是{EVIDENCE_TYPES_TEXT}文件")


@transaction.atomic
def evidence_attach(*, actor: ACTOR, rectification: Rectification, name: str, content: bytes) -> Evidence:
    cemetery = rectification.inspection.cemetery
    _guard(actor, "cemeteries.rectify", cemetery)
    if rectification.verified_on is not None:
        raise ValidationError("该整改已验证，不能再上传材料")
    if not content:
        raise ValidationError("上传的文件为空")
    if len(content) > EVIDENCE_MAX_BYTES:
        raise ValidationError("单个文件不能超过10MB")
    mime, suffix = evidence_type(content)
    digest = hashlib.sha256(content).hexdigest()
    evidence = Evidence(rectification=rectification, original_name=(name or f"佐证材料.{suffix}")[:255],
                        content_type=mime, size=len(content), sha256=digest, uploaded_by=_name(actor))
    evidence.file.save(f"{rectification.pk}-{digest[:16]}.{suffix}", ContentFile(content), save=False)
    try:
        evidence.save()
        _audit(actor, "cemetery.evidence_attach", evidence, cemetery,
               {"rectification": rectification.pk, "file_type": suffix, "size": len(content), "sha256": digest})
    except BaseException:
        evidence.file.delete(save=False)
        raise
    return evidence

