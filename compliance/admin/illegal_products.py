"""HQ confirms that a product is illegal (DSA art. 32): the add form is the confirmation (its
box must be ticked); the buyers of the last 6 months are then told by the job, on commit. Each
case lists its buyers as recorded (e-mailed, or without contact)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ModelAdmin, TabularInline

from ..models import IllegalProductBuyer, IllegalProductCase
from ..services.illegal_products import confirm_illegal_product
from ..tasks import notify_illegal_product_buyers


class ConfirmIllegalProductForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that this product is illegal: its listing is withdrawn and every buyer "
            "of the last 6 months is told by e-mail."
        ),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )

    class Meta:
        model = IllegalProductCase
        fields = ["product", "illegality", "legal_ground"]


class BuyerInline(TabularInline):
    model = IllegalProductBuyer
    extra = 0
    can_delete = False
    fields = ["buyer_key", "outcome", "order_numbers", "sellers", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IllegalProductCase)
class IllegalProductCaseAdmin(ModelAdmin):
    list_display = ["product_name", "confirmed_at", "buyers_told", "buyers_without_contact"]
    search_fields = ["product_name", "product__slug"]
    autocomplete_fields = ["product"]
    inlines = [BuyerInline]
    actions = ["tell_buyers"]

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ConfirmIllegalProductForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["product", "illegality", "legal_ground", "confirm"]
        return [
            "product",
            "product_name",
            "illegality",
            "legal_ground",
            "buyers_since",
            "confirmed_by",
            "confirmed_at",
            "buyers_recorded_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        case = confirm_illegal_product(
            product=form.cleaned_data["product"],
            illegality=form.cleaned_data["illegality"],
            legal_ground=form.cleaned_data["legal_ground"],
            actor=request.user,
        )
        obj.pk = case.pk
        transaction.on_commit(lambda: notify_illegal_product_buyers.delay(case.pk))

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.display(description=_("buyers e-mailed"))
    def buyers_told(self, case):
        return case.buyers.filter(outcome=IllegalProductBuyer.Outcome.EMAILED).count()

    @admin.display(description=_("buyers without contact"))
    def buyers_without_contact(self, case):
        return case.buyers.filter(outcome=IllegalProductBuyer.Outcome.NO_CONTACT).count()

    @admin.action(description=_("Tell the buyers not told yet (each buyer once)"))
    def tell_buyers(self, request, queryset):
        for case in queryset:
            notify_illegal_product_buyers.delay(case.pk)
        self.message_user(request, _("The buyers are being told."), messages.SUCCESS)
