"""The store's team in the back-office (stores/team_views.py, services/team.py): an owner
invites by e-mail with a role, the invitee signs up and joins; roles change within what each
role may give; the last owner stays; two owners removing each other at once leave one owner
(real threads on PostgreSQL); every change audited."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from network_marketplace.models import AuditEvent, OutboxMessage
from network_marketplace.outbox import deliver_due_messages
from stores.models import StoreInvitation, StoreMembership
from stores.services.team import (
    TeamChangeRefused,
    change_member_role,
    invite_member,
    remove_member,
)
from tests.factories import PASSWORD, MembershipFactory, UserFactory

Role = StoreMembership.Role


def team_url(store, rest: str = "") -> str:
    return f"/store/{store.slug}/team/{rest}"


def path_of(url: str) -> str:
    return urlsplit(url).path


def link_in(message) -> str:
    match = re.search(r"https?://\S+/team/invitations/\S+/", message.body)
    assert match, message.body
    return path_of(match.group(0))


@pytest.fixture
def lyon_manager(lyon_store):
    return MembershipFactory(
        store=lyon_store, user__email="manager.lyon@example.com", role=Role.MANAGER
    ).user


@pytest.mark.django_db
def test_an_owner_invites_a_manager_who_signs_up_and_joins(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    response = client.post(
        team_url(lyon_store, "invite/"), {"email": "Chloe.Vendeuse@example.com", "role": "manager"}
    )

    assert response.status_code == 302
    invitation = StoreInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "Chloe.Vendeuse@example.com",
        Role.MANAGER,
        lyon_owner,
    )
    page = client.get(team_url(lyon_store)).content.decode()
    assert "Chloe.Vendeuse@example.com" in page
    assert 'data-testid="invitation"' in page
    # The e-mail goes through the outbox, in French, with the link; the link is not kept
    deliver_due_messages()
    (message,) = mail.outbox
    assert message.to == ["Chloe.Vendeuse@example.com"]
    assert "Ardoise Lyon Presqu'île" in message.subject
    assert "en tant que Responsable" in message.body
    path = link_in(message)
    stored = OutboxMessage.objects.get(payload__template="store_invitation")
    assert stored.payload["context"]["accept_url"] == ""

    # The invitee opens the link, creates her account with the invited address, and joins
    invitee = Client()
    landing = invitee.get(path)
    assert landing.status_code == 200
    assert "Créer mon compte" in landing.content.decode()
    signup = invitee.post(
        f"/accounts/signup/?next={path}",
        {
            "email": "chloe.vendeuse@example.com",
            "password1": "Un-mot-de-passe-long-42",
            "password2": "Un-mot-de-passe-long-42",
        },
    )
    assert signup.status_code == 302
    assert signup["Location"] == path
    joined = invitee.post(path)

    assert joined.status_code == 302
    assert joined["Location"] == f"/store/{lyon_store.slug}/"
    membership = StoreMembership.objects.get(user__email="chloe.vendeuse@example.com")
    assert (membership.store, membership.role) == (lyon_store, Role.MANAGER)
    invitation.refresh_from_db()
    assert invitation.accepted_by == membership.user
    assert invitee.get(f"/store/{lyon_store.slug}/").status_code == 200
    # The link works once
    again = invitee.get(path)
    assert again.status_code == 410
    assert "déjà été acceptée" in again.content.decode()
    assert list(
        AuditEvent.objects.filter(store_id=lyon_store.pk).order_by("pk").values_list("action")
    ) == [("store.member_invited",), ("store.member_joined",)]


@pytest.mark.django_db
def test_an_existing_user_signs_in_from_the_link_and_joins(client, lyon_owner, lyon_store):
    colleague = UserFactory(email="marc@example.com")
    sent = invite_member(store=lyon_store, email="marc@example.com", role="staff", actor=lyon_owner)
    path = path_of(sent.url)
    invitee = Client()

    asked = invitee.post(path)
    login = invitee.post(
        asked["Location"], {"login": colleague.email, "password": PASSWORD}, follow=False
    )
    joined = invitee.post(login["Location"])

    assert asked["Location"].startswith("/accounts/login/?next=")
    assert login["Location"] == path
    assert joined.status_code == 302
    assert StoreMembership.objects.get(user=colleague).role == Role.STAFF


@pytest.mark.django_db
def test_the_link_is_for_the_invited_address_only(client, lyon_owner, lyon_store, customer):
    sent = invite_member(store=lyon_store, email="marc@example.com", role="staff", actor=lyon_owner)
    path = path_of(sent.url)
    client.force_login(customer)

    page = client.get(path)
    refused = client.post(path)

    assert "marc@example.com" in page.content.decode()
    assert 'type="submit">Rejoindre' not in page.content.decode()
    assert refused.status_code == 400
    assert not StoreMembership.objects.filter(user=customer).exists()


@pytest.mark.django_db
def test_an_expired_a_withdrawn_or_an_altered_link_does_not_work(client, lyon_owner, lyon_store):
    invitee = UserFactory(email="marc@example.com")
    client.force_login(invitee)
    first = invite_member(store=lyon_store, email=invitee.email, role="staff", actor=lyon_owner)
    path = path_of(first.url)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        expired = client.post(path)
    # Inviting again replaces (revokes) the first invitation
    second = invite_member(store=lyon_store, email=invitee.email, role="staff", actor=lyon_owner)
    withdrawn = client.post(path)
    altered = client.get(path_of(second.url)[:-3] + "x/")

    assert expired.status_code == 400
    assert "expiré" in expired.content.decode()
    assert withdrawn.status_code == 400
    assert "retirée" in withdrawn.content.decode()
    assert altered.status_code == 404
    assert not StoreMembership.objects.filter(user=invitee).exists()
    assert StoreInvitation.objects.pending().get() == second.invitation


@pytest.mark.django_db
def test_a_manager_invites_and_removes_staff_only(client, lyon_manager, lyon_owner, lyon_store):
    staff = MembershipFactory(store=lyon_store, user__email="s@example.com", role=Role.STAFF)
    owner_membership = StoreMembership.objects.get(user=lyon_owner)
    client.force_login(lyon_manager)

    page = client.get(team_url(lyon_store))
    invite = team_url(lyon_store, "invite/")
    as_owner = client.post(invite, {"email": "x@example.com", "role": "owner"})
    as_staff = client.post(invite, {"email": "y@example.com", "role": "staff"})
    remove_owner = client.post(team_url(lyon_store, f"{owner_membership.pk}/remove/"))
    remove_staff = client.post(team_url(lyon_store, f"{staff.pk}/remove/"))

    assert [value for value, _label in page.context["form"].fields["role"].choices] == ["staff"]
    assert as_owner.status_code == 400
    assert as_staff.status_code == 302
    assert remove_owner.status_code == 400
    assert "Vous ne pouvez pas donner ni changer le rôle" in remove_owner.content.decode()
    assert remove_staff.status_code == 302
    invited = list(StoreInvitation.objects.values_list("email", "role"))
    assert invited == [("y@example.com", "staff")]
    assert set(StoreMembership.objects.values_list("role", flat=True)) == {"owner", "manager"}


@pytest.mark.django_db
def test_staff_see_the_team_but_change_nothing(client, lyon_staff, lyon_owner, lyon_store):
    owner_membership = StoreMembership.objects.get(user=lyon_owner)
    client.force_login(lyon_staff)

    page = client.get(team_url(lyon_store))
    posts = [
        client.post(team_url(lyon_store, "invite/"), {"email": "x@example.com", "role": "staff"}),
        client.post(team_url(lyon_store, f"{owner_membership.pk}/role/"), {"role": "staff"}),
        client.post(team_url(lyon_store, f"{owner_membership.pk}/remove/")),
    ]

    assert page.status_code == 200
    assert "owner.lyon@example.com" in page.content.decode()
    assert "Envoyer l\u2019invitation" not in page.content.decode()
    assert [response.status_code for response in posts] == [404, 404, 404]
    assert StoreMembership.objects.get(user=lyon_owner).role == Role.OWNER


@pytest.mark.django_db
def test_the_last_owner_can_be_neither_removed_nor_demoted(lyon_owner, lyon_store):
    membership = StoreMembership.objects.get(user=lyon_owner)

    with pytest.raises(TeamChangeRefused, match="garder un propriétaire"):
        remove_member(store=lyon_store, membership_id=membership.pk, actor=lyon_owner)
    with pytest.raises(TeamChangeRefused, match="garder un propriétaire"):
        change_member_role(
            store=lyon_store, membership_id=membership.pk, role="manager", actor=lyon_owner
        )

    assert StoreMembership.objects.get(pk=membership.pk).role == Role.OWNER
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_owner_promotes_and_demotes_audited(client, lyon_owner, lyon_store, lyon_staff):
    staff = StoreMembership.objects.get(user=lyon_staff)
    client.force_login(lyon_owner)

    promoted = client.post(team_url(lyon_store, f"{staff.pk}/role/"), {"role": "owner"})
    demoted = client.post(
        team_url(lyon_store, f"{StoreMembership.objects.get(user=lyon_owner).pk}/role/"),
        {"role": "manager"},
    )

    assert promoted.status_code == demoted.status_code == 302
    assert StoreMembership.objects.get(user=lyon_staff).role == Role.OWNER
    assert StoreMembership.objects.get(user=lyon_owner).role == Role.MANAGER
    events = AuditEvent.objects.filter(action="store.member_role_changed").order_by("pk")
    assert [(e.data["before"], e.data["after"]) for e in events] == [
        ({"role": "staff"}, {"role": "owner"}),
        ({"role": "owner"}, {"role": "manager"}),
    ]


@pytest.mark.django_db
def test_an_invitation_is_withdrawn_and_a_member_cannot_be_invited_twice(
    client, lyon_owner, lyon_store, lyon_staff
):
    client.force_login(lyon_owner)
    sent = invite_member(store=lyon_store, email="z@example.com", role="staff", actor=lyon_owner)

    withdrawn = client.post(team_url(lyon_store, f"invitations/{sent.invitation.pk}/withdraw/"))
    member_again = client.post(
        team_url(lyon_store, "invite/"), {"email": lyon_staff.email.upper(), "role": "staff"}
    )

    assert withdrawn.status_code == 302
    assert not StoreInvitation.objects.pending().exists()
    assert member_again.status_code == 400
    assert "fait déjà partie de l\u2019équipe" in member_again.content.decode()


@pytest.mark.django_db
def test_another_stores_team_is_404(client, paris_owner, lyon_store, lyon_owner):
    membership = StoreMembership.objects.get(user=lyon_owner)
    client.force_login(paris_owner)

    assert client.get(team_url(lyon_store)).status_code == 404
    assert client.post(team_url(lyon_store, f"{membership.pk}/remove/")).status_code == 404


def run_concurrently(count: int, work) -> list:
    """`work(index)` in `count` threads released together; what each returned or raised."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_owners_removing_each_other_at_once_leave_the_store_an_owner(
    lyon_store, lyon_owner, attempt
):
    second = MembershipFactory(store=lyon_store, user__email="b@example.com", role=Role.OWNER)
    first = StoreMembership.objects.get(user=lyon_owner)
    pairs = [(lyon_owner, second), (second.user, first)]

    outcomes = run_concurrently(
        2,
        lambda index: remove_member(
            store=lyon_store, membership_id=pairs[index][1].pk, actor=pairs[index][0]
        ),
    )

    # One removal went through; the other owner, already gone, was refused
    refused = [each for each in outcomes if isinstance(each, TeamChangeRefused)]
    assert len(refused) == 1, outcomes
    assert outcomes.count(None) == 1
    assert StoreMembership.objects.filter(store=lyon_store, role=Role.OWNER).count() == 1
    assert AuditEvent.objects.filter(action="store.member_removed").count() == 1
