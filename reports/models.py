"""Packs issued to a meeting: the files as the meeting received them, kept unchanged for ever.

A pack is issued as at its issue moment (its figures read from the audit history at that moment,
core/as_at.py), each of its formats stored once through the default storage (S3-compatible storage when
LUTON_S3_BUCKET is set) with its SHA-256 checksum, checked on every download (reports/issuing.py).
"""

from django.conf import settings
from django.db import models

from reports.audiences import PRESETS, Audience


class IssuedPack(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("indicators.ReportingPeriod", on_delete=models.PROTECT, related_name="+")
    # Checked against reports.audiences.Audience when issued; no choices here, so that a new audience needs
    # no migration.
    audience = models.CharField(max_length=16)
    meeting = models.CharField(max_length=200, help_text='The meeting it was issued to, e.g. "Executive".')
    meeting_date = models.DateField()
    issued_at = models.DateTimeField(db_index=True, help_text="The moment its figures are as at.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_by_name = models.CharField(max_length=300, help_text="Who issued it, as named then.")

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.plan} {self.period} issued to {self.meeting} ({self.meeting_date})"

    @property
    def audience_label(self) -> str:
        return PRESETS[Audience(self.audience)].label


class FileFormat(models.TextChoices):
    HTML = "html", "Web page (HTML)"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Spreadsheet (XLSX)"
    CSV = "csv", "Full table (CSV)"


CONTENT_TYPES = {
    FileFormat.HTML: "text/html; charset=utf-8",
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.CSV: "text/csv; charset=utf-8",
}


class IssuedFile(models.Model):
    pack = models.ForeignKey(IssuedPack, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=4, choices=FileFormat.choices)
    file = models.FileField(max_length=300)
    name = models.CharField(max_length=200, help_text="The file's name when downloaded.")
    sha256 = models.CharField(max_length=64, help_text="Of the bytes as issued; checked on every download.")
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pack", "format"]
        constraints = [models.UniqueConstraint(fields=["pack", "format"], name="issued_file_one_per_format")]

    def __str__(self) -> str:
        return self.name
