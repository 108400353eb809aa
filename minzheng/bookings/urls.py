from django.urls import path

from minzheng.bookings import views

app_name = "bookings"
urlpatterns = [
    path("", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/day/", views.day_view, name="day"),
    path("resources/<int:pk>/week/", views.week_view, name="week"),
    path("slots/<int:slot_pk>/book/", views.booking_new, name="booking_new"),
    path("<int:pk>/", views.booking_detail, name="booking_detail"),
    path("<int:pk>/act/<str:action>/", views.booking_act, name="booking_act"),
]
