"""The open-data API, version 1: one router over every app's read-only viewsets."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from plans.api import PlanViewSet, RiskViewSet
from portal.api import IndicatorViewSet
from portal.figures_api import FigureViewSet
from returns.api import ReturnView


class PublicRouter(DefaultRouter):
    class APIRootView(DefaultRouter.APIRootView):
        """The open-data API: plans, indicators with their targets, published figures with their statuses,
        and risks. Public."""

        permission_classes = [AllowAny]


router = PublicRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("risks", RiskViewSet, basename="risk")
router.register("figures", FigureViewSet, basename="figure")

app_name = "api"
urlpatterns = [
    *router.urls,
    path("returns/<slug:indicator_slug>/<slug:period_slug>/", ReturnView.as_view(), name="return"),
]
