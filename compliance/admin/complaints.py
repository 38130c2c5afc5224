"""Complaints in admin (DSA art. 20): a person decides, upheld reverses the measure."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_marketplace.admin_base import ReadOnlyModelAdmin, StatusEventInline
from network_marketplace.errors import DomainError

from ..models import Complaint, ComplaintEvent
from ..services import decide_complaint
from .base import decision_page
from .forms import ComplaintDecisionForm


class ComplaintEventInline(StatusEventInline):
    model = ComplaintEvent


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyModelAdmin):
    list_display = [
        "reference",
        "complainant",
        "measure",
        "notice",
        "submitted_at",
        "status",
        "decided_by",
        "decide_link",
    ]
    list_filter = ["status", "complainant"]
    search_fields = ["reference", "contact_email"]
    list_select_related = ["measure", "notice", "decided_by"]
    inlines = [ComplaintEventInline]

    @admin.display(description="")
    def decide_link(self, complaint):
        if complaint.status != Complaint.Status.RECEIVED:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:compliance_complaint_decide", args=[complaint.pk]),
            _("Decide"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", wrap(self.decide_view), name="compliance_complaint_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        complaint = get_object_or_404(Complaint, pk=pk)
        form = ComplaintDecisionForm(request.POST or None)
        error = None
        if request.method == "POST" and form.is_valid():
            try:
                decide_complaint(
                    complaint=complaint,
                    upheld=form.cleaned_data["outcome"] == "upheld",
                    decision_text=form.cleaned_data["decision_text"],
                    actor=request.user,
                )
            except DomainError as exc:
                error = exc
            else:
                messages.success(request, _("Complaint %(ref)s decided.") % {"ref": complaint})
                return redirect("admin:compliance_complaint_changelist")
        return decision_page(
            self,
            request,
            form=form,
            error=error,
            title=_("Decide complaint %(ref)s") % {"ref": complaint.reference},
            submit_label=_("Record the outcome"),
            details=[
                (_("Complainant"), complaint.get_complainant_display()),
                (_("Decision contested"), complaint.measure or complaint.notice),
                (_("Why the decision is wrong"), complaint.text),
            ],
        )
