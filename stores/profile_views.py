"""The back-office's "Store profile" page (relative to /store/<slug>/): weekly hours, special
days (with the coming public holidays in one click), services and daily capacity, photo and
description. Everyone of the store reads it; owners, managers and HQ change it (a POST from
staff is a 404). Each card posts to its own URL; a refused change shows the page again with
the errors on that card (HTTP 400) and nothing changed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .backoffice import backoffice_store, may_manage
from .holidays import is_alsace_moselle, upcoming_public_holidays
from .models import Store
from .opening_hours import STORE_TIME_ZONE
from .profile_forms import (
    OpeningHoursForm,
    PresentationForm,
    ServicesForm,
    SpecialDayForm,
    add_refusal,
)
from .selectors import upcoming_special_days
from .services.profile import (
    ProfileRefused,
    add_special_day,
    capacity_bounds,
    close_on_public_holidays,
    hours_as_ranges,
    remove_special_day,
    set_opening_hours,
    set_store_presentation,
    set_store_services,
)

HOLIDAYS_SHOWN_DAYS = 366


def _services_initial(store: Store) -> dict[str, Any]:
    return {
        "offers_click_collect": store.offers_click_collect,
        "offers_ship_from_store": store.offers_ship_from_store,
        "offers_reserve_collect": store.offers_reserve_collect,
        "accepts_returns": store.accepts_returns,
        "daily_capacity": store.daily_capacity,
    }


def _page(request: HttpRequest, store: Store, status: int = 200, **bound: Any) -> HttpResponse:
    today = timezone.localdate(timezone=STORE_TIME_ZONE)
    special_days = list(upcoming_special_days(store=store, today=today))
    taken = {row.day for row in special_days}
    holidays = [
        holiday
        for holiday in upcoming_public_holidays(
            today=today,
            days=HOLIDAYS_SHOWN_DAYS,
            alsace_moselle=is_alsace_moselle(store.postal_code),
        )
        if holiday.day not in taken
    ]
    hours_form = bound.get("hours_form") or OpeningHoursForm(
        initial=OpeningHoursForm.initial_for(hours_as_ranges(store.opening_hours))
    )
    context = {
        "store": store,
        "can_manage": may_manage(request),
        "hours_form": hours_form,
        "special_days": special_days,
        "special_day_form": bound.get("special_day_form") or SpecialDayForm(),
        "holidays": holidays,
        "holiday_error": bound.get("holiday_error", ""),
        "services_form": bound.get("services_form")
        or ServicesForm(initial=_services_initial(store), bounds=capacity_bounds()),
        "presentation_form": bound.get("presentation_form")
        or PresentationForm(initial={"description": store.description}),
    }
    return render(request, "backoffice/store_profile.html", context, status=status)


def _managed(request: HttpRequest) -> None:
    if not may_manage(request):
        raise Http404


def _done(request: HttpRequest, store: Store, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    response = redirect("backoffice:store-profile", slug=store.slug)
    response["Location"] += f"#{anchor}"
    return response


@backoffice_store
def store_profile(request: HttpRequest, store: Store) -> HttpResponse:
    return _page(request, store)


def _try(form: forms.Form, action: Any, **kwargs: Any) -> bool:
    """Call the service; on refusal put its errors on `form`. True when it went through."""
    try:
        action(**kwargs)
    except ProfileRefused as refused:
        add_refusal(form, refused)
        return False
    return True


@require_POST
@backoffice_store
def opening_hours(request: HttpRequest, store: Store) -> HttpResponse:
    _managed(request)
    form = OpeningHoursForm(request.POST)
    if form.is_valid() and _try(
        form, set_opening_hours, store=store, hours=form.hours(), actor=request.user
    ):
        return _done(request, store, _("The opening hours are saved."), "hours")
    return _page(request, store, status=400, hours_form=form)


@require_POST
@backoffice_store
def special_days(request: HttpRequest, store: Store) -> HttpResponse:
    """Add a special day, remove one (`delete`), or close on public holidays (`holiday`: a
    day, or "all" the coming ones)."""
    _managed(request)
    if "delete" in request.POST:
        raw = request.POST.get("delete") or ""
        if raw.isdigit():
            remove_special_day(store=store, special_day_id=int(raw), actor=request.user)
        return _done(request, store, _("The special day was removed."), "special-days")
    if "holiday" in request.POST:
        return _close_on_holidays(request, store, request.POST.get("holiday") or "")
    form = SpecialDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if _try(
            form,
            add_special_day,
            store=store,
            day=data["day"],
            closed=data["closed"],
            opens=data["opens"],
            closes=data["closes"],
            note=data["note"],
            actor=request.user,
        ):
            return _done(request, store, _("The special day was added."), "special-days")
    return _page(request, store, status=400, special_day_form=form)


def _close_on_holidays(request: HttpRequest, store: Store, raw: str) -> HttpResponse:
    if raw == "all":
        days = [
            holiday.day
            for holiday in upcoming_public_holidays(
                today=timezone.localdate(timezone=STORE_TIME_ZONE),
                days=HOLIDAYS_SHOWN_DAYS,
                alsace_moselle=is_alsace_moselle(store.postal_code),
            )
        ]
    else:
        try:
            days = [date.fromisoformat(raw)]
        except ValueError:
            return _page(
                request, store, status=400, holiday_error=_("This day is not a public holiday.")
            )
    try:
        made = close_on_public_holidays(store=store, days=days, actor=request.user)
    except ProfileRefused as refused:
        return _page(request, store, status=400, holiday_error=refused.message)
    if len(made) == 1:
        message = _("The store is closed on %(holiday)s.") % {"holiday": made[0].note}
    else:
        message = _("The store is closed on the coming public holidays.")
    return _done(request, store, message, "special-days")


@require_POST
@backoffice_store
def services(request: HttpRequest, store: Store) -> HttpResponse:
    _managed(request)
    form = ServicesForm(request.POST, bounds=capacity_bounds())
    if form.is_valid():
        data = form.cleaned_data
        if _try(
            form,
            set_store_services,
            store=store,
            offers_click_collect=data["offers_click_collect"],
            offers_ship_from_store=data["offers_ship_from_store"],
            offers_reserve_collect=data["offers_reserve_collect"],
            accepts_returns=data["accepts_returns"],
            daily_capacity=data["daily_capacity"],
            actor=request.user,
        ):
            return _done(request, store, _("The services are saved."), "services")
    return _page(request, store, status=400, services_form=form)


@require_POST
@backoffice_store
def presentation(request: HttpRequest, store: Store) -> HttpResponse:
    _managed(request)
    form = PresentationForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        if _try(
            form,
            set_store_presentation,
            store=store,
            description=data["description"],
            photo=data["photo"] or None,
            clear_photo=data["clear_photo"],
            actor=request.user,
        ):
            return _done(request, store, _("The store's presentation is saved."), "presentation")
    return _page(request, store, status=400, presentation_form=form)
