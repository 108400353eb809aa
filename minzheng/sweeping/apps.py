from django.apps import AppConfig


class SweepingConfig(AppConfig):
    name = "minzheng.sweeping"
    label = "sweeping"
    verbose_name = "祭扫预约"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.sweeping.models import PeakKind, ProxyService, ProxyStatus

        register_value_labels("peak_kind", PeakKind.choices)
        register_value_labels("status", ProxyStatus.choices, object_type="ProxyOrder")
        register_value_labels("services", ProxyService.choices, object_type="ProxyOrder")
