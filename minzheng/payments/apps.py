from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "minzheng.payments"
    label = "payments"
    verbose_name = "救助资金发放"

    def ready(self) -> None:
        from minzheng.jobs.services import kind_register
        from minzheng.payments.jobs import PAYMENTS_BATCH_RUN, PAYMENTS_EXPORT

        kind_register(PAYMENTS_BATCH_RUN)
        kind_register(PAYMENTS_EXPORT)
