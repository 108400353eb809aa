"""养老服务设施: the staff pages (mounted at /eldercare/facilities/)."""

from django.urls import path

from minzheng.care_facilities import views

app_name = "care_facilities"
urlpatterns = [
    path("", views.facility_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("targets/", views.target_set, name="target_set"),
    path("new/", views.facility_new, name="new"),
    path("import/", views.import_page, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
    path("<int:pk>/status/", views.facility_status, name="status"),
    path("<int:pk>/staff/", views.staff_link, name="staff_link"),
    path("<int:pk>/staff/<int:user_id>/unlink/", views.staff_unlink, name="staff_unlink"),
]
