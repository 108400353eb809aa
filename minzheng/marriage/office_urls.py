"""Pages of the registry office's ceremonies and statistics (``office_views``),
under ``/marriage/`` beside the registration pages."""

from django.urls import path

from minzheng.marriage import office_views as views

app_name = "marriage_office"

urlpatterns = [
    path("ceremonies/", views.ceremony_list, name="ceremony_list"),
    path("ceremonies/new/", views.ceremony_create, name="ceremony_create"),
    path("ceremonies/<int:pk>/", views.ceremony_detail, name="ceremony_detail"),
    path("ceremonies/<int:pk>/couples/add/", views.ceremony_couple_add, name="ceremony_couple_add"),
    path("ceremonies/<int:pk>/couples/<int:registration>/remove/", views.ceremony_couple_remove,
         name="ceremony_couple_remove"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/download/", views.statistics_download, name="statistics_download"),
]
