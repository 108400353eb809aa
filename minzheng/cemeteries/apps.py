from django.apps import AppConfig


class CemeteriesConfig(AppConfig):
    name = "minzheng.cemeteries"
    label = "cemeteries"
    verbose_name = "公墓和骨灰堂"

    def ready(self) -> None:
        from minzheng.cemeteries.models import CemeteryKind, CemeteryStatus, PlotKind
        from minzheng.core.audit_labels import register_value_labels

        register_value_labels("site_kind", CemeteryKind.choices)
        register_value_labels("site_status", CemeteryStatus.choices)
        register_value_labels("plot_kind", PlotKind.choices)
