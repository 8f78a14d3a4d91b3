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


def thousands(amount: int) -> str:
    """50000 -> '50.000' (Vietnamese groups thousands with dots)."""
    return f"{amount:,}".replace(",", ".")


def format_dong(amount: int) -> str:
    """50000 -> '50.000 ₫'."""
    return thousands(amount) + " ₫"


def phone_digits(text: str) -> str:
    """'+84 912.345-678' -> '0912345678': how people write a Vietnamese phone number, as stored.
    Callers check the result (10 digits starting with 0)."""
    digits = re.sub(r"[\s.\-]", "", text)
    return "0" + digits[3:] if digits.startswith("+84") else digits


# Vietnamese alphabetical order (Bộ Giáo dục's alphabet, with f j w z for foreign words), then
# the tones as dictionaries order them: level, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# The tone marks, and the combining marks that make a letter of its own (ă â ê ô ơ ư).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_COMPOSED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
             ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}  # fmt: skip
_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)


def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", word.casefold()):
        if char in _TONE_RANK:
            tones[-1:] = [_TONE_RANK[char]]
        elif unicodedata.combining(char):
            if letters:
                base = _ALPHABET[letters[-1]] if letters[-1] < len(_ALPHABET) else ""
                letter = _COMPOSED.get((base, char))
                if letter:
                    letters[-1] = _LETTER_RANK[letter]
        else:
            letters.append(_LETTER_RANK.get(char, len(_ALPHABET) + ord(char)))
            tones.append(0)
    return tuple(letters), tuple(tones)


def vietnamese_sort_key(text: str) -> tuple:
    """Sort key in Vietnamese order, numbers by value: "Ea Bá" before "Ea Bung", "Thôn 2"
    before "Thôn 10", "Đắk" after "Dũng"; the tones decide only between otherwise equal words."""
    primary: list[tuple] = []
    secondary: list[tuple[int, ...]] = []
    for token in _TOKEN.findall(text):
        if token.isdigit():
            primary.append((0, int(token)))
            secondary.append(())
        else:
            letters, tones = _word_key(token)
            primary.append((1, letters))
            secondary.append(tones)
    return tuple(primary), tuple(secondary), text


def person_sort_key(full_name: str) -> tuple:
    """Vietnamese lists of people sort by the given name (the last word), then the rest:
    "Trần Văn An" before "Nguyễn Thị Bình"."""
    words = full_name.split()
    return vietnamese_sort_key(" ".join(words[-1:] + words[:-1]))


def by_name(rows, field: str = "name") -> list:
    """Model instances or dicts in Vietnamese order of their `field` (one place decides how
    every list of places, people and procedures is ordered; the database sorts by code point)."""

    def name(row) -> str:
        return row[field] if isinstance(row, dict) else getattr(row, field)

    return sorted(rows, key=lambda row: vietnamese_sort_key(name(row)))
