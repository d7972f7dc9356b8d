"""Profiles, portfolios, your own account and your access tokens, for API clients."""

import datetime
from typing import Literal

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from mostaql.accounts import selectors, services
from mostaql.accounts.models import PortfolioItem, Profile, User
from mostaql.api import services as token_services
from mostaql.api.auth import viewer
from mostaql.api.errors import ApiError, errors, not_found
from mostaql.api.models import AccessToken
from mostaql.api.pagination import paginate
from mostaql.api.params import BodyInt, Slug, Text, path_id
from mostaql.catalog.api import skills_by_slug
from mostaql.core.schemas import SkillRefOut

router = Router(tags=["profiles"])

Role = Literal[tuple(User.Role.values)]


class PortfolioImageOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int

    @staticmethod
    def resolve_url(image, context) -> str:
        return context["request"].build_absolute_uri(image.image.url)

    @staticmethod
    def resolve_thumbnail_url(image, context) -> str:
        return context["request"].build_absolute_uri(image.thumbnail.url)


class PortfolioItemOut(Schema):
    id: int
    title: str
    description: str
    link: str
    completed_on: datetime.date | None
    skills: list[SkillRefOut]
    images: list[PortfolioImageOut]

    @staticmethod
    def resolveskills_by_slug(item) -> list:
        return list(item.skills.all())

    @staticmethod
    def resolve_images(item) -> list:
        return list(item.images.all())


class FreelancerOut(Schema):
    slug: str
    name: str
    title: str
    country: str
    hourly_rate_cents: int | None
    skills: list[SkillRefOut]

    @staticmethod
    def resolve_name(profile) -> str:
        return profile.user.name

    @staticmethod
    def resolve_country(profile) -> str:
        return profile.country.code or ""

    @staticmethod
    def resolveskills_by_slug(profile) -> list:
        return list(profile.skills.all())


class ProfileOut(FreelancerOut):
    bio: str
    primary_role: Role
    avatar_url: str | None
    member_since: datetime.datetime
    portfolio: list[PortfolioItemOut]

    @staticmethod
    def resolve_primary_role(profile) -> str:
        return profile.user.primary_role

    @staticmethod
    def resolve_avatar_url(profile, context) -> str | None:
        return context["request"].build_absolute_uri(profile.avatar.url) if profile.avatar else None

    @staticmethod
    def resolve_member_since(profile) -> datetime.datetime:
        return profile.user.date_joined

    @staticmethod
    def resolve_portfolio(profile) -> list:
        return list(profile.portfolio_items.all())


class MeOut(Schema):
    id: int
    email: str
    name: str
    primary_role: Role
    is_staff: bool
    email_verified: bool
    profile: ProfileOut


class ProfileIn(Schema):
    name: Text(min_length=1, max_length=80)
    primary_role: Role
    title: Text(max_length=100) = ""
    bio: Text(max_length=5000) = ""
    country: str = Field("", pattern=r"^([A-Z]{2})?$", description="ISO 3166 code, or empty.")
    skills: list[Slug] = Field(default_factory=list, max_length=settings.PROFILE_MAX_SKILLS)
    hourly_rate_cents: BodyInt | None = Field(None, ge=1, le=100_000_000)


class PortfolioItemIn(Schema):
    title: Text(min_length=1, max_length=120)
    description: Text(max_length=5000) = ""
    link: Text(max_length=200) = Field("", description="An http(s) address, or empty.")
    skills: list[Slug] = Field(default_factory=list, max_length=settings.PROFILE_MAX_SKILLS)
    completed_on: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"}, description="YYYY-MM-DD."
    )


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class DirectoryFilters(Schema):
    q: Text(max_length=100) = ""
    category: Slug | None = None
    skill: Slug | None = None


def _link(value: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as error:
            raise ApiError(
                422, "invalid_input", str(error.messages[0]), fields={"link": error.messages[0]}
            ) from None
    return value


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        message = _("Enter a date as YYYY-MM-DD.")
        raise ApiError(422, "invalid_input", message, fields={"completed_on": message}) from None


def _own_profile(user: User) -> Profile:
    return (
        Profile.objects.select_related("user")
        .prefetch_related("skills", "portfolio_items__skills", "portfolio_items__images")
        .get(user=user)
    )


# --- Public ----------------------------------------------------------------------------------------


@router.get("/freelancers/", response=list[FreelancerOut], auth=None)
@paginate
def list_freelancers(request, filters: Query[DirectoryFilters]):
    """The directory of freelancers, searched by name and title (Arabic-normalised), as on the web."""
    viewer(request)
    return selectors.freelancer_directory(
        query=filters.q.strip(), category_slug=filters.category or "", skill_slug=filters.skill or ""
    )


@router.get("/profiles/{slug}/", response={200: ProfileOut, **errors(404)}, auth=None)
def get_profile(request, slug: str = Path(..., min_length=1, max_length=90)):
    """A public profile with its skills and portfolio."""
    viewer(request)
    try:
        return selectors.public_profile(slug=slug)
    except Profile.DoesNotExist:
        raise not_found() from None


@router.get(
    "/profiles/{slug}/portfolio/{item_id}/", response={200: PortfolioItemOut, **errors(404)}, auth=None
)
def get_portfolio_item(request, slug: str = Path(..., min_length=1, max_length=90), item_id: int = path_id()):
    viewer(request)
    try:
        return selectors.portfolio_item_for_page(slug=slug, pk=item_id)
    except PortfolioItem.DoesNotExist:
        raise not_found() from None


# --- Your account ----------------------------------------------------------------------------------


@router.get("/me/", response=MeOut)
def get_me(request):
    """Who the token (or session) belongs to, with the profile."""
    user = request.auth
    user.email_verified = user.emailaddress_set.filter(verified=True).exists()
    user.profile = _own_profile(user)
    return user


@router.put("/me/profile/", response={200: ProfileOut})
def update_my_profile(request, payload: ProfileIn):
    """Replace what your profile says (the avatar is changed on the web settings page)."""
    services.update_profile(
        user=request.auth,
        name=payload.name,
        primary_role=payload.primary_role,
        title=payload.title,
        bio=payload.bio,
        country=payload.country,
        skills=skills_by_slug(payload.skills),
        hourly_rate_cents=payload.hourly_rate_cents,
    )
    return _own_profile(request.auth)


@router.get("/me/portfolio/", response=list[PortfolioItemOut])
@paginate
def list_my_portfolio(request):
    return selectors.own_portfolio(user=request.auth).order_by("-completed_on", "-pk")


@router.post("/me/portfolio/", response={201: PortfolioItemOut})
def create_portfolio_item(request, payload: PortfolioItemIn):
    """Add a work to your portfolio (images are added on the web settings page)."""
    item = services.create_portfolio_item(
        owner=request.auth,
        title=payload.title,
        description=payload.description,
        link=_link(payload.link),
        skills=skills_by_slug(payload.skills),
        completed_on=_date(payload.completed_on),
    )
    return Status(201, selectors.own_portfolio(user=request.auth).get(pk=item.pk))


@router.put("/me/portfolio/{item_id}/", response={200: PortfolioItemOut, **errors(404)})
def update_portfolio_item(request, payload: PortfolioItemIn, item_id: int = path_id()):
    item = get_object_or_404(
        PortfolioItem.objects.select_related("profile"), pk=item_id, profile__user=request.auth
    )
    services.update_portfolio_item(
        owner=request.auth,
        item=item,
        title=payload.title,
        description=payload.description,
        link=_link(payload.link),
        skills=skills_by_slug(payload.skills),
        completed_on=_date(payload.completed_on),
    )
    return selectors.own_portfolio(user=request.auth).get(pk=item.pk)


@router.delete("/me/portfolio/{item_id}/", response={204: None, **errors(404)})
def delete_portfolio_item(request, item_id: int = path_id()):
    item = get_object_or_404(
        PortfolioItem.objects.select_related("profile"), pk=item_id, profile__user=request.auth
    )
    services.delete_portfolio_item(owner=request.auth, item=item)
    return Status(204, None)


# --- Your access tokens (created on the settings page, where the secret is shown once) -----------


@router.get("/me/tokens/", response=list[TokenOut])
@paginate
def list_my_tokens(request):
    return token_services.tokens_of(request.auth)


@router.post("/me/tokens/{token_id}/revoke/", response={200: TokenOut, **errors(404)})
def revoke_my_token(request, token_id: int = path_id()):
    """Revoke one of your tokens (it may be the one making this request); repeating it is harmless."""
    token = get_object_or_404(AccessToken, pk=token_id, user=request.auth)
    return token_services.revoke_token(user=request.auth, token=token)
