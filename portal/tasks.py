"""Background work after a publication (Django's tasks framework; `manage.py db_worker` runs it).

A publication enqueues `build_open_data` once it is committed (`enqueue_open_data_build`, connected in
PortalConfig.ready to `indicators.models.versions.publication_committed`); until the build is there the
previous files are served (portal/downloads/builds.py)."""

from django.tasks import task

from indicators.performance import data_version_and_changed_at
from portal.downloads import builds

# The version this process last enqueued a build for: the several moves one transaction can make (each
# write outside `DataVersion.changes()` moves it) commit together and need one build.
_enqueued_for: str | None = None


@task()
def build_open_data() -> str:
    """Build the bulk downloads of the publication version current when it runs, unless they are built
    already (several publications in a row: the first task to run builds the latest, the rest find it).
    Returns the build's name in storage."""
    return builds.ensure_current().name


def enqueue_open_data_build(**kwargs) -> None:
    """After a publication is committed: enqueue the build of the new files. One query (the version)."""
    global _enqueued_for
    version, _ = data_version_and_changed_at()
    if version != _enqueued_for:
        build_open_data.enqueue()
        _enqueued_for = version
