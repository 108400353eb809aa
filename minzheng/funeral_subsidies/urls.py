from django.urls import path

from minzheng.funeral_subsidies import views

app_name = "funeral_subsidies"
urlpatterns = [
    path("", views.grant_list, name="grant_list"),
    path("<int:pk>/", views.grant_detail, name="grant_detail"),
    path("<int:pk>/receipts/", views.grant_receipts, name="grant_receipts"),
    path("<int:pk>/facts/", views.grant_facts, name="grant_facts"),
    path("<int:pk>/payee/", views.grant_payee, name="grant_payee"),
    path("<int:pk>/send/", views.grant_send, name="grant_send"),
    path("<int:pk>/reassess/", views.grant_reassess, name="grant_reassess"),
    path("<int:pk>/refuse/", views.grant_refuse, name="grant_refuse"),
    path("<int:pk>/operator-settled/", views.grant_operator_settled, name="grant_operator_settled"),
    path("burials/new/", views.burial_new, name="burial_new"),
    path("values/", views.values, name="values"),
]
