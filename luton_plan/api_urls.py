"""The open-data API, version 1: one router over every app's read-only viewsets."""

from rest_framework.routers import DefaultRouter

from indicators.api import IndicatorViewSet
from plans.api import PlanViewSet, RiskViewSet

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("risks", RiskViewSet, basename="risk")

app_name = "api"
urlpatterns = router.urls
