"""社会组织: the staff and organization pages (mounted at /socialorgs/)."""

from django.urls import path

from minzheng.social_orgs import fund_views, matter_views, report_views, views

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
    # support funds (扶持资金、公益创投, ADR 0043)
    path("funds/", fund_views.call_list, name="fund_calls"),
    path("funds/new/", fund_views.call_new, name="fund_call_new"),
    path("funds/figures/", fund_views.figures, name="fund_figures"),
    path("funds/applications/", fund_views.application_list, name="fund_applications"),
    path("funds/applications/<int:pk>/", fund_views.application_detail, name="fund_application"),
    path("funds/applications/<int:pk>/score/", fund_views.score_record, name="fund_score"),
    path("funds/applications/<int:pk>/decide/", fund_views.decide, name="fund_decide"),
    path("funds/applications/<int:pk>/pay/", fund_views.pay, name="fund_pay"),
    path("funds/applications/<int:pk>/report/", fund_views.report_file, name="fund_report"),
    path("funds/applications/<int:pk>/report/review/", fund_views.report_review, name="fund_report_review"),
    path("funds/<int:pk>/", fund_views.call_detail, name="fund_call"),
    path("funds/<int:pk>/apply/", fund_views.application_new, name="fund_apply"),
]
