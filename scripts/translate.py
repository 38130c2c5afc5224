"""Fill locale/fr/LC_MESSAGES/django.po from scripts/translations_fr.py and report what is left.

Run by `make messages` after makemessages; exits non-zero when a string has no translation.
"""

import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).parent))
from translations_fr import FR, FR_PLURAL

PO = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def main() -> int:
    po = polib.pofile(str(PO))
    po.metadata["Language"] = "fr"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        if entry.msgid_plural:
            forms = FR_PLURAL.get(entry.msgid)
            if forms:
                entry.msgstr_plural = {0: forms[0], 1: forms[1]}
            else:
                missing.append(entry.msgid)
        elif entry.msgid in FR:
            entry.msgstr = FR[entry.msgid]
        else:
            missing.append(entry.msgid)
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for msgid in missing:
        print(f"missing French translation: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
