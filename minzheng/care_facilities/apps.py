from django.apps import AppConfig


class CareFacilitiesConfig(AppConfig):
    name = "minzheng.care_facilities"
    label = "care_facilities"
    verbose_name = "养老服务设施"
