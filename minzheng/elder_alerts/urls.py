"""一键通和居家安全监测: the staff pages (ADR 0033)."""

from django.urls import path

from minzheng.elder_alerts import views

app_name = "elder_alerts"
urlpatterns = [
    path("", views.call_figures, name="call_figures"),
    path("devices/", views.call_device_list, name="call_device_list"),
    path("devices/new/", views.call_device_new, name="call_device_new"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("sensors/", views.sensor_list, name="sensor_list"),
    path("sensors/new/", views.sensor_new, name="sensor_new"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("rules/", views.rules, name="rules"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/upload/", views.feed_upload, name="feed_upload"),
    path("feeds/scan/", views.scan, name="scan"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
]
