from django.apps import AppConfig


class HomeAdaptationsConfig(AppConfig):
    name = "minzheng.home_adaptations"
    label = "home_adaptations"
    verbose_name = "居家环境适老化改造"
