"""The back-office's digital packs page: plans to subscribe to, the store's subscriptions and
their confirmed actions, files to download, special hours. Another store is a 404; a refusal is
a clear message on the page and changes nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from marketing_hub.models import Deliverable, Subscription
from marketing_hub.services.deliverables import generate_deliverables
from marketing_hub.services.subscriptions import subscribe
from stores.services.profile import add_special_day

from .subscriptions_fixtures import make_plans

pytestmark = pytest.mark.django_db
S = Subscription.Status


@pytest.fixture
def plans(db):
    return make_plans()


def page(slug: str, rest: str = "") -> str:
    return f"/store/{slug}/marketing/packs/{rest}"


def test_the_owner_sees_the_plans_and_subscribes_after_confirming(client, lyon_owner, plans):
    client.force_login(lyon_owner)

    listing = client.get(page("lyon-presquile"))
    assert listing.status_code == 200
    assert "Gbp Plus" in listing.content.decode()
    confirm = client.get(page("lyon-presquile", "subscribe/gbp-plus/"))
    assert confirm.status_code == 200
    assert "12" in confirm.content.decode()  # the commitment is shown before confirming
    done = client.post(page("lyon-presquile", "subscribe/gbp-plus/"), follow=True)

    assert done.status_code == 200
    subscription = Subscription.objects.get(store__slug="lyon-presquile")
    assert (subscription.plan, subscription.status) == (plans.gbp_plus, S.ACTIVE)
    assert Deliverable.objects.filter(store=subscription.store, kind="gbp_sheet").exists()


def test_the_feed_url_is_shown_once_when_subscribing_to_local_ads(client, lyon_owner, plans):
    client.force_login(lyon_owner)

    shown = client.post(page("lyon-presquile", "subscribe/annonces-locales/"))

    assert shown.status_code == 200
    body = shown.content.decode()
    assert "/marketing/feeds/" in body
    url = body.split('id="feed-url">', 1)[1].split("<", 1)[0]
    assert client.get(url).status_code == 200
    assert "/marketing/feeds/" not in client.get(page("lyon-presquile")).content.decode()


def test_pausing_during_the_commitment_is_refused_on_the_page(
    client, lyon_owner, lyon_store, plans
):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_plus, actor=lyon_owner)
    client.force_login(lyon_owner)

    preview = client.get(page("lyon-presquile", f"{subscription.pk}/pause/"))
    refused = client.post(page("lyon-presquile", f"{subscription.pk}/pause/"))

    assert "pendant son engagement" in preview.content.decode()
    assert refused.status_code == 400
    assert "pendant son engagement" in refused.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == S.ACTIVE


def test_changing_to_an_unknown_plan_is_a_form_error(client, lyon_owner, lyon_store, plans):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_basic, actor=lyon_owner)
    client.force_login(lyon_owner)

    refused = client.post(page("lyon-presquile", f"{subscription.pk}/change/"), {"plan": 99_999})

    assert refused.status_code == 400
    assert "Choisissez l\u2019une des formules proposées pour ce pack." in refused.content.decode()
    subscription.refresh_from_db()
    assert subscription.plan == plans.gbp_basic


def test_a_downgrade_during_the_commitment_is_refused_with_its_reason(
    client, lyon_owner, lyon_store, plans
):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_plus, actor=lyon_owner)
    client.force_login(lyon_owner)

    refused = client.post(
        page("lyon-presquile", f"{subscription.pk}/change/"), {"plan": plans.gbp_basic.pk}
    )

    assert refused.status_code == 400
    assert "moins chère pendant l\u2019engagement" in refused.content.decode()


def test_cancelling_tells_the_end_day(client, lyon_owner, lyon_store, plans):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_basic, actor=lyon_owner)
    client.force_login(lyon_owner)

    done = client.post(page("lyon-presquile", f"{subscription.pk}/cancel/"), follow=True)

    subscription.refresh_from_db()
    assert subscription.status == S.CANCELLING
    assert subscription.ends_on == timezone.localdate() + timedelta(days=30)
    assert f"{subscription.ends_on:%d/%m/%Y}" in done.content.decode()


def test_the_store_downloads_its_gbp_sheet_as_xlsx_and_csv(client, lyon_staff, lyon_store, plans):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_basic, actor="hq")
    client.force_login(lyon_staff)
    client.post(page("lyon-presquile", f"{subscription.pk}/regenerate/"))
    sheet = Deliverable.objects.get(store=lyon_store, kind="gbp_sheet")

    xlsx = client.get(page("lyon-presquile", f"files/{sheet.pk}/"))
    as_csv = client.get(page("lyon-presquile", f"files/{sheet.pk}/") + "?format=csv")

    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert rows[1][1] == lyon_store.name
    assert b"".join(as_csv.streaming_content).decode().startswith("Store code,Business name")


def test_staff_see_the_packs_but_only_owners_and_managers_act(client, lyon_staff, plans):
    client.force_login(lyon_staff)

    assert client.get(page("lyon-presquile")).status_code == 200
    assert client.get(page("lyon-presquile", "subscribe/gbp-plus/")).status_code == 404
    assert client.post(page("lyon-presquile", "subscribe/gbp-plus/")).status_code == 404
    assert not Subscription.objects.exists()


def test_another_stores_packs_and_files_are_404(client, paris_owner, lyon_store, plans):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_basic, actor="hq")
    (sheet,) = generate_deliverables(subscription=subscription)
    client.force_login(paris_owner)

    assert client.get(page("lyon-presquile")).status_code == 404
    assert client.get(page("paris-bastille", f"files/{sheet.pk}/")).status_code == 404
    assert client.get(page("paris-bastille", f"{subscription.pk}/cancel/")).status_code == 404
    assert client.post(page("paris-bastille", f"{subscription.pk}/cancel/")).status_code == 404
    assert client.post(page("paris-bastille", f"{subscription.pk}/regenerate/")).status_code == 404
    subscription.refresh_from_db()
    assert subscription.status == S.ACTIVE


def test_the_packs_page_lists_the_special_days_set_on_the_stores_profile(
    client, lyon_owner, lyon_store
):
    # The special days moved to the store's profile (stores.StoreSpecialDay): the packs page
    # shows those the listing carries, and sends the owner to the profile to change them.
    christmas = date(timezone.localdate().year + 1, 12, 25)
    add_special_day(store=lyon_store, day=christmas, closed=True, note="Noël", actor="test")
    client.force_login(lyon_owner)

    content = client.get(page("lyon-presquile")).content.decode()

    assert "Noël" in content
    assert "/store/lyon-presquile/profile/#special-days" in content
    assert client.post(page("lyon-presquile", "special-hours/")).status_code == 404


def test_the_packs_page_reads_in_a_bounded_number_of_queries(
    client, lyon_owner, lyon_store, plans, django_assert_max_num_queries
):
    for plan in (plans.gbp_basic, plans.local_ads, plans.social_posts):
        subscription, _secret = subscribe(store=lyon_store, plan=plan, actor="hq")
        generate_deliverables(subscription=subscription)
    client.force_login(lyon_owner)

    with django_assert_max_num_queries(20):
        response = client.get(page("lyon-presquile"))

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="download-') == 4


def test_hq_downloads_a_stores_files_from_the_admin(client, hq_admin, lyon_store, plans):
    subscription, _secret = subscribe(store=lyon_store, plan=plans.gbp_basic, actor="hq")
    (sheet,) = generate_deliverables(subscription=subscription)
    client.force_login(hq_admin)

    listing = client.get("/admin/marketing_hub/deliverable/")
    as_csv = client.get(f"/admin/marketing_hub/deliverable/{sheet.pk}/download/csv/")

    assert listing.status_code == 200
    assert f"/admin/marketing_hub/deliverable/{sheet.pk}/download/file/" in listing.content.decode()
    assert as_csv.status_code == 200
    assert b"".join(as_csv.streaming_content).startswith(b"Store code,Business name")
    assert (
        client.get(f"/admin/marketing_hub/subscription/{subscription.pk}/change/").status_code
        == 200
    )
