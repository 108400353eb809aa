from django.apps import AppConfig


class CaregiversConfig(AppConfig):
    name = "minzheng.caregivers"
    label = "caregivers"
    verbose_name = "养老护理员"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.caregivers.figures import dashboard_figures
        from minzheng.caregivers.models import CertificateLevel
        from minzheng.core.audit_labels import register_value_labels

        register_value_labels("certificate_level", CertificateLevel.choices)
        register_value_labels("resulting_level", CertificateLevel.choices)
        dashboard_section_register("caregivers", order=30, action="caregivers.view", provider=dashboard_figures)
