"""Reading configuration from the environment, with clear errors for malformed values."""

import datetime as dt
import os
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

from core.numbers import parse_number

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, *, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_dates(name: str) -> list[dt.date]:
    """A comma-separated list of ISO dates ("2025-12-29,2025-12-30"); empty when unset."""
    dates = []
    for item in env_list(name, default=[]):
        try:
            dates.append(dt.date.fromisoformat(item))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list dates as YYYY-MM-DD, separated by commas; got {item!r}."
            ) from None
    return dates


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_pounds(name: str) -> Decimal | None:
    """An amount of money ("1400000", "1,400,000" or "£1,400,000"); None when unset."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        amount = parse_number(raw, unit="currency")
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an amount of money: {error}.") from None
    if amount < 0:
        raise ImproperlyConfigured(f"{name} cannot be negative; got {raw!r}.")
    return amount
