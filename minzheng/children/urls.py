"""困境儿童: the staff pages."""

from django.urls import path

from minzheng.children import views

app_name = "children"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("register/", views.child_list, name="child_list"),
    path("register/new/", views.child_register, name="child_register"),
    path("register/<int:pk>/", views.child_detail, name="child_detail"),
    path("register/<int:pk>/categories/", views.spell_add, name="spell_add"),
    path("register/<int:pk>/categories/<int:spell_pk>/end/", views.spell_end, name="spell_end"),
    path("register/<int:pk>/end/", views.child_end, name="child_end"),
    path("register/<int:pk>/guardians/", views.guardian_add, name="guardian_add"),
    path("sweep/", views.sweep, name="sweep"),
    path("sweep/<int:campaign_pk>/<str:code>/", views.committee_sweep, name="committee_sweep"),
    path("leads/", views.leads, name="leads"),
    path("leads/generate/", views.leads_generate, name="leads_generate"),
    path("leads/<int:pk>/accept/", views.lead_accept, name="lead_accept"),
    path("leads/<int:pk>/dismiss/", views.lead_dismiss, name="lead_dismiss"),
    path("directors/", views.directors, name="directors"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
]
