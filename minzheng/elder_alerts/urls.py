"""一键通和居家安全监测: the staff pages."""

app_name = "elder_alerts"
urlpatterns: list = []
