from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.accounts import selectors, services
from mostaql.accounts.forms import AccessTokenForm, PortfolioItemForm, ProfileForm
from mostaql.accounts.models import PortfolioItem, Profile
from mostaql.accounts.security import recent_authentication_required
from mostaql.api import services as token_services
from mostaql.api.models import AccessToken
from mostaql.catalog.selectors import categories_with_skills
from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.core.search.engine import expand, parse
from mostaql.reviews import selectors as review_selectors


def freelancers(request):
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    skill = request.GET.get("skill", "")
    searched = expand(parse(query))
    profiles = selectors.freelancer_directory(query=searched, category_slug=category, skill_slug=skill)
    page = Paginator(profiles, settings.FREELANCERS_PER_PAGE).get_page(request.GET.get("page"))
    suggestions = None
    if searched and not page.object_list:
        suggestions = selectors.directory_suggestions(
            query=searched, category_slug=category, skill_slug=skill
        )
    categories = list(categories_with_skills())
    return render(
        request,
        "accounts/freelancers.html",
        {
            "page": page,
            "query": query,
            "search": searched,
            "suggestions": suggestions,
            "categories": categories,
            "selected_category": category,
            "selected_skill": skill,
            "category_skills": next((c.skills.all() for c in categories if c.slug == category), []),
            "verified_ids": review_selectors.verified_identity_ids(p.user_id for p in page.object_list),
        },
    )


def profile(request, slug):
    try:
        profile = selectors.public_profile(slug=slug)
    except Profile.DoesNotExist:
        raise Http404 from None
    member = profile.user
    reviews = Paginator(review_selectors.public_reviews_of(member), settings.REVIEWS_PER_PAGE)
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": profile,
            "member": member,
            "is_own": request.user == member,
            "reputation": review_selectors.profile_reputation(member),
            "reviews_page": reviews.get_page(request.GET.get("page")),
            "is_identity_verified": member.pk in review_selectors.verified_identity_ids([member.pk]),
        },
    )


def portfolio_item(request, slug, pk):
    try:
        item = selectors.portfolio_item_for_page(slug=slug, pk=pk)
    except PortfolioItem.DoesNotExist:
        raise Http404 from None
    return render(request, "accounts/portfolio_item.html", {"item": item, "profile": item.profile})


@login_required
def edit_profile(request):
    profile = request.user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_profile(
                    user=request.user,
                    name=data["name"],
                    primary_role=data["primary_role"],
                    title=data["title"],
                    bio=data["bio"],
                    country=data["country"] or "",
                    skills=data["skills"],
                    hourly_rate_cents=data["hourly_rate"],
                    avatar=data["avatar"] or None,
                    remove_avatar=data["avatar"] is False,
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("accounts:settings")
    else:
        form = ProfileForm(
            initial={
                "name": request.user.name,
                "primary_role": request.user.primary_role,
                "title": profile.title,
                "bio": profile.bio,
                "country": profile.country.code if profile.country else "",
                "skills": list(profile.skills.values_list("pk", flat=True)),
                "hourly_rate": Decimal(profile.hourly_rate_cents) / 100
                if profile.hourly_rate_cents
                else None,
                "avatar": profile.avatar or None,
            }
        )
    return render(request, "accounts/settings_profile.html", {"form": form, "profile": profile})


@login_required
def portfolio(request):
    return render(
        request,
        "accounts/settings_portfolio.html",
        {"items": selectors.own_portfolio(user=request.user), "profile": request.user.profile},
    )


def _portfolio_arguments(data) -> dict:
    return {
        "title": data["title"],
        "description": data["description"],
        "link": data["link"],
        "skills": data["skills"],
        "completed_on": data["completed_on"],
    }


@login_required
def portfolio_new(request):
    form = PortfolioItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_portfolio_item(
                owner=request.user,
                images=form.cleaned_data["images"],
                **_portfolio_arguments(form.cleaned_data),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The portfolio item has been added."))
            return redirect("accounts:portfolio")
    return render(request, "accounts/portfolio_form.html", {"form": form})


@login_required
def portfolio_edit(request, pk):
    # Looked up through the owner: anyone else's id is simply not found.
    item = get_object_or_404(PortfolioItem, pk=pk, profile__user=request.user)
    initial = {
        "title": item.title,
        "description": item.description,
        "link": item.link,
        "skills": list(item.skills.values_list("pk", flat=True)),
        "completed_on": item.completed_on,
    }
    form = PortfolioItemForm(request.POST or None, request.FILES or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_portfolio_item(
                owner=request.user,
                item=item,
                new_images=form.cleaned_data["images"],
                removed_image_ids=[image.pk for image in form.cleaned_data["remove_images"]],
                **_portfolio_arguments(form.cleaned_data),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The portfolio item has been saved."))
            return redirect("accounts:portfolio")
    return render(request, "accounts/portfolio_form.html", {"form": form, "item": item})


@login_required
@require_POST
def portfolio_delete(request, pk):
    item = get_object_or_404(PortfolioItem, pk=pk, profile__user=request.user)
    services.delete_portfolio_item(owner=request.user, item=item)
    messages.success(request, _("The portfolio item has been deleted."))
    return redirect("accounts:portfolio")


# --- Personal access tokens for the JSON API (/api/v1/) ------------------------------------------


@login_required
@recent_authentication_required
def api_tokens(request):
    """List, create and revoke tokens. A new token's secret is shown on this one response only."""
    form = AccessTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        try:
            _token, secret = token_services.create_token(
                user=request.user, name=form.cleaned_data["name"], expires_in_days=int(days) if days else None
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            form = AccessTokenForm()
    response = render(
        request,
        "accounts/settings_tokens.html",
        {"form": form, "secret": secret, "tokens": token_services.tokens_of(request.user)},
    )
    response["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    token_services.revoke_token(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
