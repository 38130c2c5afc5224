"""What the compliance admin pages share: a decision page drawn from one template."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from network_marketplace.admin_base import ModelAdmin
from network_marketplace.errors import DomainError


def decision_page(
    model_admin: ModelAdmin,
    request: HttpRequest,
    *,
    form: Form,
    title: str,
    submit_label: str,
    error: DomainError | None = None,
    **context,
) -> HttpResponse:
    if error is not None:
        field = error.facts.get("field") or getattr(error, "field", None)
        if field and field in form.fields:
            form.add_error(field, str(error))
            error = None
    return TemplateResponse(
        request,
        "admin/compliance/decision_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": title,
            "form": form,
            "submit_label": submit_label,
            "error": str(error) if error else "",
            **context,
        },
        status=400 if request.method == "POST" else 200,
    )
