from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from health_check.views import HealthCheckView

from accounts.sign_in import SignInView
from portal import urls as portal_urls

urlpatterns = [
    *portal_urls.site_urls,
    path("plans/", include(portal_urls.plans_urls)),
    path("indicators/", include(portal_urls.indicators_urls)),
    path("partners/", include(portal_urls.partners_urls)),
    path("returns/", include("returns.urls")),
    path("reports/", include("reports.urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("luton_plan.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    # For the load balancer: 200 when the database answers with every migration applied and the cache
    # works, 500 otherwise (JSON with ?format=json). Who: anyone; it names no data.
    path(
        "healthz",
        HealthCheckView.as_view(
            checks=["health_check.checks.Database", "health_check.checks.Cache", "core.health.MigrationsApplied"]
        ),
        name="healthz",
    ),
]

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
