import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from mostaql.briefs import selectors as brief_selectors
from mostaql.catalog.selectors import CATALOG_CACHE_SECONDS, catalog_version, categories_with_skills
from mostaql.contracts.services import NeedsFunds
from mostaql.core.cache import FRAGMENTS, current_version
from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.core.money import commission_cents, format_money, net_after_commission_cents
from mostaql.core.numbers import parse_money_cents, parse_whole_number
from mostaql.core.pagination import CappedPaginator
from mostaql.gigs import selectors, services
from mostaql.gigs.forms import RejectForm, ServiceForm, initial_for
from mostaql.gigs.models import Service
from mostaql.projects.services import has_verified_email
from mostaql.saved.selectors import favourite_keys
from mostaql.saved.toggles import fill_toggles
from mostaql.wallet import services as wallet_services

MASKED_WARNING = _lazy(
    "Contact details were hidden from your text: until there is an order, talk and pay through "
    "Mostaql, where the money is protected."
)


def _dollars(value: str) -> int | None:
    try:
        cents = parse_money_cents(value[:12])
    except ValueError:
        return None
    return cents if 0 <= cents < 10**9 else None


def list_filters(params: QueryDict) -> dict:
    """The list's filters from a query string: unknown values are dropped, never an error."""
    filters = {
        "query": params.get("q", "").strip()[:100],
        "category": params.get("category", "")[:50],
        "skill": params.get("skill", "")[:50],
        "min_price_cents": _dollars(params.get("min_price", "")) if params.get("min_price") else None,
        "max_price_cents": _dollars(params.get("max_price", "")) if params.get("max_price") else None,
        "delivery": params.get("delivery", "") if params.get("delivery") in selectors.DELIVERY_WITHIN else "",
        "rating": params.get("rating", "") if params.get("rating") in selectors.RATING_AT_LEAST else "",
    }
    filters["sort"] = selectors.chosen_sort(params.get("sort", ""), filters["query"])
    return filters


def recognised_params(filters: dict, raw: QueryDict) -> QueryDict:
    """The list's filters as a query string: what its cached links may carry, and nothing else."""
    params = QueryDict(mutable=True)
    for name, key in (("q", "query"), ("category", "category"), ("skill", "skill")):
        if filters[key]:
            params[name] = filters[key]
    for name, key in (("min_price", "min_price_cents"), ("max_price", "max_price_cents")):
        if filters[key] is not None:
            params[name] = raw.get(name, "")[:12]
    for name in ("delivery", "rating"):
        if filters[name]:
            params[name] = filters[name]
    if filters["sort"] != selectors.chosen_sort("", filters["query"]):
        params["sort"] = filters["sort"]
    return params


def service_list(request):
    filters = list_filters(request.GET)
    link_params = recognised_params(filters, request.GET)
    page_number = request.GET.get("page", "")[:20]
    catalog = catalog_version()
    # The rendered results are cached per query until any service changes (the services bump the
    # version) or the catalog does (the cards name categories), as the project list's are.
    version = current_version(services.LIST_VERSION_KEY)
    asked = hashlib.md5(f"{link_params.urlencode()}&page={page_number}".encode())
    results_key = f"gigs:list:{version}:{catalog}:{get_language()}:{asked.hexdigest()}"
    results = caches[FRAGMENTS].get(results_key)
    if results is None:
        searched = selectors.service_search(filters["query"])
        page = CappedPaginator(
            selectors.listed_services(**{**filters, "query": searched}),
            settings.SERVICES_PER_PAGE,
            limit=settings.SERVICES_LIST_LIMIT,
        ).get_page(page_number)
        context = {
            "page": page,
            "search": searched,
            "link_params": link_params,
            "favourite_markers": True,  # shared by everyone: the toggles are filled in per person below
        }
        results = render(request, "gigs/partials/results.html", context).content.decode()
        caches[FRAGMENTS].set(results_key, results, 120)
    results = fill_toggles(results, request, favourite_keys(request.user))
    search_params = link_params.copy()
    search_params.pop("sort", None)
    return render(
        request,
        "gigs/list.html",
        {
            "results": mark_safe(results),  # our own rendered template, cached as text
            "filters": filters,
            "categories": categories_with_skills(),  # lazy: queried only when the menus are rendered
            "menus_key": f"{catalog}:{filters['category']}:{filters['skill']}",
            "catalog_seconds": CATALOG_CACHE_SECONDS,
            "search_query": filters["query"],
            "min_price": link_params.get("min_price", ""),
            "max_price": link_params.get("max_price", ""),
            "feed_query": search_params.urlencode(),
        },
    )


def _visible_service(request, pk: int) -> Service:
    try:
        service = selectors.service_for_page(pk=pk)
    except Service.DoesNotExist:
        raise Http404 from None
    if not selectors.can_view_service(service, request.user):
        raise Http404
    return service


def service_detail(request, pk: int):
    service = _visible_service(request, pk)
    user = request.user
    is_seller = user.is_authenticated and user.pk == service.seller_id
    upgrades = list(service.upgrades.all())
    return render(
        request,
        "gigs/detail.html",
        {
            "service": service,
            "is_seller": is_seller,
            "images": list(service.images.all()),
            "upgrades": upgrades,
            "quantities": range(1, service.max_quantity + 1),
            "seller": service.seller,
            "seller_card": selectors.seller_card(service.seller),
            "reviews": selectors.service_reviews(service),
            "others": selectors.other_services_of(service),
            "order_max_cents": settings.ORDER_MAX_CENTS,
            "moves": services.offered_moves(service) if is_seller else set(),
            "can_order": service.can_be_ordered and not is_seller,
        },
    )


def _require_verified(request) -> bool:
    if has_verified_email(request.user):
        return True
    messages.warning(request, _("Verify your e-mail address first: we have sent you a link."))
    return False


def _service_arguments(data: dict) -> dict:
    return {
        "title": data["title"],
        "description": data["description"],
        "category": data["category"],
        "skills": data["skills"],
        "price_cents": data["price"],
        "delivery_days": data["delivery_days"],
        "instructions": data["instructions"],
        "max_quantity": data["max_quantity"],
        "upgrades": data["upgrades"],
    }


def _net_context(price_cents: int | None) -> dict:
    cents = price_cents or 0
    return {
        "amount_cents": cents,
        "commission_cents": commission_cents(cents),
        "net_cents": net_after_commission_cents(cents),
        "commission_percent": settings.COMMISSION_PERCENT,
    }


@login_required
def service_create(request):
    if not _require_verified(request):
        return redirect("account_email")
    form = ServiceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.publish_service(
                seller=request.user,
                **_service_arguments(form.cleaned_data),
                images=form.cleaned_data["images"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if service.masked_contacts:
                messages.warning(request, MASKED_WARNING)
            messages.success(request, _("Your service was received and will be published after review."))
            return redirect(service)
    price = form.cleaned_data.get("price") if form.is_bound and hasattr(form, "cleaned_data") else None
    return render(request, "gigs/form.html", {"form": form, **_net_context(price)})


@login_required
def service_edit(request, pk: int):
    service = get_object_or_404(
        Service.objects.prefetch_related("skills", "upgrades", "images"), pk=pk, seller=request.user
    )
    form = ServiceForm(
        request.POST or None, request.FILES or None, service=service, initial=initial_for(service)
    )
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.edit_service(
                seller=request.user,
                service=service,
                **_service_arguments(form.cleaned_data),
                new_images=form.cleaned_data.get("images") or [],
                removed_image_ids=[image.pk for image in form.cleaned_data.get("remove_images", [])],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if edited.masked_contacts:
                messages.warning(request, MASKED_WARNING)
            messages.success(
                request, _("Your changes were saved; the service will be published again after review.")
            )
            return redirect(service)
    price = form.cleaned_data.get("price") if hasattr(form, "cleaned_data") else service.price_cents
    return render(request, "gigs/form.html", {"form": form, "service": service, **_net_context(price)})


def service_net(request):
    """The HTMX fragment under the price: what the seller keeps after commission."""
    cents = _dollars(request.GET.get("price", "")) or 0
    return render(request, "gigs/partials/net.html", _net_context(cents))


@login_required
@require_POST
def service_move(request, pk: int, move: str):
    service = get_object_or_404(Service, pk=pk, seller=request.user)
    act = {"pause": services.pause_service, "resume": services.resume_service}.get(move)
    if act is None:
        raise Http404
    try:
        act(seller=request.user, service=service)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The service is paused: nobody can order it until you resume it.")
            if move == "pause"
            else _("The service is back in the market."),
        )
    return redirect(service)


@login_required
def my_services(request):
    page = Paginator(selectors.services_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "gigs/mine.html", {"page": page})


# --- Ordering -------------------------------------------------------------------------------------


def _order_choice(params: QueryDict) -> tuple[list[int], int]:
    """The upgrades ticked and the quantity, from the service page's form (GET) or the confirmation (POST)."""
    upgrade_ids = []
    for value in params.getlist("upgrades")[: settings.SERVICE_MAX_UPGRADES + 1]:
        if value.isascii() and value.isdigit() and len(value) < 12:
            upgrade_ids.append(int(value))
    try:
        quantity = parse_whole_number(params.get("quantity", "1")[:6] or "1")
    except ValueError:
        quantity = 0
    return upgrade_ids, quantity


def _confirmation_url(service: Service, upgrade_ids: list[int], quantity: int) -> str:
    query = urlencode({"upgrades": upgrade_ids, "quantity": quantity}, doseq=True)
    return f"{reverse('gigs:order', kwargs={'pk': service.pk})}?{query}"


def _send_to_deposit(request, shortfall_cents: int, return_to: str):
    """To the deposit form for the shortfall, coming back to the same confirmation once paid (as the
    contract's "fund" does, without funding anything on its own: the buyer confirms the order)."""
    deposit_cents = wallet_services.deposit_towards(shortfall_cents)
    if shortfall_cents < deposit_cents:
        messages.info(
            request,
            _("The smallest deposit is %(minimum)s: what the order does not use stays in your balance.")
            % {"minimum": format_money(deposit_cents)},
        )
    dollars, cents = divmod(deposit_cents, 100)
    query = urlencode({"amount": f"{dollars}.{cents:02d}", "next": return_to})
    return redirect(f"{reverse('wallet:deposit')}?{query}")


def _back_from(request, service: Service):
    """After a refused order: the service's page, or the list when the person may not see it (paused)."""
    return redirect(service if selectors.can_view_service(service, request.user) else "gigs:list")


@login_required
def order_confirm(request, pk: int):
    service = selectors.service_to_order(pk=pk, user=request.user)
    if service is None:
        raise Http404
    upgrade_ids, quantity = _order_choice(request.POST if request.method == "POST" else request.GET)
    try:
        quote = services.quote_order(
            buyer=request.user, service=service, upgrade_ids=upgrade_ids, quantity=quantity
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _back_from(request, service)
    chosen_ids = [upgrade.pk for upgrade in quote.upgrades]
    return_to = _confirmation_url(service, chosen_ids, quantity)
    if request.method == "POST":
        try:
            order = services.place_order(
                buyer=request.user, service=service, upgrade_ids=chosen_ids, quantity=quantity
            )
        except NeedsFunds as short:
            messages.warning(request, short.message)
            return _send_to_deposit(request, short.shortfall_cents, return_to)
        except DomainError as error:
            messages.error(request, error.message)
            return _back_from(request, service)
        messages.success(
            request,
            _(
                "Your order is paid and the money waits in escrow. "
                "Answer the seller's instructions so the work can start."
            ),
        )
        return redirect(order.contract.get_absolute_url())
    available = wallet_services.balances(request.user)["available"]
    return render(
        request,
        "gigs/order_confirm.html",
        {
            "service": service,
            "quote": quote,
            "due_date": quote.due_date(),
            "available_cents": available,
            "shortfall_cents": max(0, quote.total_cents - available),
            "upgrade_ids": chosen_ids,
        },
    )


# --- Moderation -----------------------------------------------------------------------------------


@staff_member_required
def moderation_queue(request):
    # One queue for the services market: services, then buyers' requests (mostaql.briefs).
    return render(
        request,
        "gigs/moderation.html",
        {
            "services": selectors.pending_review(),
            "briefs": brief_selectors.pending_review(),
            "reject_form": RejectForm(),
        },
    )


@staff_member_required
@require_POST
def moderation_approve(request, pk: int):
    service = get_object_or_404(Service, pk=pk)
    try:
        services.approve_service(moderator=request.user, service=service)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": service.title})
    return redirect("gigs:moderation")


@staff_member_required
@require_POST
def moderation_reject(request, pk: int):
    service = get_object_or_404(Service, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explain the reason to the seller (at least 10 characters)."))
        return redirect("gigs:moderation")
    try:
        services.reject_service(moderator=request.user, service=service, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("“%(title)s” was rejected; the seller has been told why.") % {"title": service.title}
        )
    return redirect("gigs:moderation")
