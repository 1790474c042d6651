"""Warming the page cache after a publication (portal/warming.py, issue 13): the sitemap lists the public
pages, a publication enqueues a background task when the page cache is shared, and the worker's run
leaves the first visitor a cached page."""

import uuid

import pytest
from defusedxml import ElementTree as ET
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from indicators.models import DataVersion, Indicator
from partners.models import Partner
from plans.models import OrgUnit, Outcome, Plan
from portal.page_cache import forget_recent_pages
from portal.sitemaps import public_paths
from portal.warming import warm_public_pages
from tests.conftest import publish, redis_url_for_tests

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _shared_pages_cache():
    return override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "warming"},
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url_for_tests(),
                "KEY_PREFIX": f"warming-test-{uuid.uuid4().hex}",
                "TIMEOUT": 120,
            },
        },
        LUTON_PUBLIC_URL="http://testserver",
    )


def _warming_tasks():
    return DBTaskResult.objects.filter(task_path="portal.tasks.warm_public_pages")


def test_the_sitemap_lists_every_plan_outcome_indicator_and_partner_in_a_constant_number_of_queries(
    django_assert_num_queries,
):
    with django_assert_num_queries(13):  # the version, then a count and a page of rows per kind of page
        response = Client().get("/sitemap.xml")
    locations = {
        element.text.removeprefix("http://testserver")
        for element in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)
    }
    assert "/" in locations and "/data/" in locations
    assert {plan.get_absolute_url() for plan in Plan.objects.all()} <= locations
    assert Indicator.objects.get(code="NI 192").get_absolute_url() in locations
    assert {partner.get_absolute_url() for partner in Partner.objects.all()} <= locations
    assert "/partners/glossary/" in locations and "/plans/corporate-plan-2011-14/budget/" in locations
    units = OrgUnit.objects.exclude(defined_by=None).select_related("defined_by")
    assert {unit.get_absolute_url() for unit in units} <= locations
    budgets = Plan.objects.filter(budget_tables__isnull=False).distinct().count()
    expected = 6 + Plan.objects.count() + budgets + units.count() + Outcome.objects.count()
    assert len(locations) == expected + Indicator.objects.count() + Partner.objects.count()


def test_a_publication_warms_the_shared_page_cache_so_the_first_visitor_is_answered_from_it(
    people, django_capture_on_commit_callbacks, django_assert_num_queries, run_task_worker
):
    with _shared_pages_cache():
        before = _warming_tasks().count()
        with django_capture_on_commit_callbacks(execute=True):
            publish("NI 192", "2010/11 Q2", "43", by=people["approver"])
        version = DataVersion.current_publication()
        queued = _warming_tasks().filter(status="READY")
        assert queued.count() == before + 1 and queued.get().args_kwargs["args"] == [version]

        run_task_worker()
        done = _warming_tasks().get(status="SUCCESSFUL")
        result = done.return_value
        assert result["version"] == version and result["failed"] == 0 and not result["superseded"]
        assert result["pages"] == len(public_paths())  # every page the sitemap lists (counted in the test above)

        forget_recent_pages()  # a visitor reaching another web server: only the shared cache holds the page
        with django_assert_num_queries(1):  # the publication version, and nothing rendered
            page = Client().get("/indicators/ni-192/")
        assert "43" in page.content.decode()


def test_without_a_shared_page_cache_nothing_is_enqueued(people, django_capture_on_commit_callbacks):
    before = _warming_tasks().count()
    with django_capture_on_commit_callbacks(execute=True):
        publish("NI 192", "2010/11 Q2", "44", by=people["approver"])
    assert _warming_tasks().count() == before


def test_warming_for_a_superseded_publication_stops_at_once():
    with _shared_pages_cache():
        DataVersion.bump()
        warmed = warm_public_pages(DataVersion.current_publication() - 1)
    assert warmed.superseded and warmed.pages == 0
