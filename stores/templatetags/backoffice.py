"""The back-office shell's navigation, drawn from the sections every app contributes."""

from django import template

from stores.backoffice import navigation

register = template.Library()


@register.inclusion_tag("backoffice/_navigation.html", takes_context=True)
def backoffice_navigation(context, store):
    return {"store": store, "entries": navigation.entries(request=context["request"], store=store)}
