"""The notice form (DSA art. 16): open to anyone, no account needed; rate-limited per address."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from network_marketplace.ratelimit import AttemptLimit
from stores.models import StockLevel

from ..models import Notice, TargetKind
from ..services import InvalidNotice, resolve_target, submit_notice
from .forms import NoticeForm


def notice_limit() -> AttemptLimit:
    return AttemptLimit(
        scope="dsa-notice", attempts=settings.DSA_NOTICES_PER_HOUR, window_seconds=3600
    )


def _target(request: HttpRequest) -> tuple[str, int | None, object]:
    kind = request.GET.get("kind", "")
    raw_id = request.GET.get("id", "")
    if kind not in TargetKind.values or not raw_id.isdigit():
        return "", None, None
    target = resolve_target(kind, int(raw_id))
    return (kind, int(raw_id), target) if target is not None else ("", None, None)


def _offers_of(kind: str, target: object) -> list[StockLevel]:
    """The offers a notice about a product may single out (the store that sells it)."""
    if kind != TargetKind.PRODUCT:
        return []
    return list(
        StockLevel.objects.filter(variant__product=target, store__status="active")
        .select_related("store")
        .order_by("store__name", "variant_id")
    )


def _offer_reported(
    offers: list[StockLevel], store_id: str | None, urls: list[str]
) -> StockLevel | None:
    """The chosen store's offer of the variant the reported URL shows (`?variant=<sku>` on the
    product page), else of its first variant."""
    mine = [offer for offer in offers if str(offer.store_id) == (store_id or "")]
    skus = {sku for url in urls for sku in parse_qs(urlsplit(url).query).get("variant", [])}
    return next((o for o in mine if o.variant.sku in skus), mine[0] if mine else None)


def notice_form(request: HttpRequest) -> HttpResponse:
    kind, target_id, target = _target(request)
    offers = _offers_of(kind, target)
    stores = {str(offer.store.pk): offer.store.name for offer in offers}
    choices = sorted(stores.items(), key=lambda choice: choice[1])
    initial = {"urls": request.GET.get("url", "")}
    form = NoticeForm(request.POST or None, initial=initial, store_choices=choices)
    if request.method == "POST" and form.is_valid():
        limit = notice_limit()
        key = limit.key_for(request.META.get("REMOTE_ADDR", ""))
        if limit.exceeded(key):
            form.add_error(
                None, _("Too many notices were sent from your connection. Try again in an hour.")
            )
        else:
            chosen = _offer_reported(offers, form.cleaned_data.get("store"), form.urls_list())
            try:
                notice = submit_notice(
                    category=form.cleaned_data["category"],
                    explanation=form.cleaned_data["explanation"],
                    urls=form.urls_list(),
                    notifier_name=form.cleaned_data["notifier_name"],
                    notifier_email=form.cleaned_data["notifier_email"] or "",
                    good_faith=form.cleaned_data["good_faith"],
                    target_kind=TargetKind.OFFER if chosen else kind,
                    target_id=chosen.pk if chosen else target_id,
                    user=request.user if request.user.is_authenticated else None,
                )
            except InvalidNotice as error:
                for field, message in error.fields.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                limit.count_failure(key)
                request.session["compliance_notice"] = notice.reference
                return redirect("legal:notice_sent", reference=notice.reference)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "compliance/notice_form.html",
        {"form": form, "target": target, "target_kind": kind},
        status=status,
    )


def notice_sent(request: HttpRequest, reference: str) -> HttpResponse:
    # Only the visitor who sent it sees its confirmation (the reference is in their session).
    if request.session.get("compliance_notice") != reference:
        return redirect("legal:notice_form")
    notice = get_object_or_404(Notice, reference=reference)
    return render(request, "compliance/notice_sent.html", {"notice": notice})
