"""居家环境适老化改造: the staff pages."""

from django.urls import path

from minzheng.home_adaptations import views

app_name = "home_adaptations"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_new, name="application_new"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/<slug:step>/", views.application_step, name="application_step"),
    path("photos/<int:pk>/", views.photo_download, name="photo_download"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/items/<int:pk>/", views.item_edit, name="item_edit"),
    path("catalogue/contractors/", views.contractor_add, name="contractor_add"),
    path("catalogue/targets/", views.target_set, name="target_set"),
    path("progress/", views.progress, name="progress"),
]
