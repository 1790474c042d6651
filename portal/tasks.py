"""The portal's background work (Django's tasks framework; a worker runs it: manage.py db_worker)."""

from django.tasks import task

from indicators.models import DataVersion
from portal import warming


@task()
def warm_public_pages(version: int) -> dict:
    """After publication `version`: render the public pages into the shared page cache."""
    warmed = warming.warm_public_pages(version)
    return {"version": warmed.version, "pages": warmed.pages, "failed": warmed.failed, "superseded": warmed.superseded}


def enqueue_warming(sender, **kwargs) -> None:
    """publication_moved's receiver (connected in PortalConfig.ready)."""
    if warming.page_cache_is_shared():
        warm_public_pages.enqueue(DataVersion.current_publication())
