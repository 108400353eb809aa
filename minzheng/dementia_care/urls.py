"""认知障碍友好社区: the staff pages."""

app_name = "dementia_care"
urlpatterns: list = []
