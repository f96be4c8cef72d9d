"""Birth certificates: parse what people type, refuse what cannot be one.

A Ukrainian certificate (SPEC.md "Children and applications") has a series of a
Roman numeral, a hyphen and two Cyrillic capital letters (`I-КВ`), and a
six-digit number. People type it in every way: Latin look-alike letters
(`I-KB`), a Cyrillic `І` for the numeral, lower case, spaces, `№`. All of these
normalise to one canonical form, `I-КВ 123456`, whose key makes certificates
unique. A foreign certificate is a country and a free-form number.

Plain Python: no Django, so the parser can be tested on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Latin letters people type for the Cyrillic ones they look like (the series'
# letters are Ukrainian capitals).
_LATIN_TO_CYRILLIC = str.maketrans("ABCEHIKMOPTXY", "АВСЕНІКМОРТХУ")
# What people type for the Roman numeral: the Cyrillic look-alikes and Unicode's
# Roman-numeral characters (Ⅳ is one character), to the Latin letters.
_CYRILLIC_TO_ROMAN = str.maketrans(
    {
        "І": "I",
        "Ӏ": "I",
        "Х": "X",
        "С": "C",
        "Ⅰ": "I",
        "Ⅱ": "II",
        "Ⅲ": "III",
        "Ⅳ": "IV",
        "Ⅴ": "V",
        "Ⅵ": "VI",
        "Ⅶ": "VII",
        "Ⅷ": "VIII",
        "Ⅸ": "IX",
        "Ⅹ": "X",
        "Ⅺ": "XI",
        "Ⅻ": "XII",
    }
)
_UKRAINIAN_CAPITALS = set("АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$")
_DASHES = re.compile(r"[\-‐‑‒–—―−]")
_SHAPE = re.compile(r"^(?P<series>[^0-9]+?)\s*(?:№|N[OoО]?\.?|#)?\s*(?P<number>[0-9\s]+)$")
# How people write Ukraine when they enter a Ukrainian certificate as foreign.
UKRAINE = frozenset({"УКРАЇНА", "УКРАИНА", "UKRAINE", "UKRAINA", "UKRAYINA", "UA", "UKR", "УКР"})

EXPECTED = (
    "серія з римської цифри, дефіса і двох українських літер та шість цифр номера, "
    "наприклад I-КВ 123456"
)


class CertificateError(ValueError):
    """What is wrong, as a sentence a parent understands (Ukrainian)."""


@dataclass(frozen=True, slots=True)
class Certificate:
    series: str  # "I-КВ"; empty for a foreign certificate
    number: str  # "123456"; free form (upper case, no spaces) for a foreign one
    country: str = ""  # empty for a Ukrainian certificate

    @property
    def display(self) -> str:
        if self.country:
            return f"{self.country} {self.number}"
        return f"{self.series} {self.number}"

    @property
    def key(self) -> str:
        """One string per certificate: the unique key in the database."""
        if self.country:
            return f"{self.country.upper()}:{self.number}"
        return f"UA:{self.series}:{self.number}"


def fold(text: str) -> str:
    """What was typed, in the characters the rule compares: invisible characters
    (zero-width, bidi controls, soft hyphens) dropped, compatibility forms folded
    (full-width letters, `Ⅳ`), every decimal digit of any script as 0-9 (full-width
    and Arabic-Indic digits read as the digits they are), spaces collapsed, capitals."""
    visible = "".join(c for c in str(text) if unicodedata.category(c) != "Cf")
    folded = unicodedata.normalize("NFKC", visible)
    digits = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded)
    return " ".join(digits.split()).upper()


def parse_ukrainian(text: str) -> Certificate:
    """Parse a Ukrainian certificate as people type it, or raise CertificateError
    naming the part that is wrong."""
    cleaned = fold(text)
    if not cleaned:
        raise CertificateError(f"Вкажіть свідоцтво про народження: {EXPECTED}.")
    match = _SHAPE.match(cleaned)
    if not match:
        raise CertificateError(f"Це не схоже на свідоцтво про народження: потрібна {EXPECTED}.")
    raw_series, raw_number = match.group("series"), match.group("number")
    number = re.sub(r"\s", "", raw_number)
    if len(number) != 6:
        # "I-K1 123456": six digits at the end, and a digit typed into the series.
        groups = raw_number.split()
        if len(groups) > 1 and len(groups[-1]) == 6:
            raw_series += " ".join(groups[:-1])
            number = groups[-1]
        else:
            raise CertificateError(
                f"Номер свідоцтва має шість цифр, а тут {len(number)}: {EXPECTED}."
            )
    series = _series(raw_series)
    return Certificate(series=series, number=number)


def _series(raw: str) -> str:
    raw = re.sub(r"\s", "", raw)
    parts = _DASHES.split(raw)
    if len(parts) == 2:
        numeral, letters = parts
    elif len(parts) == 1 and len(raw) > 2:
        numeral, letters = raw[:-2], raw[-2:]
    else:
        raise CertificateError(f"Серію свідоцтва не розпізнано: потрібна {EXPECTED}.")
    numeral = numeral.translate(_CYRILLIC_TO_ROMAN)
    letters = letters.translate(_LATIN_TO_CYRILLIC)
    if not _ROMAN.match(numeral):
        raise CertificateError(
            f"Серія має починатися римською цифрою (I, II, III, IV, V…): {EXPECTED}."
        )
    if len(letters) != 2 or not set(letters) <= _UKRAINIAN_CAPITALS:
        raise CertificateError(
            f"Після римської цифри в серії йдуть дві українські літери, а тут «{letters}»: "
            f"{EXPECTED}."
        )
    return f"{numeral}-{letters}"


def parse_foreign(*, country: str, number: str) -> Certificate:
    """A certificate issued abroad: the country and its number as printed. One
    issued in Ukraine but entered as foreign is the Ukrainian certificate it is."""
    country = fold(country)
    if not country:
        raise CertificateError("Вкажіть країну, яка видала свідоцтво.")
    if country.replace(".", "") in UKRAINE:
        return parse_ukrainian(number)
    compact = re.sub(r"[\s\-‐–—/.]", "", fold(number))
    if not 3 <= len(compact) <= 30 or not compact.isalnum():
        raise CertificateError(
            "Номер іноземного свідоцтва: від 3 до 30 літер і цифр, як у документі."
        )
    return Certificate(series="", number=compact, country=country)
