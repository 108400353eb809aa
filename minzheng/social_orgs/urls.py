"""社会组织: the staff and organization pages (mounted at /socialorgs/)."""

from django.urls import path

from minzheng.social_orgs import views

app_name = "social_orgs"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_new, name="new"),
    path("import/", views.import_page, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/status/", views.organization_status, name="status"),
    path("<int:pk>/party/", views.party_check, name="party_check"),
    path("<int:pk>/accounts/", views.account_link, name="account_link"),
    path("<int:pk>/accounts/<int:user_id>/unlink/", views.account_unlink, name="account_unlink"),
]
