"""养老护理员: the staff pages (mounted at /eldercare/caregivers/)."""

from django.urls import path

from minzheng.caregivers import views

app_name = "caregivers"
urlpatterns = [
    path("", views.caregiver_list, name="list"),
    path("new/", views.caregiver_new, name="new"),
    path("<int:pk>/", views.caregiver_detail, name="detail"),
    path("<int:pk>/edit/", views.caregiver_edit, name="edit"),
    path("<int:pk>/trainings/", views.training_add, name="training_add"),
    path("<int:pk>/awards/", views.award_add, name="award_add"),
]
