"""Comparing children's names across spellings (SPEC.md "Duplicate and fake control").

Near-duplicates are the same date of birth and names that read alike once
transliterated: "Шевченко Олена" and "Shevchenko Olena", "Олена"/"Альона" do not
match, "Ковальов"/"Ковалев" do.
"""

from __future__ import annotations

import difflib
import re

# Ukrainian and Russian letters to Latin (a simplified national transliteration),
# so that the same name typed in either alphabet compares equal.
_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "ё": "io",
    "ы": "y",
    "э": "e",
    "ъ": "",
    "'": "",
    "’": "",
    "ʼ": "",
}
# Variants that the same sound takes in Latin spellings.
_LATIN_VARIANTS = (("kh", "h"), ("g", "h"), ("w", "v"), ("j", "i"), ("y", "i"), ("ie", "e"))
SIMILAR = 0.85


def name_key(*parts: str) -> str:
    text = " ".join(parts).lower()
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in text)
    latin = re.sub(r"[^a-z ]", "", latin)
    for variant, common in _LATIN_VARIANTS:
        latin = latin.replace(variant, common)
    return " ".join(latin.split())


def names_similar(first: str, second: str) -> bool:
    """Two name keys (from `name_key`) that differ by little more than spelling."""
    if not first or not second:
        return False
    return difflib.SequenceMatcher(None, first, second).ratio() >= SIMILAR
