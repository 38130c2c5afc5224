import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from network_marketplace import demo
from stores.models import Store, StoreMembership


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_network_has_a_warehouse_stores_and_a_login_for_each(db):
    output = load_demo()

    stores = Store.objects.all()
    assert stores.filter(kind=Store.Kind.WAREHOUSE).count() == 1
    assert stores.exclude(kind=Store.Kind.WAREHOUSE).count() >= 30
    for store in stores:
        owner = StoreMembership.objects.get(store=store, role=StoreMembership.Role.OWNER).user
        assert owner.check_password(demo.DEMO_PASSWORD)
        assert owner.email in output
    assert demo.HQ_EMAIL in output
    assert demo.CUSTOMER_EMAIL in output


def test_loading_the_demo_twice_changes_nothing(db):
    load_demo()
    counts = (
        Store.objects.count(),
        get_user_model().objects.count(),
        StoreMembership.objects.count(),
    )

    load_demo()

    assert (
        Store.objects.count(),
        get_user_model().objects.count(),
        StoreMembership.objects.count(),
    ) == counts


def test_demo_logins_work_through_the_login_page(client, db):
    load_demo()

    for email, landing in [
        (demo.HQ_EMAIL, "/admin/"),
        (demo.CUSTOMER_EMAIL, "/"),
        (demo.DEMO_STORES[3].owner_email, f"/store/{demo.DEMO_STORES[3].slug}/"),
    ]:
        response = client.post("/accounts/login/", {"login": email, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get(landing, follow=True).status_code == 200
        client.post("/accounts/logout/")


def test_hq_admin_reaches_django_admin(client, db):
    load_demo()
    client.post("/accounts/login/", {"login": demo.HQ_EMAIL, "password": demo.DEMO_PASSWORD})

    response = client.get("/admin/stores/store/")

    assert response.status_code == 200
    assert "Ardoise Lyon" in response.content.decode()
