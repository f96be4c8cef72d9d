import pytest
from hypothesis import given
from hypothesis import strategies as st

from sadok.applications.certificates import CertificateError, parse_foreign, parse_ukrainian

ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
LETTERS = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"


@pytest.mark.parametrize(
    "typed",
    [
        "I-КВ 123456",
        "I-КВ123456",
        "i-кв 123456",
        "І-КВ № 123456",  # Cyrillic І for the numeral
        "I-KB 123456",  # Latin look-alikes
        "i-kb №123456",
        "I – КВ 123 456",  # en dash, spaces inside
        "  IКВ 123456 ",  # no hyphen
    ],
)
def test_what_people_type_normalises_to_one_certificate(typed):
    certificate = parse_ukrainian(typed)
    assert certificate.display == "I-КВ 123456"
    assert certificate.key == "UA:I-КВ:123456"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("", "Вкажіть свідоцтво"),
        ("123456", "не схоже"),
        ("I-КВ 12345", "шість цифр"),
        ("I-КВ 1234567", "шість цифр"),
        ("IIII-КВ 123456", "римською цифрою"),
        ("Z-КВ 123456", "римською цифрою"),
        ("I-КВВ 123456", "дві українські літери"),
        ("I-QW 123456", "дві українські літери"),
    ],
)
def test_what_cannot_be_a_certificate_is_refused_with_the_expected_form(typed, hint):
    with pytest.raises(CertificateError) as error:
        parse_ukrainian(typed)
    assert hint in str(error.value)
    assert "I-КВ 123456" in str(error.value)


@given(st.text(max_size=40))
def test_random_text_never_crashes_the_parser(text):
    try:
        certificate = parse_ukrainian(text)
    except CertificateError:
        return
    assert certificate.key.startswith("UA:")


@given(
    numeral=st.sampled_from(ROMANS),
    letters=st.text(alphabet=LETTERS, min_size=2, max_size=2),
    number=st.integers(0, 999_999),
    lower=st.booleans(),
    spaced=st.booleans(),
)
def test_every_valid_certificate_round_trips(numeral, letters, number, lower, spaced):
    canonical = f"{numeral}-{letters} {number:06d}"
    typed = canonical.lower() if lower else canonical
    if spaced:
        typed = typed.replace("-", " - ").replace(" ", "  ")
    parsed = parse_ukrainian(typed)
    assert parsed.display == canonical
    assert parse_ukrainian(parsed.display) == parsed


def test_a_foreign_certificate_keeps_country_and_number():
    certificate = parse_foreign(country="Польща", number="ab-123 456")
    assert certificate.key == "ПОЛЬЩА:AB123456"
    with pytest.raises(CertificateError, match="країну"):
        parse_foreign(country="", number="123")
    with pytest.raises(CertificateError, match="від 3 до 30"):
        parse_foreign(country="Польща", number="1")


# Where each script's decimal digits start (0 at the code point, 9 nine later).
DIGIT_ZEROS = [0x30, 0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x1D7CE, 0x1D7CE + 10]
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2066",
    "\u2069",
    "\u00ad",
    "\ufeff",
]


@given(
    numeral=st.sampled_from(ROMANS),
    letters=st.text(alphabet=LETTERS, min_size=2, max_size=2),
    number=st.integers(0, 999_999),
    scripts=st.lists(st.sampled_from(DIGIT_ZEROS), min_size=6, max_size=6),
    invisible=st.lists(st.tuples(st.integers(0, 14), st.sampled_from(INVISIBLE)), max_size=3),
)
def test_every_way_of_writing_the_digits_gives_one_key(
    numeral, letters, number, scripts, invisible
):
    canonical = f"{numeral}-{letters} {number:06d}"
    digits = "".join(chr(zero + int(d)) for zero, d in zip(scripts, f"{number:06d}", strict=True))
    typed = f"{numeral}-{letters} {digits}"
    for at, char in invisible:
        typed = typed[:at] + char + typed[at:]
    assert parse_ukrainian(typed).display == canonical


@pytest.mark.parametrize(
    "typed",
    ["I-КВ １２３４５６", "I-КВ ١٢٣٤٥٦", "Ⅰ-КВ 123456", "I\u200b-КВ 123\u2066456", "I－KB 123456"],
)
def test_look_alike_forms_give_the_one_key(typed):
    assert parse_ukrainian(typed).key == "UA:I-КВ:123456"


@pytest.mark.parametrize("country", ["Україна", "УКРАЇНА", "Ukraine", "UA", "ua", "Украина"])
def test_a_ukrainian_certificate_entered_as_foreign_is_the_ukrainian_one(country):
    assert parse_foreign(country=country, number="I-КВ 123456").key == "UA:I-КВ:123456"
    with pytest.raises(CertificateError, match="шість цифр"):
        parse_foreign(country=country, number="I-КВ 12345")


def test_the_error_names_the_part_that_is_wrong():
    with pytest.raises(CertificateError, match="«К1»"):
        parse_ukrainian("I-K1 123456")
