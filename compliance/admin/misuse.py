"""Misuse (DSA art. 23) in HQ's admin: the marks per account, and the suspensions of notice
handling. HQ marks from the decision it takes (notices, complaints, measures): the actions
there call compliance.services.misuse.mark_misuse."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.admin_base import ModelAdmin
from network_marketplace.errors import DomainError

from ..models import MisuseKind, MisuseRecord, NotifierSuspension
from ..services.misuse import mark_misuse
from .complaints import ComplaintAdmin
from .measures import MeasureAdmin
from .notices import NoticeAdmin


@admin.register(MisuseRecord)
class MisuseRecordAdmin(ModelAdmin):
    list_display = ["kind", "account", "source", "marked_at", "marked_by"]
    list_filter = ["kind"]
    search_fields = ["email", "store__name", "user__email", "source"]
    readonly_fields = ["kind", "store", "user", "email", "source", "note", "marked_by", "marked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("account"))
    def account(self, record):
        return record.store or record.user or record.email


@admin.register(NotifierSuspension)
class NotifierSuspensionAdmin(ModelAdmin):
    list_display = ["email", "kind", "starts_at", "ends_at", "decided_by_label"]
    search_fields = ["email"]
    readonly_fields = ["email", "kind", "starts_at", "ends_at", "reasons", "decided_by_label"]

    def has_add_permission(self, request):
        return False


# HQ marks a manifest case from the record it decided: actions added to the notice, complaint
# and measure admins (C1's), so that the mark sits next to the decision.


def _mark(modeladmin, request, queryset, *, kind, account_of, source_prefix):
    done, skipped = 0, 0
    for row in queryset:
        account = account_of(row)
        if account is None:
            skipped += 1
            continue
        try:
            outcome = mark_misuse(
                kind=kind, source=f"{source_prefix}:{row.pk}", actor=request.user, **account
            )
        except DomainError as exc:
            modeladmin.message_user(request, f"{row}: {exc.message}", messages.ERROR)
            continue
        done += 1
        if outcome.action:
            modeladmin.message_user(
                request,
                (
                    _("%(row)s: %(count)d cases in the window: a warning is sent.")
                    if outcome.action == "warning"
                    else _("%(row)s: %(count)d cases in the window: a suspension is decided.")
                )
                % {"row": row, "count": outcome.count},
                messages.WARNING,
            )
    if done:
        modeladmin.message_user(request, _("Marked as misuse: %(count)d.") % {"count": done})
    if skipped:
        modeladmin.message_user(
            request,
            _("%(count)d without an account to hold it against.") % {"count": skipped},
            messages.WARNING,
        )


def _notifier_of(notice):
    email = notice.notifier_email or (notice.notifier_user.email if notice.notifier_user else "")
    return {"email": email, "user": notice.notifier_user} if email else None


def _complainant_of(complaint):
    return {
        "email": complaint.contact_email,
        "store": complaint.complainant_store,
        "user": complaint.complainant_user,
    }


def _provider_of(measure):
    if measure.store_id:
        return {"store": measure.store}
    return {"user": measure.user} if measure.user_id else None


@admin.action(description=gettext_lazy("Mark as manifestly unfounded notices (art. 23)"))
def mark_unfounded_notices(modeladmin, request, queryset):
    _mark(
        modeladmin,
        request,
        queryset,
        kind=MisuseKind.UNFOUNDED_NOTICE,
        account_of=_notifier_of,
        source_prefix="notice",
    )


@admin.action(description=gettext_lazy("Mark as manifestly unfounded complaints (art. 23)"))
def mark_unfounded_complaints(modeladmin, request, queryset):
    _mark(
        modeladmin,
        request,
        queryset,
        kind=MisuseKind.UNFOUNDED_COMPLAINT,
        account_of=_complainant_of,
        source_prefix="complaint",
    )


@admin.action(description=gettext_lazy("Mark as manifestly illegal content (art. 23)"))
def mark_illegal_content(modeladmin, request, queryset):
    _mark(
        modeladmin,
        request,
        queryset,
        kind=MisuseKind.ILLEGAL_CONTENT,
        account_of=_provider_of,
        source_prefix="measure",
    )


NoticeAdmin.actions = [*(NoticeAdmin.actions or []), mark_unfounded_notices]
ComplaintAdmin.actions = [*(ComplaintAdmin.actions or []), mark_unfounded_complaints]
MeasureAdmin.actions = [*(MeasureAdmin.actions or []), mark_illegal_content]
