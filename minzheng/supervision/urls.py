"""养老机构监管: the staff pages."""

app_name = "supervision"
urlpatterns: list = []
