"""未成年人保护: the staff pages (ADR 0036)."""

from django.urls import path

from minzheng.minors_protection import views

app_name = "minors_protection"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("report/", views.case_report, name="case_report"),
    path("overview/", views.overview, name="overview"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/assess/", views.case_assess, name="case_assess"),
    path("cases/<int:pk>/special/", views.case_special, name="case_special"),
    path("cases/<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("cases/<int:pk>/measures/<int:measure_pk>/outcome/", views.measure_outcome, name="measure_outcome"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/assignments/<int:assignment_pk>/end/", views.case_unassign, name="case_unassign"),
    path("stations/", views.stations, name="stations"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/staff/<int:staff_pk>/end/", views.station_staff_end, name="station_staff_end"),
    path("office/", views.office, name="office"),
    path("office/members/", views.office_member_add, name="office_member_add"),
    path("office/members/<int:pk>/end/", views.office_member_end, name="office_member_end"),
    path("office/deadlines/<str:urgency>/", views.deadline_edit, name="deadline_edit"),
]
