from django.apps import AppConfig


class CareHomesConfig(AppConfig):
    name = "minzheng.care_homes"
    label = "care_homes"
    verbose_name = "养老机构"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.care_homes.dashboard import care_homes_section

        dashboard_section_register("care_homes", order=20, action="care_homes.oversee", provider=care_homes_section)
