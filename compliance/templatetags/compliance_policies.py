"""`{% misuse_policy %}`: HQ's policy on misuse (DSA art. 23(4)), drawn from the settings that
compliance.services.misuse applies, so the terms never say other than what the code does."""

from __future__ import annotations

from django import template

from ..services.misuse import misuse_policy as current_policy

register = template.Library()


@register.inclusion_tag("compliance/_misuse_policy.html")
def misuse_policy() -> dict:
    return {"policy": current_policy()}
