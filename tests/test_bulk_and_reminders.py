"""Bulk entry through a spreadsheet, and the reminders."""

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from indicators.models import Indicator, Return, ReturnStatus
from returns.models import ReminderLog
from tests.conftest import snapshot

pytestmark = pytest.mark.django_db


def _download(client, file_format="csv") -> bytes:
    response = client.get(f"/returns/2010-11-q3/download.{file_format}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="returns-2010-11-q3.{file_format}"'
    return response.content


def _upload(client, name: str, content: bytes):
    return client.post("/returns/2010-11-q3/upload/", {"file": SimpleUploadedFile(name, content)})


def test_download_fill_in_and_upload_fills_drafts(client, people, open_round):
    Indicator.objects.get(code="NI 181").officers.add(people["officer"])
    client.force_login(people["officer"])
    rows = list(csv.DictReader(io.StringIO(_download(client).decode("utf-8-sig"))))
    assert [(r["indicator"], r["period"], r["target"], r["status"]) for r in rows] == [
        ("NI 156", "2010/11 Q3", "570", "Not started"),
        ("NI 181", "2010/11 Q3", "15 days", "Not started"),
    ]
    rows[0]["value"], rows[1]["value"] = "560", "14"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    response = _upload(client, "my returns.csv", out.getvalue().encode())

    assert response.status_code == 302
    saved = Return.objects.filter(period__label="2010/11 Q3").order_by("indicator__code")
    assert [(r.indicator.code, r.status, r.values.get().value) for r in saved] == [
        ("NI 156", ReturnStatus.DRAFT, 560),
        ("NI 181", ReturnStatus.DRAFT, 14),
    ]


def test_an_xlsx_upload_works_too(client, people, open_round):
    client.force_login(people["officer"])
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client, "xlsx")))
    sheet = workbook.active
    sheet["E2"] = 565  # the value column of NI 156, as a number cell
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert _upload(client, "returns.xlsx", buffer.getvalue()).status_code == 302
    assert Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3").values.get().value == 565


def test_a_bad_upload_changes_nothing_and_names_each_problem(client, people, open_round):
    client.force_login(people["officer"])
    content = (
        b"indicator,period,breakdown,value,commentary\n"
        b"NI 156,2010/11 Q3,,560,\n"  # fine on its own
        b"NI 181,2010/11 Q3,,14,\n"  # not this officer's indicator
        b"NI 156,2010/11 Q2,,1,\n"  # wrong period
        b"NI 16,2010/11 Q3,,abc,\n"
    )
    before = snapshot()

    page = _upload(client, "r.csv", content).content.decode()

    assert "Nothing was saved: 3 problem(s)." in page
    assert "row 3, column &#x27;indicator&#x27;: &#x27;NI 181&#x27; is not one of your indicators" in page
    assert "row 4, column &#x27;period&#x27;: &#x27;2010/11 Q2&#x27; is not the period due (2010/11 Q3)" in page
    assert "row 5, column &#x27;indicator&#x27;: &#x27;NI 16&#x27; is not one of your indicators" in page
    assert snapshot() == before


def test_an_upload_obeys_the_entry_rules(client, people, open_round):
    client.force_login(people["officer"])
    page = _upload(client, "r.csv", b"indicator,period,breakdown,value\nNI 156,2010/11 Q3,,12.5\n").content.decode()
    assert "row 2, column &#x27;value&#x27;: the value must be a whole number, 0 or more" in page
    assert not Return.objects.filter(indicator__code="NI 156").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.txt", b"anything", "Upload a .csv or .xlsx file."),
        ("r.csv", "indicator,period\nNI 156,Bogotá".encode("latin-1"), "The file is not UTF-8 text (it looks like Windows-1252"),
        ("r.xlsx", b"not a zip", "The file is not an XLSX workbook (save it as .xlsx, or as CSV UTF-8)."),
        ("r.csv", b"indicator,period,breakdown,value,extra\n", "unknown column(s) &#x27;extra&#x27;"),
    ],
)
def test_unreadable_uploads_get_a_message(client, people, open_round, name, content, message):
    client.force_login(people["officer"])
    assert message in _upload(client, name, content).content.decode()


def test_a_zip_bomb_upload_is_refused(client, people, open_round):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    client.force_login(people["officer"])
    assert "expands to 60 MB; the limit is 50 MB" in _upload(client, "r.xlsx", buffer.getvalue()).content.decode()


def test_an_oversized_upload_is_refused(client, people, open_round, settings):
    client.force_login(people["officer"])
    big = b"indicator,period,breakdown,value\n" + b"NI 156,2010/11 Q3,,1\n" * 300_000
    assert "The file is larger than 5 MB." in _upload(client, "r.csv", big).content.decode()


# ---- Reminders -------------------------------------------------------------------------------------


def _remind(on: dt.date) -> str:
    out = io.StringIO()
    call_command("send_return_reminders", "--today", on.isoformat(), stdout=out)
    return out.getvalue()


def test_reminders_escalate_and_are_never_sent_twice(people, open_round):
    deadline = open_round.deadline
    assert "0 reminders sent" in _remind(deadline - dt.timedelta(days=30))

    # Olivia owes NI 156 and an action's update; Priya, NHS Luton's user, the LAA targets NHS Luton leads.
    before = _remind(deadline - dt.timedelta(days=1))
    assert "Before the deadline reminder to olivia@example.invalid (2 returns of 2010/11 Q3)" in before
    assert "Before the deadline reminder to priya@example.invalid (" in before
    assert "0 reminders sent" in _remind(deadline - dt.timedelta(days=1))  # not twice
    assert "On the deadline reminder" in _remind(deadline)
    assert "After the deadline" in _remind(deadline + dt.timedelta(days=1))

    olivias = [message for message in mail.outbox if message.to == ["olivia@example.invalid"]]
    assert [message.subject for message in olivias] == [
        "Quarterly returns for 2010/11 Q3 are due by " + deadline.strftime("%d %B %Y"),
        "Quarterly returns for 2010/11 Q3 are due today",
        "Overdue: quarterly returns for 2010/11 Q3 were due on " + deadline.strftime("%d %B %Y"),
    ]
    overdue = olivias[-1]
    assert overdue.cc == ["performance@luton.gov.uk"]
    assert "- NI 156: Not started" in overdue.body
    assert "- Action update, " in overdue.body
    assert ReminderLog.objects.count() == len(mail.outbox) == 6
    assert not ReminderLog.objects.filter(sent_by__isnull=False).exists()  # the daily run sent them


def test_no_reminder_lists_a_return_once_it_is_submitted(client, people, open_round):
    client.force_login(people["officer"])
    client.post("/returns/2010-11-q3/indicators/ni-156/", {"value": "560", "version": "0", "submit": "1"})
    _remind(open_round.deadline)
    (olivias,) = [message for message in mail.outbox if message.to == ["olivia@example.invalid"]]
    assert "NI 156" not in olivias.body and "- Action update, " in olivias.body


def test_a_malformed_date_gets_a_message():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--today must be a date like 2011-01-28"):
        call_command("send_return_reminders", "--today", "tomorrow")
