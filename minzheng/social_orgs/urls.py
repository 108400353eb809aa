"""社会组织: the staff and organization pages (mounted at /socialorgs/)."""

from django.urls import path

from minzheng.social_orgs import grade_views, matter_views, report_views, views

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
    # evaluation grades (社会组织等级评估, ADR 0041)
    path("grades/", grade_views.grade_list, name="grade_list"),
    path("grades/apply/", grade_views.grade_apply, name="grade_apply"),
    path("grades/rounds/", grade_views.grade_rounds, name="grade_rounds"),
    path("grades/valid/", grade_views.grade_valid, name="grade_valid"),
    path("grades/sanctions/", grade_views.sanctions, name="grade_sanctions"),
    path("grades/sanctions/<int:pk>/end/", grade_views.sanction_end, name="grade_sanction_end"),
    path("grades/rewards/", grade_views.reward_list, name="reward_list"),
    path("grades/rewards/compute/", grade_views.rewards_compute, name="rewards_compute"),
    path("grades/rewards/parameters/", grade_views.reward_parameters, name="reward_parameters"),
    path("grades/rewards/<int:pk>/", grade_views.reward_detail, name="reward_detail"),
    path("grades/rewards/<int:pk>/pay/", grade_views.reward_pay, name="reward_pay"),
    path("grades/<int:pk>/", grade_views.grade_detail, name="grade_detail"),
    path("grades/<int:pk>/score/", grade_views.grade_score, name="grade_score"),
    path("grades/<int:pk>/decide/", grade_views.grade_decide, name="grade_decide"),
]
