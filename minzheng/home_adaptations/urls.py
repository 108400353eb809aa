"""居家环境适老化改造: the staff pages."""

app_name = "home_adaptations"
urlpatterns: list = []
