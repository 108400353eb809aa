"""Forms of the register pages (input shape only; the rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.core.form_fields import FiniteDecimalField
from minzheng.core.models import Division, DivisionLevel
from minzheng.core.pickers import committee_field
from minzheng.social_orgs.matter_rules import REQUIRED_DOCUMENTS
from minzheng.social_orgs.models import (
    Conclusion,
    MatterKind,
    OrgKind,
    OrgStatus,
    PartyStage,
    PartyStatus,
)
from policy.money import parse_yuan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PARTY_CHOICES = [("", "未录入"), *PartyStatus.choices]
ALL_DOCUMENTS = list(dict.fromkeys(d for docs in REQUIRED_DOCUMENTS.values() for d in docs))


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE,
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为YYYY-MM-DD"})


class OrganizationForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=OrgKind.choices)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    legal_rep_name = forms.CharField(label="法定代表人", max_length=64)
    legal_rep_id = forms.CharField(label="法定代表人身份证号", max_length=18, required=False,
                                   help_text="加密保存，只显示脱敏号码；修改时留空表示不变")
    supervisor = forms.CharField(label="业务主管单位（行业管理部门）", max_length=100)
    registered_capital = FiniteDecimalField(label="注册资金（元）", max_digits=15, decimal_places=2, required=False,
                                            min_value=0, max_value=10**13, help_text="未知请留空（不是0）")
    address = forms.CharField(label="住所", max_length=200)
    committee = committee_field("所在居村委", required=False)
    business_scope = forms.CharField(label="业务范围", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    registered_on = _date("成立登记日期")
    party_status = forms.ChoiceField(label="党组织建立情况", choices=PARTY_CHOICES, required=False)
    community = forms.BooleanField(label="社区社会组织", required=False)

    def clean_committee(self) -> Division | None:
        code = self.cleaned_data.get("committee")
        if not code:
            return None
        committee = Division.objects.filter(code=code, level=DivisionLevel.COMMITTEE).first()
        if committee is None:
            raise forms.ValidationError("请选择本区的居村委")
        return committee

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        capital = data.pop("registered_capital", None)
        data["registered_capital_fen"] = None if capital is None else parse_yuan(str(capital))
        return data


class OrganizationChangeForm(OrganizationForm):
    changed_on = _date("变更日期")
    reason = forms.CharField(label="依据或原因", max_length=500, help_text="如变更登记的核准文号")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="新状态", choices=OrgStatus.choices)
    on = _date("日期")
    reason = forms.CharField(label="原因", max_length=500)


class PartyCheckForm(forms.Form):
    stage = forms.ChoiceField(label="环节", choices=PartyStage.choices)
    checked_on = _date("日期")
    party_status = forms.ChoiceField(label="党组织建立情况", choices=PartyStatus.choices)
    note = forms.CharField(label="说明", max_length=500, required=False)


class AccountLinkForm(forms.Form):
    username = forms.CharField(label="社会组织账号", max_length=150)


class ImportForm(forms.Form):
    file = forms.FileField(label="登记表文件（.xlsx 或 .csv）", error_messages={"required": "请选择文件"})


class MatterApplyForm(forms.Form):
    """申请一件登记事项: the kind; the organization (not for an establishment); what it
    asks for (an establishment: the new organization's facts; a change: only the
    fields that change); the documents handed in."""

    kind = forms.ChoiceField(label="事项", choices=MatterKind.choices)
    organization = forms.TypedChoiceField(label="社会组织", coerce=int, required=False, empty_value=None)
    applied_on = _date("申请日期")
    name = forms.CharField(label="名称（成立时拟定名称；变更时新名称）", max_length=100, required=False)
    org_kind = forms.ChoiceField(label="类型（成立时）", choices=[("", "—"), *OrgKind.choices], required=False)
    legal_rep_name = forms.CharField(label="法定代表人（拟任或变更后）", max_length=64, required=False)
    supervisor = forms.CharField(label="业务主管单位（行业管理部门）", max_length=100, required=False)
    registered_capital = FiniteDecimalField(label="注册资金（元）", max_digits=15, decimal_places=2, required=False,
                                            min_value=0, max_value=10**13)
    address = forms.CharField(label="住所", max_length=200, required=False)
    business_scope = forms.CharField(label="业务范围", max_length=2000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    documents = forms.MultipleChoiceField(label="已提交材料", required=False, widget=forms.CheckboxSelectMultiple,
                                          choices=[(d, d) for d in ALL_DOCUMENTS])

    def proposed(self) -> dict:
        data = self.cleaned_data
        capital = data.get("registered_capital")
        out = {"name": data.get("name") or "", "kind": data.get("org_kind") or "",
               "legal_rep_name": data.get("legal_rep_name") or "", "supervisor": data.get("supervisor") or "",
               "registered_capital_fen": None if capital is None else parse_yuan(str(capital)),
               "address": data.get("address") or "", "business_scope": data.get("business_scope") or ""}
        return {k: v for k, v in out.items() if v not in ("", None)}


class MatterAcceptForm(forms.Form):
    on = _date("受理日期")


class MatterReviewForm(forms.Form):
    agrees = forms.TypedChoiceField(label="业务主管单位意见", choices=[("1", "同意"), ("0", "不同意")],
                                    coerce=lambda v: v == "1")
    opinion = forms.CharField(label="审查意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("审查日期")


class MatterDecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="决定", choices=[("1", "准予"), ("0", "不予")], coerce=lambda v: v == "1")
    reason = forms.CharField(label="理由（不予时必填）", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("决定日期")
    uscc = forms.CharField(label="赋予的统一社会信用代码（准予成立时）", max_length=18, required=False)


class MatterDocumentsForm(forms.Form):
    documents = forms.MultipleChoiceField(label="补充材料", widget=forms.CheckboxSelectMultiple,
                                          choices=[(d, d) for d in ALL_DOCUMENTS])


class TimeLimitForm(forms.Form):
    kind = forms.ChoiceField(label="事项", choices=MatterKind.choices)
    working_days = forms.IntegerField(label="办理时限（工作日）", min_value=1, max_value=250)
    basis = forms.CharField(label="依据（文件名称和条款）", max_length=300)


class ReportForm(forms.Form):
    """年度报告 (amounts in yuan, two decimals; counts whole)."""

    organization = forms.TypedChoiceField(label="社会组织", coerce=int)
    year = forms.TypedChoiceField(label="报告年度", coerce=int)
    income = FiniteDecimalField(label="本年收入（元）", max_digits=15, decimal_places=2, min_value=0, max_value=10**13)
    expense = FiniteDecimalField(label="本年支出（元）", max_digits=15, decimal_places=2, min_value=0, max_value=10**13)
    net_assets = FiniteDecimalField(label="年末净资产（元）", max_digits=15, decimal_places=2, min_value=-(10**13),
                                    max_value=10**13)
    activities = forms.IntegerField(label="开展活动（次）", min_value=0, max_value=1_000_000)
    activities_summary = forms.CharField(label="业务活动情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    staff = forms.IntegerField(label="专职工作人员（人）", min_value=0, max_value=1_000_000)
    volunteers = forms.IntegerField(label="志愿者（人）", min_value=0, max_value=1_000_000)
    major_events = forms.CharField(label="重大事项报告情况（无则留空）", max_length=5000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    party_status = forms.ChoiceField(label="党组织建立情况", choices=PartyStatus.choices)
    party_members = forms.IntegerField(label="党员人数", min_value=0, max_value=1_000_000)

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        for field in ("income", "expense", "net_assets"):
            value = data.pop(field)  # at most two decimals (the field checks); net assets may be negative
            data[f"{field}_fen"] = (-1 if value < 0 else 1) * parse_yuan(str(abs(value)))
        data.pop("organization")
        return data


class ReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label="年检结论", choices=Conclusion.choices)
    reasons = forms.CharField(label="审查意见（基本合格、不合格时必填）", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("审查日期")
