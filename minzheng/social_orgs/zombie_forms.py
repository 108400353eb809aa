"""Forms of the zombie-organization pages (input shape only; the rules live in zombie_services)."""

from __future__ import annotations

from django import forms

from minzheng.social_orgs.forms import _date
from minzheng.social_orgs.models import ContactKind

YES_NO = [("1", "是"), ("0", "否")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda v: v == "1",
                                  error_messages={"required": f"请选择{label}"})


class ActivityForm(forms.Form):
    held_on = _date("活动日期")
    description = forms.CharField(label="活动内容", max_length=500)
    in_charter = _yes_no("属于章程规定的业务活动")
    evidence = forms.CharField(label="佐证材料", max_length=300, help_text="如活动通知、签到表、照片、新闻报道")


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="联系方式", choices=ContactKind.choices)
    tried_on = _date("联系日期")
    reached = _yes_no("取得联系")
    outcome = forms.CharField(label="联系情况", max_length=500, help_text="如：住所已人去楼空；法定代表人电话停机")


class PeriodForm(forms.Form):
    months = forms.IntegerField(label="期限（月）", min_value=1, max_value=120)
    effective_from = _date("起始日期")
    document_name = forms.CharField(label="依据文件名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100)


class NoticeForm(forms.Form):
    notice_on = _date("通知日期")
    deadline = _date("整改期限")
    requirements = forms.CharField(label="整改要求", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RectifyForm(forms.Form):
    on = _date("整改完成日期")
    rectification = forms.CharField(label="整改情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="如：补报了2022、2023年度报告；恢复开展章程规定的活动")


class RevokeForm(forms.Form):
    on = _date("撤销登记日期")
    reason = forms.CharField(label="撤销登记决定（文号和理由）", max_length=400)
