from django.apps import AppConfig


class MealsConfig(AppConfig):
    name = "minzheng.meals"
    label = "meals"
    verbose_name = "老年人助餐"
