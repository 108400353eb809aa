from django.apps import AppConfig


class ElderAlertsConfig(AppConfig):
    name = "minzheng.elder_alerts"
    label = "elder_alerts"
    verbose_name = "一键通和居家安全监测"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.elder_alerts.dashboard import section

        dashboard_section_register("elder_alerts", order=60, action="elder_alerts.view", provider=section)
