from django.urls import path

from minzheng.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("parameters/", views.parameter_list, name="parameters"),
    path("calculator/", views.calculator, name="calculator"),
    path("cpi/", views.cpi_list, name="cpi"),
    path("cpi/template.csv", views.cpi_template, name="cpi_template"),
    path("grants/", views.grant_list, name="grants"),
    path("runs/", views.runs, name="runs"),
    path("runs/batch/", views.run_batch, name="run_batch"),
    path("households/<int:pk>/decisions/", views.household_decisions, name="household_decisions"),
]
