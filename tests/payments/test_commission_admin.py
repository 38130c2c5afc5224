"""HQ reads each order's split per line in the order admin, and the transfers (read-only)."""

from django.urls import reverse

from payments.models import Transfer

from .commission_helpers import Piece, complete, deliver_money_messages, fulfilment_of, paid_order


def test_hq_sees_the_split_of_each_line_in_the_order_admin(client, hq_admin, plan, paris_store,
                                                           lyon_store):  # fmt: skip
    order = paid_order(Piece(paris_store, unit_price_cents=10_000), attributed=lyon_store)
    complete(fulfilment_of(order, paris_store))
    client.force_login(hq_admin)

    page = client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "répartition de la commission par ligne" in content.lower()
    # in euros, never in raw cents
    for amount in ("100,00\u00a0€", "12,00\u00a0€", "2,40\u00a0€", "3,00\u00a0€", "85,60\u00a0€"):
        assert amount in content
    assert "8560" not in content


def test_transfers_are_read_only_in_admin(client, hq_admin, plan, paris_store):
    order = paid_order(Piece(paris_store, unit_price_cents=10_000))
    complete(fulfilment_of(order, paris_store))
    deliver_money_messages()
    client.force_login(hq_admin)

    listing = client.get(reverse("admin:payments_transfer_changelist"))

    assert listing.status_code == 200
    assert Transfer.objects.get().store == paris_store
    assert client.get(reverse("admin:payments_transfer_add")).status_code == 403
