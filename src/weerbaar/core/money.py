"""Amounts in euros, read the way Dutch people type them.

Dutch writes thousands with a dot and decimals with a comma: ``1.250`` is twelve hundred and
fifty euros, ``1.250,50`` adds fifty cents, ``1250,5`` is the same without the separator. A
dot followed by exactly three digits (and no comma anywhere) is a thousands separator; a dot
followed by one or two digits is read as a decimal point, as spreadsheets and the API write
it. Anything that is not a finite amount (``NaN``, ``Infinity``, ``1e400``) is refused.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # fits the DecimalField(max_digits=12, decimal_places=2)

_DUTCH_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")  # 1.250 / 12.500.000
_DUTCH_FULL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*,\d+$|^[+-]?\d+,\d+$")  # 1.250,50 / 1250,5
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")  # 1250 / 1250.5 / 1.25
_ENGLISH_FULL = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,250.50


class MoneyError(ValueError):
    """Not an amount; ``message`` is Dutch and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedMoney:
    amount: Decimal
    # True when another reading was plausible (``1.250`` could be meant as 1,25): the form
    # shows the amount it read and asks the user to confirm it.
    ambiguous: bool = False


def _finish(text: str, *, typed: bool = False) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MoneyError(_("Geef een bedrag in euro's, bijvoorbeeld 1.250,00."))
    if not amount.is_finite():
        raise MoneyError(_("Geef een bedrag in euro's, bijvoorbeeld 1.250,00."))
    if typed and amount.as_tuple().exponent < -2:
        # Rounding typed cents away would change what the user wrote without a word.
        raise MoneyError(_("Geef een bedrag met hoogstens twee cijfers achter de komma."))
    if amount.copy_abs() > MAX_AMOUNT:
        raise MoneyError(_("Geef een bedrag tot 10 miljard euro."))
    return amount.quantize(CENT)


def parse_money(value) -> ParsedMoney | None:
    """Read an amount from a number or text; None for an empty value. Raises :class:`MoneyError`."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise MoneyError(_("Geef een bedrag in euro's, bijvoorbeeld 1.250,00."))
    if isinstance(value, (int, float, Decimal)):
        return ParsedMoney(_finish(str(value)))
    text = str(value).strip()
    for sign in ("€", "EUR", "eur", "\u00a0", " ", "\u202f"):
        text = text.replace(sign, "")
    if text.endswith(",-") or text.endswith(",="):  # € 1.250,-
        text = text[:-2]
    if not text:
        return None
    if _DUTCH_THOUSANDS.match(text):
        # 1.250 is 1250 in Dutch; only a lone group of three after one dot could have meant cents.
        return ParsedMoney(_finish(text.replace(".", ""), typed=True), ambiguous=text.count(".") == 1)
    if _DUTCH_FULL.match(text):
        return ParsedMoney(_finish(text.replace(".", "").replace(",", "."), typed=True))
    if _PLAIN.match(text):
        return ParsedMoney(_finish(text, typed=True))
    if _ENGLISH_FULL.match(text):
        # 1,250.50 is unusual here but unambiguous: a comma group of three before a decimal point.
        return ParsedMoney(_finish(text.replace(",", ""), typed=True), ambiguous="." not in text)
    raise MoneyError(_("Geef een bedrag in euro's, bijvoorbeeld 1.250,00."))


def format_money(amount: Decimal | None) -> str:
    """An amount the Dutch way: 1.250,50."""
    if amount is None:
        return ""
    whole, _sep, cents = f"{amount.quantize(CENT):,.2f}".partition(".")
    return whole.replace(",", ".") + "," + cents
