"""Ukrainian names in Latin letters, and one key for every way of spelling them.

Parents type a kindergarten's or a child's name in whatever script their keyboard
has: "Світлячок", the official "Svitliachok", or "svitlyachok" as they would spell
it in a passport form from memory. `latin` writes Ukrainian in the official
national transliteration (Resolution of the Cabinet of Ministers of Ukraine No. 55
of 27 January 2010); `spelling_key` folds that and the usual informal spellings
(ya/ia, y/i, kh/h, g/h, w/v, doubled letters, Russian-style letters) into one
key, so that two spellings of one name give the same key. The search of
kindergartens uses it; so can anything that compares names across scripts.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

# The official table. Letters with two values take the first at the start of a
# word and the second elsewhere (Є, Ї, Й, Ю, Я).
_OFFICIAL: dict[str, str | tuple[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e",
    "є": ("ye", "ie"), "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": ("yi", "i"),
    "й": ("y", "i"), "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": ("yu", "iu"), "я": ("ya", "ia"),
    "'": "", "’": "", "ʼ": "", "`": "",
}  # fmt: skip
# Letters of Russian spellings that parents still type (Ё, Ы, Э, Ъ).
_RUSSIAN: dict[str, str | tuple[str, str]] = {"ё": ("yo", "io"), "ы": "y", "э": "e", "ъ": ""}
_TABLE = {**_OFFICIAL, **_RUSSIAN}
_APOSTROPHES = {"'", "’", "ʼ", "`"}

# Informal Latin spellings of one sound, folded in this order (see `spelling_key`).
_FOLDS = (
    ("kh", "h"),
    ("gh", "h"),
    ("g", "h"),
    ("ph", "f"),
    ("w", "v"),
    ("q", "k"),
    ("x", "ks"),
    ("ck", "k"),
    ("tz", "ts"),
    ("j", "y"),
    ("y", "i"),
    ("ie", "e"),
)
# How alike two words' keys must be to match loosely (difflib's ratio): one wrong
# or missing letter in an eight-letter word still matches.
SIMILAR = 0.8


def latin(text: str) -> str:
    """`text` with its Cyrillic letters in the official Ukrainian transliteration
    ("Світлячок" → "Svitliachok", "Яблунька" → "Yablunka"); other characters stay."""
    out: list[str] = []
    previous = ""
    for i, char in enumerate(text):
        lower = char.lower()
        value = _TABLE.get(lower)
        if value is None:
            out.append(char)
        else:
            if isinstance(value, tuple):
                # After an apostrophe the word goes on: "Знам'янка" → "Znamianka".
                starts_word = not previous.isalpha() and previous not in _APOSTROPHES
                value = value[0] if starts_word else value[1]
            # "зг" is written "zgh", so that it does not read as "ж".
            if lower == "г" and previous.lower() == "з":
                value = "gh"
            if char.isupper() and value:
                following = text[i + 1 : i + 2]
                value = value.upper() if following.isupper() else value.capitalize()
            out.append(value)
        previous = char
    return "".join(out)


@lru_cache(maxsize=4096)
def spelling_key(text: str) -> str:
    """One key for the ways a name is spelt: lower-case Latin words with the usual
    variants folded ("Світлячок", "Svitliachok" and "svitlyachok" all give
    "svitliachok"); digits kept, every other character a space."""
    key = latin(text.lower())
    key = re.sub(r"[^a-z0-9]+", " ", key)
    for variant, common in _FOLDS:
        key = key.replace(variant, common)
    key = re.sub(r"([a-z])\1+", r"\1", key)  # doubled letters: "Hanna", "Kyivskyi"
    return " ".join(key.split())


def words_match(query: str, text: str) -> bool:
    """Whether every word of `query` is in `text`, spelt any usual way: the start of
    part of one of its words, or a word alike but for a letter or two. A number must be one
    of `text`'s numbers exactly."""
    words = spelling_key(text).split()
    return all(
        any(_word_matches(wanted, word) for word in words) for wanted in spelling_key(query).split()
    )


@lru_cache(maxsize=65536)
def _word_matches(wanted: str, word: str) -> bool:
    if wanted.isdigit() or word.isdigit():
        return wanted == word
    if wanted in word:
        return True
    if len(wanted) < 4:
        return False
    alike = difflib.SequenceMatcher(None, wanted, word[: len(wanted) + 1])
    return alike.real_quick_ratio() >= SIMILAR and alike.ratio() >= SIMILAR
