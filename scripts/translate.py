"""Fill locale/fr/LC_MESSAGES/django.po from scripts/translations_fr*.py and report what is left.

Each area keeps its French in its own module (translations_fr_<area>.py, with an FR dict and
optionally an FR_PLURAL dict); a string with a context (pgettext) is keyed (context, msgid).
Run by `make messages` after makemessages; exits non-zero when a string has no translation.
"""

import importlib.util
import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
PO = HERE.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def load_translations() -> tuple[dict, dict]:
    """Every area's French; a msgid given two different translations by two modules is an
    error (one would silently win): give one of them a context (pgettext) instead."""
    singular, plural, conflicts = {}, {}, []
    for path in sorted(HERE.glob("translations_fr*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for merged, new in ((singular, getattr(module, "FR", {})),
                            (plural, getattr(module, "FR_PLURAL", {}))):  # fmt: skip
            for key, french in new.items():
                if key in merged and merged[key] != french:
                    conflicts.append(f"{key!r}: {merged[key]!r} or {french!r} ({path.name})")
                merged[key] = french
    if conflicts:
        raise SystemExit("conflicting French translations:\n" + "\n".join(conflicts))
    return singular, plural


def main() -> int:
    singular, plural = load_translations()
    po = polib.pofile(str(PO))
    po.metadata["Language"] = "fr"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        if entry.msgid_plural:
            forms = plural.get(entry.msgid)
            if forms:
                entry.msgstr_plural = {0: forms[0], 1: forms[1]}
            else:
                missing.append(entry.msgid)
        elif (key := (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid) in singular:
            entry.msgstr = singular[key]
        else:
            missing.append(entry.msgid)
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for msgid in missing:
        print(f"missing French translation: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
