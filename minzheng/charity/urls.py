"""慈善超市 and 福利彩票: the staff pages (ADR 0040)."""

from django.urls import path

from minzheng.charity import views

app_name = "charity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("supermarkets/", views.supermarket_list, name="supermarket_list"),
    path("supermarkets/new/", views.supermarket_new, name="supermarket_new"),
    path("supermarkets/<int:pk>/", views.supermarket_detail, name="supermarket_detail"),
    path("supermarkets/<int:pk>/status/", views.supermarket_status, name="supermarket_status"),
    path("supermarkets/<int:pk>/ledger/", views.ledger_list, name="ledger"),
    path("donations/", views.donation_list, name="donation_list"),
    path("donations/<int:pk>/reverse/", views.donation_reverse, name="donation_reverse"),
    path("distributions/", views.distribution_list, name="distribution_list"),
    path("distributions/<int:pk>/reverse/", views.distribution_reverse, name="distribution_reverse"),
    path("monthly/", views.monthly, name="monthly"),
    path("lottery/", views.lottery, name="lottery"),
    path("lottery/outlets/", views.outlet_list, name="outlet_list"),
    path("lottery/outlets/new/", views.outlet_new, name="outlet_new"),
    path("lottery/sales/", views.sales_list, name="sales_list"),
    path("lottery/imports/", views.sales_upload, name="sales_upload"),
    path("lottery/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("lottery/rates/", views.rate_new, name="rate_new"),
    path("lottery/template.<str:fmt>", views.template_download, name="template"),
]
