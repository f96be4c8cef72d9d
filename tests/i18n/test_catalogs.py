"""Every page is Ukrainian first and fully English on request: no untranslated string."""

import gettext
import re
import subprocess
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "sadok" / "locale"


def _entries(po: Path):
    text = po.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            yield block, "fuzzy"
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        if msgid and "msgid_plural" not in block:
            yield block, "".join(part for first, rest in msgstrs for part in (first, rest))


def test_every_english_string_is_translated():
    untranslated = [
        block
        for block, msgstr in _entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
        if not msgstr.strip() or msgstr == "fuzzy"
    ]
    assert untranslated == []


def test_the_committed_compiled_catalogs_match_their_sources(tmp_path):
    # `make run` serves the committed .mo files on machines without gettext.
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        fresh = tmp_path / f"{po.parent.parent.name}.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
        with po.with_suffix(".mo").open("rb") as committed, fresh.open("rb") as compiled:
            stale = gettext.GNUTranslations(committed)._catalog
            assert stale == gettext.GNUTranslations(compiled)._catalog, f"run make messages ({po})"


def test_every_reworded_library_text_still_exists_in_its_library():
    """The Ukrainian catalog rewords allauth's and Django's own texts (English
    msgids): each must still be one of theirs, or the rewording silently stops."""
    import allauth
    import django

    theirs = {}
    for package in (
        Path(allauth.__file__).parent,
        Path(django.__file__).parent / "contrib" / "auth",
    ):
        with (package / "locale" / "uk" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
            theirs.update(gettext.GNUTranslations(mo)._catalog)
    with (LOCALE / "uk" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        ours = gettext.GNUTranslations(mo)._catalog
    reworded = [
        key
        for key in ours
        if key and not re.search("[а-яіїєґ]", key[0] if isinstance(key, tuple) else key, re.I)
    ]
    assert len(reworded) > 50
    assert [key for key in reworded if key not in theirs] == []
