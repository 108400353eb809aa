from django.apps import AppConfig


class DeathsConfig(AppConfig):
    name = "minzheng.deaths"
    label = "deaths"
    verbose_name = "死亡登记"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.deaths.jobs import DEATHS_FROM_FEEDS
        from minzheng.deaths.models import DeathStatus, SourceKind
        from minzheng.jobs.services import kind_register

        kind_register(DEATHS_FROM_FEEDS)
        register_value_labels("source", SourceKind.choices, object_type="DeathRecord")
        register_value_labels("status", DeathStatus.choices, object_type="DeathRecord")
