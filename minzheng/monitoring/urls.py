from django.urls import path

from minzheng.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("run/", views.run_trigger, name="run_trigger"),
    path("my/", views.my_work, name="my_work"),
    path("leads/", views.lead_list, name="lead_list"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("exits/", views.exit_list, name="exit_list"),
    path("exits/<int:pk>/", views.exit_detail, name="exit_detail"),
    path("edge/", views.edge_list, name="edge_list"),
    path("notices/", views.notice_list, name="notice_list"),
    path("households/<int:household_id>/", views.household, name="household"),
    path("visits/<int:visit_id>/attachments/<int:attachment_id>/", views.attachment_download,
         name="attachment_download"),
    path("advisors/", views.advisors, name="advisors"),
]
