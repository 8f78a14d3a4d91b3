"""Vietnamese text helpers."""

import re
import unicodedata

# Đ/đ are letters of their own, not D with a combining mark, so NFD does not split them.
_LETTER_MAP = str.maketrans({"Đ": "D", "đ": "d"})


def strip_diacritics(text: str) -> str:
    """'Thôn Lộc Tân' -> 'Thon Loc Tan' (bank transfer notes, SMS, codes, search keys)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(text: str) -> str:
    """Lower-case, without diacritics, single-spaced: how people type without a VN keyboard."""
    return re.sub(r"\s+", " ", strip_diacritics(text).lower()).strip()


def code_from_name(text: str) -> str:
    """'Buôn Ea Kmar' -> 'buon-ea-kmar'."""
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-")


def format_dong(amount: int) -> str:
    """50000 -> '50.000 ₫' (Vietnamese groups thousands with dots)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def phone_digits(text: str) -> str:
    """'+84 912.345-678' -> '0912345678': how people write a Vietnamese phone number, as stored.
    Callers check the result (10 digits starting with 0)."""
    digits = re.sub(r"[\s.\-]", "", text)
    return "0" + digits[3:] if digits.startswith("+84") else digits
