"""Search that ignores accents and hyphens, as customers type: "secateur" finds "Sécateur",
"saint etienne" finds "Saint-Étienne".

`field__unaccented__icontains=fold(text)` compares both sides folded the same way: PostgreSQL's
`unaccent` extension (created by a migration) on the column, `fold` on the typed text. SQLite,
the embedded default, gets the same folding as a Python function registered on each connection.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from django.db.models import CharField, Q, TextField, Transform

# Letters that are not a base letter plus an accent, so that NFKD leaves them whole.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "-": " "})


def fold(text: str) -> str:
    """`text` without accents, ligatures spelled out, hyphens as spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def every_word(text: str, *fields: str, also: Callable[[str], Q] | None = None) -> Q:
    """Rows where each word of `text` is in one of `fields`, accents, case and hyphens ignored
    (the storefront's search and the back-office's stock search alike). `also(word)` adds
    another way a word may match (a SKU prefix), given the word as typed."""
    matches = Q()
    for word in str(text).split():
        folded = fold(word)
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__unaccented__icontains": folded})
        if also is not None:
            any_field |= also(word)
        matches &= any_field
    return matches


class Unaccented(Transform):
    lookup_name = "unaccented"
    function = "UNACCENT"
    template = "REPLACE(%(function)s(%(expressions)s), '-', ' ')"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, function="NM_FOLD", **extra_context)


CharField.register_lookup(Unaccented)
TextField.register_lookup(Unaccented)


def register_sqlite_fold(sender: object, connection: Any, **kwargs: Any) -> None:
    """Give an SQLite connection the NM_FOLD function the `unaccented` lookup calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "NM_FOLD", 1, lambda value: None if value is None else fold(value), deterministic=True
        )
