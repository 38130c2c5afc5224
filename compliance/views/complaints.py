"""The complaint form reached from a decision's e-mail (signed link, no account needed): the
notifier, or an affected store or user, contests the decision (DSA art. 20)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ..models import Complaint, Measure, Notice
from ..services import InvalidComplaint, read_complaint_token, submit_complaint
from ..services.complaints import complaint_deadline
from .forms import ComplaintForm


def complaint_form(request: HttpRequest, token: str) -> HttpResponse:
    data = read_complaint_token(token)
    if data is None:
        raise Http404
    measure = (
        Measure.objects.filter(pk=data.get("measure")).first() if data.get("measure") else None
    )
    notice = Notice.objects.filter(pk=data.get("notice")).first() if data.get("notice") else None
    if measure is None and notice is None:
        raise Http404
    who = data.get("who", Complaint.Complainant.NOTIFIER)
    if who not in Complaint.Complainant.values:
        raise Http404
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = submit_complaint(
                complainant=who,
                text=form.cleaned_data["text"],
                contact_email=form.cleaned_data["contact_email"] or "",
                measure=measure,
                notice=notice,
                store=measure.store if measure is not None and who == "store" else None,
                user=request.user if request.user.is_authenticated else None,
            )
        except InvalidComplaint as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            request.session["compliance_complaint"] = complaint.reference
            return redirect("legal:complaint_sent", reference=complaint.reference)
    deadline = complaint_deadline(measure=measure, notice=notice, complainant=who)
    return render(
        request,
        "compliance/complaint_form.html",
        {"form": form, "measure": measure, "notice": notice, "deadline": deadline},
        status=400 if request.method == "POST" else 200,
    )


def complaint_sent(request: HttpRequest, reference: str) -> HttpResponse:
    # Only the visitor who sent it sees its confirmation (the reference is in their session).
    if request.session.get("compliance_complaint") != reference:
        raise Http404
    complaint = get_object_or_404(Complaint, reference=reference)
    return render(request, "compliance/complaint_sent.html", {"complaint": complaint})
