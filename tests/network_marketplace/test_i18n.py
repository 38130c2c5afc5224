from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES"


def test_every_french_string_is_translated_and_compiled():
    catalogue = polib.pofile(str(LOCALE / "django.po"))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []
    compiled = polib.mofile(str(LOCALE / "django.mo"))
    assert {(e.msgctxt, e.msgid) for e in compiled} >= {
        (e.msgctxt, e.msgid) for e in catalogue.translated_entries()
    }
