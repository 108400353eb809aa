"""社会组织: the staff and organization pages (mounted at /socialorgs/)."""

from django.urls import path

from minzheng.social_orgs import event_views, matter_views, report_views, views

app_name = "social_orgs"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_new, name="new"),
    path("import/", views.import_page, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/status/", views.organization_status, name="status"),
    path("<int:pk>/party/", views.party_check, name="party_check"),
    path("<int:pk>/accounts/", views.account_link, name="account_link"),
    path("<int:pk>/accounts/<int:user_id>/unlink/", views.account_unlink, name="account_unlink"),
    path("matters/", matter_views.matter_list, name="matter_list"),
    path("matters/new/", matter_views.matter_new, name="matter_new"),
    path("matters/figures/", matter_views.figures, name="figures"),
    path("matters/time-limits/", matter_views.time_limit_enter, name="time_limit"),
    path("matters/<int:pk>/", matter_views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/accept/", matter_views.matter_accept, name="matter_accept"),
    path("matters/<int:pk>/review/", matter_views.matter_review, name="matter_review"),
    path("matters/<int:pk>/decide/", matter_views.matter_decide, name="matter_decide"),
    path("matters/<int:pk>/documents/", matter_views.matter_documents, name="matter_documents"),
    path("matters/<int:pk>/letter.pdf", matter_views.matter_letter, name="matter_letter"),
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/new/", report_views.report_new, name="report_new"),
    path("reports/rate/", report_views.filing_rate, name="filing_rate"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", report_views.report_review, name="report_review"),
    # major-event reports, reminders for unfiled annual reports, the sector dashboard (ADR 0044)
    path("events/", event_views.event_list, name="event_list"),
    path("events/new/", event_views.event_new, name="event_new"),
    path("events/<int:pk>/", event_views.event_detail, name="event_detail"),
    path("events/<int:pk>/review/", event_views.event_review, name="event_review"),
    path("events/<int:pk>/supplement/", event_views.event_supplement, name="event_supplement"),
    path("reminders/", event_views.unfiled_list, name="unfiled_list"),
    path("reminders/all/", event_views.reminders_send_all, name="remind_all"),
    path("reminders/<int:pk>/", event_views.reminder_send, name="remind"),
    path("dashboard/", event_views.sector_dashboard, name="dashboard"),
]
