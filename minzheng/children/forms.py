"""Forms of 困境儿童 (ADR 0035). Dates are bounded (``core.bounds``), numbers have maxima."""

from __future__ import annotations

from django import forms

from minzheng.children.models import (
    Capacity,
    CheckOutcome,
    EvidenceKind,
    GuardianRelation,
    LeadKind,
    ServiceKind,
)
from minzheng.core.bounds import day_check

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DATE)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        day = super().clean(value)
        return day_check(day, str(self.label)) if day else day


class SpellForm(forms.Form):
    category = forms.ChoiceField(label="类别")
    started_on = BoundedDateField(label="起始日期")
    evidence_kind = forms.ChoiceField(label="证明材料类型", choices=EvidenceKind.choices)
    evidence = forms.CharField(label="证明材料（文书名称、编号或核实情况）", max_length=300)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.label) for c in categories]


class RegisterForm(SpellForm):
    person = forms.IntegerField(label="人员编号（人口库）", min_value=1, max_value=2**62)


class EndForm(forms.Form):
    ended_on = BoundedDateField(label="终止日期")
    reason = forms.CharField(label="原因", max_length=200)


class GuardianForm(forms.Form):
    person = forms.IntegerField(label="人员编号（人口库，可不填）", min_value=1, max_value=2**62, required=False)
    name = forms.CharField(label="姓名（非人口库人员）", max_length=64, required=False)
    relation = forms.ChoiceField(label="关系", choices=GuardianRelation.choices)
    capacity = forms.ChoiceField(label="监护能力", choices=Capacity.choices)
    capacity_note = forms.CharField(label="监护情况说明", max_length=300, required=False)
    started_on = BoundedDateField(label="起始日期")
    replaces = forms.ChoiceField(label="变更（替代现任监护人）", required=False)
    change_reason = forms.CharField(label="变更原因", max_length=200, required=False)

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].choices = [("", "（新增，不替代）")] + [(g.pk, g.name) for g in current]


class ChildCheckForm(forms.Form):
    checked_on = BoundedDateField(label="排查日期")
    outcome = forms.ChoiceField(label="结论", choices=CheckOutcome.choices)
    note = forms.CharField(label="情况说明", max_length=500, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.code}"] = forms.BooleanField(label=item.text, required=False)


class CommitteeCheckForm(forms.Form):
    checked_on = BoundedDateField(label="排查日期")
    note = forms.CharField(label="情况说明", max_length=500, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.code}"] = forms.BooleanField(label=item.text, required=False)


class CampaignForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    started_on = BoundedDateField(label="开始日期")
    due_on = BoundedDateField(label="完成期限")


class LeadAcceptForm(forms.Form):
    category = forms.ChoiceField(label="纳入类别")
    started_on = BoundedDateField(label="起始日期")
    evidence_kind = forms.ChoiceField(label="证明材料类型", choices=EvidenceKind.choices)
    evidence = forms.CharField(label="证明材料", max_length=300)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.label) for c in categories]


class LeadDismissForm(forms.Form):
    reason = forms.CharField(label="不予纳入的理由", max_length=300)


class LeadReportForm(forms.Form):
    person = forms.IntegerField(label="儿童的人员编号（人口库）", min_value=1, max_value=2**62)
    kind = forms.ChoiceField(label="线索来源", choices=[(k, v) for k, v in LeadKind.choices
                                                      if k in (LeadKind.PARENT_IMPRISONED, LeadKind.STAFF)])
    category = forms.ChoiceField(label="建议类别")
    detail = forms.CharField(label="线索内容（所见文书、情况）", max_length=300)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.label) for c in categories]


class DirectorForm(forms.Form):
    committee = forms.CharField(label="居村委代码", min_length=12, max_length=12)
    name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    started_on = BoundedDateField(label="任职日期")


class ProjectForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    provider = forms.CharField(label="承接机构", max_length=100)
    planned_children = forms.IntegerField(label="计划服务人数", min_value=1, max_value=10000)
    started_on = BoundedDateField(label="开始日期")
    target_category = forms.ChoiceField(label="服务对象类别", required=False)
    basis = forms.CharField(label="依据", max_length=300, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_category"].choices = [("", "（不限）")] + [(c.pk, c.label) for c in categories]


class ServedForm(forms.Form):
    child = forms.IntegerField(label="名册编号（困境儿童）", min_value=1, max_value=2**62)
    joined_on = BoundedDateField(label="纳入服务日期")


class ServiceForm(forms.Form):
    served = forms.IntegerField(label="服务对象", min_value=1, max_value=2**62)
    served_on = BoundedDateField(label="服务日期")
    kind = forms.ChoiceField(label="服务内容", choices=ServiceKind.choices)
    description = forms.CharField(label="服务情况", max_length=500)
