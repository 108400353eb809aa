"""残疾人服务: the staff pages (ADR 0037)."""

from django.urls import path

from minzheng.disability_services import views

app_name = "disability_services"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/expiring/", views.expiring_list, name="expiring_list"),
    path("rental/", views.application_list, name="application_list"),
    path("rental/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("rental/applications/<int:pk>/<slug:step>/", views.application_step, name="application_step"),
    path("rental/records/", views.rental_list, name="rental_list"),
    path("rental/records/new/", views.rental_new, name="rental_new"),
    path("rental/records/<int:pk>/", views.rental_detail, name="rental_detail"),
    path("rental/records/<int:pk>/end/", views.rental_end, name="rental_end"),
    path("rental/records/<int:pk>/apply/", views.application_new, name="application_new"),
    path("rental/points/", views.points, name="points"),
    path("rental/points/<int:pk>/close/", views.point_close, name="point_close"),
    path("rental/parameters/", views.parameters, name="parameters"),
    path("rehab/", views.rehab, name="rehab"),
    path("rehab/target/", views.coverage_target, name="coverage_target"),
    path("rehab/sites/<int:pk>/", views.rehab_site, name="rehab_site"),
    path("rehab/sites/<int:pk>/<slug:step>/", views.rehab_site_step, name="rehab_site_step"),
    path("care-beds/", views.care_beds, name="care_beds"),
    path("care-beds/<int:pk>/<slug:step>/", views.care_bed_step, name="care_bed_step"),
]
