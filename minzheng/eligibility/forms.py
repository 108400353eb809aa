"""Forms for the policy calculator, CPI entry and one-off grants."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from minzheng.core.form_fields import FiniteDecimalField
from minzheng.registry.pickers import household_field
from policy import DISABILITY_KINDS, PROGRAMS
from policy.grants import TARGET_GROUPS
from policy.programs.memberships import FLAG_GROUP_LABELS


class MonthInput(forms.TextInput):
    """``<input type="month">``: a month picker that sends YYYY-MM."""

    input_type = "month"


class HouseholdPrefillForm(forms.Form):
    """带入家庭: pick a household (by a member's name or ID number, never its
    number) and a month; the calculator opens pre-filled from the registry."""

    household = household_field("从人口库带入家庭", required=False)
    month = forms.RegexField(label="测算月份", regex=r"^\d{4}-\d{2}$", widget=MonthInput(), required=False,
                             error_messages={"invalid": "请选择月份"})


def yuan_field(label: str, **kwargs) -> forms.DecimalField:
    """An amount in yuan: finite, at most two decimals, below ``policy.money.MAX_YUAN``
    (12 integer digits), so NaN, Infinity, 1e30 or an 18-digit amount are form errors."""
    kwargs.setdefault("min_value", 0)
    return FiniteDecimalField(label=label, decimal_places=2, max_digits=14, **kwargs)


def percent_field(label: str, **kwargs) -> forms.DecimalField:
    """A price rise in percent, as the CPI service takes it (-50 to 100, two decimals)."""
    return FiniteDecimalField(label=label, decimal_places=2, max_digits=5, min_value=Decimal("-50"),
                              max_value=Decimal("100"), **kwargs)


class CalculatorHouseholdForm(forms.Form):
    month = forms.RegexField(label="测算月份", regex=r"^\d{4}-\d{2}$", widget=MonthInput(),
                             error_messages={"invalid": "请选择月份"})
    monetary_assets_yuan = yuan_field("家庭货币财产（元）", initial=0)
    private_cars = forms.IntegerField(label="机动车辆", min_value=0, max_value=999, initial=0)
    homes = forms.IntegerField(label="住房套数", min_value=0, max_value=999, initial=1)
    medical_out_of_pocket_12m_yuan = yuan_field("近12个月自负医疗费（元）", initial=0)
    cpi_all = percent_field("上月CPI同比（%）", required=False,
                            help_text="本月的价格临时补贴按上月CPI计算；留空则使用已录入的上月CPI数据")
    cpi_food = percent_field("上月食品价格同比（%）", required=False)

    def clean(self):
        data = super().clean()
        if (data.get("cpi_all") is None) != (data.get("cpi_food") is None):
            raise forms.ValidationError("CPI 和食品价格涨幅需同时填写或同时留空")
        return data


KIND_CHOICES = [("", "无")] + [(k, k) for k in DISABILITY_KINDS]
GRADE_CHOICES = [("", "—")] + [(str(g), f"{g}级") for g in range(1, 5)]
CARE_LEVEL_CHOICES = [("", "未评估")] + [(str(level), f"{level}级") for level in range(1, 7)]


class CalculatorMemberForm(forms.Form):
    id = forms.CharField(label="成员", max_length=32)
    birth_date = forms.DateField(label="出生日期", widget=forms.DateInput(attrs={"type": "date"}))
    hukou_shanghai = forms.BooleanField(label="本市户籍", required=False, initial=True)
    earned_income_yuan = yuan_field(
        "劳动收入（元/月）", initial=0,
        help_text="工资、经营等劳动所得；就业人员每月可豁免一部分（就业人员收入豁免）")
    other_income_yuan = yuan_field("其他收入（含养老金，元/月）", initial=0, help_text="养老金、失业保险金等，全额计入")
    employed = forms.BooleanField(label="就业", required=False)
    in_school = forms.BooleanField(label="全日制在校学生", required=False)
    disability_grade = forms.ChoiceField(label="残疾等级", choices=GRADE_CHOICES, required=False)
    disability_kind = forms.ChoiceField(label="残疾类别", choices=KIND_CHOICES, required=False)
    care_level = forms.ChoiceField(label="照护等级", choices=CARE_LEVEL_CHOICES, required=False,
                                   help_text="老年照护统一需求评估等级（养老服务补贴）")
    care_assessed_on = forms.DateField(label="评估日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    able_to_work = forms.BooleanField(label="有劳动能力", required=False, initial=True)
    has_able_supporter = forms.BooleanField(label="有赡养人", required=False, initial=True)
    orphan = forms.BooleanField(label="孤儿", required=False)
    unsupported_child = forms.BooleanField(label="事实无人抚养", required=False)
    in_institution = forms.BooleanField(label="机构供养", required=False)
    unemployment_insurance = forms.BooleanField(label="领取失业保险金", required=False)
    unemployment_subsidy = forms.BooleanField(label="领取失业补助金", required=False)
    youfu = forms.BooleanField(label="优抚", required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("disability_grade")) != bool(data.get("disability_kind")):
            raise forms.ValidationError("残疾等级和类别需同时填写")
        if bool(data.get("care_level")) != bool(data.get("care_assessed_on")):
            raise forms.ValidationError("照护等级和评估日期需同时填写")
        return data


MemberFormSet = forms.formset_factory(CalculatorMemberForm, extra=1, min_num=1, validate_min=True, max_num=12)


class CpiForm(forms.Form):
    month = forms.RegexField(label="月份", regex=r"^\d{4}-\d{2}$", widget=MonthInput(),
                             error_messages={"invalid": "请选择月份"})
    all_yoy_pct = percent_field("CPI同比涨幅（%）")
    food_yoy_pct = percent_field("食品价格同比涨幅（%）")
    source = forms.CharField(label="数据来源", max_length=200, required=False)


# Grant target groups: programs by their ``beneficiary_label``, then the input flags.
GROUP_LABELS = {pid: p.beneficiary_label for pid, p in PROGRAMS.items()} | FLAG_GROUP_LABELS


class GrantForm(forms.Form):
    name = forms.RegexField(label="内部代号（可空）", regex=r"^[a-z][a-z0-9_]*$", max_length=48, required=False,
                            help_text="一般留空，由系统生成；页面和文件只显示名称",
                            error_messages={"invalid": "代号只能用小写字母、数字和下划线，以字母开头"})
    label = forms.CharField(label="名称", max_length=100)
    month = forms.RegexField(label="发放月份", regex=r"^\d{4}-\d{2}$", widget=MonthInput(),
                             error_messages={"invalid": "请选择月份"})
    amount_yuan = yuan_field("每人金额（元）", min_value=Decimal("0.01"))
    target_groups = forms.MultipleChoiceField(
        label="发放对象", widget=forms.CheckboxSelectMultiple,
        choices=[(g, GROUP_LABELS.get(g, g)) for g in TARGET_GROUPS],
    )
    reference = forms.CharField(label="依据文件", max_length=200, required=False)
