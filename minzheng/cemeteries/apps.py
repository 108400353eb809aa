from django.apps import AppConfig


class CemeteriesConfig(AppConfig):
    name = "minzheng.cemeteries"
    label = "cemeteries"
    verbose_name = "公墓和骨灰堂"

    def ready(self) -> None:
        from minzheng.cemeteries.models import CemeteryKind, CemeteryStatus
        from minzheng.core.audit_labels import register_value_labels

        register_value_labels("kind", CemeteryKind.choices, object_type="Cemetery")
        register_value_labels("status", CemeteryStatus.choices, object_type="Cemetery")
