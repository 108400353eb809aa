"""Filters of the 残疾人服务 lists (django-filter), bounded."""

from __future__ import annotations

import django_filters

from minzheng.disability_services.models import (
    AidRentalApplication,
    ApplicationStatus,
    DeviceCategory,
    Rental,
)
from minzheng.disability_services.selectors import EXPIRY_WINDOW_DAYS, EXPIRY_WINDOW_MAX, Validity
from minzheng.registry.models import DisabilityCertificate, DisabilityKind


def street_choices() -> list[tuple[str, str]]:
    from minzheng.core.models import Division, DivisionLevel

    return list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code").values_list("code", "name"))


GRADES = [(g, f"{g}级") for g in range(1, 5)]


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains", max_length=64)
    street = django_filters.ChoiceFilter(label="街镇", field_name="person__street_id", choices=street_choices,
                                         empty_label="全部")
    grade = django_filters.ChoiceFilter(label="等级", choices=GRADES, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="类别", choices=DisabilityKind.choices, empty_label="全部")
    validity = django_filters.ChoiceFilter(label="有效性", choices=Validity.CHOICES, empty_label="全部")

    class Meta:
        model = DisabilityCertificate
        fields: list[str] = []


class ExpiringFilter(CertificateFilter):
    days = django_filters.NumberFilter(label=f"到期窗口（天，默认{EXPIRY_WINDOW_DAYS}）", method="keep",
                                       min_value=1, max_value=EXPIRY_WINDOW_MAX)
    enrolled = django_filters.BooleanFilter(label="只看享受两项补贴等的", method="only_enrolled")

    def keep(self, queryset, name, value):  # the window is applied by the view (the rows depend on it)
        return queryset

    def only_enrolled(self, queryset, name, value):
        from minzheng.disability_services.selectors import expiring_with_enrolments

        return expiring_with_enrolments(queryset) if value else queryset


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="残疾人姓名", field_name="person__name", lookup_expr="contains", max_length=64)
    status = django_filters.ChoiceFilter(label="状态", choices=ApplicationStatus.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    year = django_filters.NumberFilter(label="申请年度", field_name="applied_on", lookup_expr="year",
                                       min_value=2000, max_value=2099)

    class Meta:
        model = AidRentalApplication
        fields: list[str] = []


class RentalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="租用人姓名", field_name="person__name", lookup_expr="contains", max_length=64)
    device_category = django_filters.ChoiceFilter(label="辅具类别", choices=DeviceCategory.choices, empty_label="全部")
    street = django_filters.ChoiceFilter(label="居住街镇", field_name="street_id", choices=street_choices,
                                         empty_label="全部")
    open = django_filters.BooleanFilter(label="租用中", field_name="end_on", lookup_expr="isnull")

    class Meta:
        model = Rental
        fields: list[str] = []
