"""A second factor for every account that can move money or stock (issue 17): HQ staff and
store members are sent to set one up before the back-office or the admin; customers are not;
HQ's admin signs in through the page that asks for the code."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.factories import PASSWORD
from tests.totp import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_enforced(settings):
    settings.REQUIRE_SECOND_FACTOR = True


@pytest.mark.parametrize("persona", ["lyon_owner", "lyon_staff", "hq_admin"])
def test_an_account_that_moves_money_or_stock_must_set_up_a_second_factor(
    persona, request, client, lyon_store
):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    for path in (f"/store/{lyon_store.slug}/money/", f"/store/{lyon_store.slug}/stock/", "/admin/"):
        response = client.get(path)
        if path == "/admin/" and not user.is_staff:
            continue
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_with_a_second_factor_the_back_office_opens(client, lyon_owner, lyon_store):
    TOTP.activate(lyon_owner, generate_totp_secret())
    client.force_login(lyon_owner)

    assert client.get(f"/store/{lyon_store.slug}/money/").status_code == 200


def test_customers_are_not_asked(client, customer):
    client.force_login(customer)

    assert client.get("/").status_code == 200
    assert client.get("/accounts/email/").status_code == 200


def test_the_admin_signs_in_through_the_page_that_asks_for_the_code(client, hq_admin):
    secret = generate_totp_secret()
    TOTP.activate(hq_admin, secret)

    to_login = client.get("/admin/login/?next=/admin/")
    assert to_login.status_code == 302
    assert to_login["Location"].startswith("/accounts/login/")

    asked = client.post(
        "/accounts/login/?next=/admin/", {"login": hq_admin.email, "password": PASSWORD}
    )
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # not signed in yet

    signed_in = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert signed_in.status_code == 302
    assert client.get("/admin/").status_code == 200
