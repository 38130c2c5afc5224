"""The customer's account pages: profile, address book, her store. "My data" (the export and
the closing of the account) is compliance's, mounted at /accounts/data/ (config/urls.py).

E-mail addresses, the password and the sessions are allauth's own views, framed by the same
account layout (`templates/allauth/layouts/manage.html`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .errors import AddressBookFull, StoreNotSelling
from .forms import AddressForm, FavouriteStoreForm, ProfileForm
from .models import MAX_ADDRESSES
from .selectors import address_book, favourite_store_of, profile_of
from .services import (
    choose_favourite_store,
    delete_address,
    make_default_address,
    save_address,
    update_profile,
)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = profile_of(user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            update_profile(user=user, actor=user, **form.cleaned_data)
            messages.success(request, _("Your details are saved."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "phone": current.phone if current else "",
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "section": "profile",
            "default_address": address_book(user).filter(is_default=True).first(),
            "favourite_store": favourite_store_of(user),
        },
    )


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    """The address book, and the form that adds one to it."""
    user = request.user
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_address(user=user, actor=user, **form.cleaned_data)
        except AddressBookFull:
            form.add_error(
                None,
                _("Your address book holds %(limit)d addresses: remove one first.")
                % {"limit": MAX_ADDRESSES},
            )
        else:
            messages.success(request, _("The address is added."))
            return redirect("accounts:addresses")
    return render(
        request,
        "accounts/addresses.html",
        {"addresses": list(address_book(user)), "form": form, "section": "addresses"},
    )


@login_required
def edit_address(request: HttpRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(address_book(request.user), pk=pk)
    if request.method == "POST":
        form = AddressForm(request.POST)
        if form.is_valid():
            save_address(
                user=request.user, address=address, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("The address is saved."))
            return redirect("accounts:addresses")
    else:
        form = AddressForm(
            initial={
                "label": address.label,
                "address_line": address.address_line,
                "postal_code": address.postal_code,
                "city": address.city,
                "make_default": address.is_default,
            }
        )
    return render(
        request,
        "accounts/address_edit.html",
        {"address": address, "form": form, "section": "addresses"},
    )


@login_required
@require_POST
def default_address(request: HttpRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(address_book(request.user), pk=pk)
    make_default_address(user=request.user, address=address, actor=request.user)
    messages.success(request, _("The checkout will now use this address."))
    return redirect("accounts:addresses")


@login_required
@require_POST
def remove_address(request: HttpRequest, pk: int) -> HttpResponse:
    address = get_object_or_404(address_book(request.user), pk=pk)
    delete_address(user=request.user, address=address, actor=request.user)
    messages.success(request, _("The address is removed."))
    return redirect("accounts:addresses")


@login_required
def favourite_store(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = favourite_store_of(user)
    if request.method == "POST":
        form = FavouriteStoreForm(request.POST)
        if form.is_valid():
            store = form.cleaned_data["store"]
            try:
                choose_favourite_store(user=user, store=store, actor=user)
            except StoreNotSelling:
                form.add_error("store", _("This store does not sell online any more."))
            else:
                if store is None:
                    messages.success(request, _("You have no favourite store any more."))
                else:
                    messages.success(
                        request, _("%(store)s is now your store.") % {"store": store.name}
                    )
                return redirect("accounts:store")
    else:
        form = FavouriteStoreForm(initial={"store": current.slug if current else None})
    return render(
        request,
        "accounts/store.html",
        {"form": form, "favourite_store": current, "section": "store"},
    )
