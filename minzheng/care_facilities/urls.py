"""养老服务设施: the staff pages."""

app_name = "care_facilities"
urlpatterns: list = []
