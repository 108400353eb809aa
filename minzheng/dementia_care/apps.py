from django.apps import AppConfig


class DementiaCareConfig(AppConfig):
    name = "minzheng.dementia_care"
    label = "dementia_care"
    verbose_name = "认知障碍友好社区"
