"""老年人助餐: the staff pages."""

from django.urls import path

from minzheng.meals import views

app_name = "meals"
urlpatterns = [
    path("", views.index, name="index"),
    path("template.<str:fmt>", views.template_download, name="template"),
    path("upload/", views.upload, name="upload"),
    path("settle/", views.settle, name="settle"),
    path("canteens/<int:pk>/counter/", views.counter, name="counter"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("records/", views.record_list, name="records"),
    path("settlements/", views.settlement_list, name="settlements"),
    path("settlements/<int:pk>/", views.settlement_detail, name="settlement_detail"),
    path("settlements/<int:pk>/approve/", views.settlement_approve, name="settlement_approve"),
    path("settlements/<int:pk>/pay/", views.settlement_pay, name="settlement_pay"),
    path("settlements/<int:pk>/statement.xlsx", views.settlement_statement, name="settlement_statement"),
]
