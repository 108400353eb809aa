from django.apps import AppConfig


class DisabilityServicesConfig(AppConfig):
    name = "minzheng.disability_services"
    label = "disability_services"
    verbose_name = "残疾人服务"

    def ready(self) -> None:
        from minzheng.core.street_dashboards import section_register
        from minzheng.disability_services.dashboard import section

        section_register("special_groups", "disability_services", order=30, action="disability_services.view", provider=section)
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.disability_services.models import (
            ApplicantRelation,
            ApplicationStatus,
            DeviceCategory,
            ParameterKind,
            SiteStatus,
        )
        from minzheng.disability_services.services import program_register

        program_register()  # 一次性补贴项目 disability_aid_rental 康复辅具社区租赁服务补贴 (payments.one_off)
        register_value_labels("status", ApplicationStatus.choices, object_type="AidRentalApplication")
        register_value_labels("rehab_status", SiteStatus.choices)
        register_value_labels("device_category", DeviceCategory.choices)
        register_value_labels("parameter_kind", ParameterKind.choices)
        register_value_labels("applicant_relation", ApplicantRelation.choices)
