"""Compile each locale/<lang>/LC_MESSAGES/django.po (and the libraries' words under
locale/vendor/) into the django.mo that Django reads.

The .po files are the source and the only ones committed; their .mo files are build output, made
by `make install` (hence by `make demo` and `make test`) and by the Docker image. polib, installed
with the project, writes them in pure Python, so none of these needs gettext's msgfmt (only
`make messages`, which extracts strings with xgettext, does). Like msgfmt, it leaves fuzzy and
untranslated messages out (they show in English); it names them so the translator sees what is left.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogue(po_path: Path) -> list[str]:
    """Write the .mo next to `po_path`; return the msgids it had to leave out."""
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    left_out = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    return [f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r}" for entry in left_out]


def main(paths: list[str]) -> int:
    """Compile the .po files named on the command line, or every one under locale/."""
    po_paths = [Path(path).resolve() for path in paths] or sorted(
        LOCALE.glob("**/LC_MESSAGES/*.po")
    )
    for po_path in po_paths:
        left_out = compile_catalogue(po_path)
        print(f"{po_path.relative_to(LOCALE.parent)}: compiled, {len(left_out)} left in English")
        for message in left_out:
            print(f"  {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
