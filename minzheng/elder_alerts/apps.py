from django.apps import AppConfig


class ElderAlertsConfig(AppConfig):
    name = "minzheng.elder_alerts"
    label = "elder_alerts"
    verbose_name = "一键通和居家安全监测"
