"""Form fields that keep the portal's rules, for every app's forms."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from core.text import validate_text


class TextField(forms.CharField):
    """Free text under the portal's one text rule (core/text.py): every hidden character, NUL included,
    refused with the same message on every channel."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators = [
            *(v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)),
            validate_text,
        ]
