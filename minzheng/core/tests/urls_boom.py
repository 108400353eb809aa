"""A URL that fails, for the error-logging test."""

from django.urls import path


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
handler500 = "minzheng.core.views.server_error"
