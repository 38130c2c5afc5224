"""A store's team as its owners and managers run it: invitations by e-mail with a role, role
changes, removals. Every change is audited (before/after).

The rules:
- owners (and HQ staff) invite, change and remove anyone, to any role;
- managers invite and remove staff only (nobody gives a role above their own);
- staff change nothing;
- the store always keeps an owner: the last one can be neither removed nor demoted.

Every write locks the store row first (stores.locks) and only then reads who acts with which
role and how many owners there are: two owners removing each other at once queue on that lock,
and the second finds they are no longer a member.

An invitation's link carries a signed token naming the invitation (django.core.signing with the
project's secret): it can't be guessed or altered; it works once, until it expires or is
revoked, and only for a signed-in user with the invited address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.notifications import send_templated_email
from network_marketplace.public_urls import public_url

from ..locks import lock_store
from ..models import Store, StoreInvitation, StoreMembership, StoreProfilePolicy

Role = StoreMembership.Role
RANK = {Role.STAFF: 1, Role.MANAGER: 2, Role.OWNER: 3}
TOKEN_SALT = "stores.team.invitation"  # noqa: S105 (a namespace for signing, not a secret)


class TeamChangeRefused(DomainError):
    """This change of the team is not allowed."""

    code = "team_change_refused"
    http_status = 400


class InvitationInvalid(DomainError):
    """This invitation link does not work (unknown, used, revoked or expired)."""

    code = "invitation_invalid"
    http_status = 404


def acting_role(*, store: Store, actor: Any) -> str | None:
    """The role `actor` acts with in `store`: HQ staff as an owner, a member with theirs,
    anyone else None."""
    if getattr(actor, "is_staff", False):
        return Role.OWNER
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        StoreMembership.objects.filter(store=store, user=actor).values_list("role", flat=True)
    ).first()


def assignable_roles(role: str | None) -> list[str]:
    """The roles someone with `role` may give, and the members' roles they may change or
    remove: an owner all, a manager staff, staff none."""
    if role == Role.OWNER:
        return [Role.OWNER, Role.MANAGER, Role.STAFF]
    if role == Role.MANAGER:
        return [Role.STAFF]
    return []


def _role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


def _may_act_on(*, store: Store, actor: Any, role: str) -> None:
    mine = acting_role(store=store, actor=actor)
    if mine is None:
        raise TeamChangeRefused(_("You are no longer in this store's team."))
    if role not in assignable_roles(mine):
        raise TeamChangeRefused(
            _("You may not give or change the role “%(role)s”.") % {"role": _role_label(role)}
        )


def _owner_count(store: Store) -> int:
    return StoreMembership.objects.filter(store=store, role=Role.OWNER).count()


# Invitations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentInvitation:
    invitation: StoreInvitation
    url: str  # the link the e-mail carries (also shown to HQ in tests and the demo mailbox)


def invitation_token(invitation: StoreInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email.lower()}, salt=TOKEN_SALT)


def invitation_url(invitation: StoreInvitation) -> str:
    path = reverse("store_invitation", args=[invitation_token(invitation)])
    return public_url(path)


def invite_member(*, store: Store, email: str, role: str, actor: Actor) -> SentInvitation:
    """Invite `email` to the store's team with `role` and e-mail the link (through the outbox,
    after commit). Inviting the same address again replaces its open invitation."""
    email = email.strip()
    if role not in RANK:
        raise TeamChangeRefused(_("Choose a role."))
    with transaction.atomic():
        locked = lock_store(store.pk)
        _may_act_on(store=locked, actor=actor, role=role)
        if StoreMembership.objects.filter(store=locked, user__email__iexact=email).exists():
            raise TeamChangeRefused(_("%(email)s is already in the team.") % {"email": email})
        now = timezone.now()
        replaced = list(
            StoreInvitation.objects.filter(
                store=locked, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
            ).values_list("pk", flat=True)
        )
        StoreInvitation.objects.filter(pk__in=replaced).update(revoked_at=now)
        invitation = StoreInvitation.objects.create(
            store=locked,
            email=email,
            role=role,
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=now + timedelta(days=StoreProfilePolicy.current().invitation_valid_days),
        )
        url = invitation_url(invitation)
        record_audit_event(
            actor=actor,
            action="store.member_invited",
            target=invitation,
            store_id=locked.pk,
            data={
                "before": {"replaced_invitations": replaced},
                "after": {"email": email, "role": role},
            },
        )
        send_templated_email(
            to=email,
            template="store_invitation",
            context={
                "store_name": locked.name,
                "role": _role_label(role),
                "invited_by": getattr(actor, "email", "") or settings.NETWORK_NAME,
                "accept_url": url,
                "expires": formats.date_format(timezone.localtime(invitation.expires_at), "j F Y"),
            },
            dedupe_key=f"store-invitation:{invitation.pk}",
            # The link lets whoever holds it join the store: not kept once sent.
            redact_after_send=["accept_url"],
        )
    return SentInvitation(invitation=invitation, url=url)


def revoke_invitation(*, store: Store, invitation_id: int, actor: Actor) -> bool:
    """Revoke one of the store's open invitations: its link stops working."""
    with transaction.atomic():
        locked = lock_store(store.pk)
        invitation = (
            StoreInvitation.objects.select_for_update()
            .filter(store=locked, pk=invitation_id)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        _may_act_on(store=locked, actor=actor, role=invitation.role)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_audit_event(
            actor=actor,
            action="store.invitation_revoked",
            target=invitation,
            store_id=locked.pk,
            data={"before": {"email": invitation.email, "role": invitation.role}, "after": None},
        )
    return True


def invitation_for_token(token: str) -> StoreInvitation:
    """The invitation a link names, whatever its state; InvitationInvalid for a link that was
    not made here (altered, or signed with another secret)."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as error:
        raise InvitationInvalid(_("This invitation link is not valid.")) from error
    invitation = (
        StoreInvitation.objects.select_related("store", "invited_by")
        .filter(pk=data.get("i"), email__iexact=data.get("e", ""))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid."))
    return invitation


def why_not_open(invitation: StoreInvitation) -> str:
    """Why the invitation can no longer be accepted, "" when it can."""
    if invitation.accepted_at is not None:
        return _("This invitation was already accepted.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired: ask the store for a new one.")
    return ""


def accept_invitation(*, token: str, user: Any) -> StoreMembership:
    """Join the store's team with the invitation's role. The signed-in `user` must have the
    invited address; the invitation must still be open."""
    invitation = invitation_for_token(token)
    with transaction.atomic():
        store = lock_store(invitation.store_id)
        invitation = StoreInvitation.objects.select_for_update().get(pk=invitation.pk)
        reason = why_not_open(invitation)
        if reason:
            raise TeamChangeRefused(reason)
        if (getattr(user, "email", "") or "").lower() != invitation.email.lower():
            raise TeamChangeRefused(
                _("This invitation was sent to %(email)s: sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        if StoreMembership.objects.filter(store=store, user=user).exists():
            raise TeamChangeRefused(_("You are already in this store's team."))
        membership = StoreMembership.objects.create(store=store, user=user, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_audit_event(
            actor=user,
            action="store.member_joined",
            target=membership,
            store_id=store.pk,
            data={
                "before": None,
                "after": {"email": user.email, "role": membership.role},
                "invitation": invitation.pk,
            },
        )
    return membership


# Members ----------------------------------------------------------------------------------


def _locked_member(store: Store, membership_id: int) -> StoreMembership:
    membership = (
        StoreMembership.objects.select_for_update()
        .select_related("user")
        .filter(store=store, pk=membership_id)
        .first()
    )
    if membership is None:
        raise TeamChangeRefused(_("This person is no longer in the team."))
    return membership


def change_member_role(
    *, store: Store, membership_id: int, role: str, actor: Actor
) -> StoreMembership:
    """Give a member another role; never demote the last owner."""
    if role not in RANK:
        raise TeamChangeRefused(_("Choose a role."))
    with transaction.atomic():
        locked = lock_store(store.pk)
        membership = _locked_member(locked, membership_id)
        _may_act_on(store=locked, actor=actor, role=membership.role)
        _may_act_on(store=locked, actor=actor, role=role)
        if membership.role == role:
            return membership
        if membership.role == Role.OWNER and _owner_count(locked) <= 1:
            raise TeamChangeRefused(_("The store must keep an owner: name another one first."))
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record_audit_event(
            actor=actor,
            action="store.member_role_changed",
            target=membership,
            store_id=locked.pk,
            data={
                "email": membership.user.email,
                "before": {"role": before},
                "after": {"role": role},
            },
        )
    return membership


def remove_member(*, store: Store, membership_id: int, actor: Actor) -> None:
    """Take a member off the store's team; never the last owner."""
    with transaction.atomic():
        locked = lock_store(store.pk)
        membership = _locked_member(locked, membership_id)
        _may_act_on(store=locked, actor=actor, role=membership.role)
        if membership.role == Role.OWNER and _owner_count(locked) <= 1:
            raise TeamChangeRefused(_("The store must keep an owner: name another one first."))
        record_audit_event(
            actor=actor,
            action="store.member_removed",
            target=locked,
            store_id=locked.pk,
            data={
                "before": {"email": membership.user.email, "role": membership.role},
                "after": None,
            },
        )
        membership.delete()
