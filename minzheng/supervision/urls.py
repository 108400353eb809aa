"""养老机构监管（双随机、一公开）: the staff pages and the public page (ADR 0030)."""

from django.urls import path

from minzheng.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/record/", views.inspection_record, name="inspection_record"),
    path("inspections/<int:pk>/complete/", views.inspection_complete, name="inspection_complete"),
    path("inspections/<int:pk>/order/", views.order_issue, name="order_issue"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/respond/", views.order_respond, name="order_respond"),
    path("orders/<int:pk>/verify/", views.order_verify, name="order_verify"),
    path("photos/<int:pk>/", views.photo_download, name="photo_download"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("inspectors/", views.inspectors, name="inspectors"),
    path("checklists/", views.checklists, name="checklists"),
    path("public/", views.public, name="public"),
]
