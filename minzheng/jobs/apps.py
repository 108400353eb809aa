from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "minzheng.jobs"
    label = "jobs"
    verbose_name = "后台作业"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.jobs.models import JobStatus

        register_value_labels("status", JobStatus.choices, object_type="Job")
