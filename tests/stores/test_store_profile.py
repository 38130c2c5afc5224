"""The store's profile in the back-office (stores/profile_views.py, services/profile.py): the
owner edits hours, special days, services, capacity, photo and description; bad input is a 400
with the errors shown and nothing changed; staff read only; every change audited with what
was before and after; the store page and its structured data follow."""

from __future__ import annotations

import io
import json
import re
from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from network_marketplace.models import AuditEvent
from stores.holidays import upcoming_public_holidays
from stores.models import StoreProfilePolicy, StoreSpecialDay
from stores.profile_views import HOLIDAYS_SHOWN_DAYS
from stores.services.profile import ProfileRefused, add_special_day, remove_special_day
from tests.api_clients import api_client

pytestmark = pytest.mark.django_db

WEEK = {
    "mon": [["14:00", "19:00"]],
    "tue": [["09:00", "12:30"], ["14:00", "19:00"]],
    "wed": [["09:00", "19:00"]],
    "thu": [["09:00", "19:00"]],
    "fri": [["09:00", "19:30"]],
    "sat": [["09:00", "19:30"]],
    "sun": [],
}


def url(store, rest: str = "") -> str:
    return f"/store/{store.slug}/profile/{rest}"


def hours_post(week: dict) -> dict:
    data = {}
    for day, ranges in week.items():
        for index, (opens, closes) in enumerate(ranges, start=1):
            data[f"{day}_{index}_opens"] = opens
            data[f"{day}_{index}_closes"] = closes
    return data


def png(size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 110, 70)).save(buffer, format="PNG")
    return buffer.getvalue()


def errors_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def owner(client, lyon_owner):
    client.force_login(lyon_owner)
    return lyon_owner


def test_the_owner_sets_two_ranges_a_day_and_it_is_audited(client, owner, lyon_store):
    lyon_store.opening_hours = {"mon": [["09:00", "19:00"]]}
    lyon_store.save()

    response = client.post(url(lyon_store, "hours/"), hours_post(WEEK))

    assert response.status_code == 302
    lyon_store.refresh_from_db()
    assert lyon_store.opening_hours == WEEK
    event = AuditEvent.objects.get(action="store.opening_hours_changed")
    assert event.data == {"before": {"mon": [["09:00", "19:00"]]}, "after": WEEK}
    assert event.actor_user == owner
    assert event.store_id == lyon_store.pk
    page = client.get(url(lyon_store)).content.decode()
    assert 'value="12:30"' in page


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"tue": [["09:00", "13:00"], ["12:00", "19:00"]]},
            "tue_2_opens",
            "Cette plage chevauche l\u2019autre plage du jour.",
        ),
        (
            {"wed": [["19:00", "09:00"]]},
            "wed_1_closes",
            "L\u2019heure de fermeture doit être après l\u2019heure d\u2019ouverture.",
        ),
        (
            {"thu": [["09:00", ""]]},
            "thu_1_closes",
            "Indiquez l\u2019heure d\u2019ouverture et celle de fermeture, ou aucune des deux.",
        ),
        ({"fri": [["9h", "19:00"]]}, "fri_1_opens", "Saisissez une heure valide."),
    ],
)
def test_bad_hours_are_refused_with_the_error_and_nothing_changes(
    client, owner, lyon_store, posted, field, message
):
    lyon_store.opening_hours = WEEK
    lyon_store.save()

    response = client.post(url(lyon_store, "hours/"), hours_post({**WEEK, **posted}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["hours_form"].errors[field]
    lyon_store.refresh_from_db()
    assert lyon_store.opening_hours == WEEK
    assert not AuditEvent.objects.filter(action="store.opening_hours_changed").exists()


def test_services_and_capacity_within_hqs_bounds(client, owner, lyon_store):
    policy = StoreProfilePolicy.current()
    policy.min_daily_capacity, policy.max_daily_capacity = 10, 80
    policy.save()
    services = {"offers_click_collect": "on", "accepts_returns": "on"}

    too_many = client.post(url(lyon_store, "services/"), {**services, "daily_capacity": "81"})
    lyon_store.refresh_from_db()
    unchanged = (lyon_store.offers_ship_from_store, lyon_store.daily_capacity)
    saved = client.post(url(lyon_store, "services/"), {**services, "daily_capacity": "80"})

    assert too_many.status_code == 400
    assert "Choisissez entre 10 et 80 commandes par jour." in too_many.content.decode()
    assert unchanged == (True, None)
    assert saved.status_code == 302
    lyon_store.refresh_from_db()
    assert (lyon_store.offers_click_collect, lyon_store.offers_ship_from_store) == (True, False)
    assert (lyon_store.offers_reserve_collect, lyon_store.accepts_returns) == (False, True)
    assert lyon_store.daily_capacity == 80
    event = AuditEvent.objects.get(action="store.services_changed")
    assert event.data["before"]["offers_ship_from_store"] is True
    assert event.data["after"] == {
        "offers_click_collect": True,
        "offers_ship_from_store": False,
        "offers_reserve_collect": False,
        "accepts_returns": True,
        "daily_capacity": 80,
    }


def test_a_photo_that_is_not_an_image_changes_nothing_not_even_the_text(client, owner, lyon_store):
    lyon_store.description = "Avant"
    lyon_store.save()
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 pas une image", content_type="image/png")

    response = client.post(
        url(lyon_store, "presentation/"), {"description": "Après", "photo": fake}
    )

    assert response.status_code == 400
    assert "pas une image (PNG ou JPEG attendu)" in response.content.decode()
    lyon_store.refresh_from_db()
    assert (lyon_store.description, lyon_store.photo.name) == ("Avant", "")
    assert not AuditEvent.objects.filter(action="store.presentation_changed").exists()


def test_a_photo_over_the_size_limit_is_refused(client, owner, lyon_store, settings):
    settings.MARKETING_IMAGE_MAX_BYTES = 200
    big = SimpleUploadedFile("photo.png", png((300, 300)), content_type="image/png")

    response = client.post(url(lyon_store, "presentation/"), {"description": "", "photo": big})

    assert response.status_code == 400
    assert "est trop lourde" in response.content.decode()
    lyon_store.refresh_from_db()
    assert not lyon_store.photo


def test_photo_and_description_reach_the_store_page_and_its_structured_data(
    client, owner, lyon_store
):
    photo = SimpleUploadedFile("boutique.png", png(), content_type="image/png")

    response = client.post(
        url(lyon_store, "presentation/"),
        {"description": "Pépiniériste depuis 1982.", "photo": photo},
    )

    assert response.status_code == 302
    lyon_store.refresh_from_db()
    assert lyon_store.photo.name.endswith(".png")
    page = client.get(f"/stores/{lyon_store.slug}/")
    data = structured_data(page)
    assert "Pépiniériste depuis 1982." in page.content.decode()
    assert data["description"] == "Pépiniériste depuis 1982."
    assert data["image"].endswith(lyon_store.photo.url)
    event = AuditEvent.objects.get(action="store.presentation_changed")
    assert event.data["before"] == {"description": "", "photo": ""}
    assert event.data["after"]["description"] == "Pépiniériste depuis 1982."


def structured_data(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_special_days_reach_the_store_page_status_and_structured_data(client, lyon_store):
    lyon_store.opening_hours = WEEK
    lyon_store.save()
    today = timezone.localdate()
    add_special_day(store=lyon_store, day=today, closed=True, note="Inventaire", actor="t")
    add_special_day(
        store=lyon_store,
        day=today + timedelta(days=2),
        closed=False,
        opens=time(10),
        closes=time(16),
        actor="t",
    )

    page = client.get(f"/stores/{lyon_store.slug}/")

    specification = structured_data(page)["openingHoursSpecification"]
    special = [entry for entry in specification if "validFrom" in entry]
    assert special == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": today.isoformat(),
            "validThrough": today.isoformat(),
            "opens": "00:00",
            "closes": "00:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": (today + timedelta(days=2)).isoformat(),
            "validThrough": (today + timedelta(days=2)).isoformat(),
            "opens": "10:00",
            "closes": "16:00",
        },
    ]
    html = page.content.decode()
    assert 'data-testid="special-days"' in html
    # Closed all day today, whatever the week says
    assert re.search(r'data-testid="opening-status">\s*Fermé', html)


def test_special_days_add_list_delete_with_past_ones_hidden(client, owner, lyon_store):
    future = timezone.localdate() + timedelta(days=10)
    past = StoreSpecialDay.objects.create(
        store=lyon_store, day=timezone.localdate() - timedelta(days=3), note="Passé"
    )

    added = client.post(
        url(lyon_store, "special-days/"),
        {"day": future.isoformat(), "opens": "10:00", "closes": "13:00", "note": "Braderie"},
    )
    page = client.get(url(lyon_store)).content.decode()
    row = StoreSpecialDay.objects.get(note="Braderie")
    removed = client.post(url(lyon_store, "special-days/"), {"delete": str(row.pk)})

    assert added.status_code == 302
    assert "Braderie" in page
    assert "Passé" not in page
    assert removed.status_code == 302
    assert list(StoreSpecialDay.objects.all()) == [past]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "data"))
    assert actions[0][0] == "store.special_day_added"
    assert actions[0][1]["after"]["opens"] == "10:00"
    assert actions[1] == (
        "store.special_day_removed",
        {
            "before": {
                "day": future.isoformat(),
                "closed": False,
                "opens": "10:00",
                "closes": "13:00",
                "note": "Braderie",
            },
            "after": None,
        },
    )


@pytest.mark.parametrize(
    ("days_ahead", "posted", "message"),
    [
        (-1, {"closed": "on"}, "Choisissez aujourd\u2019hui ou un jour à venir."),
        (3, {"opens": "10:00"}, "Indiquez les heures d\u2019ouverture et de fermeture"),
        (3, {"opens": "18:00", "closes": "09:00"}, "L\u2019heure de fermeture doit être après"),
    ],
)
def test_a_bad_special_day_is_refused_and_nothing_saved(
    client, owner, lyon_store, days_ahead, posted, message
):
    day = timezone.localdate() + timedelta(days=days_ahead)

    response = client.post(url(lyon_store, "special-days/"), {"day": day.isoformat(), **posted})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StoreSpecialDay.objects.exists()


def test_a_day_given_twice_is_refused_and_another_store_cannot_remove_it(lyon_store, paris_store):
    day = date(timezone.localdate().year + 1, 1, 1)
    row = add_special_day(store=lyon_store, day=day, closed=True, actor="t")

    with pytest.raises(ProfileRefused, match="déjà des horaires exceptionnels"):
        add_special_day(
            store=lyon_store, day=day, closed=False, opens=time(10), closes=time(12), actor="t"
        )

    assert remove_special_day(store=paris_store, special_day_id=row.pk, actor="t") is False
    assert StoreSpecialDay.objects.get().closed is True


def test_close_on_all_coming_public_holidays_at_once_skips_the_days_already_set(
    client, owner, lyon_store
):
    christmas = date(timezone.localdate().year, 12, 25)
    if christmas < timezone.localdate():
        christmas = christmas.replace(year=christmas.year + 1)
    add_special_day(
        store=lyon_store, day=christmas, closed=False, opens=time(10), closes=time(12), actor="t"
    )

    response = client.post(url(lyon_store, "special-days/"), {"holiday": "all"})

    assert response.status_code == 302
    coming = upcoming_public_holidays(today=timezone.localdate(), days=HOLIDAYS_SHOWN_DAYS)
    assert set(StoreSpecialDay.objects.values_list("day", flat=True)) == {h.day for h in coming}
    assert StoreSpecialDay.objects.get(day=christmas).closed is False  # kept as it was
    page = client.get(url(lyon_store)).content.decode()
    assert 'data-testid="public-holiday"' not in page


def test_a_day_that_is_not_a_public_holiday_is_refused(client, owner, lyon_store):
    response = client.post(url(lyon_store, "special-days/"), {"holiday": "2031-06-03"})

    assert response.status_code == 400
    assert "Ce jour n\u2019est pas un jour férié." in response.content.decode()
    assert not StoreSpecialDay.objects.exists()


def test_staff_read_the_profile_but_change_nothing(client, lyon_staff, lyon_store):
    client.force_login(lyon_staff)
    lyon_store.opening_hours = WEEK
    lyon_store.save()

    page = client.get(url(lyon_store))
    posts = [
        client.post(url(lyon_store, "hours/"), hours_post({"mon": [["08:00", "20:00"]]})),
        client.post(url(lyon_store, "services/"), {"daily_capacity": "20"}),
        client.post(url(lyon_store, "special-days/"), {"holiday": "all"}),
        client.post(url(lyon_store, "presentation/"), {"description": "Piraté"}),
    ]

    assert page.status_code == 200
    assert 'data-testid="read-only"' in page.content.decode()
    assert 'type="time"' not in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert [response.status_code for response in posts] == [404] * 4
    lyon_store.refresh_from_db()
    assert lyon_store.opening_hours == WEEK
    assert lyon_store.description == ""
    assert not StoreSpecialDay.objects.exists()


def test_another_stores_profile_is_404(client, paris_owner, lyon_store):
    client.force_login(paris_owner)

    assert client.get(url(lyon_store)).status_code == 404
    assert client.post(url(lyon_store, "services/"), {"daily_capacity": "20"}).status_code == 404


def test_the_profile_page_reads_in_a_bounded_number_of_queries(
    client, owner, lyon_store, django_assert_max_num_queries
):
    for offset in range(1, 6):
        add_special_day(
            store=lyon_store,
            day=timezone.localdate() + timedelta(days=offset),
            closed=True,
            actor="t",
        )

    with django_assert_max_num_queries(14):
        response = client.get(url(lyon_store))

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="special-day"') == 5


def test_the_stores_api_reads_hours_and_special_days_to_come(lyon_store, lyon_key):
    lyon_store.opening_hours = WEEK
    lyon_store.description = "Atelier d'affûtage le samedi."
    lyon_store.save()
    day = timezone.localdate() + timedelta(days=3)
    add_special_day(
        store=lyon_store, day=day, closed=False, opens=time(10), closes=time(13), actor="t"
    )
    StoreSpecialDay.objects.create(store=lyon_store, day=timezone.localdate() - timedelta(days=2))

    response = api_client(key=lyon_key).get(f"/api/v1/stores/{lyon_store.slug}/")

    assert response.status_code == 200
    data = response.json()
    assert data["opening_hours"]["tue"] == [["09:00", "12:30"], ["14:00", "19:00"]]
    assert data["opening_hours"]["sun"] == []
    assert data["description"] == "Atelier d'affûtage le samedi."
    assert data["special_days"] == [
        {
            "day": day.isoformat(),
            "closed": False,
            "opens": "10:00:00",
            "closes": "13:00:00",
            "note": "",
        }
    ]
