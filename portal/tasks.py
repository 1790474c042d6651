"""The portal's background work after a publication (Django's tasks framework; a worker runs it:
manage.py db_worker). Each is enqueued by a receiver of `indicators.models.versions.publication_moved`
(connected in PortalConfig.ready), once the publication is committed."""

from django.tasks import task

from indicators.models import DataVersion
from indicators.performance import data_version_and_changed_at
from portal import warming
from portal.downloads import builds

# The version this process last enqueued a build of the bulk downloads for: the several moves one
# transaction can make (each write outside `DataVersion.changes()` moves it) commit together and need one.
_build_enqueued_for: str | None = None


@task()
def warm_public_pages(version: int) -> dict:
    """After publication `version`: render the public pages into the shared page cache."""
    warmed = warming.warm_public_pages(version)
    return {"version": warmed.version, "pages": warmed.pages, "failed": warmed.failed, "superseded": warmed.superseded}


def enqueue_warming(sender, **kwargs) -> None:
    """publication_moved's receiver (connected in PortalConfig.ready)."""
    if warming.page_cache_is_shared():
        warm_public_pages.enqueue(DataVersion.current_publication())


@task()
def build_open_data() -> str:
    """Build the bulk downloads of the publication version current when it runs, unless they are built
    already (several publications in a row: the first task to run builds the latest, the rest find it);
    until then the previous files are served (portal/downloads/builds.py). Returns the build's name."""
    return builds.ensure_current().name


def enqueue_open_data_build(sender, **kwargs) -> None:
    """publication_moved's receiver: enqueue the build of the new files. One query (the version)."""
    global _build_enqueued_for
    version, _ = data_version_and_changed_at()
    if version != _build_enqueued_for:
        build_open_data.enqueue()
        _build_enqueued_for = version
