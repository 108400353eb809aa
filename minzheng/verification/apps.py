from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "minzheng.verification"
    label = "verification"
    verbose_name = "家庭经济状况核对"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.verification.models import Outcome, Purpose, Status

        register_value_labels("outcome", Outcome.choices, object_type="VerificationRequest")
        register_value_labels("purpose", Purpose.choices, object_type="VerificationRequest")
        for field in ("status", "from"):
            register_value_labels(field, Status.choices, object_type="VerificationRequest")
