import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from mostaql.accounts import selectors as account_selectors
from mostaql.accounts.models import Profile, User
from mostaql.catalog.selectors import CATALOG_CACHE_SECONDS, catalog_version, categories_with_skills
from mostaql.contracts import selectors as contract_selectors
from mostaql.contracts import services as contract_services
from mostaql.core.cache import FRAGMENTS, current_version
from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.core.money import (
    commission_cents,
    format_money,
    format_whole_dollars,
    net_after_commission_cents,
    spending_step_cents,
)
from mostaql.core.numbers import parse_money_cents
from mostaql.core.pagination import CappedPaginator
from mostaql.core.uploads import download_response
from mostaql.projects import selectors, services, states
from mostaql.projects.cards import offer_cards
from mostaql.projects.forms import InviteForm, OfferForm, ProjectForm, RejectForm
from mostaql.projects.models import Budget, Offer, OfferAttachment, Project, ProjectAttachment
from mostaql.reviews import selectors as review_selectors

SUGGESTED_FREELANCERS = 6


def recognised_params(filters: dict) -> QueryDict:
    """The list's filters as a query string's parameters: what its links may carry, and nothing else."""
    params = QueryDict(mutable=True)
    for name, key in (("q", "query"), ("category", "category"), ("budget", "budget"), ("posted", "posted")):
        if filters[key]:
            params[name] = filters[key]
    if filters["skills"]:
        params.setlist("skills", filters["skills"])
    if filters["sort"] != selectors.chosen_sort("", filters["query"]):  # the default differs with a query
        params["sort"] = filters["sort"]
    return params


def project_list(request):
    params = request.GET
    filters = {
        "query": params.get("q", "").strip()[:100],
        "category": params.get("category", ""),
        "skills": [slug for slug in params.getlist("skills") if slug][:5],
        "budget": params.get("budget", "") if params.get("budget") in Budget.values else "",
        "posted": params.get("posted", "") if params.get("posted") in selectors.POSTED_WITHIN else "",
    }
    filters["sort"] = selectors.chosen_sort(params.get("sort", ""), filters["query"])
    page_number = params.get("page", "")[:20]
    # What the visitor chose, as one unambiguous text: other query parameters make no new cache keys.
    chosen = urlencode({name: value for name, value in filters.items() if name != "query"}, doseq=True)
    catalog = catalog_version()
    # The rendered results are cached per query until any project changes (services bump the version)
    # or the catalog does (the cards name categories).
    version = current_version(services.LIST_VERSION_KEY)
    asked = hashlib.md5(f"{chosen}&{urlencode({'q': filters['query'], 'page': page_number})}".encode())
    results_key = f"projects:list:{version}:{catalog}:{get_language()}:{asked.hexdigest()}"
    results = caches[FRAGMENTS].get(results_key)
    if results is None:
        searched = selectors.project_search(filters["query"])
        page = CappedPaginator(
            selectors.open_projects(**{**filters, "query": searched}),
            settings.PROJECTS_PER_PAGE,
            limit=settings.PROJECTS_LIST_LIMIT,
        ).get_page(page_number)
        # The pagination links are built from what the key is built from, never from the raw address.
        context = {
            "page": page,
            "link_params": recognised_params(filters),
            "search": searched,
            "sort": filters["sort"],
        }
        if searched and not page.object_list:
            context["suggestions"] = selectors.search_suggestions(searched, filters)
        results = render(request, "projects/partials/results.html", context).content.decode()
        caches[FRAGMENTS].set(results_key, results, 120)
    results = mark_safe(results)  # our own rendered template, cached as text
    return render(
        request,
        "projects/list.html",
        {
            "results": results,
            "filters": filters,
            "categories": categories_with_skills(),  # lazy: queried only when the menus are rendered
            "menus_key": f"{catalog}:{chosen}",
            "catalog_seconds": CATALOG_CACHE_SECONDS,
            "budgets": Budget.choices,
            "search_query": filters["query"],
        },
    )


MASKED_WARNING = _lazy(
    "Contact details were hidden from your text: until there is a contract, talk and pay through "
    "Mostaql, where the money is protected."
)


def _warn_if_masked(request, obj) -> None:
    if getattr(obj, "masked_contacts", False):
        messages.warning(request, MASKED_WARNING)


def _require_verified(request) -> bool:
    if services.has_verified_email(request.user):
        return True
    messages.warning(request, _("Verify your e-mail address first: we have sent you a link."))
    return False


@login_required
def project_create(request):
    if not _require_verified(request):
        return redirect("account_email")
    form = ProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.post_project(
                owner=request.user,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                skills=data["skills"],
                budget=data["budget"],
                duration_days=data["duration_days"],
                attachments=data["attachments"],
                is_private=data["is_private"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            _warn_if_masked(request, project)
            if project.status == Project.Status.OPEN:
                messages.success(request, _("Your project is published. Offers will come to you by e-mail."))
            else:
                messages.success(request, _("Your project was received and will be published after review."))
            return redirect(project)
    return render(request, "projects/form.html", {"form": form})


def _visible_project(request, pk: int) -> Project:
    try:
        project = selectors.project_for_page(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    if not selectors.can_view_project(project, request.user):
        raise Http404
    return project


def project_detail(request, pk: int, offer_form=None):
    project = _visible_project(request, pk)
    user = request.user
    is_owner = user.is_authenticated and user.pk == project.owner_id
    offers = list(selectors.bidders(project).prefetch_related(None))  # files: by offer_cards, if needed
    # Withdrawn offers are not listed, but their authors may not bid again either.
    has_bid = user.is_authenticated and project.offers.filter(freelancer=user).exists()
    actions = states.offered_actions(project, is_owner=is_owner, has_bid=has_bid)
    can_bid, can_hire = "bid" in actions, "hire" in actions
    suggested, invitations = None, []
    if is_owner and project.status in states.TAKING_OFFERS:
        invitations = list(selectors.invitations_of_project(project))
        suggested = account_selectors.suggested_freelancers(
            skill_ids=[skill.pk for skill in project.skills.all()],
            exclude_user_ids=[
                user.pk,
                *(invitation.freelancer_id for invitation in invitations),
                *(offer.freelancer_id for offer in offers),
            ],
            limit=SUGGESTED_FREELANCERS,
        )
    # One query for the identity badges of the client, every bidder and every suggested freelancer.
    verified = review_selectors.verified_identity_ids(
        [project.owner_id, *(o.freelancer_id for o in offers), *(p.user_id for p in suggested or ())]
    )
    context = {
        "project": project,
        "is_owner": is_owner,
        "has_bid": has_bid,
        "offers": offers,
        "offer_cards": offer_cards(project, offers, viewer=user, can_hire=can_hire, verified_ids=verified),
        "summary": selectors.offer_summary(project),
        "client": client_trust_card(project.owner),
        "verified_ids": verified,
        "suggested": suggested,
        "invitations": invitations,
        "is_invited": not is_owner and selectors.is_invited(project, user),
        "can_bid": can_bid,
        "can_hire": can_hire,
        "can_edit": "edit" in actions,
        "can_close": "close" in actions,
    }
    if can_bid and user.is_authenticated:
        context["offer_form"] = offer_form or OfferForm()
        context["offers_left"] = services.offers_left_this_month(user)
        context["is_verified"] = services.has_verified_email(user)
    return render(request, "projects/detail.html", context)


def client_trust_card(owner: User) -> dict:
    """The client's card on a project page: their projects (posted, open, in progress, hire rate) and
    what they have paid freelancers, shown as a step ("more than $500"). Two queries."""
    card = selectors.client_card(owner)
    step = spending_step_cents(review_selectors.amount_spent_cents(owner))
    card["spent_step"] = format_whole_dollars(step) if step else ""
    return card


@login_required
def project_edit(request, pk: int):
    project = get_object_or_404(Project, pk=pk, owner=request.user)
    initial = {
        "title": project.title,
        "description": project.description,
        "category": project.category_id,
        "skills": list(project.skills.values_list("pk", flat=True)),
        "budget": project.budget,
        "duration_days": project.duration_days,
    }
    form = ProjectForm(request.POST or None, request.FILES or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edited = services.edit_project(
                owner=request.user,
                project=project,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                skills=data["skills"],
                budget=data["budget"],
                duration_days=data["duration_days"],
                new_attachments=data["attachments"],
                removed_attachment_ids=[a.pk for a in data.get("remove_attachments", [])],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            _warn_if_masked(request, edited)
            messages.success(request, _("The project has been saved."))
            return redirect(project)
    return render(request, "projects/form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_invite(request, pk: int):
    """From the suggested freelancers of the owner's project page: invite one of them."""
    project = get_object_or_404(Project, pk=pk, owner=request.user)
    freelancer = _invitee(request.POST.get("freelancer", ""))
    try:
        services.invite_freelancer(owner=request.user, project=project, freelancer=freelancer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is invited: they will hear of it.") % {"name": freelancer.name})
    return redirect(f"{project.get_absolute_url()}#suggested")


def _invitee(slug: str) -> User:
    """The person whose public profile has this address; a 404 for anyone the public cannot see."""
    try:
        return account_selectors.public_profile(slug=str(slug)[:90]).user
    except Profile.DoesNotExist:
        raise Http404 from None


@login_required
def invite_person(request, slug: str):
    """From a profile or the directory: choose one of your open projects and invite this person."""
    freelancer = _invitee(slug)
    projects = list(selectors.open_projects_of(request.user))
    form = InviteForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        project = next(project for project in projects if project.pk == form.cleaned_data["project"])
        try:
            services.invite_freelancer(owner=request.user, project=project, freelancer=freelancer)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("%(name)s is invited: they will hear of it.") % {"name": freelancer.name}
            )
            return redirect(freelancer.profile)
    return render(
        request,
        "projects/invite.html",
        {"form": form, "freelancer": freelancer, "profile": freelancer.profile, "projects": projects},
    )


@login_required
def my_invitations(request):
    page = Paginator(selectors.invitations_of(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/my_invitations.html",
        {
            "page": page,
            "verified_ids": review_selectors.verified_identity_ids(
                invitation.project.owner_id for invitation in page.object_list
            ),
        },
    )


@login_required
@require_POST
def project_close(request, pk: int):
    project = get_object_or_404(Project, pk=pk, owner=request.user)
    try:
        services.close_project(owner=request.user, project=project)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The project is closed. Its offers were given back to their authors."))
    return redirect(project)


@login_required
def offer_create(request, pk: int):
    project = _visible_project(request, pk)
    if request.method != "POST":
        return redirect(project)
    form = OfferForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            offer = services.place_offer(
                freelancer=request.user,
                project=project,
                amount_cents=data["amount"],
                duration_days=data["duration_days"],
                text=data["text"],
                attachments=data["attachments"],
            )
        except DomainError as error:
            if not show_domain_error(form, error, request=request):  # about the project, not the form
                return redirect(project)
        else:
            _warn_if_masked(request, offer)
            messages.success(request, _("Your offer has been sent to the project's owner."))
            return redirect(project)
    return project_detail(request, pk, offer_form=form)


@login_required
def offer_edit(request, pk: int):
    offer = get_object_or_404(Offer.objects.select_related("project"), pk=pk, freelancer=request.user)
    initial = {"amount": offer.amount_cents / 100, "duration_days": offer.duration_days, "text": offer.text}
    form = OfferForm(request.POST or None, request.FILES or None, offer=offer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edited = services.edit_offer(
                freelancer=request.user,
                offer=offer,
                amount_cents=data["amount"],
                duration_days=data["duration_days"],
                text=data["text"],
                new_attachments=data["attachments"],
                removed_attachment_ids=[a.pk for a in data.get("remove_attachments", [])],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            _warn_if_masked(request, edited)
            messages.success(request, _("Your offer has been updated."))
            return redirect(offer.project)
    return render(request, "projects/offer_form.html", {"form": form, "offer": offer})


@login_required
@require_POST
def offer_withdraw(request, pk: int):
    offer = get_object_or_404(Offer.objects.select_related("project"), pk=pk, freelancer=request.user)
    try:
        services.withdraw_offer(freelancer=request.user, offer=offer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your offer has been withdrawn."))
    return redirect(offer.project)


@login_required
@require_POST
def offer_hire(request, pk: int):
    # The project is looked up through its owner: anyone else gets a 404, whatever the ids.
    offer = get_object_or_404(
        Offer.objects.select_related("project", "freelancer"), pk=pk, project__owner=request.user
    )
    if request.POST.get("confirmed") != "1":
        try:
            services.check_can_hire(owner=request.user, project=offer.project, offer=offer)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(offer.project)
        return render(
            request,
            "core/confirm.html",
            {
                "confirm_title": _("Hire %(name)s?") % {"name": offer.freelancer.name},
                "confirm_lines": [
                    _("A contract for %(amount)s, to deliver in %(days)s days, is created with %(name)s.")
                    % {
                        "amount": format_money(offer.amount_cents),
                        "days": offer.duration_days,
                        "name": offer.freelancer.name,
                    },
                    _(
                        "Then you fund it: the amount leaves your balance for escrow, and the project "
                        "stops taking offers. Until you fund it you can still withdraw the hire."
                    ),
                ],
                "confirm_button": _("Hire"),
                "confirm_action": request.path,
                "cancel_url": offer.project.get_absolute_url(),
            },
        )
    try:
        contract = contract_services.hire(owner=request.user, project=offer.project, offer=offer)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(offer.project)
    messages.success(
        request,
        _("You hired %(name)s. Fund the contract so that the work can start.")
        % {"name": offer.freelancer.name},
    )
    return redirect(contract)


def offer_net(request):
    """The HTMX fragment under the amount field: what the freelancer keeps after commission."""
    try:
        cents = parse_money_cents(request.GET.get("amount", "")[:20])
    except ValueError:
        cents = 0
    if cents >= 10**9:
        cents = 0
    return render(
        request,
        "projects/partials/offer_net.html",
        {
            "amount_cents": cents,
            "commission_cents": commission_cents(cents),
            "net_cents": net_after_commission_cents(cents),
        },
    )


def _serve(attachment) -> FileResponse:
    return download_response(attachment.file, filename=attachment.original_name)


def project_attachment(request, pk: int):
    attachment = get_object_or_404(ProjectAttachment.objects.select_related("project"), pk=pk)
    if not selectors.can_view_project(attachment.project, request.user):
        raise Http404
    return _serve(attachment)


@login_required
def offer_attachment(request, pk: int):
    """Seen by the offer's author and the project's owner only (and moderators)."""
    attachment = get_object_or_404(OfferAttachment.objects.select_related("offer__project"), pk=pk)
    offer = attachment.offer
    if request.user.pk not in (offer.freelancer_id, offer.project.owner_id) and not request.user.is_staff:
        raise Http404
    return _serve(attachment)


@staff_member_required
def moderation_queue(request):
    return render(
        request,
        "projects/moderation.html",
        {"projects": selectors.pending_review(), "reject_form": RejectForm()},
    )


@staff_member_required
@require_POST
def moderation_approve(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    try:
        services.approve_project(moderator=request.user, project=project)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": project.title})
    return redirect("projects:moderation")


@staff_member_required
@require_POST
def moderation_reject(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explain the reason to the owner (at least 10 characters)."))
        return redirect("projects:moderation")
    try:
        services.reject_project(moderator=request.user, project=project, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("“%(title)s” was rejected; the owner has been told why.") % {"title": project.title}
        )
    return redirect("projects:moderation")


@login_required
def my_projects(request):
    page = Paginator(contract_selectors.projects_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "projects/my_projects.html", {"page": page})


@login_required
def my_offers(request):
    page = Paginator(selectors.offers_of(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/my_offers.html",
        {
            "page": page,
            "offers_left": services.offers_left_this_month(request.user),
            "offers_per_month": settings.OFFERS_PER_MONTH,
        },
    )
