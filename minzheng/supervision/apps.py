from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "minzheng.supervision"
    label = "supervision"
    verbose_name = "养老机构监管"
