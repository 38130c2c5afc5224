"""HQ's catalogue admin: the category tree, products with their variants and images, the
catalogue import. Actions and the import call catalog.services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, When
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, npgettext
from django.views.decorators.http import require_POST

from network_marketplace.admin_base import ModelAdmin, SingletonModelAdmin, TabularInline
from network_marketplace.errors import DomainError

from . import importing, uploads
from .errors import CatalogueChangedDuringImport, InvalidImportFile
from .forms import CatalogueImportForm, CategoryAdminForm, ProductAdminForm, VariantAdminForm
from .models import SAFETY_FIELDS, Category, Product, ProductImage, StorefrontPolicy, Variant
from .money import format_cents
from .selectors import category_descendant_ids, category_tree, price_bounds_for_variants
from .services import (
    archive_product,
    import_catalogue,
    publish_product,
    record_hq_price_changes,
)

MAX_ERRORS_SHOWN = 500
EN_DASH = "\u2013"  # between the two ends of a range


def _percent(value) -> str:
    return "—" if value is None else f"{number_format(value.normalize())} %"


def imported_message(filename: str, counts: dict[str, int]) -> str:
    """What an applied import did to the variants, each count agreeing with its words ("1
    variante créée", "2 mises à jour")."""
    created, updated, unchanged = (
        counts["variants_created"],
        counts["variants_updated"],
        counts["variants_unchanged"],
    )
    return _("Catalogue imported from %(filename)s: %(created)s, %(updated)s, %(unchanged)s.") % {
        "filename": filename,
        "created": ngettext("%(count)d variant created", "%(count)d variants created", created)
        % {"count": created},
        "updated": npgettext("variants", "%(count)d updated", "%(count)d updated", updated)
        % {"count": updated},
        "unchanged": npgettext("variants", "%(count)d unchanged", "%(count)d unchanged", unchanged)
        % {"count": unchanged},
    }


def _bounds_label(bounds) -> str:
    if bounds.min_cents is None and bounds.max_cents is None:
        return _("unbounded")
    low, high = format_cents(bounds.min_cents) or "—", format_cents(bounds.max_cents) or "—"
    return f"{low} {EN_DASH} {high}"


class CategoryTreeFilter(admin.SimpleListFilter):
    """Filter by a category and everything below it, the choices indented as a tree."""

    title = _("category")
    parameter_name = "category"
    category_field = "category"

    def lookups(self, request, model_admin):
        return [
            (str(category.pk), f"{'— ' * depth}{category.name}")
            for category, depth in category_tree().in_order()
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        category = Category.objects.filter(pk=value).first()
        if category is None:
            return queryset.none()
        return queryset.filter(**{f"{self.category_field}__in": category_descendant_ids(category)})


class VariantCategoryTreeFilter(CategoryTreeFilter):
    category_field = "product__category"


@admin.register(Category)
class CategoryAdmin(ModelAdmin):
    form = CategoryAdminForm
    list_display = [
        "tree_label",
        "slug",
        "parent",
        "min_percent",
        "max_percent",
        "effective_bounds",
        "product_count",
    ]
    list_display_links = ["tree_label"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "position", "description"]}),
        (
            _("Store price bounds"),
            {
                "fields": ["min_price_percent", "max_price_percent"],
                "description": _(
                    "In percent of each variant's recommended retail price. Leave empty to "
                    "inherit the parent category's bounds; a variant's own bounds win over "
                    "its category's."
                ),
            },
        ),
    ]

    @staticmethod
    def _is_changelist(request) -> bool:
        match = request.resolver_match
        return bool(match and match.url_name == "catalog_category_changelist")

    def get_ordering(self, request):
        return ["tree_order"] if self._is_changelist(request) else super().get_ordering(request)

    def get_queryset(self, request):
        queryset = self.model._default_manager.select_related("parent")
        if self._is_changelist(request):
            # Parents before their children: the tree's order, computed from one query.
            order = [category.pk for category, _depth in category_tree().in_order()]
            queryset = queryset.annotate(
                tree_order=Case(
                    *[When(pk=pk, then=index) for index, pk in enumerate(order)],
                    default=len(order),
                    output_field=IntegerField(),
                ),
                product_total=Count("products"),
            )
        return queryset.order_by(*self.get_ordering(request))

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        tree = category_tree()
        depths = {category.pk: depth for category, depth in tree.in_order()}
        for category in changelist.result_list:
            category.tree_depth = depths.get(category.pk, 0)
            category.effective_percent = tree.percent_bounds(category.pk)
        return changelist

    @admin.display(description=_("name"), ordering="tree_order")
    def tree_label(self, category):
        return format_html(
            '<span style="padding-left:{}em">{}{}</span>',
            getattr(category, "tree_depth", 0) * 1.5,
            "↳ " if getattr(category, "tree_depth", 0) else "",
            category.name,
        )

    @admin.display(description=_("lowest (%)"))
    def min_percent(self, category):
        return _percent(category.min_price_percent)

    @admin.display(description=_("highest (%)"))
    def max_percent(self, category):
        return _percent(category.max_price_percent)

    @admin.display(description=_("bounds that apply"))
    def effective_bounds(self, category):
        low, high = getattr(category, "effective_percent", (None, None))
        if low is None and high is None:
            return _("unbounded")
        inherited = (low, high) != (category.min_price_percent, category.max_price_percent)
        label = f"{_percent(low)} {EN_DASH} {_percent(high)}"
        return _("%(bounds)s (inherited)") % {"bounds": label} if inherited else label

    @admin.display(description=_("products"), ordering="product_total")
    def product_count(self, category):
        return getattr(category, "product_total", "")


class VariantInline(TabularInline):
    model = Variant
    form = VariantAdminForm
    extra = 0
    fields = [
        "sku",
        "gtin",
        "options",
        "rrp_cents",
        "min_price_cents",
        "max_price_cents",
        "position",
        "is_active",
    ]


class ProductImageInline(TabularInline):
    model = ProductImage
    extra = 0
    fields = ["file", "alt", "position"]


@admin.register(Product)
class ProductAdmin(ModelAdmin):
    form = ProductAdminForm
    change_list_template = "admin/catalog/product/change_list.html"
    list_display = ["name", "category", "brand", "status", "variant_count", "last_updated"]
    list_filter = ["status", CategoryTreeFilter, "brand", "withdrawal_exempt"]
    list_select_related = ["category"]
    search_fields = ["name", "brand", "slug", "variants__sku", "variants__gtin"]
    autocomplete_fields = ["category"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "created", "last_updated"]
    inlines = [VariantInline, ProductImageInline]
    actions = ["publish", "archive"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_hq_price_changes(
            variant_ids=form.instance.variants.values_list("pk", flat=True), source="admin"
        )

    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "brand", "vat_rate", "status"]}),
        (_("Description"), {"fields": ["description", "attributes"]}),
        (
            _("Product safety"),
            {
                "fields": list(SAFETY_FIELDS),
                "description": _(
                    "Shown on the product page (GPSR art. 19, DSA art. 31). All are required "
                    "before the product can be published."
                ),
            },
        ),
        (
            _("Right of withdrawal"),
            {
                "fields": ["withdrawal_exempt", "withdrawal_exemption"],
                "description": _(
                    "A product the law exempts (Code de la consommation, art. L221-28) has no "
                    "14-day withdrawal period: customers can't withdraw from it online."
                ),
            },
        ),
        (_("History"), {"fields": ["created", "last_updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(variant_total=Count("variants"))

    @admin.display(description=_("variants"), ordering="variant_total")
    def variant_count(self, product):
        return getattr(product, "variant_total", "")

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, product):
        return product.created_at

    @admin.display(description=_("last updated"), ordering="updated_at")
    def last_updated(self, product):
        return product.updated_at

    def _change_status(self, request, queryset, service, done_message):
        changed = 0
        for product in queryset:
            try:
                service(product=product, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{product.name}: {exc.message}", level=messages.ERROR)
                continue
            changed += 1
        if changed:
            self.message_user(request, done_message(changed), level=messages.SUCCESS)

    @admin.action(description=_("Publish the selected products"))
    def publish(self, request, queryset):
        self._change_status(
            request,
            queryset,
            publish_product,
            lambda count: (
                ngettext("%(count)d product published.", "%(count)d products published.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Archive the selected products"))
    def archive(self, request, queryset):
        self._change_status(
            request,
            queryset,
            archive_product,
            lambda count: (
                ngettext("%(count)d product archived.", "%(count)d products archived.", count)
                % {"count": count}
            ),
        )

    # --- The catalogue import: upload → dry-run report → apply ---------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="catalog_product_import"),
            path(
                "import/apply/",
                wrap(require_POST(self.import_apply_view)),
                name="catalog_product_import_apply",
            ),
            path(
                "import/template.csv",
                wrap(self.import_template_view),
                name="catalog_product_import_template",
            ),
            *super().get_urls(),
        ]

    def _check_import_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def _import_context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import the catalogue"),
            "required_columns": [*importing.REQUIRED_COLUMNS, "category_slug / category_path"],
            "optional_columns": [*importing.OPTIONAL_COLUMNS, "option_…"],
            **extra,
        }

    def import_view(self, request):
        self._check_import_permission(request)
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                report = import_catalogue(data=data, filename=upload.name, actor=request.user)
            except InvalidImportFile as exc:
                form.add_error("file", exc.message)
            else:
                token = uploads.keep_upload(request, data=data, filename=upload.name)
                return self._report_response(request, report, token=token)
        return TemplateResponse(
            request,
            "admin/catalog/product/import_form.html",
            self._import_context(request, form=form),
        )

    def import_apply_view(self, request):
        self._check_import_permission(request)
        token = request.POST.get("token", "")
        kept = uploads.load_upload(request, token)
        if kept is None:
            self.message_user(
                request,
                _("This import has expired or was already applied: upload the file again."),
                level=messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:catalog_product_import"))
        data, filename = kept
        try:
            report = import_catalogue(data=data, filename=filename, actor=request.user, apply=True)
        except InvalidImportFile as exc:
            uploads.discard_upload(request, token)
            self.message_user(request, exc.message, level=messages.ERROR)
            return HttpResponseRedirect(reverse("admin:catalog_product_import"))
        except CatalogueChangedDuringImport:
            self.message_user(
                request,
                _("The catalogue changed during the import: nothing was written. Check again."),
                level=messages.ERROR,
            )
            return self._report_response(
                request,
                import_catalogue(data=data, filename=filename, actor=request.user),
                token=token,
            )
        if not report.applied:
            # The catalogue changed since the dry run: show what now stands in the way.
            return self._report_response(request, report, token=token)
        uploads.discard_upload(request, token)
        counts = report.counts()
        self.message_user(request, imported_message(filename, counts), level=messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:catalog_product_changelist"))

    def _report_response(self, request, report, *, token):
        return TemplateResponse(
            request,
            "admin/catalog/product/import_report.html",
            self._import_context(
                request,
                title=_("Import the catalogue: check"),
                report=report,
                token=token,
                errors_shown=report.errors[:MAX_ERRORS_SHOWN],
                form=CatalogueImportForm(),
            ),
        )

    def import_template_view(self, request):
        self._check_import_permission(request)
        response = HttpResponse(
            "product_slug,product_name,category_slug,brand,description,vat_rate,status,"
            "sku,gtin,option_size,option_colour,rrp,min_price,max_price,"
            "manufacturer_name,manufacturer_address,manufacturer_contact,"
            "eu_responsible_person,product_identifier,safety_information\n"
            'beche-inox,Bêche inox,outils,Fiskars,"Bêche à lame inox, manche frêne",20,draft,'
            'BEC-INOX-M,3760123456781,M,vert,"29,90","25,00","34,90",'
            'Fiskars France SAS,"1 rue de l\'Usine, 69001 Lyon",contact@fiskars.example,'
            "Fiskars France SAS (manufacturer in the EU),BEC-INOX,"
            '"Lame tranchante : ranger hors de portée des enfants."\n',
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="catalogue-template.csv"'
        return response


@admin.register(Variant)
class VariantAdmin(ModelAdmin):
    form = VariantAdminForm
    list_display = [
        "sku",
        "gtin",
        "product_name",
        "option_label",
        "rrp",
        "effective_bounds",
        "is_active",
    ]
    list_filter = ["is_active", "product__status", VariantCategoryTreeFilter]
    list_select_related = ["product"]
    search_fields = ["sku", "gtin", "product__name"]
    autocomplete_fields = ["product"]
    readonly_fields = ["bounds_that_apply"]
    fields = [
        "product",
        "sku",
        "gtin",
        "options",
        "rrp_cents",
        "min_price_cents",
        "max_price_cents",
        "bounds_that_apply",
        "position",
        "is_active",
        "promotion_started_at",
        "promotion_ends_at",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_hq_price_changes(variant_ids=[obj.pk], source="admin")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        bounds = price_bounds_for_variants(changelist.result_list)
        for variant in changelist.result_list:
            variant.price_bounds = bounds[variant.pk]
        return changelist

    @admin.display(description=_("product"), ordering="product__name")
    def product_name(self, variant):
        return variant.product.name

    @admin.display(description=_("options"))
    def option_label(self, variant):
        return variant.option_label

    @admin.display(description=_("RRP"), ordering="rrp_cents")
    def rrp(self, variant):
        return format_cents(variant.rrp_cents)

    @admin.display(description=_("store price bounds"))
    def effective_bounds(self, variant):
        return _bounds_label(variant.price_bounds)

    @admin.display(description=_("store price bounds that apply"))
    def bounds_that_apply(self, variant):
        if variant is None or variant.pk is None:
            return "—"
        return _bounds_label(price_bounds_for_variants([variant])[variant.pk])


@admin.register(StorefrontPolicy)
class StorefrontPolicyAdmin(SingletonModelAdmin):
    """How stale HQ lets the storefront's cached listings be (catalog.cache)."""

    list_display = ["__str__", "listing_max_age_seconds", "updated_at"]
    audit_action = "storefront_policy.changed"
