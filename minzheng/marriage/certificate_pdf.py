"""The printable certificate (结婚证 / 离婚证) as a PDF, with ``core.pdf`` like the
casework decision letters: holder, number, date, both parties, the issuing
office and the registrar. ID numbers are masked on this print, as on every
document the platform renders (ADR 0002); a re-issued certificate says so
and names the number it replaces."""

from __future__ import annotations

from minzheng.core.pdf import paragraph, render, spacer, table
from minzheng.marriage.conditions import cn_day
from minzheng.marriage.models import CertificateKind, MarriageCertificate

OFFICE_SUFFIX = "民政局婚姻登记处"


def office_name(certificate: MarriageCertificate) -> str:
    return f"{certificate.office.name}{OFFICE_SUFFIX}"


def certificate_pdf(certificate: MarriageCertificate) -> bytes:
    registration = certificate.registration
    parties = list(registration.parties.all())
    kind = certificate.get_kind_display()
    if certificate.kind == CertificateKind.MARRIAGE:
        statement = "申请结婚，符合《中华人民共和国民法典》关于结婚的规定，予以登记，发给此证。"
    else:
        statement = "自愿离婚，双方已亲自到场申请发给离婚证，符合《中华人民共和国民法典》关于协议离婚的规定，予以登记，发给此证。"
    flow = [
        paragraph(kind, "title"),
        paragraph(f"{kind}字号：{certificate.number}", "right"),
        paragraph(f"持证人：{certificate.holder.name}", "plain"),
        paragraph(f"登记日期：{cn_day(certificate.divorce.registered_on if certificate.divorce else registration.registered_on)}",
                  "plain"),
        spacer(3),
        table([["", "姓名", "性别", "国籍", "出生日期", "身份证件号"]]
              + [["男方" if p.sex == "M" else "女方", p.name, p.get_sex_display(), "中国", cn_day(p.birth_date),
                  p.id_number_masked] for p in parties]),
        spacer(4),
        paragraph(f"{'、'.join(p.name for p in parties)}{statement}"),
    ]
    if certificate.reissue_of_id:
        flow.append(paragraph(f"备注：补发（原证 {certificate.reissue_of.number} 作废）；补发日期 {cn_day(certificate.issued_on)}。",
                              "plain"))
    flow += [
        spacer(10),
        paragraph(f"登记机关：{office_name(certificate)}", "right"),
        paragraph(f"婚姻登记员：{certificate.issued_by.signature}", "right"),
        paragraph(cn_day(certificate.issued_on), "right"),
    ]
    return render(flow, title=f"{kind} {certificate.number}")
