from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators, targets and values"

    def ready(self) -> None:
        from indicators import publication

        # What the public sees moves the publication version (indicators/publication.py).
        publication.connect()
