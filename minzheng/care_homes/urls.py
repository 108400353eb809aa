"""养老机构: the staff pages."""

app_name = "care_homes"
urlpatterns: list = []
