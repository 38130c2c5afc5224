"""`manage.py load_demo`: the demo network of demo/data/, loaded in one transaction."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from catalog.models import Product, Variant
from demo.loader import (
    load_catalogue,
    load_compliance,
    load_marketing,
    load_network,
    load_orders,
    load_reductions,
    load_scorecards,
    load_stock,
)
from demo.mailbox import MAILBOX_BACKEND
from demo.marketing import marketing_supplier_logins
from demo.network import network
from demo.profiles import load_store_profiles
from demo.returns import load_settled_return
from demo.tax import load_tax_data
from orders.models import Order
from stores.models import StockLevel, StockMovement, Store
from stores.postal_codes import load_postal_codes

IN_MEMORY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "Load the demo network (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        # The demo orders' e-mails (confirmation, ready with its pickup code...) go to the demo
        # mailbox in the demo; elsewhere (the demo data on a production-shaped install) they
        # are kept in memory, never sent to the demo's made-up addresses.
        backend = MAILBOX_BACKEND if settings.DEMO else IN_MEMORY_BACKEND
        with override_settings(EMAIL_BACKEND=backend), transaction.atomic():
            postal_codes, catalogue, new_stock_rows = self._load()
        self._print_summary(postal_codes, catalogue, new_stock_rows)
        self._print_logins()

    def _load(self):
        postal_codes = load_postal_codes()  # the stores' catchments are drawn from them
        load_network()
        catalogue = load_catalogue()
        new_stock_rows = load_stock()
        load_reductions()
        load_orders()
        load_settled_return()
        self.marketing = load_marketing()
        load_compliance()
        load_tax_data()
        load_scorecards()
        load_store_profiles()
        return postal_codes, catalogue, new_stock_rows

    def _print_summary(self, postal_codes, catalogue, new_stock_rows):
        out = self.stdout
        out.write(
            self.style.SUCCESS("Demo data loaded: ")
            + f"{Store.objects.count()} stores, {postal_codes} postal codes, "
            f"{catalogue.categories} categories, "
            f"{Product.objects.published().count()} published products "
            f"({catalogue.products} in all), {Variant.objects.count()} variants, "
            f"{StockLevel.objects.count()} stock rows ({new_stock_rows} new), "
            f"{StockMovement.objects.count()} stock movements, {Order.objects.count()} orders; "
            f"marketing: {self.marketing.items} items, {self.marketing.orders} orders, "
            f"{self.marketing.subscriptions} subscriptions."
        )

    def _print_logins(self):
        demo = network()
        out = self.stdout
        out.write(
            self.style.SUCCESS("Demo network ready. Every login's password: ") + demo.password
        )
        out.write(f"  HQ admin (Django admin at /admin/): {demo.hq.email}")
        out.write(f"  Customer (storefront at /):        {demo.customer.email}")
        for login in marketing_supplier_logins():
            out.write(f"  Marketing supplier (portal at /supplier/): {login}")
        out.write("  Store owners (back-office at /store/):")
        for spec in demo.stores:
            out.write(f"    {spec.owner_email:<38} {spec.name}")
