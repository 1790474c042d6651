"""Text as the portal stores it: the one cleaning rule for every channel (forms, API, uploads, the
admin, commands).

Line endings become "\\n". Control characters other than tab and newline (NUL, BEL, escape, C1
controls), lone surrogates and the non-characters U+FFFE/U+FFFF are refused, naming the character and
where it is: PostgreSQL cannot store NUL, and XLSX exports and XML cannot hold the others, so a
stored character of that kind would break every export of the row.

And `counted`, which writes a count with its noun ("1 return", "3 returns") for messages that read as
sentences.
"""

import re
import unicodedata

_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class UnsafeText(ValueError):
    """Text holding a character the portal refuses; the message names it and its position."""


def find_unsafe(text: str) -> str | None:
    """Why `text` cannot be stored, or None if it can."""
    match = _REFUSED.search(text)
    if match is None:
        return None
    character = match.group()
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(ord(character), "control character")
    return (
        f"contains a hidden character (U+{ord(character):04X}, {name.lower()}) at position {match.start() + 1}: "
        "type or paste the text again without it"
    )


def clean_text(text: str) -> str:
    """`text` with its line endings normalised; UnsafeText if it holds a refused character."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problem = find_unsafe(text)
    if problem is not None:
        raise UnsafeText(f"The text {problem}")
    return text


_CONTROL_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "escape",
    0x7F: "delete",
}


def validate_text(value: object) -> None:
    """A Django validator: the same rule for model and form fields (the admin's among them)."""
    from django.core.exceptions import ValidationError

    if isinstance(value, str) and (problem := find_unsafe(value)):
        raise ValidationError(f"The text {problem}", code="unsafe_text")


def counted(count: int, noun: str, plural: str = "") -> str:
    """A count with its noun, singular or plural, for messages that read as sentences: "1 return",
    "3 returns", "2 people" (counted(2, "person", "people"))."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
