"""The cookie banner on every storefront page, and whether this visitor allowed the maps."""

from django import template
from django.conf import settings

from compliance.consent_cookie import CATEGORY_LABELS, current_choice

register = template.Library()


@register.inclusion_tag("compliance/_cookie_banner.html", takes_context=True)
def cookie_banner(context):
    """Shown until the visitor chooses under the current cookie notice (a new version asks
    again); always in the page, hidden once chosen, so that "Gérer les cookies" reopens it."""
    request = context["request"]
    choice = current_choice(request)
    return {
        "request": request,
        "choice": choice,
        "categories": [
            (name, label, bool(choice and choice.allows(name)))
            for name, label in CATEGORY_LABELS.items()
        ],
        "notice_version": settings.COOKIE_NOTICE_VERSION,
    }


@register.simple_tag(takes_context=True)
def cookie_choice_key(context) -> str:
    """What the banner shows of this visitor's choice, as a short key: "-" before she chose,
    else the categories she allowed. Pages that keep a rendered copy of the banner vary on it."""
    request = context.get("request")
    choice = current_choice(request) if request is not None else None
    if choice is None:
        return "-"
    return ",".join(name for name in CATEGORY_LABELS if choice.allows(name)) or "none"


@register.simple_tag(takes_context=True)
def maps_allowed(context) -> bool:
    """The visitor allowed the maps' tiles under the current cookie notice."""
    request = context.get("request")
    choice = current_choice(request) if request is not None else None
    return bool(choice and choice.allows("maps"))
