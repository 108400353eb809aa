from django.apps import AppConfig


class DementiaCareConfig(AppConfig):
    name = "minzheng.dementia_care"
    label = "dementia_care"
    verbose_name = "认知障碍友好社区"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.dementia_care.dashboard import section
        from minzheng.dementia_care.models import RiskLevel

        register_value_labels("risk_level", RiskLevel.choices)
        dashboard_section_register("dementia_care", order=90, action="dementia_care.view", provider=section)
