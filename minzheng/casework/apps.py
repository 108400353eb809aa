from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "minzheng.casework"
    label = "casework"
    verbose_name = "救助申请与审核"

    def ready(self) -> None:
        from minzheng.casework.models import Status
        from minzheng.core.audit_labels import register_value_labels

        # a case step's audit entry records the statuses it moved between
        register_value_labels("from", Status.choices, object_type="Application")
        register_value_labels("to", Status.choices, object_type="Application")
