from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "minzheng.feeds"
    label = "feeds"
    verbose_name = "部门数据"
