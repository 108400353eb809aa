from django.apps import AppConfig


class HardshipVisitsConfig(AppConfig):
    name = "minzheng.hardship_visits"
    label = "hardship_visits"
    verbose_name = "特殊困难老年人探访关爱"
