from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin, with the portal's own site (luton_plan/admin.py) as the default."""

    default_site = "luton_plan.admin.PortalAdminSite"
