from django.urls import path

from minzheng.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_new, name="application_new"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/act/<str:action>/", views.application_act, name="application_act"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_id>/", views.document_download, name="document_download"),
    path("<int:pk>/letters/<int:letter_id>.pdf", views.letter_download, name="letter_download"),
    path("<int:pk>/archive/", views.application_archive, name="application_archive"),
    path("<int:pk>/objections/", views.objection_add, name="objection_add"),
    path("objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("notices/", views.notice_index, name="notice_index"),
    path("notices/<str:code>/", views.notice_committee, name="notice_committee"),
    path("notices/<str:code>.pdf", views.notice_committee_pdf, name="notice_committee_pdf"),
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/<str:change>/", views.enrolment_change, name="enrolment_change"),
    path("rereviews/", views.rereview_list, name="rereview_list"),
    path("settings/", views.program_settings, name="program_settings"),
    path("holidays/", views.holidays, name="holidays"),
    path("spot-checks/", views.spot_checks, name="spot_checks"),
    path("spot-checks/<int:check_id>/", views.spot_check_check, name="spot_check_check"),
]
