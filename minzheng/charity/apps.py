from django.apps import AppConfig


class CharityConfig(AppConfig):
    name = "minzheng.charity"
    label = "charity"
    verbose_name = "慈善超市和福利彩票"

    def ready(self) -> None:
        from minzheng.charity.models import (
            DonationKind,
            DonorKind,
            ImportMode,
            OutletStatus,
            SupermarketStatus,
        )
        from minzheng.core.audit_labels import register_value_labels

        register_value_labels("supermarket_status", SupermarketStatus.choices)
        register_value_labels("supermarket_status_before", SupermarketStatus.choices)
        register_value_labels("outlet_status_before", OutletStatus.choices)
        register_value_labels("donation_kind", DonationKind.choices)
        register_value_labels("donor_kind", DonorKind.choices)
        register_value_labels("import_mode", ImportMode.choices)
        register_value_labels("outlet_status", OutletStatus.choices)
