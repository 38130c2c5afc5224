"""Template helpers of the storefront: prices, distances, the categories menu, JSON-LD, the
canonical link."""

from __future__ import annotations

import json
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog import cache as storefront_cache
from catalog.selectors import category_tree, listing_max_age
from network_marketplace.public_urls import public_url

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


# The pages the sitemap lists (stores.sitemaps): each names its address at SITE_URL without the
# visitor's query (her postal code, a variant, a sort, a filter) as the one to index; a
# listing's later pages keep their number.
CANONICAL_PAGES = {
    "home",
    "catalogue:category",
    "catalogue:product",
    "stores:list",
    "stores:detail",
}


@register.simple_tag(takes_context=True)
def canonical_link(context) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in CANONICAL_PAGES:
        return ""
    path = request.path
    page = request.GET.get("page", "")
    if match.view_name == "catalogue:category" and page.isdigit() and int(page) > 1:
        path = f"{path}?page={int(page)}"
    return format_html('<link rel="canonical" href="{}">', public_url(path))


@register.simple_tag(takes_context=True)
def top_categories(context):
    """The categories menu: the view's (when it loaded the tree already), else the tree's roots
    (kept by the process until a catalogue edit: no query)."""
    roots = context.get("nav_categories")
    return roots if roots is not None else category_tree().roots()


@register.filter
def json_ld(data) -> str:
    """A structured-data script element; the JSON is escaped so no value can close it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


# The parts keyed by what a visitor typed (her place, the page's address with her query):
# catalog.cache keeps them apart from the parts every visitor reads.
PER_VISITOR_PARTS = {"near-you", "cookie-banner"}

# Stands for the visitor's CSRF token in a kept page part; replaced by hers on every request.
_CSRF_STAND_IN = "csrf-stand-in-0b5e1f7c"


class StorefrontPartNode(template.Node):
    def __init__(self, name: str, vary: list, nodelist) -> None:
        self.name, self.vary, self.nodelist = name, vary, nodelist

    def render(self, context) -> str:
        vary = [value.resolve(context) for value in self.vary]
        key = storefront_cache.key_for("part", self.name, vary, get_language())

        def render_part() -> str:
            with context.push(csrf_token=_CSRF_STAND_IN):
                return self.nodelist.render(context)

        html = storefront_cache.kept_in_process(
            key, render_part, max_age=listing_max_age(), per_visitor=self.name in PER_VISITOR_PARTS
        )
        if _CSRF_STAND_IN in html:
            html = html.replace(_CSRF_STAND_IN, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308  (our own template's output)


@register.tag
def storefront_part(parser, token):
    """`{% storefront_part "name" value ... %}…{% endstorefront_part %}`: the block rendered
    once per process for the same values, language and catalogue versions, and kept as long as
    a listing (HQ's StorefrontPolicy): for a page's parts that are the same for every visitor
    (a product's gallery, its price box, a menu). The values must say everything the block
    shows; a `{% csrf_token %}` inside gets each visitor's own token."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("storefront_part needs a name")
    name = bits[1].strip("\"'")
    vary = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endstorefront_part",))
    parser.delete_first_token()
    return StorefrontPartNode(name, vary, nodelist)
