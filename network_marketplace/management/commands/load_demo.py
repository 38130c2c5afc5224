import functools

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from catalog.models import Product, Variant
from network_marketplace import demo
from network_marketplace.demo_loader import (
    load_catalogue,
    load_orders,
    load_reductions,
    load_stock,
    store_catchments,
)
from orders.models import Order
from stores.models import StockLevel, StockMovement, Store, StoreMembership
from stores.postal_codes import load_postal_codes


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once for all the demo logins: 34 hashes of the same password took seconds.
    return make_password(demo.DEMO_PASSWORD)


def _user(email: str, *, first_name: str = "", is_staff: bool = False):
    user, _created = get_user_model().objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "is_staff": is_staff,
            "is_superuser": is_staff,
            "password": _demo_password_hash(),
        },
    )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


class Command(BaseCommand):
    help = "Load the demo network (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        # The demo orders' e-mails (confirmation, ready...) are kept in memory, not printed.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            postal_codes, catalogue, new_stock_rows = self._load()
        self._print_summary(postal_codes, catalogue, new_stock_rows)
        self._print_logins()

    def _load(self):
        Site.objects.update_or_create(
            pk=1, defaults={"domain": "127.0.0.1:8000", "name": "Ardoise"}
        )
        _user(demo.HQ_EMAIL, first_name="Camille", is_staff=True)
        _user(demo.CUSTOMER_EMAIL, first_name="Léa")
        postal_codes = load_postal_codes()
        catchments = store_catchments()
        for index, spec in enumerate(demo.DEMO_STORES):
            store, _created = Store.objects.update_or_create(
                slug=spec.slug,
                defaults={
                    "name": spec.name,
                    "kind": spec.kind,
                    "status": Store.Status.ACTIVE,
                    "address_line": spec.address_line,
                    "postal_code": spec.postal_code,
                    "city": spec.city,
                    "email": spec.owner_email,
                    "phone": f"+33 1 80 00 {index:02d} {index * 3 % 100:02d}",
                    **demo.trader_identity(spec, index),
                    **demo.store_profile(spec, index),
                    "catchment_postal_codes": catchments.get(spec.slug, []),
                },
            )
            owner = _user(spec.owner_email)
            StoreMembership.objects.get_or_create(
                user=owner, store=store, defaults={"role": StoreMembership.Role.OWNER}
            )
        catalogue = load_catalogue()
        new_stock_rows = load_stock()
        load_reductions()
        load_orders()
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
            f"{StockMovement.objects.count()} stock movements, {Order.objects.count()} orders."
        )

    def _print_logins(self):
        out = self.stdout
        out.write(
            self.style.SUCCESS("Demo network ready. Every login's password: ") + demo.DEMO_PASSWORD
        )
        out.write(f"  HQ admin (Django admin at /admin/): {demo.HQ_EMAIL}")
        out.write(f"  Customer (storefront at /):        {demo.CUSTOMER_EMAIL}")
        out.write("  Store owners (back-office at /store/):")
        for spec in demo.DEMO_STORES:
            out.write(f"    {spec.owner_email:<38} {spec.name}")
