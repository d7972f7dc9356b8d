"""Reads behind the directory and profile pages; each costs a fixed number of queries."""

from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from mostaql.accounts.models import PortfolioImage, PortfolioItem, Profile, User
from mostaql.catalog.models import Skill
from mostaql.core.search import suggest
from mostaql.core.search.engine import Query, RankedResults, expand, parse, search
from mostaql.core.visibility import is_hidden

# The people who were here last first; with a query, within each level of relevance.
DIRECTORY_ORDER = ("-user__last_login", "-pk")


def freelancer_directory(
    *, query: Query | str = "", category_slug: str = "", skill_slug: str = ""
) -> QuerySet[Profile] | RankedResults:
    """Active people who want to work; with a query, those it finds (core.search: name and title
    first, then bio and skills), the most relevant first."""
    profiles = Profile.objects.filter(
        ~is_hidden("profile"), user__is_active=True, user__primary_role=User.Role.FREELANCER
    )
    if isinstance(query, str):
        query = expand(parse(query))
    through = Profile.skills.through
    if category_slug:
        profiles = profiles.filter(
            Exists(through.objects.filter(profile_id=OuterRef("pk"), skill__category__slug=category_slug))
        )
    if skill_slug:
        profiles = profiles.filter(
            Exists(through.objects.filter(profile_id=OuterRef("pk"), skill__slug=skill_slug))
        )
    profiles = profiles.select_related("user", "user__reputation").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("name_ar"))
    )
    if query:
        return RankedResults(profiles, query, DIRECTORY_ORDER)
    return search(profiles, query).order_by(*DIRECTORY_ORDER)


def suggested_freelancers(
    *, skill_ids: Iterable[int], exclude_user_ids: Iterable[int] = (), limit: int = 6
) -> list[Profile]:
    """Freelancers for a project: active, not hidden, with at least one of its skills; those with the
    most of them first, then by their record here (contracts completed, reviews, on-time deliveries,
    from the reputation counters of mostaql.reviews), then the most recently seen.

    Two queries whatever the number of people: the profiles (with their user and reputation) and their
    skills. Each profile carries `matching_skills`.
    """
    skill_ids = list(skill_ids)
    if not skill_ids:
        return []
    profiles = (
        Profile.objects.filter(
            ~is_hidden("profile"),
            user__is_active=True,
            user__primary_role=User.Role.FREELANCER,
            skills__in=skill_ids,
        )
        .exclude(user_id__in=list(exclude_user_ids))
        .annotate(matching_skills=Count("skills", filter=Q(skills__in=skill_ids), distinct=True))
        .select_related("user", "user__reputation")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name_ar")))
        .order_by(
            "-matching_skills",
            F("user__reputation__freelancer_completed_count").desc(nulls_last=True),
            F("user__reputation__freelancer_review_count").desc(nulls_last=True),
            F("user__reputation__freelancer_on_time_count").desc(nulls_last=True),
            F("user__last_login").desc(nulls_last=True),
            "pk",
        )
    )
    return list(profiles[:limit])


def directory_suggestions(*, query: Query, category_slug: str = "", skill_slug: str = "") -> dict:
    """For a directory search that found nobody: a spelling that finds people with the same filters,
    and the catalogue skills nearest the query. A few queries, on that page only."""
    spelling = suggest.spelling(query) if query else ""
    if (
        spelling
        and not freelancer_directory(
            query=spelling, category_slug=category_slug, skill_slug=skill_slug
        ).exists()
    ):
        spelling = ""
    skills = list(Skill.objects.only("slug", "name_ar", "name_en"))
    nearest = suggest.nearest_names(query, {skill.slug: [skill.name_ar, skill.name_en] for skill in skills})
    by_slug = {skill.slug: skill for skill in skills}
    return {"spelling": spelling, "skills": [by_slug[slug] for slug in nearest]}


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
