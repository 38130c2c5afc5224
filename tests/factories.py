from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from stores.models import Store, StoreMembership

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = "Alex"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    name = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")
    kind = Store.Kind.FRANCHISE
    status = Store.Status.ACTIVE
    address_line = "1 place Bellecour"
    postal_code = "69002"
    city = "Lyon"
    latitude = Decimal("45.757800")
    longitude = Decimal("4.832000")
    email = factory.LazyAttribute(lambda store: f"{store.slug}@stores.example.com")
    phone = "+33 4 72 00 00 00"
    company_name = factory.LazyAttribute(lambda store: f"SARL {store.name}")
    registration_number = "RCS Lyon 812 345 672"
    vat_number = "FR45812345672"
    legal_address = "1 place Bellecour, 69002 Lyon"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreMembership

    user = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    role = StoreMembership.Role.OWNER


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Category"

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Product"

    name = factory.Sequence(lambda n: f"Sécateur {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    category = factory.SubFactory(CategoryFactory)
    brand = "Ardoise"
    status = "published"
    manufacturer_name = "Forgeval SAS"
    manufacturer_address = "4 rue des Forges, 42000 Saint-Étienne, France"
    manufacturer_contact = "contact@forgeval.example"
    eu_responsible_person = "Forgeval SAS (manufacturer established in the EU)"
    product_identifier = factory.LazyAttribute(lambda product: f"Model {product.slug}")
    safety_information = "Lame tranchante : tenir hors de portée des enfants."


def _ean13(n: int) -> str:
    from catalog.validators import gs1_check_digit

    body = f"376000{n:06d}"
    return body + str(gs1_check_digit(body))


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Variant"

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    gtin = factory.Sequence(_ean13)
    rrp_cents = 2990
    options = factory.LazyFunction(dict)


class StockLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stores.StockLevel"

    store = factory.SubFactory(StoreFactory)
    variant = factory.SubFactory(VariantFactory)
    on_hand = 10
    reserved = 0
    safety_stock = 0
