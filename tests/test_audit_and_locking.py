"""Every write channel is audited (who, when, channel, old and new), and a locked quarter refuses them all."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from indicators.models import Indicator, ReportingPeriod, Return, Target
from returns import actions
from returns.models import RoundState
from tests.forms_helper import form_data

pytestmark = pytest.mark.django_db

ENTRY = "/returns/2010-11-q3/indicators/ni-156/"
API = "/api/v1/returns/ni-156/2010-11-q3/"


def latest(history):
    return history.order_by("-history_date", "-history_id").first()


def _saved_return(people) -> Return:
    return actions.do_save_return(
        indicator=Indicator.objects.get(code="NI 156"),
        period=ReportingPeriod.objects.get(label="2010/11 Q3"),
        entered=actions.ReturnInput(numbers={"value": {"value": 560}}),
        by=people["officer"],
        expected_version=0,
        submit=False,
    )


def test_a_form_save_is_recorded_with_user_channel_and_values(client, people, open_round):
    client.force_login(people["officer"])
    client.post(ENTRY, {"value": "560", "version": "0", "draft": "1"})
    submission = Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3")
    client.post(ENTRY, {"value": "565", "version": str(submission.version), "draft": "1"})

    value = submission.values.get()
    record = latest(value.history)
    assert (record.history_user, record.channel, record.history_type) == (people["officer"], "form", "~")
    assert (record.prev_record.value, record.value) == (560, 565)
    assert record.history_date.tzinfo is not None  # stored in UTC


def test_an_api_save_is_recorded_as_the_api(client, people, open_round):
    client.force_login(people["officer"])
    response = client.put(API, json.dumps({"values": {"value": 555}, "version": 0}), content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["values"] == {"value": 555}
    record = latest(Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3").history)
    assert (record.history_user, record.channel) == (people["officer"], "api")


def test_the_api_enforces_csrf_for_a_signed_in_session(people, open_round):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["officer"])
    response = client.put(API, json.dumps({"values": {"value": 555}, "version": 0}), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_admin_change_is_recorded_as_the_admin(admin_client, people):
    target = Target.objects.get(indicator__code="NI 16", period__label="2010/11")
    url = f"/admin/indicators/target/{target.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    data["text"] = "31.00 (5,800 offences)"
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    record = latest(target.history)
    assert (record.channel, record.text, record.prev_record.text) == (
        "admin",
        "31.00 (5,800 offences)",
        "31.10 (5,810 offences)",
    )


def test_an_import_and_a_command_are_recorded_as_such(tmp_path, people, open_round):
    path = tmp_path / "targets.csv"
    path.write_text(
        "plan,indicator,period,breakdown,text,value,designated\nlaa-2008-11,NI 16,2010/11,,30.00,30.00,yes\n"
    )
    call_command("import_records", "targets", str(path), verbosity=0)
    target = Target.objects.get(indicator__code="NI 16", period__label="2010/11")
    assert latest(target.history).channel == "import"

    call_command("load_luton", verbosity=0)  # puts the printed target back
    record = latest(target.history)
    assert (record.channel, record.text) == ("command", "31.10 (5,810 offences)")


def test_a_bulk_upload_is_recorded_as_an_import_by_its_uploader(client, people, open_round):
    client.force_login(people["officer"])
    csv = "indicator,period,breakdown,value\nNI 156,2010/11 Q3,,561\n"
    client.post("/returns/2010-11-q3/upload/", {"file": SimpleUploadedFile("mine.csv", csv.encode())})
    record = latest(Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3").history)
    assert (record.history_user, record.channel) == (people["officer"], "import")


def test_audited_tables_refuse_writes_that_would_skip_the_history():
    with pytest.raises(TypeError, match="audited"):
        Target.objects.filter(indicator__code="NI 16").update(text="x")
    with pytest.raises(TypeError, match="audited"):
        Return.objects.bulk_create([])


def test_the_indicator_page_shows_its_history_to_staff_only(client, people, open_round):
    _saved_return(people)
    client.force_login(people["approver"])
    page = client.get("/indicators/ni-156/").content.decode()
    assert "History of changes" in page and "Olivia" in page and "Created: Return for 2010/11 Q3" in page

    client.force_login(people["member"])
    assert "History of changes" not in client.get("/indicators/ni-156/").content.decode()
    client.logout()
    assert "History of changes" not in client.get("/indicators/ni-156/").content.decode()


# ---- A locked quarter refuses every channel -------------------------------------------------------


@pytest.fixture
def locked(people, open_round):
    submission = _saved_return(people)
    open_round.state = RoundState.LOCKED
    open_round.save()
    return submission


def test_locked_form(client, people, locked):
    client.force_login(people["officer"])
    response = client.post(ENTRY, {"value": "999", "version": str(locked.version), "draft": "1"}, follow=True)
    assert "This return can no longer be edited" in response.content.decode()
    assert locked.values.get().value == 560


def test_locked_upload(client, people, locked):
    client.force_login(people["officer"])
    csv = "indicator,period,breakdown,value\nNI 156,2010/11 Q3,,999\n"
    page = client.post(
        "/returns/2010-11-q3/upload/", {"file": SimpleUploadedFile("m.csv", csv.encode())}
    ).content.decode()
    assert "2010/11 Q3 is not open for returns" in page
    assert locked.values.get().value == 560


def test_locked_api(client, people, locked):
    client.force_login(people["officer"])
    response = client.put(
        API,
        json.dumps({"values": {"value": 999}, "version": locked.version}),
        content_type="application/json",
    )
    assert response.status_code == 400  # refused: 409 is kept for a stale version
    assert "signed off and locked" in response.json()["detail"]
    assert locked.values.get().value == 560


def test_locked_admin(admin_client, locked):
    url = f"/admin/indicators/return/{locked.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    data["commentary"] = "changed in the admin"
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    assert "signed off and locked" in response.content.decode()
    locked.refresh_from_db()
    assert locked.commentary == ""


def test_locked_actions(people, locked):
    with pytest.raises(actions.WorkflowError, match="signed off and locked"):
        actions.do_save_return(
            indicator=locked.indicator,
            period=locked.period,
            entered=actions.ReturnInput(numbers={"value": {"value": 1}}),
            by=people["officer"],
            expected_version=locked.version,
            submit=False,
        )


def test_no_state_changes_through_get(client, people, open_round):
    from tests.conftest import snapshot

    client.force_login(people["approver"])
    before = snapshot()
    for url in ["/returns/rounds/2010-11-q3/lock/", "/accounts/logout/"]:
        assert client.get(url).status_code == 405
    assert snapshot() == before
    open_round.refresh_from_db()
    assert open_round.state == RoundState.OPEN


def test_a_bulk_write_records_the_same_history_as_saving_one_by_one(people):
    """core.audit copies the history rows in the database (INSERT ... SELECT); they must say exactly
    what django-simple-history writes for a save: every tracked field, the type, user and channel."""
    from core.audit import Channel, audit, bulk_create_audited, bulk_update_audited
    from indicators.models import Indicator, ReportingPeriod
    from plans.models import Plan

    def recorded(target):
        row = latest(target.history)
        tracked = {f.attname: getattr(row, f.attname) for f in Target._meta.concrete_fields}
        return tracked, row.history_type, row.history_user, row.channel

    plan, indicator = Plan.objects.get(slug="laa-2008-11"), Indicator.objects.get(code="NI 192")
    saved_period, bulk_period = ReportingPeriod.objects.filter(label__in=["2006/07", "2007/08"]).order_by("start")
    with audit(channel=Channel.IMPORT, user=people["approver"]):
        one = Target(plan=plan, indicator=indicator, period=saved_period, text="41 %", value=41)
        one.save()
        (many,) = bulk_create_audited(
            [Target(plan=plan, indicator=indicator, period=bulk_period, text="41 %", value=41)], Target
        )
    fields_one, *stamps_one = recorded(one)
    fields_many, *stamps_many = recorded(many)
    assert stamps_many == stamps_one == ["+", people["approver"], "import"]
    assert {**fields_many, "id": None, "period_id": None} == {**fields_one, "id": None, "period_id": None}

    with audit(channel=Channel.COMMAND, user=None):
        one.text = many.text = "42 %"
        one.save()
        bulk_update_audited([many], Target, ["text"])
    assert recorded(many)[1:] == recorded(one)[1:] == ("~", None, "command")
    assert recorded(many)[0]["text"] == "42 %"
    assert many.history.count() == 2
