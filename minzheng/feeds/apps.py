from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "minzheng.feeds"
    label = "feeds"
    verbose_name = "部门数据"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.feeds.catalogue import sources
        from minzheng.feeds.jobs import FEEDS_IMPORT
        from minzheng.jobs.services import kind_register

        kind_register(FEEDS_IMPORT)
        register_value_labels("source", [(code, s.name) for code, s in sources().items()])
