"""特殊困难老年人探访关爱: the staff pages."""

app_name = "hardship_visits"
urlpatterns: list = []
