from django.apps import AppConfig


class HomeAdaptationsConfig(AppConfig):
    name = "minzheng.home_adaptations"
    label = "home_adaptations"
    verbose_name = "居家环境适老化改造"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.home_adaptations.dashboard import section
        from minzheng.home_adaptations.services import program_register

        program_register()  # 一次性补贴项目 home_adaptation 适老化改造补贴 (payments.one_off)
        dashboard_section_register("home_adaptations", order=80, action="home_adaptations.view", provider=section)
