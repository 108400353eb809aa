from django.urls import path

from minzheng.deaths import views

app_name = "deaths"
urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("report/", views.window_report, name="window_report"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("<int:pk>/checklist.pdf", views.checklist_download, name="checklist_pdf"),
]
