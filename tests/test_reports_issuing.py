"""Issuing report packs to meetings (issue 11): only the performance team issues, through a form with CSRF;
the files are stored with their checksums and handed out byte for byte for ever, checked on every download;
a later pack marks the figures revised since the issued one."""

import hashlib
import io
import re
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from core.as_at import query_value
from indicators.models import DataVersion, ReportingPeriod
from plans.models import Plan
from reports.models import IssuedFile, IssuedPack
from tests.conftest import Client
from tests.html_validator import validate_html
from tests.test_reports import approver  # noqa: F401  (a fixture)
from tests.test_reports_as_at import correct, csv_rows, figures  # noqa: F401  (a fixture)

LAA_Q2 = "/reports/laa-2008-11/2010-11-q2"
SMALL = "/reports/luton-sustainable-community-strategy/2010-11-q2"  # a plan naming no indicators: quick to issue
MEETING = {"meeting": "Executive", "meeting_date": "15/11/2010"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_issued_pack_is_stored_with_checksums_and_downloads_byte_identical_after_a_correction(
    client, figures, approver, media  # noqa: F811
):
    client.force_login(approver)
    assert "Issue this pack to a meeting" in client.get(LAA_Q2 + "/?audience=executive").content.decode()
    published = DataVersion.current_publication()
    response = client.post(LAA_Q2 + "/issue/?audience=executive", MEETING)
    assert response["Location"] == "/reports/#issued"
    assert DataVersion.current_publication() == published + 1  # the public list and later packs change

    issued = IssuedPack.objects.get()
    assert (issued.meeting, str(issued.meeting_date), issued.audience) == ("Executive", "2010-11-15", "executive")
    assert (issued.issued_by, issued.issued_by_name) == (approver, "Report-approver")
    files = {file.format: file for file in issued.files.all()}
    assert sorted(files) == ["csv", "html", "pdf", "xlsx"]
    stored = {fmt: (media / file.file.name).read_bytes() for fmt, file in files.items()}
    for fmt, file in files.items():
        assert (hashlib.sha256(stored[fmt]).hexdigest(), len(stored[fmt])) == (file.sha256, file.size)
    assert stored["pdf"].startswith(b"%PDF-")
    html = stored["html"].decode()
    assert "<style>" in html and "<link rel=\"stylesheet\"" not in html  # readable without the site
    assert ">660<" in html and "performance report for Executive, 2010/11 Q2" in html

    client.logout()
    listing = client.get("/reports/").content.decode()
    assert "Executive, 15 November 2010: Luton" in listing and files["pdf"].sha256 in listing
    assert f'href="/reports/issued/{issued.pk}/pdf" download>PDF' in listing

    correct("NI 156", "2010/11 Q2", "650", by=approver)

    for fmt, file in files.items():
        download = client.get(f"/reports/issued/{issued.pk}/{fmt}")
        assert download.content == stored[fmt], fmt
        assert download["Content-Disposition"] == f'attachment; filename="{file.name}"'
        assert download["Repr-Digest"].startswith("sha-256=:")
    assert files["csv"].name == "laa-2008-11-2010-11-q2-executive-issued-2010-11-15.csv"
    # The pack as at its issue moment is the issued one, figure for figure.
    as_at = urlencode({"audience": "executive", "as_at": query_value(issued.issued_at)})
    assert client.get(f"{LAA_Q2}.csv?{as_at}").content == stored["csv"]
    # A pack made now marks the figure revised since the issued pack, in each format.
    page = client.get(LAA_Q2 + "/").content.decode()
    assert "1 figure revised since the pack issued to Executive on 15 November 2010" in page
    assert "(was 660)" in page
    assert csv_rows(client.get(LAA_Q2 + ".csv").content)["NI 156"]["revised"] == "2010/11 Q2: was 660, now 650"
    sheet = load_workbook(io.BytesIO(client.get(LAA_Q2 + ".xlsx").content))["Indicators"]
    assert sheet.cell(row=2, column=sheet.max_column).value.startswith("Revised since the pack issued to Executive")


@pytest.fixture
def issued_file(db, media):
    return store_issued_file()


def store_issued_file() -> IssuedFile:
    """An issued file written straight to the storage, as issuing writes it."""
    from django.contrib.auth.models import User

    content = b"code,indicator\r\nNI 16,Serious acquisitive crime\r\n"
    pack = IssuedPack.objects.create(
        plan=Plan.objects.get(slug="laa-2008-11"), period=ReportingPeriod.objects.get(label="2010/11 Q2"),
        audience="all", meeting="Luton Forum", meeting_date=timezone.localdate(), issued_at=timezone.now(),
        issued_by=User.objects.get_or_create(username="issuer")[0], issued_by_name="Issuer",
    )
    name = default_storage.save("issued-packs/test/pack.csv", ContentFile(content))
    return IssuedFile.objects.create(
        pack=pack, format="csv", file=name, name="pack.csv", sha256=hashlib.sha256(content).hexdigest(), size=len(content)
    )


def test_a_damaged_or_missing_issued_file_is_never_handed_out(client, issued_file, media):
    url = f"/reports/issued/{issued_file.pack_id}/csv"
    assert client.get(url).content.startswith(b"code,indicator")
    (media / issued_file.file.name).write_bytes(b"code,indicator\r\nNI 16,Something else\r\n")
    damaged = client.get(url)
    assert damaged.status_code == 500
    assert "no longer matches the checksum recorded when it was issued" in damaged.content.decode()
    (media / issued_file.file.name).unlink()
    assert "the stored file is missing" in client.get(url).content.decode()
    assert client.get(f"/reports/issued/{issued_file.pack_id}/pdf").status_code == 404


def test_only_the_performance_team_may_issue_a_pack_and_only_with_the_forms_token(people, media):
    from tests.test_permissions import ROLES

    seen = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(people[role])
        seen[role] = client.post(SMALL + "/issue/", MEETING).status_code
    assert seen == {role: 302 if role in ("anonymous", "approver", "admin") else 403 for role in ROLES}
    assert IssuedPack.objects.filter(issued_by__in=[people["approver"], people["admin"]]).count() == 2
    assert IssuedPack.objects.count() == 2  # the anonymous visitor was sent to sign in, nothing issued

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["approver"])
    assert strict.post(SMALL + "/issue/", MEETING).status_code == 403
    form = strict.get(SMALL + "/issue/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert strict.post(SMALL + "/issue/", {**MEETING, "csrfmiddlewaretoken": token}).status_code == 302


def test_the_issue_form_says_what_is_wrong_and_the_pages_are_valid_html(client, people, issued_file, tmp_path):
    client.force_login(people["approver"])
    refused = client.post(SMALL + "/issue/", {"meeting": "", "meeting_date": "31/2/2010"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Enter the meeting the pack is issued to" in page
    assert "Enter the date of the meeting as a real date, like 15/11/2010" in page
    assert client.post(SMALL + "/issue/?audience=cabinet", MEETING).status_code == 400
    assert IssuedPack.objects.count() == 1  # the fixture's
    pages = {"issue form": page, "list": client.get("/reports/").content.decode()}
    client.logout()
    pages["as at"] = client.get(f"{LAA_Q2}/?as_at={query_value(timezone.now())}").content.decode()
    assert validate_html(pages, tmp_path) == []
