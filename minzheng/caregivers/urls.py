"""养老护理员: the staff pages."""

app_name = "caregivers"
urlpatterns: list = []
