"""The background task that draws a report pack's file (reports/background.py decides which files it draws).

Run by the worker, `manage.py db_worker` (`--batch` drains the queue and exits). It builds the pack its
arguments name exactly as the request would (reports/choices.py), draws the file as a download does
(reports/files.py) and keeps it in the default storage (local disk, or S3 when LUTON_S3_BUCKET is set).
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task

from reports.choices import choose
from reports.files import FORMATS, filename

FOLDER = "report-packs/drawn"


@task()
def draw_pack_file(
    *, key: str, plan: str, period: str, params: dict, extension: str, base_url: str, title: str
) -> dict:
    """Draw the file; return where it is kept, the name to download it as, and its size. `key` names it
    (reports.background.file_key); `title` is for the progress page."""
    pack = choose(plan, period, params).build()
    content = FORMATS[extension].draw(pack, base_url)
    name = default_storage.save(f"{FOLDER}/{key}.{extension}", ContentFile(content))
    return {"name": name, "filename": filename(pack, extension), "bytes": len(content)}
