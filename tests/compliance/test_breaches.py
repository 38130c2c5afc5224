"""The breach register (GDPR art. 33) in HQ's admin: the 72-hour deadline shown from detection
(time left, overdue in red, settled), edits audited field by field, bad entries refused with
their field's error and nothing saved; and the records of processing (art. 30) generated from
the settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from compliance.models import Breach
from compliance.services.breaches import save_breach
from network_marketplace.models import AuditEvent

DETECTED = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
LIST = reverse("admin:compliance_breach_changelist")
ADD = reverse("admin:compliance_breach_add")


def breach(**changes) -> Breach:
    fields = {
        "detected_at": DETECTED,
        "nature": "Export of customer e-mails left on a public link",
        "data_categories": "E-mail addresses",
        "people_categories": "Customers",
        "approx_people": 120,
        "approx_records": 120,
        "likely_consequences": "Phishing",
        "measures": "Link removed, customers told",
        **changes,
    }
    return save_breach(breach=Breach(**fields), actor="test")


def form_data(**changes) -> dict:
    data = {
        "detected_at_0": "04/05/2026",
        "detected_at_1": "10:00:00",
        "nature": "Stolen laptop of a store manager",
        "data_categories": "Names, orders",
        "people_categories": "Customers of the Lyon store",
        "approx_people": "40",
        "approx_records": "55",
        "likely_consequences": "Disclosure of purchases",
        "measures": "Remote wipe, password reset",
        "cnil_reference": "",
        "late_notification_reason": "",
        "not_notified_reason": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("now", "expected", "overdue"),
    [
        pytest.param(DETECTED + timedelta(hours=1), "Reste 71 heures 0 minute", False, id="1h"),
        pytest.param(
            DETECTED + timedelta(hours=71, minutes=59), "Reste 0 heure 1 minute", False, id="71h59"
        ),
        pytest.param(
            DETECTED + timedelta(hours=75, minutes=30),
            "En retard de 3 heures 30 minutes",
            True,
            id="75h30",
        ),
    ],
)
def test_the_list_shows_the_time_left_or_overdue_in_red(admin_client, db, now, expected, overdue):
    breach()
    with time_machine.travel(now, tick=False):
        page = admin_client.get(LIST).content.decode()
    assert expected in page
    assert ("breach-deadline--overdue" in page) is overdue


def test_a_notified_or_not_notified_breach_no_longer_counts_down(admin_client, db):
    breach(notified_to_cnil_at=DETECTED + timedelta(hours=30), cnil_reference="CNIL-2026-1")
    breach(
        detected_at=DETECTED - timedelta(days=10),
        not_notified=True,
        not_notified_reason="Encrypted laptop, key not disclosed",
    )
    with time_machine.travel(DETECTED + timedelta(days=30), tick=False):
        page = admin_client.get(LIST).content.decode()
    assert "Notifiée le" in page
    assert "Non notifiée" in page
    assert "En retard" not in page


def test_hq_records_a_breach_and_each_change_is_audited(client, hq_admin):
    admin_client = client
    admin_client.force_login(hq_admin)
    with time_machine.travel(datetime(2026, 5, 4, 12, 0, tzinfo=UTC), tick=False):
        response = admin_client.post(ADD, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    recorded = Breach.objects.get()
    assert recorded.recorded_by == hq_admin.email
    change = reverse("admin:compliance_breach_change", args=[recorded.pk])
    with time_machine.travel(datetime(2026, 5, 5, 9, 0, tzinfo=UTC), tick=False):
        response = admin_client.post(
            change,
            form_data(
                notified_to_cnil_at_0="05/05/2026",
                notified_to_cnil_at_1="10:30:00",
                cnil_reference="CNIL-42",
            ),
        )
    assert response.status_code == 302

    events = list(AuditEvent.objects.filter(target_id=str(recorded.pk)).order_by("id"))
    assert [event.action for event in events] == ["breach.recorded", "breach.changed"]
    assert set(events[1].data["changes"]) == {"notified_to_cnil_at", "cnil_reference"}
    assert events[1].actor_user == hq_admin
    assert "CNIL-42" in admin_client.get(change).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"not_notified": "on"},
            "not_notified_reason",
            "Dites pourquoi la violation",
            id="not-notified-without-reason",
        ),
        pytest.param(
            {"notified_to_cnil_at_0": "10/05/2026", "notified_to_cnil_at_1": "09:00:00"},
            "late_notification_reason",
            "Notifiée après 72 heures",
            id="late-without-reason",
        ),
        pytest.param(
            {"notified_to_cnil_at_0": "01/05/2026", "notified_to_cnil_at_1": "09:00:00"},
            "notified_to_cnil_at",
            "avant la détection",
            id="notified-before-detected",
        ),
        pytest.param({"approx_people": "-3"}, "approx_people", "", id="negative-count"),
        pytest.param(
            {
                "detected_at_0": "",
                "notified_to_cnil_at_0": "05/05/2026",
                "notified_to_cnil_at_1": "09:00:00",
            },
            "detected_at",
            "",
            id="no-detection-date",
        ),
    ],
)
def test_a_bad_entry_is_refused_on_its_field_and_nothing_is_saved(
    admin_client, db, changes, field, message
):
    with time_machine.travel(datetime(2026, 5, 20, 12, 0, tzinfo=UTC), tick=False):
        response = admin_client.post(ADD, form_data(**changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Breach.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="breach.").exists()


def test_the_register_keeps_every_breach(admin_client, db):
    recorded = breach()
    response = admin_client.get(reverse("admin:compliance_breach_delete", args=[recorded.pk]))
    assert response.status_code == 403


# Records of processing (art. 30) --------------------------------------------------------------


def test_the_records_of_processing_follow_the_retention_settings_and_processors(
    admin_client, settings
):
    settings.GDPR_RETENTION_DAYS = {"inactive_accounts": 2 * 365, "abandoned_carts": 45}
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.MAP_TILE_URL = "https://tiles.example.net/{z}/{x}/{y}.png"

    page = admin_client.get(reverse("admin:compliance_recordsofprocessing_changelist"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Comptes inactifs\xa0: 2\xa0ans après la dernière connexion" in text
    assert "Paniers abandonnés\xa0: 45\xa0jours après leur dernière modification" in text
    assert "Stripe Payments Europe" in text
    assert "tiles.example.net" in text
    assert text.count('data-testid="processing-activity"') == 7


def test_the_records_of_processing_say_when_no_payment_provider_is_configured(
    admin_client, settings
):
    settings.PAYMENT_PROVIDER = "dummy"
    settings.STRIPE_SECRET_KEY = ""
    text = admin_client.get(reverse("admin:compliance_recordsofprocessing_changelist")).content
    assert "Stripe" not in text.decode()
    assert "Prestataire de paiement de test" in text.decode()
