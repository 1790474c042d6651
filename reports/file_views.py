"""The progress page of a pack's file drawn in the background (reports/background.py), and the finished file.

Who may see them: whoever may see the pack itself (reports.views.refusal), so a file of approved figures is
public and one with figures awaiting sign-off is the performance team's. The page works without JavaScript
and does not refresh itself (an automatic refresh takes the page from under a screen reader): it says in
words where the task is, and a Refresh button asks again.
"""

from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from reports import background
from reports.choices import BadChoice, choose
from reports.files import FORMATS
from reports.views import refusal


def _allowed(request: HttpRequest, task) -> tuple[background.Progress, HttpResponse | None]:
    """The task (404 when there is none), and the answer refusing the person, if the pack's rules do."""
    found = background.progress(task)
    if found is None:
        raise Http404("No pack is being drawn at this address")
    try:
        choice = choose(found.plan, found.period, found.params)
    except BadChoice as error:  # what it named has gone since
        raise Http404(str(error)) from error
    return found, refusal(request, choice)


@never_cache
def file_progress(request: HttpRequest, task) -> HttpResponse:
    """Who: as the pack's page. Where the task drawing a pack's file is, in words, with the file once drawn."""
    found, refused = _allowed(request, task)
    if refused:
        return refused
    kwargs = {"plan": found.plan, "period": found.period}
    query = "?" + urlencode(found.params) if found.params else ""
    return render(
        request,
        "reports/file_progress.html",
        {
            "task": found,
            "format": FORMATS[found.extension].name,
            "pack_url": reverse("reports:pack", kwargs=kwargs) + query,
            "again_url": reverse(f"reports:pack-{found.extension}", kwargs=kwargs) + query,
        },
    )


def file_download(request: HttpRequest, task) -> HttpResponse:
    """Who: as the pack's page. The file the task drew."""
    found, refused = _allowed(request, task)
    if refused:
        return refused
    if found.file is None or not default_storage.exists(found.file["name"]):
        raise Http404("This file is not ready, or is no longer kept: ask for the pack's file again")
    return FileResponse(
        default_storage.open(found.file["name"], "rb"),
        as_attachment=True,
        filename=found.file["filename"],
        content_type=FORMATS[found.extension].content_type,
    )
