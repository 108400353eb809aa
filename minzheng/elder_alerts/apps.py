from django.apps import AppConfig


class ElderAlertsConfig(AppConfig):
    name = "minzheng.elder_alerts"
    label = "elder_alerts"
    verbose_name = "一键通和居家安全监测"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.elder_alerts.dashboard import section
        from minzheng.elder_alerts.jobs import ELDER_CALLS_IMPORT, ELDER_READINGS_IMPORT, ELDER_SCAN
        from minzheng.elder_alerts.models import DeviceStatus, Outcome, SensorKind
        from minzheng.jobs.services import kind_register

        # the audit trail shows the codes its entries store by their Chinese labels
        register_value_labels("outcome", Outcome.choices, object_type="AlertTask")
        register_value_labels("status", DeviceStatus.choices, object_type="CallDevice")
        register_value_labels("device_kind", SensorKind.choices, object_type="SensorDevice")

        dashboard_section_register("elder_alerts", order=60, action="elder_alerts.view", provider=section)
        for kind in (ELDER_CALLS_IMPORT, ELDER_READINGS_IMPORT, ELDER_SCAN):
            kind_register(kind)
