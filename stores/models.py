from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoreQuerySet(models.QuerySet):
    def for_user(self, user) -> StoreQuerySet:
        """The stores a user may see in the back-office: all for HQ staff, else their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(memberships__user=user).distinct()

    def selling(self) -> StoreQuerySet:
        return self.filter(status=Store.Status.ACTIVE).exclude(kind=Store.Kind.WAREHOUSE)


class Store(models.Model):
    """A location of the network that holds stock: a franchise store, a branch or a warehouse.

    A store is also a trader on the marketplace: its legal identity is what the DSA requires the
    marketplace to collect before the store may sell.
    """

    class Kind(models.TextChoices):
        FRANCHISE = "franchise", _("Franchise store")
        BRANCH = "branch", _("Branch")
        WAREHOUSE = "warehouse", _("Warehouse")

    class Status(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FRANCHISE)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ONBOARDING
    )

    address_line = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="FR")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    # The trader's legal identity (DSA art. 30 traceability).
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    legal_address = models.CharField(_("legal address"), max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoreQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="store_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StoreMembership(models.Model):
    """Links a user to a store with a role; a user may work for several stores."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_memberships"
    )
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("store membership")
        verbose_name_plural = _("store memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "store"], name="membership_user_store_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.store} ({self.get_role_display()})"

    @property
    def can_manage(self) -> bool:
        return self.role in {self.Role.OWNER, self.Role.MANAGER}


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)

    def for_store(self, store: Store) -> ApiKeyQuerySet:
        return self.filter(store=store)


class ApiKey(models.Model):
    """An integrator's key. It belongs to one store (acts as that store) or to HQ (no store).

    Only a SHA-256 digest of the secret is stored; the secret is shown once, at creation.
    `prefix` is the public, indexed part used to find the key before comparing digests.
    """

    store = models.ForeignKey(
        Store, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        owner = self.store.name if self.store_id else "HQ"
        return f"{self.name} ({owner}, {self.prefix}…)"

    @property
    def is_hq(self) -> bool:
        return self.store_id is None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
