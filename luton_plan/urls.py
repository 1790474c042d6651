from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from portal import urls as portal_urls

urlpatterns = [
    *portal_urls.site_urls,
    path("plans/", include(portal_urls.plans_urls)),
    path("indicators/", include(portal_urls.indicators_urls)),
    path("partners/", include(portal_urls.partners_urls)),
    path("returns/", include("returns.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include("luton_plan.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
