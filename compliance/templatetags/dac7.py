"""The back-office banner of a store reminded of its missing DAC7 tax data (or whose payouts
are held for it): on every back-office page until the data is complete."""

from django import template

from compliance.models import Dac7Notice
from compliance.services.dac7 import active_dac7_hold, missing_dac7_data

register = template.Library()

REMINDERS = [Dac7Notice.Kind.FIRST_REMINDER, Dac7Notice.Kind.SECOND_REMINDER]


@register.inclusion_tag("compliance/_dac7_banner.html")
def dac7_banner(store):
    reminded = Dac7Notice.objects.filter(store=store, kind__in=REMINDERS).order_by("-sent_at")
    latest = reminded.first()
    if latest is None or not missing_dac7_data(store):
        return {"show": False}
    return {"show": True, "store": store, "notice": latest, "hold": active_dac7_hold(store)}
