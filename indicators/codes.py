"""Normalising indicator codes as printed in council documents.

Documents print the same national indicator as "NI 16", "NI 016", "NI16", "*NI 016",
"*Local NI 019", "N1 14" (a one for an I), "N 19" or a bare "072" in the statutory table.
All of them link to the normalised code "NI 16". Best Value indicators become "BV 34a" and the
council's own local indicators "LBC 1".
"""

import re

_NI = re.compile(r"^\*?\s*(?:local\s+)?(?:NI|N1|N\s?I|N)\s*0*(\d{1,3})$", re.IGNORECASE)
_BARE = re.compile(r"^\*?\s*0*(\d{1,3})$")
_BV = re.compile(r"^\*?\s*(?:BV|BVPI)\s*0*(\d{1,3})([a-z]?)$", re.IGNORECASE)
_LBC = re.compile(r"^\*?\s*LBC\s*0*(\d{1,3})$", re.IGNORECASE)
CODE_PATTERN = re.compile(r"^(NI \d{1,3}|BV \d{1,3}[a-z]?|LBC \d{1,3})$")


class InvalidCode(ValueError):
    pass


def normalise_code(printed: str) -> str:
    """The normalised code for a code as printed; raises InvalidCode when it is not one."""
    text = " ".join(printed.split())
    if match := _NI.match(text):
        return f"NI {int(match.group(1))}"
    if match := _BARE.match(text):
        return f"NI {int(match.group(1))}"
    if match := _BV.match(text):
        return f"BV {int(match.group(1))}{match.group(2).lower()}"
    if match := _LBC.match(text):
        return f"LBC {int(match.group(1))}"
    raise InvalidCode(f"{printed!r} is not an indicator code (expected e.g. NI 16, BV 34a, LBC 1).")


def is_normalised(code: str) -> bool:
    return bool(CODE_PATTERN.match(code))


def code_slug(code: str) -> str:
    """The URL form of a normalised code: "NI 16" -> "ni-16"."""
    return code.lower().replace(" ", "-")
