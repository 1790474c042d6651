"""The portal's URLs plus views that fail, for tests of what people see when something breaks."""

from django.db import OperationalError
from django.urls import include, path


def fails(request):
    raise RuntimeError("unexpected state in /srv/luton-plan/returns/views.py")


def database_refuses(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [
    path("fails/", fails),
    path("api/v1/fails/", fails),
    path("database-refuses/", database_refuses),
    path("api/v1/database-refuses/", database_refuses),
    path("", include("luton_plan.urls")),
]

handler500 = "core.errors.server_error"
