from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "minzheng.eligibility"
    label = "eligibility"
    verbose_name = "政策测算"
