from django.apps import AppConfig


class MinorsProtectionConfig(AppConfig):
    name = "minzheng.minors_protection"
    label = "minors_protection"
    verbose_name = "未成年人保护"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.minors_protection.models import (
            CaseStatus,
            CloseReason,
            MeasureKind,
            ReporterKind,
            RiskLevel,
            StaffPosition,
            Urgency,
        )

        for kind in ("MinorsCase", "MinorsDeadline"):
            register_value_labels("urgency", Urgency.choices, object_type=kind)
        register_value_labels("reporter_kind", ReporterKind.choices, object_type="MinorsCase")
        register_value_labels("case_status", CaseStatus.choices, object_type="MinorsCase")
        register_value_labels("risk_level", RiskLevel.choices, object_type="MinorsCase")
        register_value_labels("measure_kind", MeasureKind.choices, object_type="MinorsMeasure")
        register_value_labels("close_reason", CloseReason.choices, object_type="MinorsCase")
        register_value_labels("position", StaffPosition.choices, object_type="MinorsStationStaff")
