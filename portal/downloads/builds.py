"""Where the bulk downloads are kept between publications, and which build a request is given.

Building every file takes seconds on a large council (the judged figures above all), too long for the
first request after a publication. So a publication enqueues a background task (`portal.tasks`) that
builds the files for the new publication version and keeps them as one ZIP in the portal's file storage
(the local disk, or S3-compatible storage shared by every web server: `LUTON_S3_BUCKET`), named by the
code's release and the version's moment, so that names sort by publication and never repeat.

A request is given, in order:
1. the build of the current publication version, when it is there (complete: a ZIP still being written
   has no central directory and does not open);
2. else the newest earlier build, while the publication is recent (`LUTON_OPEN_DATA_WAIT_SECONDS`): the
   background task is building the new one, and the response says it is not the current one
   (`Build.current`), so that no cache keeps it as the current version's;
3. else a build made there and then, and kept for everyone: the first request ever, or a worker that
   has not run for longer than the wait.
"""

import datetime as dt
import hashlib
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core.release import code_release
from indicators.performance import data_version_and_changed_at
from portal.downloads.package import ZIP_NAME, build, unpack

FOLDER = "open-data"
KEEP = 3  # builds kept per release: the current one and a few before it, which a slow client may be reading
NAME = re.compile(r"^(\d{20})-[0-9a-f]{12}\.zip$")


@dataclass(frozen=True)
class Build:
    name: str  # in storage
    changed_at: dt.datetime | None  # when the publication it holds was made (None: before any)
    files: dict[str, bytes]
    current: bool  # of the publication version current when asked

    @property
    def size(self) -> int:
        return len(self.files[ZIP_NAME])


# The build this process read last: a request for another file of it costs no trip to storage.
_last: tuple[str, dict[str, bytes]] | None = None


def forget() -> None:
    """Forget the build this process read last (tests, which roll data back and empty the storage)."""
    global _last
    _last = None


def _folder() -> str:
    return f"{FOLDER}/{code_release()[0]}"


def build_name(version: str, changed_at: dt.datetime | None) -> str:
    micros = round(changed_at.timestamp() * 1_000_000) if changed_at else 0
    return f"{_folder()}/{micros:020d}-{hashlib.sha256(version.encode()).hexdigest()[:12]}.zip"


def _moment(name: str) -> dt.datetime | None:
    micros = int(NAME.match(name.rsplit("/", 1)[-1]).group(1))
    return dt.datetime.fromtimestamp(micros / 1_000_000, tz=dt.UTC) if micros else None


def _read(name: str) -> dict[str, bytes] | None:
    """The files of a complete build, or None (not there, or still being written)."""
    global _last
    if _last is not None and _last[0] == name:
        return _last[1]
    try:
        with default_storage.open(name, "rb") as stored:
            files = unpack(stored.read())
    except (FileNotFoundError, zipfile.BadZipFile):
        return None
    _last = (name, files)
    return files


def _earlier(name: str) -> list[str]:
    """The names of the builds before `name` in this release, newest first."""
    try:
        _, stored = default_storage.listdir(_folder())
    except FileNotFoundError:
        return []
    earlier = [f"{_folder()}/{file}" for file in stored if NAME.match(file)]
    return sorted((other for other in earlier if other < name), reverse=True)


def make_build(version: str, changed_at: dt.datetime | None) -> Build:
    """Build the files of `version` and keep them (unless another process kept them first); prune old builds."""
    global _last
    name = build_name(version, changed_at)
    files = build(version)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(files[ZIP_NAME]))
    _last = (name, files)
    for old in _earlier(name)[KEEP - 1 :]:
        default_storage.delete(old)
    return Build(name, changed_at, files, current=True)


def current_build(*, version: str | None = None, changed_at: dt.datetime | None = None) -> Build:
    """The build a request is given (see the module's docstring). No query when `version` is given and its
    build is there; one more to build it."""
    if version is None:
        version, changed_at = data_version_and_changed_at()
    name = build_name(version, changed_at)
    if (files := _read(name)) is not None:
        return Build(name, changed_at, files, current=True)
    recent = changed_at is not None and timezone.now() - changed_at < dt.timedelta(
        seconds=settings.LUTON_OPEN_DATA_WAIT_SECONDS
    )
    if recent:
        for earlier in _earlier(name):
            if (files := _read(earlier)) is not None:
                return Build(earlier, _moment(earlier), files, current=False)
    return make_build(version, changed_at)


def ensure_current() -> Build:
    """The current publication version's build, made if it is not there yet: the background task's work."""
    version, changed_at = data_version_and_changed_at()
    name = build_name(version, changed_at)
    if (files := _read(name)) is not None:
        return Build(name, changed_at, files, current=True)
    return make_build(version, changed_at)
