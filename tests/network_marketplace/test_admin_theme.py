"""HQ's admin (django-unfold, config/unfold.py, network_marketplace/admin_base.py): every admin on
the one base, every list searchable or filterable, every page in French with amounts in euros,
states by their names, the sidebar grouped by job and reaching every model, nothing technical on
the home page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from config.unfold import NAVIGATION
from network_marketplace.admin_base import ModelAdmin, SingletonModelAdmin, euros
from network_marketplace.models import AuditEvent, SingletonSettings
from orders.models import Order, OrderPolicy
from payments.models import PayoutPolicy, SettlementPolicy
from tests.factories import StoreFactory
from tests.fulfillment.conftest import home, network, order_for  # noqa: F401 (fixture)
from tests.payments.money_helpers import open_account

pytestmark = pytest.mark.django_db

# English words the stock admin used to show HQ (issue 15), and the raw money of the old lists.
ENGLISH = re.compile(
    r"\b(Created at|Updated at|Currency|Status|Actor label|From status|To status|Type to search|"
    r"Select value|Search apps|Network marketplace)\b"
)
# Pages of figures rather than lists of rows: nothing to search or filter.
# One page each, not a list: a dashboard, the art. 30 records, the fair-routing report.
DASHBOARDS = {
    "marketing_hub.MarketingDashboard",
    "compliance.RecordsOfProcessing",
    "hq.FairRouting",
}
RAW_CENTS = re.compile(r"centimes|\(cents|points de base|basis points", re.IGNORECASE)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    # Spaces collapsed, but not the no-break spaces of French typography and amounts.
    return unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))


def admin_pages(client: Client) -> Iterator[str]:
    """The list, add and (for the newest row) change page of every registered model, each asked
    once the page before it was read (a singleton's list makes its one row)."""
    for model, model_admin in admin.site._registry.items():
        request = type("Request", (), {"user": client.user})()  # one per page, as the admin's
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request):
            yield reverse("admin:{}_{}_add".format(*info))
        newest = model._default_manager.order_by("-pk").first()
        if newest is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[newest.pk])


def form_as_shown(client: Client, url: str) -> dict:
    """The values of the admin form at `url`, as HQ would send them back unchanged."""
    form = client.get(url).context["adminform"].form
    return {
        name: form[name].value()  # as the field shows it: an amount in euros, not its cents
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }


@pytest.fixture
def hq_client(client, hq_admin):
    client.force_login(hq_admin)
    client.user = hq_admin
    return client


@pytest.fixture
def busy_network(network, paris_store):  # noqa: F811
    """Orders placed through the checkout (with their payments, fulfilments and events), a store
    with a payment account, the policies HQ edits."""
    open_account(paris_store)
    order_for(home(network.secateur))
    OrderPolicy.current()
    PayoutPolicy.current()
    return network


def test_every_admin_is_on_the_project_s_one_base():
    not_on_base = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ModelAdmin)
    ]

    assert not_on_base == []


def test_every_list_can_be_searched_or_filtered(rf, hq_admin):
    request = rf.get("/admin/")
    request.user = hq_admin
    bare = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not model_admin.get_search_fields(request) and not model_admin.get_list_filter(request)
        and not issubclass(model, SingletonSettings)  # one row: nothing to look for
        and model._meta.label not in DASHBOARDS
    ]  # fmt: skip

    assert bare == [], bare


def test_every_admin_page_opens_in_french_with_amounts_in_euros(hq_client, busy_network):
    failures = []
    for url in admin_pages(hq_client):
        response = hq_client.get(url, follow=True)
        text = visible_text(response.content.decode())
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
        elif RAW_CENTS.search(text):
            failures.append(f"{url}: {RAW_CENTS.search(text).group(0)}")
        elif ENGLISH.search(text):
            failures.append(f"{url}: {ENGLISH.search(text).group(0)}")

    assert failures == [], failures


def test_the_sidebar_reaches_every_model_of_the_admin():
    in_sidebar = {
        item["model"].lower() for group in NAVIGATION for item in group["items"] if "model" in item
    }
    registered = {model._meta.label_lower for model in admin.site._registry}

    assert sorted(registered - in_sidebar) == []


def test_the_sidebar_is_grouped_by_job_with_settings_last(hq_client):
    page = hq_client.get(reverse("admin:index"))

    titles = [str(group["title"]) for group in page.context["sidebar_navigation"]]
    assert titles == [
        "Siège",
        "Réseau",
        "Catalogue",
        "Commandes",
        "Finances",
        "Marketing",
        "Conformité",
        "Paramètres",
    ]


def test_the_home_page_shows_hq_s_jobs_and_nothing_technical(hq_client):
    page = hq_client.get(reverse("admin:index"))

    html = page.content.decode()
    home = visible_text(html[html.index('data-testid="admin-home"') :])
    assert "Tour de contrôle" in home
    assert "Tableau de bord financier" in home
    assert "Commandes" in home
    for technical in ("Sites", "Crontabs", "Intervalles", "solaire", "Tâches périodiques"):
        assert technical not in home


def test_the_money_dashboard_and_the_reports_are_in_the_sidebar(hq_client):
    page = hq_client.get(reverse("admin:index"))

    links = [
        str(item.get("link"))
        for group in page.context["sidebar_navigation"]
        for item in group["items"]
    ]
    assert reverse("admin:payments_money_dashboard") in links
    assert reverse("admin:compliance_storecomplaint_report") in links
    assert reverse("admin:catalog_product_import") in links


def test_an_order_lists_its_total_in_euros_and_its_state_by_name(hq_client, busy_network):
    order = Order.objects.get()

    page = hq_client.get(reverse("admin:orders_order_changelist"))

    text = visible_text(page.content.decode())
    assert euros(order.total_cents) in text
    assert str(order.total_cents) not in text
    assert order.get_status_display() in text


def test_an_order_s_history_names_its_states(hq_client, busy_network):
    order = Order.objects.get()

    page = hq_client.get(reverse("admin:orders_order_change", args=[order.pk]))

    text = visible_text(page.content.decode())
    assert "En attente de paiement → Enregistrée" in text
    assert "pending_payment" not in text


def test_hq_types_an_amount_in_euros_and_it_is_kept_in_cents(hq_client):
    policy = OrderPolicy.current()
    url = reverse("admin:orders_orderpolicy_change", args=[policy.pk])
    data = form_as_shown(hq_client, url)

    response = hq_client.post(url, {**data, "home_delivery_fee_cents": "5,90"})

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.home_delivery_fee_cents == 590


def test_an_amount_that_is_not_euros_is_refused_with_its_reason(hq_client):
    policy = OrderPolicy.current()
    before = policy.home_delivery_fee_cents
    url = reverse("admin:orders_orderpolicy_change", args=[policy.pk])
    data = form_as_shown(hq_client, url)

    response = hq_client.post(url, {**data, "home_delivery_fee_cents": "5,999"})

    assert response.status_code == 200
    assert (
        "plus de deux décimales"
        in response.context["adminform"].form.errors["home_delivery_fee_cents"][0]
    )
    policy.refresh_from_db()
    assert policy.home_delivery_fee_cents == before


def test_hq_types_a_rate_in_per_cent_and_it_is_kept_in_basis_points(hq_client):
    policy = SettlementPolicy.current()
    url = reverse("admin:payments_settlementpolicy_change", args=[policy.pk])
    page = hq_client.get(url)
    assert page.context["adminform"].form["transfer_price_rate_bp"].value() == "60"
    assert "Prix de cession (part du prix payé)" in visible_text(page.content.decode())

    data = form_as_shown(hq_client, url)
    response = hq_client.post(url, {**data, "transfer_price_rate_bp": "55,5 %"})

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.transfer_price_rate_bp == 5550
    event = AuditEvent.objects.get(action="settlement_policy.changed")
    assert event.data == {"transfer_price_rate_bp": "5550"}
    listed = visible_text(
        hq_client.get(reverse("admin:payments_settlementpolicy_changelist")).content.decode()
    )
    assert "55,5\u00a0%" in listed


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("120", "au plus de 100\u00a0%"),
        ("6000", "au plus de 100\u00a0%"),
        ("5,555", "pas un taux en pour cent"),
    ],
)
def test_a_rate_that_is_not_a_per_cent_is_refused_with_its_reason(hq_client, typed, reason):
    policy = SettlementPolicy.current()
    url = reverse("admin:payments_settlementpolicy_change", args=[policy.pk])
    data = form_as_shown(hq_client, url)

    response = hq_client.post(url, {**data, "transfer_price_rate_bp": typed})

    assert response.status_code == 200
    assert reason in response.context["adminform"].form.errors["transfer_price_rate_bp"][0]
    policy.refresh_from_db()
    assert policy.transfer_price_rate_bp == 6000


def test_the_payout_panel_counts_the_stores_that_can_be_paid(hq_client, lyon_store, paris_store):
    open_account(paris_store)
    StoreFactory(name="Ardoise Annecy", slug="annecy")

    page = hq_client.get(reverse("admin:payments_money_dashboard"))

    text = visible_text(page.content.decode())
    assert "Magasins franchisés pouvant recevoir des virements aujourd'hui\u00a0: 1 sur 3." in text
    assert 'data-testid="every-store-payable"' not in page.content.decode()


def test_the_payout_panel_never_says_every_store_is_paid_when_there_is_none(hq_client):
    page = hq_client.get(reverse("admin:payments_money_dashboard"))

    assert 'data-testid="every-store-payable"' not in page.content.decode()
    assert "aujourd'hui\u00a0: 0 sur 0." in visible_text(page.content.decode())


def test_a_one_row_setting_is_added_once_never_deleted_and_its_changes_audited(hq_client):
    assert hq_client.get(reverse("admin:payments_settlementpolicy_add")).status_code == 200
    policy = SettlementPolicy.current()
    assert hq_client.get(reverse("admin:payments_settlementpolicy_add")).status_code == 403
    delete = reverse("admin:payments_settlementpolicy_delete", args=[policy.pk])
    assert hq_client.post(delete, {"post": "yes"}).status_code == 403

    url = reverse("admin:payments_settlementpolicy_change", args=[policy.pk])
    data = form_as_shown(hq_client, url)
    response = hq_client.post(url, {**data, "return_handling_fee_cents": "4,50"})

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.return_handling_fee_cents == 450
    event = AuditEvent.objects.get(action="settlement_policy.changed")
    assert event.actor_user == hq_client.user
    assert event.data == {"return_handling_fee_cents": "450"}


def test_every_admin_page_asks_the_one_row_settings_in_one_query(
    hq_client, django_assert_num_queries
):
    OrderPolicy.current()
    request = type("Request", (), {"user": hq_client.user})()
    singletons = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SingletonModelAdmin)
    ]
    assert len(singletons) >= 7

    with django_assert_num_queries(1):
        answers = {type(a).__name__: a.has_add_permission(request) for a in singletons}

    assert answers["OrderPolicyAdmin"] is False
    assert answers["SettlementPolicyAdmin"] is True


@pytest.mark.parametrize("form", ["group", "user"])
def test_the_permission_pickers_name_each_permission_in_french(hq_client, hq_admin, form):
    """Django stores its permissions' names in English ("Can add product"): the pickers of a
    group's and a user's form say the application, the model and the action in French."""
    if form == "group":
        url, field = reverse("admin:auth_group_add"), "permissions"
    else:
        url = reverse("admin:network_marketplace_user_change", args=[hq_admin.pk])
        field = "user_permissions"

    form_shown = hq_client.get(url).context["adminform"].form
    choices = [str(label) for _value, label in form_shown.fields[field].choices]

    assert "Catalogue | produit | peut ajouter" in choices
    assert "Magasins | magasin | peut consulter" in choices
    assert [label for label in choices if "Can " in label] == []
