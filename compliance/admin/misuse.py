"""Misuse (DSA art. 23) in HQ's admin: the marks per account, and the suspensions of notice
handling. HQ marks from the decision it takes (notices, complaints, measures): the actions
there call compliance.services.misuse.mark_misuse."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import MisuseRecord, NotifierSuspension


@admin.register(MisuseRecord)
class MisuseRecordAdmin(admin.ModelAdmin):
    list_display = ["kind", "account", "source", "marked_at", "marked_by"]
    list_filter = ["kind"]
    search_fields = ["email", "store__name", "user__email", "source"]
    readonly_fields = ["kind", "store", "user", "email", "source", "note", "marked_by", "marked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("account"))
    def account(self, record):
        return record.store or record.user or record.email


@admin.register(NotifierSuspension)
class NotifierSuspensionAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "starts_at", "ends_at", "decided_by_label"]
    search_fields = ["email"]
    readonly_fields = ["email", "kind", "starts_at", "ends_at", "reasons", "decided_by_label"]

    def has_add_permission(self, request):
        return False
