from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "minzheng.registry"
    label = "registry"
    verbose_name = "人口库"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.jobs.services import kind_register
        from minzheng.registry.jobs import REGISTRY_IMPORT
        from minzheng.registry.models import Employment, FactOrigin, MaritalStatus, Relation

        kind_register(REGISTRY_IMPORT)
        register_value_labels("employment", Employment.choices)
        register_value_labels("relation", Relation.choices)
        register_value_labels("origin", FactOrigin.choices)
        register_value_labels("marital_status", MaritalStatus.choices)
