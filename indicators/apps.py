from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators, targets and values"

    def ready(self) -> None:
        from core.audit import bulk_written
        from indicators import publication
        from indicators.performance import VERSIONED_MODELS, note_change

        # Every save or delete (cascades included) of what judging reads moves the data version.
        for label in VERSIONED_MODELS:
            post_save.connect(note_change, sender=label, dispatch_uid=f"data-version-save-{label}")
            post_delete.connect(note_change, sender=label, dispatch_uid=f"data-version-delete-{label}")
            bulk_written.connect(note_change, sender=label, dispatch_uid=f"data-version-bulk-{label}")
        # What the public sees moves the publication version (indicators/publication.py).
        publication.connect()
