from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "minzheng.workbench"
    verbose_name = "工作台"
