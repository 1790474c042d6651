"""The open-data API, version 1: one router over every app's read-only viewsets."""

from django.urls import URLPattern, path, reverse
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from partners.api import GlossaryViewSet, PartnerViewSet
from plans.api import BudgetTableViewSet, PlanViewSet, RiskViewSet
from portal import downloads
from portal.actions_api import ActionViewSet
from portal.api import IndicatorViewSet
from portal.conditional import published_data
from portal.figures_api import FigureViewSet
from portal.organisation_api import DepartmentViewSet, ServiceViewSet
from returns.api import ReturnView


class PublicRouter(DefaultRouter):
    class APIRootView(DefaultRouter.APIRootView):
        """The open-data API, under the Open Government Licence v3.0: plans, indicators with their targets
        and statuses, published figures, departments, services, budget tables, actions with their latest
        approved update, partners with their sign-ups, the glossary and risks. Public."""

        permission_classes = [AllowAny]

        def get(self, request, *args, **kwargs):
            response = super().get(request, *args, **kwargs)
            response.data["licence"] = downloads.LICENCE
            response.data["bulk_downloads"] = request.build_absolute_uri(reverse("open-data"))
            return response


router = PublicRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("risks", RiskViewSet, basename="risk")
router.register("figures", FigureViewSet, basename="figure")
router.register("departments", DepartmentViewSet, basename="department")
router.register("services", ServiceViewSet, basename="service")
router.register("budgets", BudgetTableViewSet, basename="budget")
router.register("actions", ActionViewSet, basename="action")
router.register("partners", PartnerViewSet, basename="partner")
router.register("glossary", GlossaryViewSet, basename="glossary")


def _validated(pattern: URLPattern) -> URLPattern:
    """The router's public endpoint, with ETag and Last-Modified from the data version (portal.conditional)."""
    return URLPattern(pattern.pattern, published_data(pattern.callback), pattern.default_args, pattern.name)


app_name = "api"
urlpatterns = [
    *(_validated(pattern) for pattern in router.urls),
    path("returns/<slug:indicator_slug>/<slug:period_slug>/", ReturnView.as_view(), name="return"),
]
