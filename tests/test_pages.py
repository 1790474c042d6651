"""The portal's first pages: what they say, not just that they answer."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_lists_every_plan_with_the_plan_it_serves(client):
    page = client.get("/").content.decode()

    assert "Luton&#x27;s Local Area Agreement 2008 – 2011 (2nd revision 2009-10)" in page
    assert "Draft Corporate Plan 2008-14" in page
    assert "Service Plans 2024" in page
    assert 'href="/plans/corporate-plan-2011-14/"' in page
    assert 'Serves: <a class="govuk-link" href="/plans/luton-sustainable-community-strategy/">' in page


def test_plan_page_shows_priorities_and_links_to_outcomes(client):
    page = client.get("/plans/corporate-plan-2008-14/").content.decode()

    assert "A Stronger, Safer Community" in page
    assert "Putting Customers First" in page
    assert "Vision 2026" in page


def test_outcome_page_shows_actions_indicators_and_risks(client):
    page = client.get("/plans/corporate-plan-2008-14/").content.decode()
    start = page.index('href="/plans/corporate-plan-2008-14/') + len('href="')
    outcome_url = page[start : page.index('"', start)]

    outcome = client.get(outcome_url).content.decode()

    assert "Putting Customers First" in outcome
    assert "N1 14 Avoidable Contact" in outcome  # printed as in the plan, linked to NI 14
    assert 'href="/indicators/ni-14/"' in outcome
    assert "Software failure" in outcome


def test_indicator_page_shows_targets_as_printed_and_partners(client):
    page = client.get("/indicators/ni-16/").content.decode()

    assert "Serious acquisitive crime rate per 1,000 population" in page
    assert "35.65 (6,660 offences)" in page
    assert "SoLUTiONS" in page and "(lead partner)" in page


def test_partner_page_lists_targets_it_leads(client):
    page = client.get("/partners/solutions/").content.decode()

    assert "Luton&#x27;s Community Safety Partnership" in page
    assert "Serious acquisitive crime rate per 1,000 population" in page
    assert "Lead partner" in page
    assert "Bedfordshire Police Authority" in page  # a member of the partnership


def test_unknown_pages_are_404(client):
    assert client.get("/indicators/ni-9999/").status_code == 404
    assert client.get("/partners/nobody/").status_code == 404


def test_admin_asks_for_a_login_and_shows_the_thread_to_staff(client, admin_client):
    assert client.get("/admin/").status_code == 302
    page = admin_client.get("/admin/plans/outcome/?q=Customers").content.decode()
    assert "Putting Customers First" in page
    assert admin_client.get("/admin/indicators/indicator/?q=NI+16").status_code == 200


def test_every_model_of_the_apps_is_in_the_admin_and_its_list_answers(admin_client):
    from django.apps import apps
    from django.contrib import admin

    for app_label in ("plans", "indicators", "partners", "returns"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # shown through each audited model's history page
            assert model in admin.site._registry, f"{model.__name__} is not in the admin"
            url = f"/admin/{app_label}/{model._meta.model_name}/"
            assert admin_client.get(url).status_code == 200, url
