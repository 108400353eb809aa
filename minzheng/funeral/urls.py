from django.urls import path

from minzheng.funeral import views

app_name = "funeral"
urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("new/", views.order_new, name="order_new"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/bill.pdf", views.order_bill, name="order_bill"),
    path("<int:pk>/lines/add/", views.order_line_add, name="order_line_add"),
    path("<int:pk>/lines/<int:line_pk>/change/", views.order_line_change, name="order_line_change"),
    path("<int:pk>/lines/<int:line_pk>/remove/", views.order_line_remove, name="order_line_remove"),
    path("<int:pk>/hall/book/", views.order_hall_book, name="order_hall_book"),
    path("<int:pk>/hall/cancel/", views.order_hall_cancel, name="order_hall_cancel"),
    path("<int:pk>/start/", views.order_start, name="order_start"),
    path("<int:pk>/cremation/", views.order_cremation, name="order_cremation"),
    path("<int:pk>/settle/", views.order_settle, name="order_settle"),
    path("<int:pk>/pay/", views.order_pay, name="order_pay"),
    path("<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("halls/", views.hall_day, name="hall_day"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", views.item_detail, name="item_detail"),
    path("statistics/", views.statistics, name="statistics"),
]
