"""Every change to a person's account, profile and portfolio."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mostaql.accounts.models import PortfolioImage, PortfolioItem, Profile, User
from mostaql.catalog.models import Skill
from mostaql.core.exceptions import DomainError
from mostaql.core.text import clean_line, strip_bidi_controls
from mostaql.core.uploads import CleanImage


def _index(profile: Profile) -> None:
    profile.reindex()


def reindex_profile(profile: Profile) -> None:
    """Refresh what the directory search matches, after a change made outside update_profile."""
    _index(profile)
    profile.save(update_fields=["search_text"])


def _check_skills(skills, limit: int) -> list[Skill]:
    skills = list(skills)
    if len(skills) > limit:
        raise DomainError(_("Choose at most %(count)s skills.") % {"count": limit}, field="skills")
    return skills


def set_account_active(*, user: User, is_active: bool) -> None:
    """Let the person log in, or not. Only the suspension services of reports call it: they check
    the moderator, lock the user's row and record why (the admin shows "active" read-only)."""
    User.objects.filter(pk=user.pk).update(is_active=is_active)


def ensure_profile(user: User) -> Profile:
    """Every account has a public profile, however it was created (sign-up, admin, shell)."""
    return Profile.objects.ensure_for(user)


@transaction.atomic
def register_user(*, user: User, name: str, primary_role: str) -> Profile:
    """Finish a sign-up: the name and role chosen on the form, and an empty public profile."""
    name = clean_line(name)
    if not name:
        raise DomainError(_("Enter your name."), field="name")
    if primary_role not in User.Role.values:
        raise DomainError(_("Choose what you want to do on Mostaql."), field="primary_role")
    user.name = name
    user.primary_role = primary_role
    user.save(update_fields=["name", "primary_role"])
    profile = ensure_profile(user)
    reindex_profile(profile)
    return profile


@transaction.atomic
def update_profile(
    *,
    user: User,
    name: str,
    primary_role: str,
    title: str,
    bio: str,
    country: str,
    skills: Iterable[Skill],
    hourly_rate_cents: int | None,
    avatar: CleanImage | None = None,
    remove_avatar: bool = False,
) -> Profile:
    """Save what a person wrote about themselves. `avatar` replaces the picture; None keeps it.

    Locks the person's profile row.
    """
    name = clean_line(name)
    if not name:
        raise DomainError(_("Enter your name."), field="name")
    if primary_role not in User.Role.values:
        raise DomainError(_("Choose what you want to do on Mostaql."), field="primary_role")
    if hourly_rate_cents is not None and hourly_rate_cents <= 0:
        raise DomainError(_("The hourly rate must be more than zero."), field="hourly_rate")
    skills = _check_skills(skills, settings.PROFILE_MAX_SKILLS)

    profile = Profile.objects.select_for_update(of=("self",)).select_related("user").get(user=user)
    user = profile.user
    user.name = name
    user.primary_role = primary_role
    user.save(update_fields=["name", "primary_role"])
    profile.title = clean_line(title)
    profile.bio = strip_bidi_controls(bio).strip()
    profile.country = country
    profile.hourly_rate_cents = hourly_rate_cents
    if avatar is not None or remove_avatar:
        _delete_files_on_commit(profile.avatar, profile.avatar_thumbnail)
        profile.avatar = avatar.image if avatar else ""
        profile.avatar_thumbnail = avatar.thumbnail if avatar else ""
    _index(profile)
    profile.save()
    profile.skills.set(skills)
    return profile


def _delete_files_on_commit(*files) -> None:
    """Old files go only once the new state is committed, so a rollback loses nothing."""
    names = [(file.storage, file.name) for file in files if file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def _owned_item(owner: User, item: PortfolioItem) -> PortfolioItem:
    # Views already look items up by owner (404 for anyone else); this guards every other caller.
    if item.profile.user_id != owner.pk:
        raise DomainError(_("This portfolio item is not yours."))
    return item


def _add_images(item: PortfolioItem, images: list[CleanImage], start: int) -> None:
    for index, image in enumerate(images):
        PortfolioImage.objects.create(
            item=item,
            image=image.image,
            thumbnail=image.thumbnail,
            width=image.width,
            height=image.height,
            position=start + index,
        )


@transaction.atomic
def create_portfolio_item(
    *,
    owner: User,
    title: str,
    description: str,
    link: str = "",
    skills: Iterable[Skill] = (),
    completed_on: datetime.date | None = None,
    images: list[CleanImage] = (),
) -> PortfolioItem:
    title = clean_line(title)
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    images = list(images)
    if len(images) > settings.PORTFOLIO_MAX_IMAGES:
        raise DomainError(
            _("A portfolio item can have at most %(count)s images.")
            % {"count": settings.PORTFOLIO_MAX_IMAGES},
            field="images",
        )
    skills = _check_skills(skills, settings.PROFILE_MAX_SKILLS)
    item = PortfolioItem.objects.create(
        profile=owner.profile,
        title=title,
        description=strip_bidi_controls(description).strip(),
        link=link,
        completed_on=completed_on,
    )
    item.skills.set(skills)
    _add_images(item, images, start=0)
    return item


@transaction.atomic
def update_portfolio_item(
    *,
    owner: User,
    item: PortfolioItem,
    title: str,
    description: str,
    link: str = "",
    skills: Iterable[Skill] = (),
    completed_on: datetime.date | None = None,
    new_images: list[CleanImage] = (),
    removed_image_ids: Iterable[int] = (),
) -> PortfolioItem:
    """Edit an item; images can be added and removed, up to the limit in all.

    Locks the portfolio item's row.
    """
    locked = PortfolioItem.objects.select_for_update(of=("self",)).select_related("profile").get(pk=item.pk)
    item = _owned_item(owner, locked)
    title = clean_line(title)
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    skills = _check_skills(skills, settings.PROFILE_MAX_SKILLS)
    removed = list(item.images.filter(pk__in=list(removed_image_ids)))
    kept = item.images.count() - len(removed)
    new_images = list(new_images)
    if kept + len(new_images) > settings.PORTFOLIO_MAX_IMAGES:
        raise DomainError(
            _("A portfolio item can have at most %(count)s images.")
            % {"count": settings.PORTFOLIO_MAX_IMAGES},
            field="images",
        )
    item.title = title
    item.description = strip_bidi_controls(description).strip()
    item.link = link
    item.completed_on = completed_on
    item.save()
    item.skills.set(skills)
    for image in removed:
        _delete_files_on_commit(image.image, image.thumbnail)
        image.delete()
    last = item.images.order_by("-position").values_list("position", flat=True).first()
    _add_images(item, new_images, start=0 if last is None else last + 1)
    return item


@transaction.atomic
def delete_portfolio_item(*, owner: User, item: PortfolioItem) -> None:
    item = _owned_item(owner, item)
    for image in item.images.all():
        _delete_files_on_commit(image.image, image.thumbnail)
    item.delete()
