import os
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Fulfilment, FulfilmentLine
from network_marketplace.models import OutboxMessage
from orders.models import FulfilmentMethod, Order, OrderLine
from stores.models import PostalCode, StockLevel, Store
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory


def make_fulfilment(*, store, method=FulfilmentMethod.CLICK_COLLECT, quantity=1, **fields):
    variant = VariantFactory(rrp_cents=2990)
    order = Order.objects.create(
        status=Order.Status.PLACED, placed_at=timezone.now(), email="lea@example.com",
        first_name="Léa", last_name="Martin",
        subtotal_cents=2990 * quantity, total_cents=2990 * quantity, vat_cents=498 * quantity,
    )  # fmt: skip
    order.number = f"ARD-{order.pk:07d}"
    order.save(update_fields=["number"])
    line = OrderLine.objects.create(
        order=order, variant=variant, product_name=variant.product.name, sku=variant.sku,
        quantity=quantity, unit_price_cents=2990, vat_percent=20, total_cents=2990 * quantity,
        vat_cents=498 * quantity, method=method,
        chosen_store=None if method == FulfilmentMethod.HOME_DELIVERY else store,
    )  # fmt: skip
    fulfilment = Fulfilment.objects.create(order=order, store=store, method=method, **fields)
    FulfilmentLine.objects.create(fulfilment=fulfilment, order_line=line, quantity=quantity)
    return fulfilment


@pytest.fixture
def click_collect(lyon_store):
    return make_fulfilment(store=lyon_store, method=FulfilmentMethod.CLICK_COLLECT)


@pytest.fixture
def home_delivery(lyon_store):
    return make_fulfilment(store=lyon_store, method=FulfilmentMethod.HOME_DELIVERY)


@pytest.fixture
def reserve_collect(lyon_store):
    return make_fulfilment(store=lyon_store, method=FulfilmentMethod.RESERVE_COLLECT)


# A small network around Lyon, and orders placed through the real checkout ---------------------

LEA = CustomerDetails(
    email="lea@example.com", first_name="Léa", last_name="Martin",
    address_line="3 rue Mercière", postal_code="69002", city="Lyon",
)  # fmt: skip


@dataclass
class Network:
    warehouse: Store
    lyon: Store  # nearest the customer
    villeurbanne: Store
    caluire: Store
    secateur: object  # a variant each location has

    def stock(self, store, variant=None) -> StockLevel:
        return StockLevel.objects.get(store=store, variant=variant or self.secateur)


@pytest.fixture
def network(lyon_store):
    PostalCode.objects.create(code="69002", city="Lyon", latitude=45.7550, longitude=4.8290)
    warehouse = StoreFactory(
        name="Entrepôt de Saint-Quentin", slug="entrepot", kind=Store.Kind.WAREHOUSE,
        latitude=Decimal("45.643600"), longitude=Decimal("5.110600"),
    )  # fmt: skip
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", slug="villeurbanne", city="Villeurbanne",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    caluire = StoreFactory(
        name="Ardoise Caluire", slug="caluire", city="Caluire-et-Cuire",
        latitude=Decimal("45.795000"), longitude=Decimal("4.846000"),
    )  # fmt: skip
    secateur = VariantFactory(rrp_cents=2990)
    for store in (warehouse, lyon_store, villeurbanne, caluire):
        StockLevelFactory(store=store, variant=secateur, on_hand=10, price_cents=2990)
    return Network(warehouse, lyon_store, villeurbanne, caluire, secateur)


def order_for(*lines, customer=LEA):
    """Place an order through the checkout: lines are (variant, quantity, method, store)."""
    return place_order(
        customer=customer,
        lines=[CheckoutLine(variant, quantity, method, store) for variant, quantity, method, store
               in lines],
        actor="storefront",
    )  # fmt: skip


def home(variant, quantity=1):
    return (variant, quantity, FulfilmentMethod.HOME_DELIVERY, None)


def click_and_collect(variant, store, quantity=1):
    return (variant, quantity, FulfilmentMethod.CLICK_COLLECT, store)


def reserve_and_collect(variant, store, quantity=1):
    return (variant, quantity, FulfilmentMethod.RESERVE_COLLECT, store)


def emails_sent(template: str) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(kind="email", payload__template=template).order_by("pk")
    )


@pytest.fixture
def start_worker(transactional_db):
    """Start real `celery worker` processes on the Redis broker, one after the other, all on
    one queue of this test's own: `start()` returns the process (a test may SIGKILL it).
    Tasks sent without a queue, by the test or by the worker, go to that queue."""
    import subprocess
    import sys
    import uuid

    from django.conf import settings

    from config.celery import app as celery_app
    from tests.network_marketplace.conftest import (
        ROOT,
        _database_url_of_this_test,
        _wait_for_worker,
    )

    if settings.EMBEDDED:
        pytest.fail("REDIS_URL must point at a Redis server: `make test` sets it.")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    started: list[tuple[subprocess.Popen, object]] = []
    celery_app.conf.task_always_eager = False
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue

    def start() -> subprocess.Popen:
        name = f"{queue}-{len(started)}"
        env = {
            **os.environ, "DATABASE_URL": _database_url_of_this_test(),
            "REDIS_URL": settings.REDIS_URL, "PYTHONUNBUFFERED": "1",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
        }  # fmt: skip
        log = open(ROOT / "artifacts" / f"celery-{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool", "solo", "--queues", queue, "--hostname", f"{name}@%h",
                "--without-mingle", "--without-gossip", "--loglevel", "INFO",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, log))
        _wait_for_worker(f"{name}@", process)
        return process

    start.queue = queue
    try:
        yield start
    finally:
        celery_app.conf.task_default_queue = default_queue
        for process, log in started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            log.close()
