"""The back-office shell: mounted once at /store/<slug>/, one namespace, one navigation that
every app adds its sections to."""

import re

import pytest
from django.urls import get_resolver, resolve, reverse

import config.urls  # noqa: F401 - mounting the back-office registers the apps' sections
from stores.backoffice import navigation

# Every back-office page, under the one namespace, at the path it has always had.
BACKOFFICE_PAGES = [
    ("dashboard", [], "/store/lyon-presquile/"),
    ("stock", [], "/store/lyon-presquile/stock/"),
    ("stock-import", [], "/store/lyon-presquile/stock/import/"),
    ("stock-movements", [], "/store/lyon-presquile/stock/movements/"),
    ("api-keys", [], "/store/lyon-presquile/api-keys/"),
    ("webhooks", [], "/store/lyon-presquile/webhooks/"),
    ("orders", [], "/store/lyon-presquile/orders/"),
    ("fulfilment", [7], "/store/lyon-presquile/orders/7/"),
    ("endless-aisle", [], "/store/lyon-presquile/endless-aisle/"),
    ("returns", [], "/store/lyon-presquile/returns/"),
    ("return", ["R-1"], "/store/lyon-presquile/returns/R-1/"),
    ("return-walk-in", [], "/store/lyon-presquile/returns/walk-in/"),
    ("money", [], "/store/lyon-presquile/money/"),
    ("money-invoice", ["F-1"], "/store/lyon-presquile/money/invoices/F-1.pdf"),
    ("payment-account", [], "/store/lyon-presquile/payments/"),
]


@pytest.mark.parametrize(
    ("name", "args", "path"), BACKOFFICE_PAGES, ids=[page[0] for page in BACKOFFICE_PAGES]
)
def test_every_back_office_page_keeps_its_path_under_the_one_namespace(name, args, path):
    assert reverse(f"backoffice:{name}", args=["lyon-presquile", *args]) == path
    assert resolve(path).namespace == "backoffice"


def test_the_back_office_is_mounted_once():
    mounts = [
        pattern
        for pattern in get_resolver().url_patterns
        if re.match(r"^store/", str(pattern.pattern))
    ]

    assert len(mounts) == 1
    assert mounts[0].namespace == "backoffice"


def test_every_app_adds_its_sections_to_the_navigation_in_menu_order():
    keys = [section.key for section in sorted(navigation.sections.values(), key=lambda s: s.order)]

    assert keys == [
        "dashboard",
        "orders",
        "endless-aisle",
        "stock",
        "stock-import",
        "stock-movements",
        "returns",
        "marketing",
        "money",
        "store-profile",
        "scorecard",
        "store-team",
        "api-keys",
        "payment-account",
        "webhooks",
        "compliance",
        "p2b-terms",
        "compliance-trader",
        "p2b-complaints",
        "compliance-tax-data",
        "store-page",
    ]


def _nav(html: str) -> str:
    return html.split('<nav class="bo-nav"')[1].split("</nav>")[0]


def test_the_navigation_marks_the_section_of_the_page_shown(client, lyon_owner, lyon_store):
    client.force_login(lyon_owner)

    returns = _nav(client.get(f"/store/{lyon_store.slug}/returns/walk-in/").content.decode())
    money = _nav(client.get(f"/store/{lyon_store.slug}/money/statement/").content.decode())

    assert re.findall(r'href="([^"]+)" aria-current="page"', returns) == [
        f"/store/{lyon_store.slug}/returns/"
    ]
    assert re.findall(r'href="([^"]+)"[^>]*aria-current="page"', money) == [
        f"/store/{lyon_store.slug}/money/"
    ]


def test_only_owners_and_hq_see_the_payment_account_section(
    client, lyon_owner, lyon_staff, hq_admin, lyon_store
):
    url = f"/store/{lyon_store.slug}/"
    seen = {}
    for user in (lyon_owner, lyon_staff, hq_admin):
        client.force_login(user)
        seen[user.email] = 'data-testid="nav-payment-account"' in _nav(
            client.get(url).content.decode()
        )

    assert seen == {lyon_owner.email: True, lyon_staff.email: False, hq_admin.email: True}


def test_the_back_office_header_links_to_the_stores_own_pages_not_the_customers(
    client, lyon_owner, lyon_store
):
    client.force_login(lyon_owner)

    html = client.get(f"/store/{lyon_store.slug}/").content.decode()

    header = html[html.index('data-testid="backoffice-header-menu"') : html.index("</nav>")]
    assert f'href="/store/{lyon_store.slug}/orders/"' in header
    assert f'href="/store/{lyon_store.slug}/stock/"' in header
    assert f'href="{reverse("orders:mine")}"' not in header  # the customer's own orders
    assert "Mes commandes" not in header
