from django.urls import path

from minzheng.verification import views

app_name = "verification"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/authorisations/", views.authorisation_add, name="authorisation_add"),
    path("<int:pk>/authorisations/<int:auth_pk>/", views.authorisation_document, name="authorisation_document"),
    path("<int:pk>/compute/", views.compute, name="compute"),
    path("<int:pk>/report/", views.report_generate, name="report_generate"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/exceptions/", views.reply_exception_add, name="reply_exception_add"),
    path("<int:pk>/no-record-replies/", views.no_record_reply_add, name="no_record_reply_add"),
    path("reports/<int:pk>.pdf", views.report_download, name="report_download"),
]
