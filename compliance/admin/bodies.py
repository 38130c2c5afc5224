"""The out-of-court settlement bodies HQ lists (art. 21) and the register of disputes."""

from __future__ import annotations

from django.contrib import admin

from network_marketplace.admin_base import ModelAdmin

from ..models import DisputeRecord, OutOfCourtBody


@admin.register(OutOfCourtBody)
class OutOfCourtBodyAdmin(ModelAdmin):
    list_display = ["name", "website", "certified_by", "areas", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(DisputeRecord)
class DisputeRecordAdmin(ModelAdmin):
    list_display = ["body", "body_reference", "opened_at", "outcome", "closed_at", "complied_at"]
    list_filter = ["outcome", "body"]
    search_fields = ["body_reference", "notes"]
    raw_id_fields = ["complaint", "measure", "notice"]
    date_hierarchy = "opened_at"
