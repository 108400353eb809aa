from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "minzheng.feeds"
    label = "feeds"
    verbose_name = "部门数据"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.feeds.catalogue import sources

        register_value_labels("source", [(code, s.name) for code, s in sources().items()])
