from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "minzheng.monitoring"
    label = "monitoring"
    verbose_name = "动态监测与政策找人"

    def ready(self) -> None:
        from minzheng.core.scope import register_advisor_committees
        from minzheng.monitoring.access import advisor_committees

        register_advisor_committees(advisor_committees)

        from minzheng.jobs.services import kind_register
        from minzheng.monitoring.jobs import MONITORING_RUN

        kind_register(MONITORING_RUN)
