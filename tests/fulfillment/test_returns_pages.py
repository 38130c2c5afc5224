"""The customer's return pages and the store's returns desk: who sees what, and the flow."""

import pytest
from django.urls import reverse

from fulfillment.models import Return, ReturnLine
from fulfillment.services import receive_return, request_return
from network_marketplace.models import OutboxMessage
from stores.models import StockLevel, StockMovement

from .returns_helpers import M, Sold, all_of, fulfilment_lines, received_order

R = Return.Status


def start_url(order):
    return reverse("returns:start", args=[order.number])


def desk_url(store, *parts):
    if not parts:
        return reverse("backoffice:returns", args=[store.slug])
    name, *args = parts
    url_name = "backoffice:return" if name == "detail" else f"backoffice:return-{name}"
    return reverse(url_name, args=[store.slug, *args])


def started(order, store):
    return request_return(
        order=order, lines=all_of(order), reason=Return.Reason.CHANGED_MIND,
        method=Return.Method.IN_STORE, store=store, actor="customer",
    )  # fmt: skip


def form_data(order, chosen, **extra):
    data = {"reason": "changed_mind", "method": "in_store", "store": chosen.pk, "comment": ""}
    for line in fulfilment_lines(order):
        data[f"qty_{line.pk}"] = line.quantity
    data.update(extra)
    return data


# Customer ---------------------------------------------------------------------------------


def test_a_guest_gives_the_orders_email_before_seeing_it(client, lyon_store):
    order = received_order(Sold(lyon_store))

    gate = client.get(start_url(order))
    wrong = client.post(start_url(order), {"email": "someone@example.com"})
    right = client.post(start_url(order), {"email": "LEA@example.com"})

    assert gate.status_code == 200
    assert order.lines.get().product_name not in gate.content.decode()
    assert wrong.status_code == 400
    assert "Aucune commande" in wrong.content.decode()
    assert right.status_code == 302
    assert order.lines.get().product_name in client.get(start_url(order)).content.decode()


def test_an_unknown_order_gets_the_same_answer_as_a_wrong_email(client, lyon_store):
    response = client.post(reverse("returns:start", args=["ARD-9999999"]), {"email": "a@b.fr"})

    assert response.status_code == 400
    assert "Aucune commande" in response.content.decode()


def test_wrong_emails_for_one_order_are_limited(client, lyon_store):
    order = received_order(Sold(lyon_store))
    for attempt in range(10):
        client.post(start_url(order), {"email": f"guess{attempt}@example.com"})

    refused = client.post(start_url(order), {"email": order.email})

    assert refused.status_code == 429
    assert "réessayez dans une heure" in refused.content.decode()
    assert 'name="reason"' not in client.get(start_url(order)).content.decode()


def test_a_guest_returns_items_to_a_store_and_gets_the_number_and_qr(client, lyon_store):
    order = received_order(Sold(lyon_store, quantity=2))
    client.post(start_url(order), {"email": order.email})

    response = client.post(start_url(order), form_data(order, lyon_store), follow=True)

    made = Return.objects.get(order=order)
    page = response.content.decode()
    assert response.status_code == 200
    assert (made.status, made.store, made.lines.get().quantity) == (R.REQUESTED, lyon_store, 2)
    assert made.number in page
    assert "<svg" in page
    assert made.created_by_label == f"guest:{order.email}"


def test_the_signed_in_customer_goes_straight_to_the_form(client, lyon_store, customer):
    order = received_order(Sold(lyon_store), customer=customer)
    client.force_login(customer)

    response = client.get(start_url(order))

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


def test_another_account_must_give_the_orders_email(client, lyon_store, customer, lyon_staff):
    order = received_order(Sold(lyon_store), customer=customer)
    client.force_login(lyon_staff)

    response = client.get(start_url(order))

    assert 'name="reason"' not in response.content.decode()
    assert 'name="email"' in response.content.decode()


def test_the_customer_can_send_it_by_post(client, lyon_store):
    from stores.models import Store
    from tests.factories import StoreFactory

    warehouse = StoreFactory(kind=Store.Kind.WAREHOUSE, name="Entrepôt Mâcon")
    order = received_order(Sold(lyon_store))
    client.post(start_url(order), {"email": order.email})

    response = client.post(start_url(order), form_data(order, lyon_store, method="post", store=""))

    assert response.status_code == 302
    assert Return.objects.get(order=order).store == warehouse


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"store": ""}, "store"),
        ({"reason": "nope"}, "reason"),
        ("too-many", "qty"),
        ("nothing", None),
    ],
    ids=["no-store", "bad-reason", "too-many", "nothing-chosen"],
)
def test_bad_return_forms_are_answered_with_errors(client, lyon_store, change, field):
    order = received_order(Sold(lyon_store, quantity=1))
    client.post(start_url(order), {"email": order.email})
    data = form_data(order, lyon_store)
    line = fulfilment_lines(order)[0]
    if change == "too-many":
        data[f"qty_{line.pk}"] = 5
    elif change == "nothing":
        data[f"qty_{line.pk}"] = 0
    else:
        data.update(change)

    response = client.post(start_url(order), data)

    assert response.status_code == 400
    assert not Return.objects.exists()
    if field:
        errors = response.context["form"].errors
        assert any(key.startswith(field) for key in errors)


def test_reserve_and_collect_items_say_why_they_are_not_returnable(client, lyon_store):
    order = received_order(Sold(lyon_store, method=M.RESERVE_COLLECT))
    client.post(start_url(order), {"email": order.email})

    page = client.get(start_url(order)).content.decode()

    assert "vente à distance" in page
    assert 'name="reason"' not in page


def test_the_customer_can_cancel_a_return_not_received_yet(client, lyon_store):
    order = received_order(Sold(lyon_store))
    made = started(order, lyon_store)
    client.post(start_url(order), {"email": order.email})

    client.post(reverse("returns:cancel", args=[order.number, made.number]))

    assert Return.objects.get(pk=made.pk).status == R.CANCELLED


def test_nearest_stores_come_first(client, lyon_store, paris_store):
    from stores.models import PostalCode

    PostalCode.objects.create(code="75011", city="Paris", latitude=48.8588, longitude=2.38)
    order = received_order(Sold(lyon_store))
    client.post(start_url(order), {"email": order.email})

    response = client.get(start_url(order), {"near": "75011"})

    choices = [label for value, label in response.context["form"].fields["store"].choices if value]
    assert paris_store.name in str(choices[0])
    assert response.context["form"].initial["store"] == paris_store.pk


# Returns desk -----------------------------------------------------------------------------


def test_the_desk_lists_what_to_receive_here(client, lyon_store, paris_store, lyon_owner):
    here = started(received_order(Sold(paris_store)), lyon_store)
    elsewhere = started(received_order(Sold(paris_store)), paris_store)
    client.force_login(lyon_owner)

    page = client.get(desk_url(lyon_store)).content.decode()

    assert here.number in page
    assert elsewhere.number not in page


def test_a_store_sees_the_returns_of_its_sales_received_elsewhere(
    client, lyon_store, paris_store, lyon_owner, paris_owner
):
    made = started(received_order(Sold(lyon_store)), paris_store)
    receive_return(return_request=made, store=paris_store, actor=paris_owner)
    client.force_login(lyon_owner)

    sales = client.get(desk_url(lyon_store), {"view": "sales"}).content.decode()
    detail = client.get(desk_url(lyon_store, "detail", made.number))

    assert made.number in sales
    assert detail.status_code == 200
    assert "Recevoir" not in detail.content.decode()
    assert "Contrôler les articles" not in detail.content.decode()


def test_another_stores_return_is_a_404(client, lyon_store, paris_store, paris_owner, lyon_owner):
    made = started(received_order(Sold(lyon_store)), lyon_store)
    receive_return(return_request=made, store=lyon_store, actor=lyon_owner)
    client.force_login(paris_owner)

    assert client.get(desk_url(paris_store, "detail", made.number)).status_code == 404
    assert client.post(desk_url(paris_store, "inspect", made.number)).status_code == 404
    assert client.get(desk_url(lyon_store)).status_code == 404


def test_a_return_announced_elsewhere_can_be_received_here(client, lyon_store, paris_store,
                                                          paris_owner):  # fmt: skip
    made = started(received_order(Sold(lyon_store)), lyon_store)
    client.force_login(paris_owner)

    found = client.get(desk_url(paris_store), {"q": made.number.lower()})
    client.post(desk_url(paris_store, "receive", made.number))

    assert found.status_code == 302
    assert Return.objects.get(pk=made.pk).store == paris_store


def test_the_desk_receives_inspects_and_restocks(client, lyon_store, paris_store, paris_owner):
    made = started(received_order(Sold(lyon_store, quantity=2), Sold(lyon_store)), paris_store)
    good, broken = made.lines.order_by("pk")
    client.force_login(paris_owner)

    client.post(desk_url(paris_store, "receive", made.number))
    response = client.post(
        desk_url(paris_store, "inspect", made.number),
        {
            f"condition_{good.pk}": "resalable", f"restock_{good.pk}": "on",
            f"refund_{good.pk}": "59,80",
            f"condition_{broken.pk}": "damaged", f"refund_{broken.pk}": "10",
        },
    )  # fmt: skip

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == R.INSPECTED
    assert StockLevel.objects.get(store=paris_store, variant=good.order_line.variant).on_hand == 2
    assert StockMovement.objects.filter(reason="return", reference=made.number).count() == 1
    broken.refresh_from_db()
    assert (broken.condition, broken.refund_cents, broken.restocked_quantity) == (
        ReturnLine.Condition.DAMAGED, 1000, 0,
    )  # fmt: skip
    assert made.refund_total_cents == 5980 + 1000


def test_a_bad_inspection_is_shown_with_its_errors(client, lyon_store, lyon_owner):
    made = started(received_order(Sold(lyon_store, unit_price_cents=2990)), lyon_store)
    line = made.lines.get()
    client.force_login(lyon_owner)
    client.post(desk_url(lyon_store, "receive", made.number))

    response = client.post(
        desk_url(lyon_store, "inspect", made.number),
        {f"condition_{line.pk}": "damaged", f"restock_{line.pk}": "on",
         f"refund_{line.pk}": "99"},
    )  # fmt: skip

    assert response.status_code == 400
    errors = response.context["inspection_form"].errors
    assert {f"restock_{line.pk}", f"refund_{line.pk}"} <= set(errors)
    assert Return.objects.get(pk=made.pk).status == R.RECEIVED


def test_a_walk_in_customer_returns_at_the_desk(client, lyon_store, paris_store, paris_owner):
    order = received_order(Sold(lyon_store, quantity=3))
    line = fulfilment_lines(order)[0]
    client.force_login(paris_owner)
    lookup = {"number": order.number.lower(), "email": order.email}
    url = desk_url(paris_store, "walk-in") + f"?number={lookup['number']}&email={order.email}"

    found = client.get(url)
    response = client.post(url, {f"qty_{line.pk}": 1, "reason": "does_not_fit"})

    assert found.status_code == 200
    assert order.lines.get().product_name in found.content.decode()
    made = Return.objects.get(order=order)
    assert response.status_code == 302
    assert (made.status, made.store, made.lines.get().quantity) == (R.RECEIVED, paris_store, 1)
    emails = set(OutboxMessage.objects.filter(kind="email").values_list("dedupe_key", flat=True))
    assert f"email:return-received:{made.pk}" in emails
    assert f"email:return-requested:{made.pk}" not in emails  # no "bring it to the store" mail


def test_a_walk_in_needs_the_right_email(client, lyon_store, lyon_owner):
    order = received_order(Sold(lyon_store))
    client.force_login(lyon_owner)

    response = client.get(desk_url(lyon_store, "walk-in"), {"number": order.number,
                                                            "email": "x@example.com"})  # fmt: skip

    assert response.status_code == 400
    assert order.lines.get().product_name not in response.content.decode()


def test_hq_sees_any_stores_desk(client, lyon_store, hq_admin):
    made = started(received_order(Sold(lyon_store)), lyon_store)
    client.force_login(hq_admin)

    assert made.number in client.get(desk_url(lyon_store)).content.decode()
    assert client.get(reverse("admin:fulfillment_return_changelist")).status_code == 200
    assert client.get(reverse("admin:fulfillment_return_change", args=[made.pk])).status_code == 200


def test_the_desk_list_has_bounded_queries(client, lyon_store, lyon_owner,
                                           django_assert_max_num_queries):  # fmt: skip
    for _ in range(5):
        started(received_order(Sold(lyon_store), Sold(lyon_store)), lyon_store)
    client.force_login(lyon_owner)

    # The back-office shell reads the store's DAC7 reminder banner (issue 13): one more.
    with django_assert_max_num_queries(15):
        response = client.get(desk_url(lyon_store))

    assert response.status_code == 200
