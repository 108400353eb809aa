from django.urls import path

from minzheng.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/act/<str:action>/", views.batch_act, name="batch_act"),
    path("batches/<int:pk>/export/<str:kind>/", views.batch_export_view, name="batch_export"),
    path("batches/<int:pk>/files/<str:kind>/", views.batch_file, name="batch_file"),
    path("batches/<int:pk>/returns/", views.batch_returns, name="batch_returns"),
    path("batches/<int:pk>/holds/<int:hold_pk>/release/", views.hold_release_view, name="hold_release"),
    path("one-off/", views.one_off_list, name="one_off_list"),
    path("corrections/", views.corrections, name="corrections"),
    path("ledger/", views.ledger_view, name="ledger"),
    path("settlement/", views.settlement, name="settlement"),
    path("recovery/", views.recovery_list, name="recovery_list"),
    path("recovery/<int:pk>/", views.receivable_detail, name="receivable_detail"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("accounts/<int:person_id>/", views.person_accounts, name="person_accounts"),
]
