"""The back-office banner of a version of the terms the store has not decided on (P2B art. 3):
on every back-office page until the store accepts or terminates."""

from django import template

from compliance.selectors.terms import terms_awaiting_decision

register = template.Library()


@register.inclusion_tag("compliance/_terms_banner.html", takes_context=True)
def p2b_terms_banner(context, store):
    request = context["request"]
    membership = getattr(request, "membership", None)
    return {
        "version": terms_awaiting_decision(store),
        "store": store,
        "may_decide": bool(membership and membership.can_manage),
    }
