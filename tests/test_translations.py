"""The French catalogue, locale/fr/LC_MESSAGES/django.po, is edited by hand (or in Poedit) as the
source of French: these checks stand in for the review a translator would do, and for msgfmt's
own checks, which the pure-Python compile step does not make."""

from __future__ import annotations

import re
import shutil
import string
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")

PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<kind>[diouxXeEfFgGcrsa%])"
)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def messages_ignored_by_make_messages() -> list[str]:
    """The --ignore patterns of `make messages`, read from the Makefile so both stay one list."""
    found = re.search(r"^MESSAGES_IGNORE\s*:=(.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert found, "the Makefile no longer sets MESSAGES_IGNORE for `make messages`"
    return found[1].split()


def message_key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def placeholders(text: str, flags: list[str]) -> Counter[str]:
    """The substitutions a message expects ("" for each positional %s), by its format flag."""
    if "python-format" in flags:
        return Counter(
            match["name"] or "" for match in PYTHON_FORMAT.finditer(text) if match["kind"] != "%"
        )
    if "python-brace-format" in flags:
        return Counter(
            field for _, field, _, _ in string.Formatter().parse(text) if field is not None
        )
    return Counter()


def rendered_by_django(entry: polib.POEntry) -> list[str]:
    """What Django's gettext gives for the message in the active language, per plural form."""
    if entry.msgid_plural:
        if entry.msgctxt:
            return [
                translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                for count in (1, 2)
            ]
        return [translation.ngettext(entry.msgid, entry.msgid_plural, count) for count in (1, 2)]
    if entry.msgctxt:
        return [translation.pgettext(entry.msgctxt, entry.msgid)]
    return [translation.gettext(entry.msgid)]


def french_of(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[0], entry.msgstr_plural[1]]
    return [entry.msgstr]


def test_every_message_has_its_french(catalogue):
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]

    assert untranslated == [], "write their French in django.po (every plural form)"


def test_no_message_is_left_fuzzy(catalogue):
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert fuzzy == [], (
        "msgmerge guessed their French from a similar string: check it in django.po, then "
        "remove the fuzzy flag"
    )


def test_french_uses_only_the_placeholders_of_the_english(catalogue):
    """A misspelt %(name)s raises KeyError when the page renders, and only in French."""
    wrong = []
    for entry in catalogue.translated_entries():
        english = placeholders(entry.msgid, entry.flags)
        if entry.msgid_plural:
            english |= placeholders(entry.msgid_plural, entry.flags)
            # A singular form may leave the count out ("Une commande"), never add a name.
            wrong += [
                (entry.msgid, form)
                for form in french_of(entry)
                if not set(placeholders(form, entry.flags)) <= set(english)
            ]
        elif placeholders(entry.msgstr, entry.flags) != english:
            wrong.append((entry.msgid, entry.msgstr))

    assert wrong == []


def test_catalogue_holds_exactly_the_strings_of_the_code(
    catalogue, tmp_path, monkeypatch, settings
):
    """Fails when a string was added, changed or removed without `make messages`. makemessages
    runs on a copy of the tree: it writes next to the templates it reads, and other tests read
    the real tree meanwhile."""
    ignored = messages_ignored_by_make_messages()
    tree = tmp_path / "tree"
    # makemessages skips STATIC_ROOT and MEDIA_ROOT (collected and uploaded files) itself.
    built = [Path(settings.STATIC_ROOT).name, "media"]
    shutil.copytree(
        ROOT, tree, ignore=shutil.ignore_patterns(".*", "__pycache__", *built, *ignored)
    )
    monkeypatch.chdir(tree)
    settings.LOCALE_PATHS = [str(tree / "locale")]
    call_command(
        "makemessages", locale=["fr"], no_obsolete=True, ignore_patterns=ignored, verbosity=0
    )
    refreshed = polib.pofile(str(tree / CATALOGUE.relative_to(ROOT)))

    in_code = {message_key(entry) for entry in refreshed if not entry.obsolete}
    in_catalogue = {message_key(entry) for entry in catalogue if not entry.obsolete}

    assert sorted(in_code - in_catalogue, key=str) == [], "run `make messages`, then translate"
    assert sorted(in_catalogue - in_code, key=str) == [], "gone from the code: run `make messages`"


def test_django_renders_every_message_in_french_from_the_compiled_catalogue(catalogue):
    assert COMPILED.exists(), "no django.mo: `make install` compiles it from django.po"

    with translation.override("fr"):
        stale = [
            entry.msgid
            for entry in catalogue.translated_entries()
            if rendered_by_django(entry) != french_of(entry)
        ]
        example = translation.gettext("Network Marketplace HQ")

    assert stale == [], "django.mo is older than django.po: `make install` compiles it again"
    assert example == "Network Marketplace Siège"


# A plural written "essai(s)" reads "0 essai(s)" or "1 essai(s)": plurals go through ngettext
# or {% blocktranslate count %}, which give "Encore 1 essai" and "2 essais".
PARENTHESISED_PLURAL = re.compile(r"[^\W\d_]\((?:s|es|x|e?s)\)", re.IGNORECASE)
TEMPLATES = ROOT / "templates"


def test_no_message_writes_a_plural_with_parentheses(catalogue):
    found = [
        text
        for entry in catalogue
        if not entry.obsolete
        for text in (entry.msgid, entry.msgid_plural, entry.msgstr, *entry.msgstr_plural.values())
        if text and PARENTHESISED_PLURAL.search(text)
    ]

    assert found == [], "use ngettext (or {% blocktranslate count %}) for these plurals"


def test_no_template_writes_a_plural_with_parentheses():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in {".html", ".txt"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PARENTHESISED_PLURAL.search(line)
    ]

    assert found == [], "use {% blocktranslate count %} for these plurals"


def test_no_french_message_is_its_english_left_as_is(catalogue):
    """A message "translated" by copying its English: names and codes may stay ("Google
    Business Profile", "SKU / EAN"), a sentence may not."""
    copied = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if entry.msgstr == entry.msgid and re.search(r"\b(the|is|are|your|of|to)\b", entry.msgid)
    ]

    assert copied == []


@pytest.mark.parametrize(
    ("count", "french"),
    [
        (1, "Code de retrait erroné. Encore 1 essai."),
        (2, "Code de retrait erroné. Encore 2 essais."),
    ],
    ids=["one", "two"],
)
def test_a_count_agrees_with_its_noun_in_french(count, french):
    with translation.override("fr"):
        message = translation.ngettext(
            "Wrong pickup code. %(remaining)s attempt left.",
            "Wrong pickup code. %(remaining)s attempts left.",
            count,
        ) % {"remaining": count}

    assert message == french


def test_french_punctuation_has_its_no_break_space(catalogue):
    """French puts a no-break space before : ; ! ? and €, and inside « »; a plain space lets
    the sign wrap alone onto the next line."""
    plain = re.compile(r" [:;!?»€](?=\s|$|[\"'<),.])|« ")
    found = [
        text
        for entry in catalogue.translated_entries()
        for text in (entry.msgstr, *entry.msgstr_plural.values())
        if text and plain.search(text)
    ]

    assert found == []
