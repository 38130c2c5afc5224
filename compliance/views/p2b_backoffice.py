"""The store's P2B pages in the back-office: the terms (every version, the decision, the PDFs),
the ranking parameters, the data access page with the store's export, the complaints to HQ.
Thin: the services decide; another store's page or file is a 404 (the shell's tenancy)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network_marketplace.errors import DomainError
from stores.backoffice import backoffice_store, may_manage

from ..models import StoreDataExport, TermsDecision, TermsVersion
from ..p2b_forms import ComplaintMessageForm, StoreComplaintForm
from ..selectors import store_complaints as complaint_reads
from ..selectors import terms as terms_reads
from ..services import data_access, ranking, store_complaints, terms
from .p2b_public import DATA_ACCESS, pdf_response


def _may_decide(request) -> bool:
    """Only the store's owner or manager binds the store to a contract (not HQ's staff)."""
    return bool(request.membership and request.membership.can_manage)


@backoffice_store
def terms_page(request, store):
    """Every version of the terms, newest first, with the store's decision on each and the
    form to accept or terminate the one awaiting a decision."""
    decisions = terms_reads.decisions_of(store)
    versions = [(version, decisions.get(version.pk)) for version in terms_reads.terms_versions()]
    return render(
        request,
        "compliance/backoffice_terms.html",
        {
            "store": store,
            "versions": versions,
            "awaiting": terms_reads.terms_awaiting_decision(store),
            "current": terms_reads.current_terms(),
            "may_decide": _may_decide(request),
            "mediators": terms_reads.named_mediators(),
        },
    )


@require_POST
@backoffice_store
def decide_terms(request, store):
    if not _may_decide(request):
        raise Http404
    version = get_object_or_404(TermsVersion.objects.defer("pdf"), pk=request.POST.get("version"))
    decision = request.POST.get("decision", "")
    try:
        terms.decide_terms(store=store, version=version, decision=decision, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if decision == TermsDecision.Decision.ACCEPTED:
            messages.success(
                request, _("You accepted version %(version)s.") % {"version": version.version}
            )
        else:
            messages.warning(
                request,
                _("You terminated the contract: HQ is told and will contact you."),
            )
    return redirect("backoffice:p2b-terms", slug=store.slug)


@backoffice_store
def terms_pdf(request, store, version):
    row = get_object_or_404(TermsVersion, version=version)
    return pdf_response(row)


@backoffice_store
def ranking_page(request, store):
    return render(
        request,
        "compliance/backoffice_ranking.html",
        {"store": store, "disclosure": ranking.ranking_disclosure()},
    )


@backoffice_store
def data_page(request, store):
    exports = list(StoreDataExport.objects.filter(store=store).defer("archive")[:10])
    building = {StoreDataExport.Status.PENDING, StoreDataExport.Status.RUNNING}
    return render(
        request,
        "compliance/backoffice_data.html",
        {
            "store": store,
            "parties": DATA_ACCESS,
            "exports": exports,
            "may_export": may_manage(request),
            "busy": any(export.status in building for export in exports),
            "files": [name for name, _build in data_access.EXPORT_FILES],
        },
    )


@require_POST
@backoffice_store
def request_export(request, store):
    if not may_manage(request):
        raise Http404
    try:
        data_access.request_store_export(store=store, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The export is being built: this page shows its progress."))
    return redirect("backoffice:p2b-data", slug=store.slug)


def _export_of(store, pk: int) -> StoreDataExport:
    return get_object_or_404(StoreDataExport.objects.defer("archive"), pk=pk, store=store)


@backoffice_store
def export_status(request, store, pk):
    """The export's progress as JSON, for the page's polling."""
    export = _export_of(store, pk)
    return JsonResponse(
        {
            "status": export.status,
            "label": export.get_status_display(),
            "progress": export.progress,
            "download": reverse("backoffice:p2b-export-download", args=[store.slug, export.pk])
            if export.status == StoreDataExport.Status.READY
            else "",
        }
    )


@backoffice_store
def export_download(request, store, pk):
    if not may_manage(request):
        raise Http404
    export = get_object_or_404(
        StoreDataExport, pk=pk, store=store, status=StoreDataExport.Status.READY
    )
    response = HttpResponse(bytes(export.archive or b""), content_type="application/zip")
    stamp = export.created_at.strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{store.slug}-donnees-{stamp}.zip"'
    return response


@backoffice_store
def complaints_page(request, store):
    """The store's complaints and the form to open one."""
    form = StoreComplaintForm(request.POST or None)
    if request.method == "POST":
        if not _may_decide(request):
            raise Http404
        if form.is_valid():
            try:
                complaint = store_complaints.open_store_complaint(
                    store=store, actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(error.facts.get("field"), error.message)
            else:
                messages.success(
                    request,
                    _("Complaint %(reference)s sent: HQ answers by %(date)s.")
                    % {
                        "reference": complaint.reference,
                        "date": complaint.due_at.strftime("%d/%m/%Y"),
                    },
                )
                return redirect("backoffice:p2b-complaint", slug=store.slug, pk=complaint.pk)
    return render(
        request,
        "compliance/backoffice_complaints.html",
        {
            "store": store,
            "form": form,
            "complaints": complaint_reads.complaints_of(store),
            "may_complain": _may_decide(request),
            "mediators": terms_reads.named_mediators(),
        },
        status=400 if form.errors else 200,
    )


@backoffice_store
def complaint_page(request, store, pk):
    complaint = complaint_reads.complaint_of(store, pk)
    if complaint is None:
        raise Http404
    form = ComplaintMessageForm(request.POST or None)
    if request.method == "POST":
        if not _may_decide(request):
            raise Http404
        if form.is_valid():
            try:
                store_complaints.add_complaint_message(
                    complaint=complaint,
                    body=form.cleaned_data["body"],
                    from_hq=False,
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error("body", error.message)
            else:
                return redirect("backoffice:p2b-complaint", slug=store.slug, pk=complaint.pk)
    return render(
        request,
        "compliance/backoffice_complaint.html",
        {
            "store": store,
            "complaint": complaint,
            "form": form,
            "may_write": _may_decide(request),
            "mediators": terms_reads.named_mediators(),
        },
        status=400 if form.errors else 200,
    )
