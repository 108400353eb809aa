from django.urls import path

from minzheng.feeds import views

app_name = "feeds"
urlpatterns = [
    path("", views.index, name="index"),
    path("sources/<str:code>/template.<str:fmt>", views.template_download, name="template"),
    path("upload/", views.upload, name="upload"),
    path("files/", views.file_list, name="file_list"),
    path("files/<int:pk>/", views.file_detail, name="file_detail"),
    path("events/", views.event_list, name="event_list"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
]
