"""Numbers as people read and write them: the one home of the portal's number format and parsing.

Every page, template (the `figure` and `plain` filters), form, spreadsheet, API and report formats and
reads figures through these functions, so "5,810" means the same everywhere and "4,3" is refused
everywhere.

- `plain(number)`: the digits and no more, for inputs, CSV cells and machine-readable text:
  1500, 0.7, -3.25 (never 1500.0000 or 1.5E+3).
- `format_figure(number, unit)`: for people: thousands separators, no trailing zeros and the
  unit: 5,810; 42.5%; £1,200; 12 days.
- `parse_number(text, unit=...)`: what a person typed: digits with an optional sign and decimal
  point; thousands separators only in groups of three ("5,810", "1,234,567.5"); a percentage may
  carry its "%" sign and a currency its "£". Anything else is refused with a message saying why.
- `read_money(text, unit)` and `format_money(amount, unit)`: amounts as a document prints them in a
  table of a money unit ("256.62" in a table of £m, "£3m", "-£0.64m"). Money keeps the decimal
  places it was printed with (4.30 stays 4.30, 64.6 stays 64.6): a sum of amounts in pounds and
  pence is written to the penny. `format_printed_cell` writes any cell of such a table.
"""

import re
from decimal import Decimal, InvalidOperation

MAX_FIGURE = Decimal("1e12")

# How each unit (indicators.models.Unit values) is written after or before a figure.
UNIT_SUFFIX = {
    "percentage": "%",
    "percentage_points": " percentage points",
    "days": " days",
    "tonnes": " tonnes",
}
UNIT_PREFIX = {"currency": "£"}
# Money units a plan's financial tables are printed in: what goes before and after an amount.
MONEY_UNITS = {"£": ("£", ""), "£k": ("£", "k"), "£m": ("£", "m"), "£bn": ("£", "bn")}

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the storage's trailing zeros: 0.7000 -> 0.7, 1500.0000 -> 1500."""
    if value is None:
        return None
    normalised = value.normalize()
    # normalize() writes 1500 as 1.5E+3; quantize back to an exponent of 0 for whole numbers.
    return normalised.quantize(Decimal(1)) if normalised == normalised.to_integral_value() else normalised


def plain(value: Decimal | int | float | str | None) -> str:
    """A figure as plain digits, for inputs, CSV cells and text a machine reads: "1500", "0.7"; "" for none."""
    if value is None or value == "":
        return ""
    return f"{plain_decimal(Decimal(str(value))):f}"


def format_figure(value: Decimal | int | float | str | None, unit: str = "", *, none: str = "") -> str:
    """A figure for people: thousands separators, no trailing zeros, and its unit ("5,810", "42.5%",
    "£1,200", "12 days"). `none` is what to write when there is no figure."""
    if value is None or value == "":
        return none
    number = plain_decimal(Decimal(str(value)))
    sign = "-" if number < 0 else ""
    digits = f"{abs(number):,f}"
    return f"{sign}{UNIT_PREFIX.get(unit, '')}{digits}{UNIT_SUFFIX.get(unit, '')}"


def parse_number(text: object, *, unit: str = "") -> Decimal:
    """A figure as typed (see the module's rules). ValueError, with a message for the person who typed
    it, for anything that is not plainly one number: "4,3", "1,2,3", "12abc", NaN, 1e400."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number")
    if isinstance(text, int | Decimal):
        return _within_range(Decimal(text), text)
    if isinstance(text, float):
        # A spreadsheet cell holds a binary float (43.300000000000004): take the number it displays,
        # to the 15 significant digits a spreadsheet shows.
        return _within_range(Decimal(f"{text:.15g}"), text)
    written = str(text).strip()
    cleaned = written
    if unit == "percentage" and cleaned.endswith("%"):
        cleaned = cleaned[:-1].rstrip()
    if unit == "currency" and cleaned.lstrip("+-").startswith("£"):
        sign = cleaned[0] if cleaned[0] in "+-" else ""
        cleaned = sign + cleaned.lstrip("+-")[1:]
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        raise ValueError(
            f"{written!r} is not a number: use a comma only to separate thousands (5,810), "
            "and a full stop for decimals (4.3)"
        )
    if not _PLAIN.fullmatch(cleaned):
        raise ValueError(f"{written!r} is not a number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{written!r} is not a number") from None
    return _within_range(number, written)


def _within_range(number: Decimal, written: object) -> Decimal:
    if not number.is_finite() or (number and number.adjusted() >= MAX_FIGURE.adjusted()):
        raise ValueError(f"{written!r} is not a number this portal can hold")
    return number


def read_money(text: object, unit: str = "£") -> Decimal | None:
    """An amount as printed in a table of `unit` ("256.62", "-37.99", "£3m", "-£0.64m", "1,200"), with
    its printed decimal places; None for a cell that is no amount (empty, words, a percentage)."""
    if text is None:
        return None
    written = str(text).strip()
    prefix, suffix = MONEY_UNITS.get(unit, ("", ""))
    sign = written[0] if written[:1] in ("+", "-") else ""
    written = written[len(sign) :].strip()
    if prefix and written.startswith(prefix):
        written = written[len(prefix) :]
    if suffix and written.endswith(suffix):
        written = written[: -len(suffix)]
    try:
        return parse_number(sign + written)
    except ValueError:
        return None


def format_money(value: Decimal | int | str, unit: str = "") -> str:
    """An amount for people, with the decimal places it has and thousands separators: "4.30",
    "£480.08m", "-£0.64m", "£1,200". `unit` is one of MONEY_UNITS, or "" for the figure alone."""
    number = Decimal(str(value))
    prefix, suffix = MONEY_UNITS.get(unit, ("", ""))
    sign = "-" if number < 0 else ""
    return f"{sign}{prefix}{abs(number):,f}{suffix}"


def format_printed_cell(text: object, unit: str = "") -> str:
    """A cell of a printed financial table, through the number format: an amount as `format_money`
    writes it (with the unit where the cell printed it: "£3m"; alone under a heading that names the
    unit: "256.62"), a percentage as `format_figure` does ("50%"), anything else as printed; "" for
    an empty cell."""
    if text is None or not str(text).strip():
        return ""
    written = str(text).strip()
    if written.endswith("%"):
        try:
            return format_figure(parse_number(written, unit="percentage"), "percentage")
        except ValueError:
            return written
    amount = read_money(written, unit)
    if amount is None:
        return written
    prefix = MONEY_UNITS.get(unit, ("", ""))[0]
    return format_money(amount, unit if prefix and prefix in written else "")
