"""The portal's first pages: what they say, not just that they answer."""

import pytest

pytestmark = pytest.mark.django_db


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

    for app_label in ("plans", "indicators", "partners", "accounts", "returns"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # shown through each audited model's history page
            assert model in admin.site._registry, f"{model.__name__} is not in the admin"
            url = f"/admin/{app_label}/{model._meta.model_name}/"
            assert admin_client.get(url).status_code == 200, url


def test_every_admin_page_of_an_object_answers_including_its_history(admin_client, people, open_round):
    """Each registered model's change page and, where the admin offers one, its history page, for one
    object of each that exists (the indicator history page once answered 500 for every indicator)."""
    from django.apps import apps
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    checked = []
    for app_label in ("plans", "indicators", "partners", "accounts", "returns"):
        for model in apps.get_app_config(app_label).get_models():
            model_admin = admin.site._registry.get(model)
            obj = model.objects.order_by("pk").first() if model_admin else None
            if obj is None:
                continue
            base = f"/admin/{app_label}/{model._meta.model_name}/{obj.pk}"
            assert admin_client.get(f"{base}/change/").status_code == 200, base
            if isinstance(model_admin, SimpleHistoryAdmin):
                response = admin_client.get(f"{base}/history/")
                assert response.status_code == 200, f"{base}/history/"
                checked.append(model.__name__)
    assert {"Indicator", "Target", "ReportingRound"} <= set(checked)
