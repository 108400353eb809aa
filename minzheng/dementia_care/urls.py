"""认知障碍友好社区: the staff pages."""

from django.urls import path

from minzheng.dementia_care import views

app_name = "dementia_care"
urlpatterns = [
    path("", views.screening_list, name="screening_list"),
    path("new/", views.screening_new, name="screening_new"),
    path("<int:pk>/", views.screening_detail, name="screening_detail"),
    path("<int:pk>/referral/", views.referral, name="referral"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("figures/", views.figures, name="figures"),
]
