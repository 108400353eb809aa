from django.urls import path

from minzheng.marriage import views

app_name = "marriage"
urlpatterns = [
    path("", views.registration_list, name="registration_list"),
    path("new/", views.registration_new, name="registration_new"),
    path("<int:pk>/", views.registration_detail, name="registration_detail"),
    path("<int:pk>/divorce/", views.divorce_apply, name="divorce_apply"),
    path("certificates/<int:pk>.pdf", views.certificate_download, name="certificate_pdf"),
    path("documents/<int:pk>/file/", views.document_download, name="document_download"),
    path("certificates/<int:pk>/reissue/", views.certificate_reissue, name="certificate_reissue"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<int:pk>/check-in/", views.appointment_check_in, name="appointment_check_in"),
    path("appointments/<int:pk>/register/", views.appointment_register, name="appointment_register"),
    path("divorces/", views.divorce_list, name="divorce_list"),
    path("divorces/<int:pk>/", views.divorce_detail, name="divorce_detail"),
    path("divorces/<int:pk>/withdraw/", views.divorce_withdraw, name="divorce_withdraw"),
    path("divorces/<int:pk>/register/", views.divorce_register, name="divorce_register"),
]
