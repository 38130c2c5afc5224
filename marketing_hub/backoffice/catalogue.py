"""The back-office's Marketing pages: catalogue (relative to /store/<slug>/marketing/).

The catalogue of the items the store may order (campaign and kind filters); an item's page with
the proof editor: "Preview" makes the store's proof (a new version only when something printed
changed) and shows its pages, then "Add to cart" posts the proof to the cart (M2's view
`backoffice:marketing-cart-add`). The page works without JavaScript; a small script swaps the
editor in place instead of reloading. Proof files are served here, to the store's own people
only (another store's proof is a 404), never as public media.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from network_marketplace.errors import DomainError
from stores.backoffice import backoffice_store, may_manage
from stores.models import Store
from stores.services.images import set_store_images

from ..models import ArtworkField, MarketingItem, Proof
from ..selectors.catalogue import (
    ProductChoice,
    campaigns_with_items,
    current_artwork,
    latest_proof,
    orderable_item,
    orderable_items,
    product_choices,
    store_proofs,
)
from ..services.artwork import artwork_page_png
from ..services.proofs import ProofRefused, make_proof, proof_pdf_bytes, proof_preview_bytes
from .catalogue_forms import CatalogueFilterForm, ProofForm, StoreImagesForm

PRIVATE_CACHE = "private, max-age=3600"


def _is_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@backoffice_store
def catalogue(request: HttpRequest, store: Store) -> HttpResponse:
    filters = CatalogueFilterForm(request.GET or None, campaigns=campaigns_with_items(store=store))
    campaign = kind = None
    if filters.is_valid():
        campaign = filters.cleaned_data["campaign"] or None
        kind = filters.cleaned_data["kind"] or None
    items = list(orderable_items(store=store, campaign=campaign, kind=kind))
    return render(
        request,
        "marketing_hub/catalogue_list.html",
        {"store": store, "filters": filters, "items": items, "filtered": bool(campaign or kind)},
    )


def _cart_add_url(store: Store) -> str | None:
    try:
        return reverse("backoffice:marketing-cart-add", args=[store.slug])
    except NoReverseMatch:  # the cart (part M2) is not mounted in this build
        return None


def _with_skus(store: Store, skus: list[str], *, search: str = "") -> list[ProductChoice]:
    """The store's offers for the chooser (the first ones, or those the search finds), plus
    those of `skus` (the one a proof printed, the one posted) wherever they are in the list."""
    products = product_choices(store=store, search=search)
    known = {choice.sku for choice in products}
    missing = [sku for sku in skus if sku not in known]
    return products + (product_choices(store=store, skus=missing) if missing else [])


def _item_page(
    request: HttpRequest,
    store: Store,
    item: MarketingItem,
    *,
    form: ProofForm | None = None,
    proof: Proof | None = None,
    status: int = 200,
) -> HttpResponse:
    artwork = current_artwork(item)
    if artwork is not None and form is None:
        initial = ProofForm.initial_from(proof.values, artwork) if proof is not None else {}
        chosen = [
            str(initial[field.key])
            for field in artwork.fields.all()
            if field.kind == ArtworkField.Kind.PRODUCT and initial.get(field.key)
        ]
        search = request.GET.get("q", "").strip()[:100]
        form = ProofForm(
            initial=initial, artwork=artwork, products=_with_skus(store, chosen, search=search)
        )
    pages = range(1, artwork.page_count + 1) if artwork is not None else range(0)
    return render(
        request,
        "marketing_hub/catalogue_item.html",
        {
            "store": store,
            "item": item,
            "artwork": artwork,
            "form": form,
            "proof": proof,
            "pages": pages,
            "tiers": list(item.tiers.all()),
            "options": item.options if isinstance(item.options, dict) else {},
            "cart_add_url": _cart_add_url(store),
            "needs_proof": artwork is not None,
            "search": request.GET.get("q", ""),
            "has_product_field": artwork is not None
            and any(field.kind == ArtworkField.Kind.PRODUCT for field in artwork.fields.all()),
        },
        status=status,
    )


@backoffice_store
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, store: Store, item_id: int) -> HttpResponse:
    try:
        item = orderable_item(store=store, item_id=item_id)
    except MarketingItem.DoesNotExist:
        raise Http404 from None
    artwork = current_artwork(item)
    if request.method == "GET" or artwork is None:
        proof = None
        if artwork is not None and (wanted := request.GET.get("proof", "")).isdigit():
            proof = store_proofs(store).filter(artwork=artwork, pk=int(wanted)).first()
        return _item_page(request, store, item, proof=proof)
    # The product chosen is checked among the store's offers, whatever the list showed.
    posted = [
        request.POST.get(field.key, "")
        for field in artwork.fields.all()
        if field.editable and field.kind == ArtworkField.Kind.PRODUCT
    ]
    form = ProofForm(
        request.POST, artwork=artwork, products=_with_skus(store, [sku for sku in posted if sku])
    )
    if form.is_valid():
        try:
            proof = make_proof(
                store=store,
                artwork=artwork,
                values=form.values(),
                actor=request.user,
                reuse_identical=True,
            )
        except ProofRefused as refused:
            form.add_proof_errors(refused.errors)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if _is_fetch(request):
                return _item_page(request, store, item, form=None, proof=proof)
            url = reverse("backoffice:marketing-item", args=[store.slug, item.pk])
            return redirect(f"{url}?proof={proof.pk}#proof")
    return _item_page(
        request,
        store,
        item,
        form=form,
        proof=latest_proof(store=store, artwork=artwork),
        status=400,
    )


@backoffice_store
def proof_page(request: HttpRequest, store: Store, proof_id: int, page: int) -> HttpResponse:
    proof = get_object_or_404(store_proofs(store), pk=proof_id)
    image = proof_preview_bytes(proof, page)
    if image is None:
        raise Http404
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = PRIVATE_CACHE
    return response


@backoffice_store
def proof_pdf(request: HttpRequest, store: Store, proof_id: int) -> HttpResponse:
    proof = get_object_or_404(store_proofs(store), pk=proof_id)
    try:
        data = proof_pdf_bytes(proof)
    except DomainError as error:
        return HttpResponse(error.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{proof.artwork.item.reference}-v{proof.artwork.version}-bat-{proof.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = PRIVATE_CACHE
    return response


@backoffice_store
def artwork_page(request: HttpRequest, store: Store, item_id: int, page: int) -> HttpResponse:
    """The blank template (the designer's page, no field stamped) of an item the store may
    order: what the editor shows before a first preview."""
    try:
        item = orderable_item(store=store, item_id=item_id)
    except MarketingItem.DoesNotExist:
        raise Http404 from None
    artwork = current_artwork(item)
    image = artwork_page_png(artwork, page) if artwork is not None else None
    if image is None:
        raise Http404
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = PRIVATE_CACHE
    return response


@backoffice_store
@require_http_methods(["GET", "POST"])
def store_images(request: HttpRequest, store: Store) -> HttpResponse:
    """The store's logo and photo, printed on its personalised marketing."""
    can_edit = may_manage(request)
    form = StoreImagesForm(
        request.POST or None,
        request.FILES or None,
        initial={"logo": store.logo or None, "photo": store.photo or None},
    )
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                set_store_images(
                    store=store,
                    actor=request.user,
                    logo=form.cleaned_data["logo"] or None,
                    photo=form.cleaned_data["photo"] or None,
                    clear_logo=form.cleaned_data["logo"] is False,
                    clear_photo=form.cleaned_data["photo"] is False,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your store's images are saved."))
                return redirect("backoffice:marketing-store-images", slug=store.slug)
        status = 400
    return render(
        request,
        "marketing_hub/catalogue_store_images.html",
        {"store": store, "form": form, "can_edit": can_edit},
        status=status,
    )


urlpatterns = [
    path("marketing/catalogue/", catalogue, name="marketing-catalogue"),
    path("marketing/catalogue/<int:item_id>/", item_detail, name="marketing-item"),
    path(
        "marketing/catalogue/<int:item_id>/template-<int:page>.png",
        artwork_page,
        name="marketing-artwork-page",
    ),
    path(
        "marketing/proofs/<int:proof_id>/page-<int:page>.png",
        proof_page,
        name="marketing-proof-page",
    ),
    path("marketing/proofs/<int:proof_id>/proof.pdf", proof_pdf, name="marketing-proof-pdf"),
    path("marketing/store-images/", store_images, name="marketing-store-images"),
]
