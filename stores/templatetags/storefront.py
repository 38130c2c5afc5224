"""Template helpers of the storefront: prices, distances, the categories menu, JSON-LD."""

from __future__ import annotations

import json
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.selectors import top_categories as _top_categories

register = template.Library()

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def euros(cents) -> str:
    """12900 → "129,00 €" (in French): integer cents to a display price, VAT included."""
    if cents is None or cents == "":
        return ""
    try:
        amount = Decimal(int(cents)) / 100
    except (TypeError, ValueError):
        return ""
    return _("%(amount)s €") % {"amount": number_format(amount, 2, use_l10n=True)}


@register.filter
def distance(km) -> str:
    """0.42 → "420 m", 3.456 → "3,5 km"."""
    if km is None or km == "":
        return ""
    km = float(km)
    if km < 1:
        return _("%(metres)s m") % {"metres": int(round(km * 1000, -1))}
    return _("%(km)s km") % {"km": number_format(Decimal(f"{km:.1f}"), 1, use_l10n=True)}


@register.simple_tag(takes_context=True)
def top_categories(context):
    """The categories menu: the view's (when it loaded the tree already), else one query."""
    roots = context.get("nav_categories")
    return roots if roots is not None else list(_top_categories())


@register.filter
def json_ld(data) -> str:
    """A structured-data script element; the JSON is escaped so no value can close it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
