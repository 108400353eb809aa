"""流浪乞讨人员救助: the staff pages."""

from django.urls import path

from minzheng.homeless_rescue import views

app_name = "homeless_rescue"
urlpatterns = [
    path("", views.rescue_list, name="rescue_list"),
    path("new/", views.rescue_new, name="rescue_new"),
    path("<int:pk>/", views.rescue_detail, name="rescue_detail"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/<str:step>/", views.person_step, name="person_step"),
    path("photos/<int:pk>/download/", views.photo_download, name="photo_download"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("figures/", views.figures, name="figures"),
]
