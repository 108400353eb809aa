from django.urls import path

from minzheng.cemeteries import views

app_name = "cemeteries"
urlpatterns = [
    path("", views.cemetery_list, name="cemetery_list"),
    path("new/", views.cemetery_new, name="cemetery_new"),
    path("<int:pk>/", views.cemetery_detail, name="cemetery_detail"),
    path("<int:pk>/edit/", views.cemetery_edit, name="cemetery_edit"),
    path("<int:pk>/sections/", views.section_add, name="section_add"),
    path("<int:pk>/capacity/", views.capacity_set, name="capacity_set"),
    path("<int:pk>/prices/", views.price_add, name="price_add"),
    path("<int:pk>/inspections/new/", views.inspection_new, name="inspection_new"),
    path("stocks/<int:pk>/record/", views.stock_record, name="stock_record"),
    path("caps/", views.caps, name="caps"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/results/", views.inspection_results, name="inspection_results"),
    path("inspections/<int:pk>/rectifications/", views.rectification_add, name="rectification_add"),
    path("rectifications/<int:pk>/done/", views.rectification_done, name="rectification_done"),
    path("rectifications/<int:pk>/verify/", views.rectification_verify, name="rectification_verify"),
    path("rectifications/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/create/", views.checklist_create, name="checklist_create"),
    path("checklist/items/<int:pk>/", views.checklist_item_edit, name="checklist_item_edit"),
    path("report/", views.report, name="report"),
]
