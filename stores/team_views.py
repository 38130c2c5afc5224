"""The back-office's "Team" page (relative to /store/<slug>/): the members with their roles,
the pending invitations, and for owners and managers the invitation form and the role and
removal buttons their role allows (stores.services.team has the rules); and the page an
invitation's link opens (/team/invitations/<token>/), outside any store until it is accepted."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .backoffice import backoffice_store
from .models import Store, StoreInvitation, StoreMembership
from .profile_forms import InviteForm
from .services.team import (
    InvitationInvalid,
    TeamChangeRefused,
    accept_invitation,
    acting_role,
    assignable_roles,
    change_member_role,
    invitation_for_token,
    invite_member,
    remove_member,
    revoke_invitation,
    why_not_open,
)


def _page(
    request: HttpRequest, store: Store, *, form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    roles = assignable_roles(acting_role(store=store, actor=request.user))
    members = list(
        StoreMembership.objects.filter(store=store)
        .select_related("user")
        .order_by("role", "user__email")
    )
    labels = dict(StoreMembership.Role.choices)
    return render(
        request,
        "backoffice/store_team.html",
        {
            "store": store,
            "members": members,
            "manageable": {m.pk for m in members if m.role in roles},
            "role_choices": [(role, labels[role]) for role in roles],
            "invitations": StoreInvitation.objects.filter(store=store)
            .pending()
            .select_related("invited_by")
            .order_by("email"),
            "revocable": set(roles),
            "form": form or InviteForm(roles=roles),
            "can_invite": bool(roles),
        },
        status=status,
    )


@backoffice_store
def team(request: HttpRequest, store: Store) -> HttpResponse:
    return _page(request, store)


def _may_change_the_team(request: HttpRequest, store: Store) -> None:
    if not assignable_roles(acting_role(store=store, actor=request.user)):
        raise Http404


@require_POST
@backoffice_store
def invite(request: HttpRequest, store: Store) -> HttpResponse:
    _may_change_the_team(request, store)
    roles = assignable_roles(acting_role(store=store, actor=request.user))
    form = InviteForm(request.POST, roles=roles)
    if form.is_valid():
        try:
            sent = invite_member(
                store=store,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except TeamChangeRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The invitation is on its way to %(email)s.") % {"email": sent.invitation.email},
            )
            return redirect("backoffice:store-team", slug=store.slug)
    return _page(request, store, form=form, status=400)


def _after(request: HttpRequest, store: Store, action, message: str, **kwargs) -> HttpResponse:
    try:
        action(store=store, actor=request.user, **kwargs)
    except TeamChangeRefused as refused:
        messages.error(request, refused.message)
        return _page(request, store, status=400)
    messages.success(request, message)
    return redirect("backoffice:store-team", slug=store.slug)


@require_POST
@backoffice_store
def change_role(request: HttpRequest, store: Store, membership_id: int) -> HttpResponse:
    _may_change_the_team(request, store)
    return _after(
        request,
        store,
        change_member_role,
        _("The role is changed."),
        membership_id=membership_id,
        role=request.POST.get("role") or "",
    )


@require_POST
@backoffice_store
def remove(request: HttpRequest, store: Store, membership_id: int) -> HttpResponse:
    _may_change_the_team(request, store)
    response = _after(
        request,
        store,
        remove_member,
        _("The member is removed from the team."),
        membership_id=membership_id,
    )
    # Someone who removed themselves no longer sees the store.
    if response.status_code == 302 and not (
        request.user.is_staff
        or StoreMembership.objects.filter(store=store, user=request.user).exists()
    ):
        return redirect("backoffice:index")
    return response


@require_POST
@backoffice_store
def revoke(request: HttpRequest, store: Store, invitation_id: int) -> HttpResponse:
    _may_change_the_team(request, store)
    return _after(
        request,
        store,
        revoke_invitation,
        _("The invitation is withdrawn."),
        invitation_id=invitation_id,
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation e-mail: who invites to which store with which role; sign in
    or create an account with the invited address, then accept (POST)."""
    try:
        found = invitation_for_token(token)
    except InvitationInvalid as invalid:
        return render(
            request, "backoffice/store_invitation.html", {"error": invalid.message}, status=404
        )
    error = why_not_open(found)
    if request.method == "POST" and not error:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            accept_invitation(token=token, user=request.user)
        except TeamChangeRefused as refused:
            error = refused.message
        else:
            messages.success(
                request, _("Welcome to the team of %(store)s.") % {"store": found.store.name}
            )
            return redirect("backoffice:dashboard", slug=found.store.slug)
    wrong_account = (
        request.user.is_authenticated and (request.user.email or "").lower() != found.email.lower()
    )
    next_query = urlencode({"next": request.path})
    return render(
        request,
        "backoffice/store_invitation.html",
        {
            "invitation": found,
            "error": error,
            "wrong_account": wrong_account,
            "login_url": f"{reverse('account_login')}?{next_query}",
            "signup_url": f"{reverse('account_signup')}?{next_query}",
        },
        status=410 if error and request.method != "POST" else (400 if error else 200),
    )
