from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "minzheng.eligibility"
    label = "eligibility"
    verbose_name = "政策测算"

    def ready(self) -> None:
        from minzheng.eligibility.jobs import POLICY_BATCH
        from minzheng.jobs.services import kind_register

        kind_register(POLICY_BATCH)
