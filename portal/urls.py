"""The portal's URLs, mounted under the namespaces the rest of the code reverses (plans:, indicators:,
partners:), so that each model's get_absolute_url stays in its own app."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from portal import dashboards, views
from portal.downloads import views as downloads
from portal.sitemaps import SITEMAPS

plans_urls = (
    [
        path("<slug:slug>/", views.plan_detail, name="plan-detail"),
        path("<slug:slug>/scorecard/", views.scorecard, name="scorecard"),
        path("<slug:slug>/risks/", views.risk_register, name="risk-register"),
        path("<slug:slug>/assessment/", views.assessment, name="assessment"),
        path("<slug:slug>/timeline/", views.timeline, name="timeline"),
        path("<slug:plan>/<slug:priority>/<slug:slug>/", views.outcome_detail, name="outcome-detail"),
    ],
    "plans",
)

indicators_urls = (
    [
        path("<slug:slug>/", views.indicator_detail, name="indicator-detail"),
        path("<slug:slug>/published-figures.csv", views.indicator_csv, name="indicator-csv"),
    ],
    "indicators",
)

partners_urls = (
    [
        path("", views.partner_list, name="partner-list"),
        path("my-targets/", dashboards.partner_dashboard, name="partner-dashboard"),
        path("<slug:slug>/", views.partner_detail, name="partner-detail"),
    ],
    "partners",
)

site_urls = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("about/status/", views.methodology, name="methodology"),
    path("dashboard/", dashboards.members_dashboard, name="dashboard"),
    path("signed-in/", views.landing, name="landing"),
    path("data/", downloads.open_data, name="open-data"),
    path("data/<str:filename>", downloads.open_data_file, name="open-data-file"),
    # Who: anyone. The public pages, for search engines (and the list the page cache is warmed from).
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
