"""养老机构: the staff pages (ADR 0029)."""

from django.urls import path

from minzheng.care_homes import views

app_name = "care_homes"
urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("oversight/", views.oversight, name="oversight"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("<int:pk>/", views.institution_detail, name="institution_detail"),
    path("<int:pk>/rooms/", views.room_add, name="room_add"),
    path("<int:pk>/residents/new/", views.resident_new, name="resident_new"),
    path("<int:pk>/staff/", views.staff_add, name="staff_add"),
    path("<int:pk>/incidents/new/", views.incident_new, name="incident_new"),
    path("beds/<int:pk>/", views.bed_edit, name="bed_edit"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/assess/", views.resident_assess, name="resident_assess"),
    path("residents/<int:pk>/move/", views.resident_move, name="resident_move"),
    path("residents/<int:pk>/discharge/", views.resident_discharge, name="resident_discharge"),
    path("staff/<int:pk>/leave/", views.staff_leave, name="staff_leave"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/steps/", views.incident_step, name="incident_step"),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
]
