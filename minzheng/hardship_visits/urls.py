"""特殊困难老年人探访关爱: the staff pages."""

from django.urls import path

from minzheng.hardship_visits import views

app_name = "hardship_visits"
urlpatterns = [
    path("", views.target_list, name="target_list"),
    path("overdue/", views.overdue_list, name="overdue_list"),
    path("<int:pk>/", views.target_detail, name="target_detail"),
    path("<int:pk>/assign/", views.target_assign, name="target_assign"),
    path("visitors/", views.visitors, name="visitors"),
    path("visitors/me/", views.visitor_add_self, name="visitor_add_self"),
    path("coverage/", views.coverage, name="coverage"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("refresh/", views.refresh, name="refresh"),
]
