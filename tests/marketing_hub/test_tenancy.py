"""Acceptance 5 of issue 11, over the whole marketing hub at once: a store never sees another
store's proofs, orders, budgets, subscriptions or deliverables, through the back-office pages or
the API (another store's object is a 404, never a 403, and nothing changes); a supplier sees
only its own lines. The tables below name every Marketing page and every store-scoped API route:
a page or route added without a row here fails `test_every_marketing_page_is_in_the_matrix`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketing_hub import backoffice_urls
from marketing_hub.api.urls import router as marketing_router
from marketing_hub.models import (
    Budget,
    Deliverable,
    MarketingOrder,
    MarketingOrderLine,
    Proof,
    Subscription,
)
from marketing_hub.services.deliverables import generate_deliverables
from marketing_hub.services.orders import add_to_cart
from marketing_hub.services.supplier import issue_supplier_api_key
from tests.api_clients import api_client
from tests.factories import UserFactory

from .order_helpers import make_budget, make_item, make_proof, make_supplier, placed_order
from .subscriptions_fixtures import make_plans, subscribed

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@dataclass
class StoreMarketing:
    """One store's marketing: what another store must never see."""

    store: Any
    budget: Budget
    order: MarketingOrder
    line: MarketingOrderLine
    cart_line: MarketingOrderLine
    proof: Proof
    subscription: Subscription
    deliverable: Deliverable


def _marketing_of(store, owner, *, item, goodies, plan, amount) -> StoreMarketing:
    budget = make_budget(store, amount)
    proof = make_proof(store, item)
    order = placed_order(store, owner, item, proof=proof)
    add_to_cart(store=store, item=goodies, quantity=10, options={"size": "M"}, actor=owner)
    subscription = subscribed(store, plan, on=TODAY.replace(day=1))
    [deliverable, *_rest] = generate_deliverables(subscription=subscription, today=TODAY)
    return StoreMarketing(
        store=store,
        budget=budget,
        order=order,
        line=order.lines.get(),
        cart_line=MarketingOrderLine.objects.get(order__store=store, order__status="cart"),
        proof=proof,
        subscription=subscription,
        deliverable=deliverable,
    )


@pytest.fixture
def supplier_x(db):
    return make_supplier("Imprimerie du Rhône", "x@imprimerie.example")


@pytest.fixture
def supplier_y(db):
    return make_supplier("Atelier Objets", "y@atelier.example")


@pytest.fixture
def hub(lyon_store, lyon_owner, paris_store, paris_owner, supplier_x, supplier_y):
    """Lyon and Paris each with a budget, a proof, a placed (approved) order, a cart line, a
    subscription and its deliverable. Lyon's flyer is printed by X, Paris's by Y."""
    plans = make_plans()
    lyon_flyer = make_item("FLY-LYON", supplier=supplier_x)
    paris_flyer = make_item("FLY-PARIS", supplier=supplier_y)
    goodies = make_item(
        "TSHIRT", kind="goodies", artwork=False, options={"size": ["S", "M"]}, tiers=((10, 8_000),)
    )
    lyon = _marketing_of(
        lyon_store, lyon_owner, item=lyon_flyer, goodies=goodies, plan=plans.gbp_basic,
        amount=111_100,
    )  # fmt: skip
    paris = _marketing_of(
        paris_store, paris_owner, item=paris_flyer, goodies=goodies, plan=plans.local_ads,
        amount=777_700,
    )  # fmt: skip
    return lyon, paris


# Every page of the Marketing section, by url name: how to reach Paris's object from Lyon's
# slug (None: the page has no object of its own; it is checked on the other store's slug and
# for what it lists), and the method that reaches it.
OBJECT_PAGES: dict[str, tuple[str, Any]] = {
    "marketing": ("get", None),
    "marketing-cart": ("get", None),
    "marketing-cart-add": ("post", None),
    "marketing-cart-place": ("post", None),
    "marketing-cart-line": ("post", lambda m: {"pk": m.cart_line.pk}),
    "marketing-orders": ("get", None),
    "marketing-order": ("get", lambda m: {"pk": m.order.pk}),
    "marketing-order-line-proof": ("get", lambda m: {"pk": m.order.pk, "line_pk": m.line.pk}),
    "marketing-order-cancel": ("post", lambda m: {"pk": m.order.pk}),
    "marketing-order-receive": ("post", lambda m: {"pk": m.order.pk}),
    "marketing-subscriptions": ("get", None),
    "marketing-subscribe": ("post", lambda m: {"code": m.subscription.plan.code}),
    "marketing-feed-url": ("post", lambda m: {"subscription_id": m.subscription.pk}),
    "marketing-regenerate": ("post", lambda m: {"subscription_id": m.subscription.pk}),
    "marketing-subscription-action": (
        "post",
        lambda m: {"subscription_id": m.subscription.pk, "action": "pause"},
    ),
    "marketing-deliverable": ("get", lambda m: {"deliverable_id": m.deliverable.pk}),
    "marketing-catalogue": ("get", None),
    "marketing-item": ("get", lambda m: {"item_id": m.line.item_id}),
    "marketing-artwork-page": ("get", lambda m: {"item_id": m.line.item_id, "page": 1}),
    "marketing-proof-page": ("get", lambda m: {"proof_id": m.proof.pk, "page": 1}),
    "marketing-proof-pdf": ("get", lambda m: {"proof_id": m.proof.pk}),
    "marketing-store-images": ("get", None),
}
# Pages whose object is HQ's, not a store's (plans, catalogue items and their templates): only
# checked on the other store's slug.
NOT_STORE_OBJECTS = {"marketing-subscribe", "marketing-item", "marketing-artwork-page"}


def _pages() -> list[URLPattern]:
    return [p for p in backoffice_urls.urlpatterns if isinstance(p, URLPattern) and p.name]


def _kwargs(pattern: URLPattern, slug: str, marketing: StoreMarketing) -> dict:
    _method, objects = OBJECT_PAGES[pattern.name]
    return {"slug": slug, **(objects(marketing) if objects else {})}


def _state(paris: StoreMarketing) -> tuple:
    order = MarketingOrder.objects.get(pk=paris.order.pk)
    subscription = Subscription.objects.get(pk=paris.subscription.pk)
    return (
        order.status,
        list(order.lines.values_list("status", flat=True)),
        MarketingOrderLine.objects.filter(pk=paris.cart_line.pk).exists(),
        subscription.status,
        subscription.feed_token,
        Budget.objects.get(pk=paris.budget.pk).spent_cents,
        Deliverable.objects.filter(store=paris.store).count(),
    )


def test_every_marketing_page_is_in_the_matrix():
    assert {pattern.name for pattern in _pages()} <= set(OBJECT_PAGES)


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_a_store_gets_a_404_on_another_stores_marketing_pages(client, hub, lyon_owner, name):
    lyon, paris = hub
    pattern = next((p for p in _pages() if p.name == name), None)
    if pattern is None:
        pytest.fail(f"{name} is in the matrix but not a Marketing page any more")
    method = OBJECT_PAGES[name][0]
    client.force_login(lyon_owner)
    before = _state(paris)

    # Paris's slug: every page of the section is a 404 for Lyon's owner.
    on_paris = getattr(client, method)(
        reverse(f"backoffice:{name}", kwargs=_kwargs(pattern, paris.store.slug, paris))
    )
    # Lyon's slug with Paris's object: a 404 as well.
    on_lyon = None
    if OBJECT_PAGES[name][1] is not None and name not in NOT_STORE_OBJECTS:
        on_lyon = getattr(client, method)(
            reverse(f"backoffice:{name}", kwargs=_kwargs(pattern, lyon.store.slug, paris))
        )

    assert on_paris.status_code == 404
    assert on_lyon is None or on_lyon.status_code == 404
    assert _state(paris) == before


def test_a_stores_lists_never_show_another_stores_marketing(client, hub, lyon_owner):
    lyon, paris = hub
    client.force_login(lyon_owner)

    pages = {
        name: client.get(reverse(f"backoffice:{name}", args=[lyon.store.slug])).content.decode()
        for name in ("marketing", "marketing-orders", "marketing-cart", "marketing-subscriptions")
    }

    for name, html in pages.items():
        assert paris.order.number not in html, name
        assert "FLY-PARIS" not in html, name
        assert "7777,00" not in html, name  # Paris's budget
        paris_file = reverse(
            "backoffice:marketing-deliverable", args=[lyon.store.slug, paris.deliverable.pk]
        )
        assert paris_file not in html, name
    assert lyon.order.number in pages["marketing-orders"]
    own_file = reverse(
        "backoffice:marketing-deliverable", args=[lyon.store.slug, lyon.deliverable.pk]
    )
    assert own_file in pages["marketing-subscriptions"]


# Every store-scoped route of the marketing API (prefix under /api/v1/): how to find a store's
# object there. HQ's plans and catalogue are the network's, not a store's; the suppliers' lines
# have their own keys (below).
API_OBJECTS: dict[str, Any] = {
    "marketing/orders": lambda m: m.order.pk,
    "marketing/budgets": lambda m: m.budget.pk,
    "marketing/subscriptions": lambda m: m.subscription.pk,
    "marketing/deliverables": lambda m: m.deliverable.pk,
    r"marketing/stores/(?P<store_slug>[^/.]+)/proofs": lambda m: m.proof.pk,
}
API_NOT_STORE_SCOPED = {"marketing/plans", "marketing/items", "marketing/supplier/lines"}


def _api_routes() -> list[tuple[str, str]]:
    return [(prefix, basename) for prefix, _viewset, basename in marketing_router.registry]


def test_every_marketing_api_route_is_in_the_matrix():
    prefixes = {prefix for prefix, _basename in _api_routes()}
    assert prefixes <= set(API_OBJECTS) | API_NOT_STORE_SCOPED


@pytest.mark.parametrize("prefix", sorted(API_OBJECTS))
def test_a_stores_api_key_gets_a_404_on_another_stores_objects(hub, lyon_key, hq_key, prefix):
    lyon, paris = hub
    basename = dict(_api_routes()).get(prefix)
    if basename is None:
        pytest.fail(f"{prefix} is in the matrix but not an API route any more")
    find = API_OBJECTS[prefix]
    nested = "(?P<store_slug>" in prefix

    def url(kind: str, store_slug: str, pk: int | None = None) -> str:
        kwargs = {"store_slug": store_slug} if nested else {}
        if pk is not None:
            kwargs["pk"] = pk
        return reverse(f"{basename}-{kind}", kwargs=kwargs)

    lyon_api, hq_api = api_client(key=lyon_key), api_client(key=hq_key)
    listed = lyon_api.get(url("list", lyon.store.slug))
    theirs = lyon_api.get(url("detail", lyon.store.slug, find(paris)))
    ours = lyon_api.get(url("detail", lyon.store.slug, find(lyon)))
    by_hq = hq_api.get(url("detail", paris.store.slug, find(paris)))

    assert listed.status_code == 200
    ids = {row["id"] for row in _rows(listed.json())}
    assert find(paris) not in ids
    assert find(lyon) in ids
    assert theirs.status_code == 404
    assert ours.status_code == 200
    assert by_hq.status_code == 200
    if nested:  # the other store's own collection is not found either
        assert lyon_api.get(url("list", paris.store.slug)).status_code == 404


def _rows(body: Any) -> list[dict]:
    return body["results"] if isinstance(body, dict) and "results" in body else body


# The suppliers' side: X sees only its lines (Lyon's flyer), never Y's (Paris's).


def test_a_supplier_sees_only_its_own_lines_on_its_portal(client, hub, supplier_x):
    lyon, paris = hub
    user = UserFactory(email="portail@imprimerie.example")
    supplier_x.users.add(user)
    client.force_login(user)
    before = _state(paris)

    lines = client.get(reverse("marketing_supplier:lines"))
    theirs = [
        client.get(reverse("marketing_supplier:line-file", args=[paris.line.pk])),
        client.post(reverse("marketing_supplier:line-produced", args=[paris.line.pk])),
        client.post(
            reverse("marketing_supplier:line-shipped", args=[paris.line.pk]),
            {"carrier": "Colissimo", "tracking_number": "6A123"},
        ),
    ]
    ours = client.get(reverse("marketing_supplier:line-file", args=[lyon.line.pk]))

    html = lines.content.decode()
    assert lyon.order.number in html
    assert paris.order.number not in html
    assert [response.status_code for response in theirs] == [404, 404, 404]
    assert ours.status_code == 200
    assert _state(paris) == before


def test_a_store_owner_is_not_a_supplier(client, hub, lyon_owner):
    client.force_login(lyon_owner)

    page = client.get(reverse("marketing_supplier:lines"))

    assert page.status_code in (403, 404)


def test_a_suppliers_api_key_reaches_only_its_own_lines(hub, supplier_x, lyon_key):
    lyon, paris = hub
    secret = issue_supplier_api_key(supplier=supplier_x, actor="hq")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    before = _state(paris)

    listed = api.get(reverse("marketing-supplier-line-list"))
    theirs = [
        api.get(reverse("marketing-supplier-line-detail", args=[paris.line.pk])),
        api.post(reverse("marketing-supplier-line-produced", args=[paris.line.pk])),
        api.post(
            reverse("marketing-supplier-line-shipped", args=[paris.line.pk]),
            {"carrier": "Colissimo", "tracking_number": "6A123"},
        ),
    ]
    by_a_store = api_client(key=lyon_key).get(reverse("marketing-supplier-line-list"))

    assert listed.status_code == 200
    assert {row["id"] for row in _rows(listed.json())} == {lyon.line.pk}
    assert [response.status_code for response in theirs] == [404, 404, 404]
    assert by_a_store.status_code in (401, 403)
    assert _state(paris) == before
