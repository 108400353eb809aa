"""The window form 登记死亡（家属申报） (input shape only; the rules live in services)."""

from __future__ import annotations

from django import forms

from minzheng.registry.pickers import person_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WindowReportForm(forms.Form):
    person = person_field("人口库中的死者", required=False,
                          help_text="按姓名、拼音首字母或身份证号查找本辖区人员；不在人口库的，请填写下面的姓名和身份证号")
    name = forms.CharField(label="死者姓名（不在人口库时填写）", max_length=64, required=False)
    id_number = forms.CharField(label="死者身份证号码（不在人口库时填写）", max_length=18, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    death_date = forms.DateField(label="死亡日期", widget=DATE,
                                 error_messages={"required": "请填写死亡日期", "invalid": "请填写有效的死亡日期"})
    reference = forms.CharField(label="死亡医学证明编号", max_length=60, required=False)
    place = forms.CharField(label="死亡地点", max_length=100, required=False)
    reporter = forms.CharField(label="申报人（家属）姓名", max_length=64,
                               error_messages={"required": "请填写申报的家属姓名"})
    note = forms.CharField(label="备注", max_length=200, required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("person") and not (data.get("id_number") or "").strip():
            raise forms.ValidationError("请从人口库中选择死者，或填写死者的姓名和身份证号码")
        return data
