from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "minzheng.casework"
    label = "casework"
    verbose_name = "救助申请与审核"
