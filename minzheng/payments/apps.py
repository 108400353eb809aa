from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "minzheng.payments"
    label = "payments"
    verbose_name = "救助资金发放"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.jobs.services import kind_register
        from minzheng.payments.jobs import PAYMENTS_BATCH_RUN, PAYMENTS_EXPORT
        from minzheng.payments.models import BatchStatus, FileKind

        # a batch's export and download entries name the file and the batch's status by code
        register_value_labels("kind", FileKind.choices, object_type="PaymentBatch")
        register_value_labels("status", BatchStatus.choices, object_type="PaymentBatch")

        kind_register(PAYMENTS_BATCH_RUN)
        kind_register(PAYMENTS_EXPORT)

        from minzheng.payments.death_holds import payments_on_death
        from minzheng.payments.models import HoldReason
        from minzheng.registry.services import death_listener_register

        register_value_labels("reason", HoldReason.choices, object_type="PaymentBatch")
        # a recorded death holds the deceased's unpaid lines and charges months paid after it (death_holds)
        death_listener_register(payments_on_death)
