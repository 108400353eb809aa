from django.apps import AppConfig


class MarriageConfig(AppConfig):
    name = "minzheng.marriage"
    label = "marriage"
    verbose_name = "婚姻登记"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.jobs.services import kind_register
        from minzheng.marriage.jobs import MARRIAGE_EXPIRE
        from minzheng.marriage.models import CertificateKind, DivorceStatus, Province
        from minzheng.registry.services import death_listener_register

        kind_register(MARRIAGE_EXPIRE)
        register_value_labels("kind", CertificateKind.choices, object_type="MarriageCertificate")
        register_value_labels("status", DivorceStatus.choices, object_type="DivorceApplication")
        register_value_labels("domicile_province", Province.choices)

        from minzheng.marriage.services import widowed_on_death

        death_listener_register(widowed_on_death)
