"""Reads behind the directory and profile pages; each costs a fixed number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from mostaql.accounts.models import PortfolioImage, PortfolioItem, Profile, User
from mostaql.catalog.models import Skill
from mostaql.core.text import search_terms
from mostaql.core.visibility import is_hidden


def freelancer_directory(
    *, query: str = "", category_slug: str = "", skill_slug: str = ""
) -> QuerySet[Profile]:
    """Active people who want to work, matched by name and title with Arabic normalisation."""
    profiles = Profile.objects.filter(
        ~is_hidden("profile"), user__is_active=True, user__primary_role=User.Role.FREELANCER
    )
    for term in search_terms(query):
        profiles = profiles.filter(search_text__contains=term)
    through = Profile.skills.through
    if category_slug:
        profiles = profiles.filter(
            Exists(through.objects.filter(profile_id=OuterRef("pk"), skill__category__slug=category_slug))
        )
    if skill_slug:
        profiles = profiles.filter(
            Exists(through.objects.filter(profile_id=OuterRef("pk"), skill__slug=skill_slug))
        )
    return (
        profiles.select_related("user", "user__reputation")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name_ar")))
        .order_by("-user__last_login", "-pk")
    )


def public_profile(*, slug: str) -> Profile:
    """A profile with its skills and portfolio (items and their images) in four queries; the person's
    reputation counters come with the first."""
    return (
        Profile.objects.filter(~is_hidden("profile"), user__is_active=True)
        .select_related("user", "user__reputation")
        .prefetch_related(
            "skills",
            Prefetch(
                "portfolio_items",
                queryset=PortfolioItem.objects.prefetch_related(
                    Prefetch("images", queryset=PortfolioImage.objects.order_by("position"))
                ),
            ),
        )
        .get(slug=slug)
    )


def portfolio_item_for_page(*, slug: str, pk: int) -> PortfolioItem:
    return (
        PortfolioItem.objects.filter(~is_hidden("profile", "profile_id"), profile__user__is_active=True)
        .select_related("profile__user")
        .prefetch_related("skills", "images")
        .get(profile__slug=slug, pk=pk)
    )


def own_portfolio(*, user: User) -> QuerySet[PortfolioItem]:
    return PortfolioItem.objects.filter(profile__user=user).prefetch_related("images", "skills")
