"""社会组织: the staff and organization pages (mounted at /socialorgs/)."""

from django.urls import path

from minzheng.social_orgs import matter_views, report_views, views, zombie_views

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
    # zombie organizations (僵尸型社会组织, ADR 0042)
    path("zombies/", zombie_views.zombie_list, name="zombie_list"),
    path("zombies/period/", zombie_views.period_enter, name="zombie_period"),
    path("zombies/orgs/<int:pk>/", zombie_views.organization_records, name="zombie_records"),
    path("zombies/orgs/<int:pk>/activities/", zombie_views.activity_add, name="zombie_activity"),
    path("zombies/orgs/<int:pk>/contacts/", zombie_views.contact_add, name="zombie_contact"),
    path("zombies/orgs/<int:pk>/open/", zombie_views.case_open, name="zombie_open"),
    path("zombies/cases/", zombie_views.case_list, name="zombie_cases"),
    path("zombies/cases/<int:pk>/", zombie_views.case_detail, name="zombie_case"),
    path("zombies/cases/<int:pk>/notice/", zombie_views.case_notify, name="zombie_notify"),
    path("zombies/cases/<int:pk>/rectify/", zombie_views.case_rectify, name="zombie_rectify"),
    path("zombies/cases/<int:pk>/revoke/", zombie_views.case_revoke, name="zombie_revoke"),
    path("zombies/cases/<int:pk>/notice.pdf", zombie_views.case_notice, name="zombie_notice_pdf"),
    path("zombies/cases/<int:pk>/announcement.pdf", zombie_views.case_announcement, name="zombie_announcement_pdf"),
]
