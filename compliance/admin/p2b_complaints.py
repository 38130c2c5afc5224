"""HQ handles the stores' complaints (P2B art. 11): the queue with each deadline, the thread,
an answer, the decision; the annual report as CSV (art. 11(4)). And the stores' data exports."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_marketplace.admin_base import ReadOnlyModelAdmin, StatusEventInline, TabularInline
from network_marketplace.errors import DomainError

from ..models import StoreComplaint, StoreComplaintEvent, StoreComplaintMessage, StoreDataExport
from ..p2b_forms import CloseComplaintForm, ComplaintMessageForm
from ..selectors.store_complaints import complaint_report_csv
from ..services import store_complaints


class MessageInline(TabularInline):
    model = StoreComplaintMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "from_hq", "author_label", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ComplaintEventInline(StatusEventInline):
    model = StoreComplaintEvent


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        open_ones = queryset.exclude(status=StoreComplaint.Status.CLOSED)
        if self.value() == "yes":
            return open_ones.filter(due_at__lt=timezone.now())
        if self.value() == "no":
            return open_ones.filter(due_at__gte=timezone.now())
        return queryset


@admin.register(StoreComplaint)
class StoreComplaintAdmin(ReadOnlyModelAdmin):
    list_display = [
        "reference",
        "store",
        "kind",
        "subject",
        "created_at",
        "due_at",
        "deadline",
        "status",
        "outcome",
    ]
    list_filter = ["status", OverdueFilter, "kind", "outcome"]
    search_fields = ["reference", "subject", "store__name"]
    ordering = ["status", "due_at"]
    inlines = [MessageInline, ComplaintEventInline]
    exclude = ["opened_by"]
    change_form_template = "admin/compliance/storecomplaint/change_form.html"
    change_list_template = "admin/compliance/storecomplaint/change_list.html"

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.display(description=_("deadline"))
    def deadline(self, complaint):
        if complaint.status == StoreComplaint.Status.CLOSED:
            return "—"
        days = (complaint.due_at - timezone.now()).days
        if days < 0:
            return format_html('<strong style="color:#b42318">{}</strong>', _("Overdue"))
        return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("report/", wrap(self.report_view), name="compliance_storecomplaint_report"),
            path(
                "<int:pk>/answer/", wrap(self.answer_view), name="compliance_storecomplaint_answer"
            ),
            path("<int:pk>/close/", wrap(self.close_view), name="compliance_storecomplaint_close"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "answer_form": ComplaintMessageForm(),
            "close_form": CloseComplaintForm(),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _back(self, pk):
        return redirect(reverse("admin:compliance_storecomplaint_change", args=[pk]))

    def answer_view(self, request, pk):
        complaint = get_object_or_404(StoreComplaint, pk=pk)
        form = ComplaintMessageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                store_complaints.add_complaint_message(
                    complaint=complaint,
                    body=form.cleaned_data["body"],
                    from_hq=True,
                    actor=request.user,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Answer sent to the store."))
        elif request.method == "POST":
            messages.error(request, _("Write a message."))
        return self._back(pk)

    def close_view(self, request, pk):
        complaint = get_object_or_404(StoreComplaint, pk=pk)
        form = CloseComplaintForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                store_complaints.close_store_complaint(
                    complaint=complaint,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["outcome_note"],
                    actor=request.user,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Complaint closed; the store sees the decision."))
        elif request.method == "POST":
            messages.error(request, _("Choose the outcome and give the decision's reasons."))
        return self._back(pk)

    def report_view(self, request):
        """The annual report (art. 11(4)) of a calendar year (?year=, default this year)."""
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        response = HttpResponse(complaint_report_csv(year), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="reclamations-magasins-{year}.csv"'
        return response


@admin.register(StoreDataExport)
class StoreDataExportAdmin(ReadOnlyModelAdmin):
    list_display = ["store", "created_at", "requested_by_label", "status", "progress", "size_bytes"]
    list_filter = ["status"]
    search_fields = ["store__name"]
    exclude = ["archive"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("archive")
