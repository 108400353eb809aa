from django.apps import AppConfig


class CareFacilitiesConfig(AppConfig):
    name = "minzheng.care_facilities"
    label = "care_facilities"
    verbose_name = "养老服务设施"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.care_facilities.models import FacilityKind, FacilityStatus, TargetMeasure
        from minzheng.care_facilities.sections import facilities_by_kind, targets_by_street
        from minzheng.core.audit_labels import register_value_labels

        register_value_labels("facility_kind", FacilityKind.choices)
        register_value_labels("facility_status", FacilityStatus.choices)
        register_value_labels("measure", TargetMeasure.choices)
        dashboard_section_register("facilities", order=10, action="care_facilities.view", provider=facilities_by_kind)
        dashboard_section_register("targets", order=20, action="care_facilities.dashboard", provider=targets_by_street)
