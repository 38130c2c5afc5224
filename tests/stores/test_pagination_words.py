"""The back-office's pagination line ("Page 1 sur 2 · 3 lignes"), shared by the queue, the
stock, the movements, the money and the marketing pages: the rows agree with their count."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation


@pytest.mark.parametrize(
    ("rows", "per_page", "french"),
    [
        (2, 1, "Page 1 sur 2 · 2 lignes"),
        (3, 2, "Page 1 sur 2 · 3 lignes"),
        (21, 10, "Page 1 sur 3 · 21 lignes"),
    ],
    ids=["two-rows", "three-rows", "three-pages"],
)
def test_the_pagination_line_counts_pages_and_rows_in_agreeing_words(rows, per_page, french):
    page = Paginator(range(rows), per_page).page(1)

    with translation.override("fr"):
        html = render_to_string("backoffice/_pagination.html", {"page": page})

    assert french in " ".join(html.split())


def test_one_row_on_one_page_needs_no_pagination_line():
    page = Paginator(range(1), 10).page(1)

    with translation.override("fr"):
        html = render_to_string("backoffice/_pagination.html", {"page": page})

    assert html.strip() == ""


def test_the_row_count_is_singular_for_one_row_in_french():
    """The line only shows from two pages on; its count's words are right for one all the same."""
    with translation.override("fr"):
        one = translation.ngettext("%(rows)s row", "%(rows)s rows", 1) % {"rows": 1}
        two = translation.ngettext("%(rows)s row", "%(rows)s rows", 2) % {"rows": 2}

    assert (one, two) == ("1 ligne", "2 lignes")
