"""Filters of the registry lists (django-filter).

Codes never reach the page: every choice is shown by its Chinese label
(model choices), committees by a picker (ADR 0012)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet

from minzheng.core.pickers import committee_field
from minzheng.registry import selectors
from minzheng.registry.models import Employment, Household, Person, Sex

# Age bands as the bureau counts them: minors, working age, the elderly, the very old.
AGE_BANDS = (("0-17", "未满18岁"), ("18-59", "18至59岁"), ("60-79", "60至79岁"), ("80-", "80岁及以上"))
YES_NO_HUKOU = (("1", "本市户籍"), ("0", "外省市户籍"))
ALIVE = (("1", "在世"), ("0", "已故"))


class HouseholdFilter(django_filters.FilterSet):
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委",
                                          widget=committee_field().widget)
    address = django_filters.CharFilter(field_name="address", lookup_expr="contains", label="地址含")

    class Meta:
        model = Household
        fields: list[str] = []


def search_query_accepted(value: str) -> None:
    """Refuse a query the person search cannot answer (15–17 digits of an ID
    number, ADR 0020) with its Chinese message beside the search box."""
    if problem := selectors.person_search_problem(value):
        raise forms.ValidationError(problem)


class PersonFilter(django_filters.FilterSet):
    """The person search: name, pinyin (full or initials), an ID number's first
    6–14 digits or a complete ID number,
    narrowed by committee, sex, age band, employment, hukou and whether alive."""

    q = django_filters.CharFilter(
        method="search", label="姓名、拼音或身份证号", validators=[search_query_accepted],
        widget=forms.TextInput(attrs={"id": "q", "placeholder": "如 张三、zs 或身份证号",
                                      "autocomplete": "off"}))
    committee = django_filters.CharFilter(field_name="committee_id", label="居村委",
                                          widget=committee_field().widget)
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label="性别", empty_label="全部")
    age = django_filters.ChoiceFilter(choices=AGE_BANDS, method="age_band", label="年龄段", empty_label="全部")
    employment = django_filters.ChoiceFilter(choices=Employment.choices, label="就业状况", empty_label="全部")
    hukou = django_filters.ChoiceFilter(choices=YES_NO_HUKOU, method="hukou_is", label="户籍", empty_label="全部")
    alive = django_filters.ChoiceFilter(choices=ALIVE, method="alive_is", label="状态", empty_label="全部")

    class Meta:
        model = Person
        fields: list[str] = []

    def search(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return selectors.person_matching(qs, value)

    def age_band(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        """Age on today: born on or before today minus the lower bound, after
        today minus (upper bound + 1) years."""
        today = dt.date.today()
        low, _, high = value.partition("-")
        qs = qs.filter(birth_date__lte=selectors.years_before(today, int(low)))
        if high:
            qs = qs.filter(birth_date__gt=selectors.years_before(today, int(high) + 1))
        return qs

    def hukou_is(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return qs.filter(hukou_shanghai=value == "1")

    def alive_is(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return qs.filter(alive=value == "1")
