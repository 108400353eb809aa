from django.apps import AppConfig


class CareHomesConfig(AppConfig):
    name = "minzheng.care_homes"
    label = "care_homes"
    verbose_name = "养老机构"
