from django.urls import path

from minzheng.sweeping import views

app_name = "sweeping"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("periods/", views.periods, name="periods"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("slots/<int:slot_pk>/book/", views.book, name="book"),
    path("r/<str:code>/", views.confirmation, name="confirmation"),
    path("r/<str:code>/qr.svg", views.qr, name="qr"),
    path("gate/", views.gate, name="gate"),
    path("proxy/", views.proxy_list, name="proxy_list"),
    path("proxy/new/", views.proxy_new, name="proxy_new"),
    path("proxy/<int:pk>/", views.proxy_detail, name="proxy_detail"),
    path("proxy/<int:pk>/act/<str:action>/", views.proxy_act, name="proxy_act"),
    path("proxy/<int:pk>/photos/<int:photo_pk>/", views.proxy_photo, name="proxy_photo"),
    path("figures/", views.figures, name="figures"),
]
