"""The portal's URLs, mounted under the namespaces the rest of the code reverses (plans:, indicators:,
partners:), so that each model's get_absolute_url stays in its own app."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from plans.models.organisation import URL_WORDS
from portal import budgets, dashboards, glossary, organisation, search, views
from portal.downloads import views as downloads
from portal.sitemaps import SITEMAPS


class UnitKindConverter:
    """The word for a kind of organisation unit in its page's address: departments, directorates, services."""

    regex = "|".join(URL_WORDS.values())

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnitKindConverter, "unit_kind")

plans_urls = (
    [
        path("<slug:slug>/", views.plan_detail, name="plan-detail"),
        path("<slug:slug>/scorecard/", views.scorecard, name="scorecard"),
        path("<slug:slug>/risks/", views.risk_register, name="risk-register"),
        path("<slug:slug>/assessment/", views.assessment, name="assessment"),
        path("<slug:slug>/timeline/", views.timeline, name="timeline"),
        path("<slug:slug>/budget/", budgets.budget, name="budget"),
        # Before the outcomes' pattern, which has the same shape (the loader keeps these words from priorities).
        path("<slug:plan>/<unit_kind:kind>/<slug:slug>/", organisation.org_unit, name="org-unit"),
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
        path("glossary/", glossary.glossary, name="glossary"),
        path("groups/", glossary.partner_groups, name="groups"),
        path("<slug:slug>/", views.partner_detail, name="partner-detail"),
    ],
    "partners",
)

site_urls = [
    path("", views.home, name="home"),
    path("search/", search.search, name="search"),
    path("about/status/", views.methodology, name="methodology"),
    path("dashboard/", dashboards.members_dashboard, name="dashboard"),
    path("signed-in/", views.landing, name="landing"),
    path("data/", downloads.open_data, name="open-data"),
    path("data/<str:filename>", downloads.open_data_file, name="open-data-file"),
    # Who: anyone. The public pages, for search engines (and the list the page cache is warmed from).
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
