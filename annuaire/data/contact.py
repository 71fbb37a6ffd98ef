"""Phone numbers and e-mail addresses: checked with phonenumbers, shown the French way.

Records may hold the standard's `+33549526766` or the French `05 49 52 67 66`; residents
read `05 49 52 67 66` and tap a `tel:+33549526766` link; exports use the standard's form.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

# An address and nothing appended: no `?bcc=`, no second address, no spaces or quotes.
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9!#$'*+/=^_`{|}~-]+(?:\.[A-Za-z0-9!#$'*+/=^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    """Parse a French number. The public functions keep their answers: a number is shown on
    many pages (its place, its commune, lists, sheets), and parsing it is slow."""
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


@lru_cache(maxsize=16384)
def phone_problem(text: str) -> str | None:
    """None for a valid French number, else what is wrong, in French."""
    if _parse(text) is None:
        return "numéro de téléphone invalide"
    return None


@lru_cache(maxsize=16384)
def phone_e164(text: str) -> str | None:
    """`05 49 52 67 66` → `+33549526766` (the standard's form), None if invalid."""
    number = _parse(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else None


@lru_cache(maxsize=16384)
def phone_display(text: str) -> str:
    """`+33549526766` → `05 49 52 67 66`; an invalid number is shown as written."""
    number = _parse(text)
    if number is None:
        return text
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_href(text: str) -> str | None:
    """`tel:+33549526766` for a link a phone can call, None if the number is invalid."""
    e164 = phone_e164(text)
    return f"tel:{e164}" if e164 else None


def email_problem(text: str) -> str | None:
    """None for a plausible address (`nom@domaine.fr`), else a French explanation."""
    if EMAIL_PATTERN.match(text):
        return None
    if "@" in text and any(sign in text for sign in "?&,;"):
        return "adresse e-mail suivie d’autre chose (« ? », « & », « , » ou « ; »)"
    return "adresse e-mail invalide"
