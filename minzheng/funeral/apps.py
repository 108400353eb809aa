from django.apps import AppConfig


class FuneralConfig(AppConfig):
    name = "minzheng.funeral"
    label = "funeral"
    verbose_name = "殡仪服务"

    def ready(self) -> None:
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.funeral.models import Channel, OrderStatus, PaymentMethod

        register_value_labels("channel", Channel.choices, object_type="FuneralOrder")
        register_value_labels("status", OrderStatus.choices, object_type="FuneralOrder")
        register_value_labels("payment_method", PaymentMethod.choices)
