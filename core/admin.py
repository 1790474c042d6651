"""How a higher app extends a lower app's admin: the lower app never imports the higher one."""

from django.contrib import admin
from django.db import models


def add_inlines(model: type[models.Model], *inlines: type, after: int | None = None) -> None:
    """Re-register `model`'s admin with `inlines` added (after the first `after` of its own, else last).

    Admin modules load in INSTALLED_APPS order, lower apps first, so the model is registered by then.
    """
    current = type(admin.site.get_model_admin(model))
    own = list(current.inlines)
    position = len(own) if after is None else after
    extended = type(current.__name__, (current,), {"inlines": [*own[:position], *inlines, *own[position:]]})
    admin.site.unregister(model)
    admin.site.register(model, extended)
