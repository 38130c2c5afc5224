"""The store's compliance pages: the statements of reasons it received (DSA art. 17, P2B art. 4)
and the complaint it may make against each (art. 20), from its back-office."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stores.backoffice import backoffice_store, may_manage
from stores.models import Store

from ..models import Complaint
from ..selectors import statements_for_store
from ..services import InvalidComplaint, submit_complaint
from ..services.complaints import complaint_deadline
from .forms import ComplaintForm


@backoffice_store
def statements(request: HttpRequest, store: Store) -> HttpResponse:
    rows = list(statements_for_store(store)[:200])
    return render(request, "compliance/statement_list.html", {"store": store, "statements": rows})


@backoffice_store
def statement_detail(request: HttpRequest, store: Store, uuid) -> HttpResponse:
    statement = statements_for_store(store).filter(uuid=uuid).first()
    if statement is None:
        raise Http404
    measure = statement.measure
    complaints = list(Complaint.objects.filter(measure=measure, complainant_store=store))
    deadline = complaint_deadline(measure=measure, notice=None, complainant="store")
    initial = {"contact_email": store.email or request.user.email}
    form = ComplaintForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_manage(request):
            form.add_error(None, _("Only the store's owner or manager may send a complaint."))
        elif form.is_valid():
            try:
                submit_complaint(
                    complainant=Complaint.Complainant.STORE,
                    text=form.cleaned_data["text"],
                    contact_email=form.cleaned_data["contact_email"] or "",
                    measure=measure,
                    store=store,
                    user=request.user,
                )
            except InvalidComplaint as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                return redirect("backoffice:compliance-statement", slug=store.slug, uuid=uuid)
    return render(
        request,
        "compliance/statement_detail.html",
        {
            "store": store,
            "statement": statement,
            "measure": measure,
            "complaints": complaints,
            "form": form,
            "deadline": deadline,
        },
        status=400 if request.method == "POST" else 200,
    )
