from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Report packs: what committees receive each quarter, for a plan, as HTML, PDF, XLSX and CSV.

    Above the portal in the layers: a pack draws the portal's charts, and nothing below it needs a pack.
    """

    name = "reports"
    verbose_name = "Report packs"
