from django.apps import AppConfig


class MealsConfig(AppConfig):
    name = "minzheng.meals"
    label = "meals"
    verbose_name = "老年人助餐"

    def ready(self) -> None:
        from minzheng.care_facilities.dashboard import dashboard_section_register
        from minzheng.core.audit_labels import register_value_labels
        from minzheng.jobs.services import kind_register
        from minzheng.meals.dashboard import meals_section
        from minzheng.meals.jobs import MEALS_IMPORT, MEALS_SETTLE
        from minzheng.meals.models import Certainty, MealKind, MealSlot, Tier

        register_value_labels("tier", Tier.choices, object_type="SubsidyRate")
        register_value_labels("certainty", Certainty.choices, object_type="SubsidyRate")
        register_value_labels("slot", MealSlot.choices, object_type="MealRecord")
        register_value_labels("kind", MealKind.choices, object_type="MealRecord")
        kind_register(MEALS_IMPORT)
        kind_register(MEALS_SETTLE)
        dashboard_section_register("meals", order=40, action="meals.view", provider=meals_section)

        from minzheng.payments.services import one_off_program_register

        # a canteen's approved monthly settlement is paid as a one-off payment to its operator (ADR 0032)
        one_off_program_register("meal_subsidy", "老年人助餐补贴")
