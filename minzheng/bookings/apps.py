from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "minzheng.bookings"
    label = "bookings"
    verbose_name = "预约"

    def ready(self) -> None:
        from minzheng.bookings.jobs import EXPIRE_HOLDS
        from minzheng.bookings.labels import register_labels
        from minzheng.jobs.services import kind_register

        kind_register(EXPIRE_HOLDS)
        register_labels()
