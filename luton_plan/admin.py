"""The portal's admin site: Django's, with the rules every write path of the portal keeps.

- Every admin request runs in one transaction whose last write moves the data version, once
  (DataVersion.changes(), docs/decisions/0003): an admin correction shows on the next request, and
  the admin takes the version lock last, like every other writer, so it cannot deadlock with them.
- Every text field of every admin form, inlines included, refuses the characters core/text.py refuses.
"""

import functools

from django import forms
from django.contrib import admin
from django.db import transaction

from accounts.admin_site import SecureAdminSite
from core.text import validate_text
from indicators.models import DataVersion


class CleanTextFields:
    """Admin (or inline) mixin: the text rule on every text form field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField) and validate_text not in formfield.validators:
            formfield.validators.append(validate_text)
        return formfield

    def get_inlines(self, request, obj):
        return [_with_clean_text(inline) for inline in super().get_inlines(request, obj)]


@functools.cache
def _with_clean_text(admin_class: type) -> type:
    if issubclass(admin_class, CleanTextFields):
        return admin_class
    return type(admin_class.__name__, (CleanTextFields, admin_class), {"__module__": admin_class.__module__})


class PortalAdminSite(SecureAdminSite):
    """The admin for staff signed in with both factors (accounts/admin_site.py), with the rules above."""

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, _with_clean_text(admin_class or admin.ModelAdmin), **options)

    def admin_view(self, view, cacheable=False):
        @functools.wraps(view)
        def in_one_transaction(request, *args, **kwargs):
            with transaction.atomic(), DataVersion.changes():
                return view(request, *args, **kwargs)

        return super().admin_view(in_one_transaction, cacheable)
