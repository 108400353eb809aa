from django.apps import AppConfig


class CaregiversConfig(AppConfig):
    name = "minzheng.caregivers"
    label = "caregivers"
    verbose_name = "养老护理员"
