from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public site, the dashboards and the open-data API over the golden thread.

    Pages that show plans with their indicators' status, partners with their targets, and the like
    cut across plans, indicators, partners and returns; they live here so that those apps keep
    their one-way dependencies (plans <- indicators <- partners <- returns <- portal). No models.
    """

    name = "portal"
    verbose_name = "Public site and dashboards"

    def ready(self) -> None:
        from indicators.models.versions import publication_moved
        from portal.tasks import enqueue_open_data_build, enqueue_warming

        publication_moved.connect(enqueue_warming, dispatch_uid="portal-warm-pages")
        # A publication rebuilds the bulk downloads in the background (portal/downloads/builds.py).
        publication_moved.connect(enqueue_open_data_build, dispatch_uid="portal-open-data-build")
