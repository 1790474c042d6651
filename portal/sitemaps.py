"""The public pages, listed for search engines at /sitemap.xml, and for warming the page cache after a
publication (portal/warming.py): one list, so a page added here is both found and kept warm."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from indicators.models import Indicator
from partners.models import Partner
from plans.models import OrgUnit, Outcome, Plan


class TopPages(Sitemap):
    priority = 1.0

    def items(self) -> list[str]:
        return ["home", "partners:partner-list", "partners:glossary", "partners:groups", "open-data", "methodology"]

    def location(self, item: str) -> str:
        return reverse(item)


class Plans(Sitemap):
    priority = 0.9

    def items(self):
        return Plan.objects.order_by("order", "start").only("slug")


class Budgets(Sitemap):
    priority = 0.8

    def items(self):
        return Plan.objects.filter(budget_tables__isnull=False).distinct().order_by("order", "start").only("slug")

    def location(self, plan: Plan) -> str:
        return reverse("plans:budget", kwargs={"slug": plan.slug})


class Units(Sitemap):
    """Departments, directorates and services, each in the plan that defines it."""

    priority = 0.8

    def items(self):
        return (
            OrgUnit.objects.exclude(defined_by=None)
            .select_related("defined_by")
            .only("slug", "kind", "defined_by__slug")
            .order_by("defined_by__order", "order", "slug")
        )


class Outcomes(Sitemap):
    priority = 0.7

    def items(self):
        return Outcome.objects.select_related("priority__plan").only("slug", "priority__slug", "priority__plan__slug")


class Indicators(Sitemap):
    priority = 0.6

    def items(self):
        return Indicator.objects.only("slug").order_by("slug")


class Partners(Sitemap):
    priority = 0.5

    def items(self):
        return Partner.objects.only("slug").order_by("slug")


SITEMAPS = {
    "top": TopPages,
    "plans": Plans,
    "budgets": Budgets,
    "units": Units,
    "outcomes": Outcomes,
    "indicators": Indicators,
    "partners": Partners,
}


def public_paths() -> list[str]:
    """Every path the sitemap lists, most visited kinds first. A query per kind."""
    sitemaps = [kind() for kind in SITEMAPS.values()]
    return [sitemap.location(item) for sitemap in sitemaps for item in sitemap.items()]
