from django.urls import path

from minzheng.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/merges/<int:merge_id>/undo/", views.person_unmerge, name="person_unmerge"),
    path("persons/<int:pk>/care-assessments/", views.person_care_assessment, name="person_care_assessment"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("households/", views.household_list, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/declare/", views.household_declare, name="household_declare"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/merge/", views.merge, name="merge"),
    path("import/", views.import_page, name="import"),
    path("import/runs/<int:pk>/", views.import_run, name="import_run"),
    path("import/runs/<int:pk>/problems.csv", views.import_run_problems, name="import_run_problems"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
]
