"""Report pack files drawn in the background (issue 11): the request asks the worker for the file (or finds it
already asked for), a progress page that needs no JavaScript says where it is, and the finished file follows
the pack's own rules of who may see it. The first test runs Django's real task worker (django-tasks-db's
`db_worker --batch`, tests/conftest.py's run_task_worker)."""

import io

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from core.as_at import query_value
from core.roles import Role
from reports.tasks import draw_pack_file
from tests.conftest import make_user, publish

FORUM_PDF = "/reports/laa-2008-11/2010-11-q2.pdf?audience=forum"


@pytest.fixture
def drawn_in_background(settings, tmp_path):
    """Every PDF of a plan with more than 10 indicators (the LAA has 58) is drawn in the background, and
    kept in a folder of the test's own."""
    settings.LUTON_PACK_BACKGROUND_INDICATORS = 10
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_a_large_plans_pdf_is_drawn_by_the_worker_and_its_progress_page_says_so(
    client, db, drawn_in_background, run_task_worker
):
    asked = client.get(FORUM_PDF)
    assert asked.status_code == 302
    progress_url = asked["Location"]
    assert progress_url.startswith("/reports/files/")
    assert client.get(FORUM_PDF)["Location"] == progress_url  # asked again: the same task

    waiting = client.get(progress_url)
    page = waiting.content.decode()
    assert "Your PDF is being drawn" in page and "Waiting to be drawn" in page
    assert "This page does not change by itself. Refresh it to see whether the PDF is ready." in page
    assert f'<a href="{progress_url}" role="button" draggable="false" class="govuk-button"' in page
    assert 'http-equiv="refresh"' not in page.lower()  # no automatic refresh
    assert "Download the PDF" not in page
    assert "no-store" in waiting["Cache-Control"]  # never kept by a cache, shared or the page cache

    run_task_worker()  # django-tasks-db's db_worker --batch, as deployed

    page = client.get(progress_url).content.decode()
    assert "Your PDF is ready" in page and "Ready to download" in page and "Refresh" not in page
    assert "laa-2008-11-2010-11-q2-forum.pdf" in page
    download = client.get(progress_url + "download")
    assert download["Content-Disposition"] == 'attachment; filename="laa-2008-11-2010-11-q2-forum.pdf"'
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert reader.metadata.title.endswith("performance report for Luton Forum, 2010/11 Q2")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Reward grant" in text and "NI 156" in text and "570" in text  # NI 156's target
    assert client.get(FORUM_PDF)["Location"] == progress_url  # drawn once for this publication
    assert list(drawn_in_background.rglob("*.pdf"))


def test_a_pdf_with_figures_awaiting_sign_off_and_its_progress_are_the_performance_teams(
    client, db, drawn_in_background
):
    approver = make_user("background-approver", Role.PERFORMANCE_TEAM)
    client.force_login(approver)
    progress_url = client.get(FORUM_PDF + "&figures=submitted")["Location"]
    assert "Luton Forum" in client.get(progress_url).content.decode()

    client.force_login(make_user("background-member", Role.MEMBER))
    assert client.get(progress_url).status_code == 403
    assert client.get(progress_url + "download").status_code == 403
    client.logout()
    assert client.get(progress_url)["Location"].startswith("/accounts/login/")
    # A pack of approved figures is anyone's, and so is its progress.
    public = client.get(FORUM_PDF)["Location"]
    assert public != progress_url and client.get(public).status_code == 200
    assert client.get("/reports/files/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_same_file_is_asked_for_once_per_publication_and_again_after_a_failure(
    client, db, drawn_in_background, django_assert_num_queries
):
    first = client.get(FORUM_PDF)["Location"]
    assert client.get(FORUM_PDF)["Location"] == first
    assert client.get(FORUM_PDF.replace("forum", "executive"))["Location"] != first  # another pack
    as_at = client.get(FORUM_PDF + "&as_at=" + query_value(timezone.now()))["Location"]  # the pack at a moment
    assert as_at != first and "as_at=" in client.get(as_at).content.decode()  # its page's link keeps the moment
    with django_assert_num_queries(4):  # the publication version (page cache); the task; the plan, the periods
        client.get(first)

    publish("NI 156", "2010/11 Q2", "660", by=make_user("background-approver", Role.PERFORMANCE_TEAM))
    after_approval = client.get(FORUM_PDF)["Location"]
    assert after_approval != first  # a new publication: a new file

    DBTaskResult.objects.filter(pk=after_approval.split("/")[3]).update(status=TaskResultStatus.FAILED)
    page = client.get(after_approval).content.decode()
    assert "Your PDF could not be drawn" in page and "Could not be drawn" in page
    assert 'href="/reports/laa-2008-11/2010-11-q2.pdf?audience=forum">ask for the PDF again</a>' in page
    assert client.get(FORUM_PDF)["Location"] not in (first, after_approval)


def test_small_plans_and_other_formats_are_drawn_in_the_request(client, db, settings):
    settings.LUTON_PAGE_CACHE = False  # the same page is asked for under two settings
    assert settings.LUTON_PACK_BACKGROUND_INDICATORS == 80  # the LAA (58 indicators) is drawn at once
    page = client.get("/reports/laa-2008-11/2010-11-q2/").content.decode()
    assert '<a class="govuk-link" href="/reports/laa-2008-11/2010-11-q2.pdf" download>PDF</a>' in page
    settings.LUTON_PACK_BACKGROUND_INDICATORS = 10
    assert client.get("/reports/laa-2008-11/2010-11-q2.xlsx")["Content-Type"].startswith("application/vnd.openxml")
    page = client.get("/reports/laa-2008-11/2010-11-q2/").content.decode()
    # The PDF link opens its progress page, so it is not marked as a download.
    assert 'href="/reports/laa-2008-11/2010-11-q2.pdf">PDF</a> <span class="govuk-body-s">(drawn in the background' in page
    assert not DBTaskResult.objects.filter(task_path=draw_pack_file.module_path).exists()
