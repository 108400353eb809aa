"""老年人助餐: the staff pages."""

app_name = "meals"
urlpatterns: list = []
