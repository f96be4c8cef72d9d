"""Comparing children's names across spellings (SPEC.md "Duplicate and fake control").

Near-duplicates are the same date of birth and names that read alike once written
in one spelling (`sadok.translit.spelling_key`, the project's one transliteration):
"Шевченко Тарас", "Shevchenko Taras" and the typo "Шевчнко Тарас" match, as do
"Олександр"/"Aleksandr" and "Д'яченко"/"Dyachenko"; "Олена"/"Альона" do not.

The surname and the given name are compared each on its own (rapidfuzz's ratio of
their keys), so that twins sharing a surname are not flagged for it alone
("Шевченко Тарас" and "Шевченко Марко"); the patronymic is not compared, a family
may leave it out. A surname typed into the given name's field and back still
matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from sadok.translit import spelling_key

# How alike (0-100, rapidfuzz's normalised Indel similarity) each of the surname
# and the given name must be: a letter missing or wrong in a ten-letter surname
# (95) or in a five-letter name (89), "Oleksandr"/"Aleksandr" (89) and
# "Ковальов"/"Ковалев" (86) match; "Софія"/"Соня" (80), "Тарас"/"Тамара" (73) and
# "Олена"/"Альона" (60) do not.
SIMILAR = 85


@dataclass(frozen=True)
class NameKey:
    last: str
    first: str


def name_key(last_name: str, first_name: str) -> NameKey:
    """The child's surname and given name in one spelling each."""
    return NameKey(last=spelling_key(last_name), first=spelling_key(first_name))


def _alike(first: str, second: str) -> bool:
    return bool(first and second) and fuzz.ratio(first, second, score_cutoff=SIMILAR) > 0


def names_similar(first: NameKey, second: NameKey) -> bool:
    """Two children's names (from `name_key`) that differ by little more than
    spelling: surname with surname and name with name, or the two swapped."""
    return (_alike(first.last, second.last) and _alike(first.first, second.first)) or (
        _alike(first.last, second.first) and _alike(first.first, second.last)
    )
