"""Forms of the marriage pages (input shape only; the rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.marriage.models import Province

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads
PROVINCES = [("", "请选择"), *Province.choices]


class PartyForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(label="居民身份证号码", max_length=18, min_length=15,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    domicile_province = forms.ChoiceField(label="户籍所在省份", choices=PROVINCES, required=False)
    signed_no_spouse = forms.BooleanField(label="已当场签署“本人无配偶”声明", required=False)
    signed_no_kinship = forms.BooleanField(label="已当场签署“与对方无直系血亲和三代以内旁系血亲关系”声明",
                                           required=False)


class BookedPartyForm(forms.Form):
    """A booked party: name and ID number come from the booking; the registrar adds these."""

    domicile_province = forms.ChoiceField(label="户籍所在省份", choices=PROVINCES, required=False)
    signed_no_spouse = forms.BooleanField(label="已当场签署“本人无配偶”声明", required=False)
    signed_no_kinship = forms.BooleanField(label="已当场签署“与对方无直系血亲和三代以内旁系血亲关系”声明",
                                           required=False)


class RegistrationForm(forms.Form):
    registered_on = forms.DateField(label="登记日期", widget=DATE)


class ReissueForm(forms.Form):
    reason = forms.CharField(label="补发原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：遗失、损毁"}))


class DivorceApplyForm(forms.Form):
    received_on = forms.DateField(label="收到申请日期", widget=DATE)
    both_present = forms.BooleanField(label="双方均已亲自到场，持本人身份证和结婚证", required=False)
    agreement_file = forms.FileField(label="双方签署的离婚协议书（扫描件）", required=False)
    agreement_text = forms.CharField(label="或录入协议主要内容", required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    party_sex = forms.ChoiceField(label="撤回的一方", choices=[("M", "男方"), ("F", "女方")])
    on = forms.DateField(label="撤回日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class DivorceRegisterForm(forms.Form):
    on = forms.DateField(label="到场日期", widget=DATE)
    both_present = forms.BooleanField(label="双方均已亲自到场申请发给离婚证", required=False)
