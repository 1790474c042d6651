"""Regressions found in review: who sees working figures, the calendar on every channel, uploads that
must not destroy or overwrite, and inputs that must never be a server error."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Indicator, ReportingPeriod, Return
from returns import actions
from returns.models import ReportingRound, RoundState
from tests.conftest import open_round_for, publish
from tests.forms_helper import form_data

pytestmark = pytest.mark.django_db


def draft(indicator_code: str, period: str, numbers: dict, *, by, **fields) -> Return:
    period_row = ReportingPeriod.objects.get(label=period)
    open_round_for(period_row)
    current = Return.objects.filter(indicator__code=indicator_code, period=period_row).first()
    return actions.do_save_return(
        indicator=Indicator.objects.get(code=indicator_code),
        period=period_row,
        entered=actions.ReturnInput(numbers={k: {"value": v} for k, v in numbers.items()}, **fields),
        by=by,
        expected_version=current.version if current else 0,
        submit=False,
    )


def test_an_unassigned_officer_sees_the_targets_history_but_not_others_drafts(client, people, open_round):
    draft("NI 156", "2010/11 Q3", {"value": 98765}, by=people["officer"], commentary="Not yet checked.")
    client.force_login(people["other_officer"])
    page = client.get("/indicators/ni-156/").content.decode()
    assert "History of changes" in page
    assert "98765" not in page and "98,765" not in page and "Not yet checked." not in page
    assert "The history of its returns is shown to its officers and the performance team." in page
    client.force_login(people["officer"])
    assert "98,765" in client.get("/indicators/ni-156/").content.decode()  # in the one number format


def test_a_lead_partner_that_may_not_enter_returns_sees_no_drafts(client, people, open_round):
    from partners.models import Partner

    lbc = Partner.objects.get(slug="luton-borough-council")  # lead on NI 156, may not enter returns
    from tests.conftest import make_user

    lbc_user = make_user("lbc-partner", "Partners", partner=lbc)
    draft("NI 156", "2010/11 Q3", {"value": 98765}, by=people["officer"])
    client.force_login(lbc_user)
    page = client.get("/partners/my-targets/").content.decode()
    assert "98765" not in page and "98,765" not in page
    assert client.get("/api/v1/returns/ni-156/2010-11-q3/").status_code == 404


@pytest.mark.parametrize(
    ("period", "q4_state", "message"),
    [
        ("2010-11-q4", RoundState.UPCOMING, "2010/11 Q4 is not open for returns yet."),
        ("2030-31-q4", RoundState.UPCOMING, "No reporting round collects returns for 2030/31 Q4."),
        ("2010-11", RoundState.OPEN, "owes no return for 2010/11."),  # a quarterly indicator's year
    ],
)
def test_the_api_follows_the_calendar(client, people, open_round, period, q4_state, message):
    q4 = actions.ensure_round(ReportingPeriod.objects.get(label="2010/11 Q4"))
    q4.state = q4_state
    q4.save()
    client.force_login(people["officer"])
    response = client.put(
        f"/api/v1/returns/ni-156/{period}/",
        json.dumps({"values": {"value": 560}, "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 400  # 409 is kept for a stale version (tests/test_strict_input.py)
    assert message in response.json()["detail"]


@pytest.mark.parametrize("figure", ["NaN", "sNaN", "Infinity", "1e999999999", "-1e13"])
def test_non_finite_or_huge_figures_are_refused_on_every_channel(client, people, open_round, figure):
    client.force_login(people["officer"])
    response = client.put(
        "/api/v1/returns/ni-156/2010-11-q3/",
        json.dumps({"values": {"value": figure}, "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 400
    form = client.post("/returns/2010-11-q3/indicators/ni-156/", {"value": figure, "version": "0", "draft": "1"})
    assert form.status_code == 200 and "Enter a number" in form.content.decode()
    upload = client.post(
        "/returns/2010-11-q3/upload/",
        {
            "file": SimpleUploadedFile(
                "r.csv", f"indicator,period,breakdown,value\nNI 156,2010/11 Q3,,{figure}\n".encode()
            )
        },
    )
    assert "row 2, column &#x27;value&#x27;" in upload.content.decode()
    assert not Return.objects.filter(indicator__code="NI 156").exists()


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _upload(client, content: bytes):
    return client.post("/returns/2010-11-q3/upload/", {"file": SimpleUploadedFile("r.csv", content)})


def test_an_upload_from_a_stale_download_is_refused(client, people, open_round):
    draft("NI 156", "2010/11 Q3", {"value": 560}, by=people["officer"], commentary="A")
    client.force_login(people["officer"])
    rows = list(csv.DictReader(io.StringIO(client.get("/returns/2010-11-q3/download.csv").content.decode("utf-8-sig"))))
    draft("NI 156", "2010/11 Q3", {"value": 570}, by=people["officer"], commentary="B")  # a colleague, meanwhile
    rows[0]["value"] = "561"

    page = _upload(client, _csv(rows)).content.decode()

    assert "was changed by Olivia" in page and "Nothing was saved" in page
    saved = Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3")
    assert (saved.values.get().value, saved.commentary) == (570, "B")


def test_a_return_changed_while_its_upload_is_checked_is_not_overwritten(client, people, open_round, monkeypatch):
    """The upload checks every row against the returns as it read them, then saves with those same contexts:
    a return a colleague saves in between is refused by its version, never overwritten."""
    draft("NI 156", "2010/11 Q3", {"value": 560}, by=people["officer"], commentary="A")
    client.force_login(people["officer"])
    save = actions.do_save_returns

    def a_colleague_saves_first(*args, **kwargs):
        draft("NI 156", "2010/11 Q3", {"value": 570}, by=people["officer"], commentary="B")
        return save(*args, **kwargs)

    monkeypatch.setattr(actions, "do_save_returns", a_colleague_saves_first)
    page = _upload(client, b"indicator,period,breakdown,value\nNI 156,2010/11 Q3,,561\n").content.decode()

    assert "was changed by Olivia" in page and "Nothing was saved" in page
    saved = Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3")
    assert (saved.values.get().value, saved.commentary) == (570, "B")


def test_an_upload_keeps_what_the_file_does_not_mention(client, people, open_round):
    Indicator.objects.get(code="NI 120").officers.add(people["officer"])
    year = "2010/11"
    actions.ensure_round(ReportingPeriod.objects.get(label="2010/11 Q4"))
    open_round_for(ReportingPeriod.objects.get(label=year))
    draft("NI 120", year, {"male": 700, "female": 500}, by=people["officer"], commentary="A", data_source="ONS")
    draft("NI 156", "2010/11 Q3", {"value": 560}, by=people["officer"], commentary="kept")
    client.force_login(people["officer"])
    four_columns = b"indicator,period,breakdown,value\nNI 120,2010/11,Male,690\n"  # breakdown in other case

    page = client.post("/returns/2010-11-q4/upload/", {"file": SimpleUploadedFile("r.csv", four_columns)})

    assert page.status_code == 302, page.content.decode()[:3000]
    saved = Return.objects.get(indicator__code="NI 120", period__label=year)
    assert {v.breakdown.name: v.value for v in saved.values.all()} == {"male": 690, "female": 500}
    assert (saved.commentary, saved.data_source) == ("A", "ONS")


def test_untouched_downloaded_rows_create_nothing(client, people, open_round):
    Indicator.objects.get(code="NI 181").officers.add(people["officer"])
    client.force_login(people["officer"])
    rows = list(csv.DictReader(io.StringIO(client.get("/returns/2010-11-q3/download.csv").content.decode("utf-8-sig"))))
    rows[0]["value"] = "560"  # NI 156 only
    assert _upload(client, _csv(rows)).status_code == 302
    assert list(Return.objects.filter(period__label="2010/11 Q3").values_list("indicator__code", flat=True)) == [
        "NI 156"
    ]


def test_a_return_field_on_a_later_row_is_not_lost(client, people, open_round):
    Indicator.objects.get(code="NI 120").officers.add(people["officer"])
    actions.ensure_round(ReportingPeriod.objects.get(label="2010/11 Q4"))
    open_round_for(ReportingPeriod.objects.get(label="2010/11"))
    client.force_login(people["officer"])
    content = b"indicator,period,breakdown,value,commentary\nNI 120,2010/11,male,690,\nNI 120,2010/11,female,520,Flu winter.\n"
    assert client.post("/returns/2010-11-q4/upload/", {"file": SimpleUploadedFile("r.csv", content)}).status_code == 302
    assert Return.objects.get(indicator__code="NI 120", period__label="2010/11").commentary == "Flu winter."


def test_the_dashboard_shows_each_indicators_latest_figure_by_default(client, people):
    publish("NI 16", "2010/11 Q2", "36", by=people["approver"])
    publish("NI 192", "2010/11 Q1", "43", by=people["approver"])  # a quarter earlier than NI 16's
    open_round_for(ReportingPeriod.objects.get(label="2009/10"))
    publish("NI 112", "2009/10", "27", by=people["approver"])  # a yearly indicator; target 26.4, lower is better
    client.force_login(people["member"])
    page = client.get("/dashboard/").content.decode()
    row = page[page.index("NI 192:") :]
    assert "43" in row[: row.index("</tr>")]
    row = page[page.index("NI 112:") :]
    assert "27" in row[: row.index("</tr>")] and "Close to target" in row[: row.index("</tr>")]


def test_a_round_with_a_submitted_action_update_cannot_be_locked(client, people, open_round):
    action = people["officer"].actions.first()
    actions.do_save_action_update(
        action=action,
        period=open_round.period,
        entered=actions.ActionUpdateInput(progress="on_track", percent_complete=10),
        by=people["officer"],
        expected_version=0,
        submit=True,
    )
    client.force_login(people["approver"])
    page = client.post("/returns/rounds/2010-11-q3/lock/", follow=True).content.decode()
    assert "Waiting for sign-off in 2010/11 Q3: 1 return. Approve or return each before locking the round." in page
    open_round.refresh_from_db()
    assert open_round.state == RoundState.OPEN


def test_the_admin_cannot_change_a_yearly_return_in_a_locked_year(admin_client, people, open_round):
    year = ReportingPeriod.objects.get(label="2009/10")
    open_round_for(year)
    submission = draft("NI 112", "2009/10", {"value": 27}, by=people["officer"])
    round_ = ReportingRound.objects.governing(year)
    round_.state = RoundState.LOCKED
    round_.save()
    url = f"/admin/indicators/return/{submission.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    data["commentary"] = "changed"
    response = admin_client.post(url, data)
    assert "signed off and locked" in response.content.decode()
    submission.refresh_from_db()
    assert submission.commentary == ""


def test_a_split_indicator_shows_every_part(client, people):
    open_round_for(ReportingPeriod.objects.get(label="2010/11"))
    publish("NI 120", "2010/11", {"male": "700", "female": "600"}, by=people["approver"])
    page = client.get("/plans/laa-2008-11/scorecard/").content.decode()
    row = page[page.index("NI 120:") :]
    row = row[: row.index("</tr>")]
    assert "male 700; female 600 (2010/11)" in row and "730 (m); 560 (f)" in row and "Off track" in row


def test_sign_off_survives_a_deleted_officer(client, people, open_round):
    from django.contrib.auth import get_user_model

    leaver = get_user_model().objects.create_user("leaver", password="a-long-test-password")
    submission = actions.do_save_return(
        indicator=Indicator.objects.get(code="NI 156"),
        period=open_round.period,
        entered=actions.ReturnInput(numbers={"value": {"value": 560}}),
        by=leaver,
        expected_version=0,
        submit=True,
    )
    leaver.delete()
    client.force_login(people["approver"])
    assert "a former user" in client.get("/returns/sign-off/").content.decode()
    assert client.get(f"/returns/sign-off/indicators/{submission.pk}/").status_code == 200
