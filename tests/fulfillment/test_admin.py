from datetime import timedelta

from django.utils import timezone

from .conftest import make_fulfilment


def test_hq_sees_stuck_fulfilments_in_admin(client, hq_admin, lyon_store):
    now = timezone.now()
    stuck = make_fulfilment(store=lyon_store, accept_deadline=now - timedelta(hours=1))
    fine = make_fulfilment(store=lyon_store, accept_deadline=now + timedelta(hours=1))
    client.force_login(hq_admin)

    response = client.get("/admin/fulfillment/fulfilment/", {"stuck": "yes"})

    shown = {row.pk for row in response.context["cl"].result_list}
    assert response.status_code == 200
    assert shown == {stuck.pk}
    assert fine.pk not in shown


def test_hq_reads_an_order_with_its_lines(client, hq_admin, lyon_store):
    fulfilment = make_fulfilment(store=lyon_store)
    client.force_login(hq_admin)

    listing = client.get("/admin/orders/order/")
    detail = client.get(f"/admin/orders/order/{fulfilment.order.pk}/change/")

    assert listing.status_code == 200
    assert detail.status_code == 200
    assert fulfilment.lines.get().order_line.sku in detail.content.decode()
