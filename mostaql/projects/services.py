"""Every change to projects and offers: post, edit, moderate, close, invite, bid, edit a bid, withdraw,
hire."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.catalog.models import Category, Skill
from mostaql.core.cache import bump_version
from mostaql.core.exceptions import DomainError
from mostaql.core.masking import mask_contacts
from mostaql.core.money import format_money
from mostaql.core.search.analysis import Document, document
from mostaql.core.search.engine import index_fields, remember_words
from mostaql.core.text import clean_line, strip_bidi_controls
from mostaql.core.uploads import CleanFile
from mostaql.notifications.services import notify
from mostaql.projects import states
from mostaql.projects.models import (
    Budget,
    Invitation,
    Offer,
    OfferAttachment,
    Project,
    ProjectAttachment,
    ProjectEvent,
)

S = Project.Status
LIST_VERSION_KEY = "projects:list-version"


def bump_list_version() -> None:
    """Cached project lists carry this version in their keys; a change to any project retires them."""
    bump_version(LIST_VERSION_KEY)


def _record(project: Project, actor: User | None, action: str, note: str = "") -> None:
    ProjectEvent.objects.create(project=project, actor=actor, action=action, note=note)


def _mask(*texts: str) -> tuple[list[str], bool]:
    """Project texts and offers come before any contract: contact details in them are masked.

    The returned flag lets the view tell the author why (as `masked_contacts` on the saved object).
    """
    results = [mask_contacts(text) for text in texts]
    return [text for text, _was_masked in results], any(was_masked for _text, was_masked in results)


def has_verified_email(user: User) -> bool:
    return user.emailaddress_set.filter(verified=True).exists()


def _require_verified(user: User, message: str) -> None:
    if not has_verified_email(user):
        raise DomainError(message)


def index_project(project: Project, skills: Iterable[Skill]) -> Document:
    """Fill what search reads of a project (core.search), not saved here: its title, then its
    description and skills. The caller saves the row and passes the returned document to
    core.search.engine.remember_words (the benchmarks' generator writes rows the same way)."""
    skill_names = " ".join(f"{skill.name_ar} {skill.name_en}" for skill in skills)
    indexed = document(title=project.title, body=f"{project.description} {skill_names}")
    for column, value in index_fields(indexed).items():
        setattr(project, column, value)
    return indexed


def _check_project_fields(*, title: str, description: str, skills, budget: str, duration_days: int):
    if not 10 <= len(title) <= 120:
        raise DomainError(_("The title must be 10 to 120 characters long."), field="title")
    if not 50 <= len(description) <= 10_000:
        raise DomainError(_("The description must be 50 to 10,000 characters long."), field="description")
    if not 1 <= len(skills) <= settings.PROJECT_MAX_SKILLS:
        raise DomainError(
            _("Choose from 1 to %(count)s skills.") % {"count": settings.PROJECT_MAX_SKILLS}, field="skills"
        )
    if budget not in Budget.values:
        raise DomainError(_("Choose a budget."), field="budget")
    if not 1 <= duration_days <= 365:
        raise DomainError(_("The duration must be 1 to 365 days."), field="duration_days")


def _add_attachments(model, owner_field: dict, files: list[CleanFile]) -> None:
    for clean in files:
        model.objects.create(
            file=clean.content,
            original_name=clean.original_name,
            kind=clean.kind,
            size=clean.content.size,
            **owner_field,
        )


@transaction.atomic
def post_project(
    *,
    owner: User,
    title: str,
    description: str,
    category: Category,
    skills: Iterable[Skill],
    budget: str,
    duration_days: int,
    attachments: list[CleanFile] = (),
    is_private: bool = False,
) -> Project:
    """A new project waits for a moderator, or opens at once when PROJECT_AUTO_APPROVE is on.

    A private one is never listed: only its owner, staff and the freelancers invited see it."""
    _require_verified(owner, _("Verify your e-mail address before you post a project."))
    title, description, skills = clean_line(title), strip_bidi_controls(description).strip(), list(skills)
    (title, description), masked = _mask(title, description)
    _check_project_fields(
        title=title, description=description, skills=skills, budget=budget, duration_days=duration_days
    )
    if len(attachments) > settings.PROJECT_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s attachments.") % {"count": settings.PROJECT_MAX_ATTACHMENTS},
            field="attachments",
        )
    auto_approve = settings.PROJECT_AUTO_APPROVE
    project = Project(
        owner=owner,
        title=title,
        description=description,
        category=category,
        budget=budget,
        duration_days=duration_days,
        status=S.OPEN if auto_approve else S.PENDING_REVIEW,
        published_at=timezone.now() if auto_approve else None,
        is_private=bool(is_private),
    )
    indexed = index_project(project, skills)
    project.save()
    project.skills.set(skills)
    remember_words(indexed)
    _add_attachments(ProjectAttachment, {"project": project}, list(attachments))
    _record(project, owner, "posted")
    if auto_approve:
        bump_list_version()
    project.masked_contacts = masked
    return project


def _lock(project: Project) -> Project:
    """The project's row, locked (docs/architecture.md, "Locks": after the user and the contract)."""
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def edit_project(
    *,
    owner: User,
    project: Project,
    title: str,
    description: str,
    category: Category,
    skills: Iterable[Skill],
    budget: str,
    duration_days: int,
    new_attachments: list[CleanFile] = (),
    removed_attachment_ids: Iterable[int] = (),
) -> Project:
    """The owner changes the project while nobody has bid on it yet.

    Locks the project's row.
    """
    project = _lock(project)
    if project.owner_id != owner.pk:
        raise DomainError(_("Only the project's owner can edit it."))
    if project.status not in states.EDITABLE:
        raise DomainError(_("This project can no longer be edited."))
    if project.offer_count:
        raise DomainError(_("A project that has received offers can no longer be edited."))
    title, description, skills = clean_line(title), strip_bidi_controls(description).strip(), list(skills)
    (title, description), masked = _mask(title, description)
    _check_project_fields(
        title=title, description=description, skills=skills, budget=budget, duration_days=duration_days
    )
    kept = project.attachments.exclude(pk__in=list(removed_attachment_ids)).count()
    if kept + len(new_attachments) > settings.PROJECT_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s attachments.") % {"count": settings.PROJECT_MAX_ATTACHMENTS},
            field="attachments",
        )
    project.title, project.description, project.category = title, description, category
    project.budget, project.duration_days = budget, duration_days
    indexed = index_project(project, skills)
    project.save()
    project.skills.set(skills)
    remember_words(indexed)
    for attachment in project.attachments.filter(pk__in=list(removed_attachment_ids)):
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    _add_attachments(ProjectAttachment, {"project": project}, list(new_attachments))
    _record(project, owner, "edited")
    bump_list_version()
    project.masked_contacts = masked
    return project


@transaction.atomic
def approve_project(*, moderator: User, project: Project) -> Project:
    """Locks the project's row."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators can review projects."))
    project = _lock(project)
    project.status = states.transition(project, "approve")
    project.published_at = timezone.now()
    project.rejection_reason = ""
    project.save(update_fields=["status", "published_at", "rejection_reason", "updated_at"])
    _record(project, moderator, "approved")
    notify(
        user=project.owner,
        kind="project_approved",
        context={"project": project},
        url=project.get_absolute_url(),
    )
    bump_list_version()
    return project


@transaction.atomic
def reject_project(*, moderator: User, project: Project, reason: str) -> Project:
    """Locks the project's row."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators can review projects."))
    reason = strip_bidi_controls(reason).strip()
    if len(reason) < 10:
        raise DomainError(_("Explain the reason to the owner (at least 10 characters)."), field="reason")
    project = _lock(project)
    project.status = states.transition(project, "reject")
    project.rejection_reason = reason
    project.save(update_fields=["status", "rejection_reason", "updated_at"])
    _record(project, moderator, "rejected", reason)
    notify(
        user=project.owner,
        kind="project_rejected",
        context={"project": project},
        url=project.get_absolute_url(),
    )
    return project


@transaction.atomic
def close_project(*, owner: User, project: Project) -> Project:
    """The owner closes a project without hiring: every offer goes back to its author's quota.

    Locks the project's row (its waiting offers are updated after it).
    """
    project = _lock(project)
    if project.owner_id != owner.pk:
        raise DomainError(_("Only the project's owner can close it."))
    project.status = states.transition(project, "close")
    project.save(update_fields=["status", "updated_at"])
    project.offers.filter(status=Offer.Status.SUBMITTED).update(
        status=Offer.Status.NOT_HIRED, is_returned_to_quota=True
    )
    _record(project, owner, "closed")
    bump_list_version()
    return project


@transaction.atomic
def invite_freelancer(
    *, owner: User, project: Project, freelancer: User, now: datetime.datetime | None = None
) -> Invitation:
    """The owner of an open project asks a freelancer to send an offer; the freelancer is notified.

    Refused, with nothing written: inviting oneself, a suspended account, an account that does not
    work as a freelancer, someone already invited or who already sent an offer, a project that is
    not the owner's or not open. Locks the project's row (so an invitation and a close do not cross).
    """
    if freelancer.pk == owner.pk:
        raise DomainError(_("You cannot invite yourself."))
    if not freelancer.is_active:
        raise DomainError(_("This account is suspended: it cannot be invited."))
    if freelancer.primary_role != User.Role.FREELANCER:
        raise DomainError(
            _("%(name)s does not work as a freelancer here, so cannot be invited.")
            % {"name": freelancer.name}
        )
    project = _lock(project)
    if project.owner_id != owner.pk:
        raise DomainError(_("Only the project's owner can invite freelancers to it."))
    if project.status not in states.TAKING_OFFERS:
        raise DomainError(_("Only an open project can take invitations."))
    if Invitation.objects.filter(project=project, freelancer=freelancer).exists():
        raise DomainError(_("You have already invited %(name)s to this project.") % {"name": freelancer.name})
    if Offer.objects.filter(project=project, freelancer=freelancer).exists():
        raise DomainError(
            _("%(name)s has already sent an offer on this project.") % {"name": freelancer.name}
        )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(project=project, freelancer=freelancer)
    except IntegrityError:  # the same invitation sent twice at once: the first one won
        raise DomainError(
            _("You have already invited %(name)s to this project.") % {"name": freelancer.name}
        ) from None
    if now is not None:
        Invitation.objects.filter(pk=invitation.pk).update(created_at=now, updated_at=now)
    _record(project, owner, "invited", str(freelancer.pk))
    notify(
        user=freelancer,
        kind="invited",
        context={"project": project, "owner": owner, "freelancer": freelancer},
        url=project.get_absolute_url(),
    )
    return invitation


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now or timezone.now())
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def offers_left_this_month(freelancer: User) -> int:
    """OFFERS_PER_MONTH less the offers sent since the first of the month; offers given back (the
    project closed without a hire) and offers sent on an invitation do not count."""
    used = (
        Offer.objects.filter(
            freelancer=freelancer,
            created_at__gte=month_start(),
            is_returned_to_quota=False,
            is_invited=False,
        )
        .only("pk")
        .count()
    )
    return max(0, settings.OFFERS_PER_MONTH - used)


def _check_offer_fields(*, amount_cents: int, duration_days: int, text: str) -> None:
    if amount_cents < settings.MIN_OFFER_CENTS:
        raise DomainError(
            _("The amount must be at least %(minimum)s.")
            % {"minimum": format_money(settings.MIN_OFFER_CENTS)},
            field="amount",
        )
    if not 1 <= duration_days <= 365:
        raise DomainError(_("The duration must be 1 to 365 days."), field="duration_days")
    if not 30 <= len(text) <= 5000:
        raise DomainError(_("The offer's text must be 30 to 5,000 characters long."), field="text")


@transaction.atomic
def place_offer(
    *,
    freelancer: User,
    project: Project,
    amount_cents: int,
    duration_days: int,
    text: str,
    attachments: list[CleanFile] = (),
) -> Offer:
    """Send an offer. Locks the freelancer's row (so two offers sent at once cannot both pass the
    quota), then the project.

    An offer on the owner's invitation does not use the monthly quota; a private project takes
    offers from the freelancers it invited only.
    """
    _require_verified(freelancer, _("Verify your e-mail address before you send offers."))
    text = strip_bidi_controls(text).strip()
    (text,), masked = _mask(text)
    _check_offer_fields(amount_cents=amount_cents, duration_days=duration_days, text=text)
    if len(attachments) > settings.OFFER_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s attachments.") % {"count": settings.OFFER_MAX_ATTACHMENTS},
            field="attachments",
        )
    User.objects.select_for_update().filter(pk=freelancer.pk).first()
    project = _lock(project)
    if project.owner_id == freelancer.pk:
        raise DomainError(_("You cannot send an offer on your own project."))
    if project.status not in states.TAKING_OFFERS:
        raise DomainError(_("This project is not taking offers."))
    if Offer.objects.filter(project=project, freelancer=freelancer).exists():
        raise DomainError(_("You have already sent an offer on this project."))
    is_invited = Invitation.objects.filter(project=project, freelancer=freelancer).exists()
    if project.is_private and not is_invited:
        raise DomainError(
            _("This project is private: only the freelancers its owner invited can send offers.")
        )
    if not is_invited and offers_left_this_month(freelancer) <= 0:
        raise DomainError(
            _("You have used all %(count)s offers of this month.") % {"count": settings.OFFERS_PER_MONTH}
        )
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                project=project,
                freelancer=freelancer,
                amount_cents=amount_cents,
                duration_days=duration_days,
                text=text,
                is_invited=is_invited,
            )
    except IntegrityError:  # the same form sent twice at once: the first one won
        raise DomainError(_("You have already sent an offer on this project.")) from None
    _add_attachments(OfferAttachment, {"offer": offer}, list(attachments))
    Project.objects.filter(pk=project.pk).update(offer_count=F("offer_count") + 1)
    notify(
        user=project.owner,
        kind="new_offer",
        context={"project": project, "offer": offer},
        url=project.get_absolute_url(),
    )
    bump_list_version()
    offer.masked_contacts = masked
    return offer


def _own_submitted_offer(freelancer: User, offer: Offer) -> Offer:
    """The offer's project, then the offer, locked in that order (as `mark_hired` takes them)."""
    _lock(Project(pk=offer.project_id))
    offer = Offer.objects.select_for_update(of=("self",)).select_related("project").get(pk=offer.pk)
    if offer.freelancer_id != freelancer.pk:
        raise DomainError(_("This offer is not yours."))
    if offer.status != Offer.Status.SUBMITTED or offer.project.status not in states.TAKING_OFFERS:
        raise DomainError(_("This offer can no longer be changed."))
    return offer


@transaction.atomic
def edit_offer(
    *,
    freelancer: User,
    offer: Offer,
    amount_cents: int,
    duration_days: int,
    text: str,
    new_attachments: list[CleanFile] = (),
    removed_attachment_ids: Iterable[int] = (),
) -> Offer:
    """Locks the offer's project, then the offer."""
    offer = _own_submitted_offer(freelancer, offer)
    text = strip_bidi_controls(text).strip()
    (text,), masked = _mask(text)
    _check_offer_fields(amount_cents=amount_cents, duration_days=duration_days, text=text)
    kept = offer.attachments.exclude(pk__in=list(removed_attachment_ids)).count()
    if kept + len(new_attachments) > settings.OFFER_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s attachments.") % {"count": settings.OFFER_MAX_ATTACHMENTS},
            field="attachments",
        )
    offer.amount_cents, offer.duration_days, offer.text = amount_cents, duration_days, text
    offer.save(update_fields=["amount_cents", "duration_days", "text", "updated_at"])
    offer.attachments.filter(pk__in=list(removed_attachment_ids)).delete()
    _add_attachments(OfferAttachment, {"offer": offer}, list(new_attachments))
    offer.masked_contacts = masked
    return offer


@transaction.atomic
def withdraw_offer(*, freelancer: User, offer: Offer) -> Offer:
    """A withdrawn offer still counts against the month's quota, and cannot be sent again.

    Locks the offer's project, then the offer.
    """
    offer = _own_submitted_offer(freelancer, offer)
    offer.status = Offer.Status.WITHDRAWN
    offer.save(update_fields=["status", "updated_at"])
    Project.objects.filter(pk=offer.project_id).update(offer_count=F("offer_count") - 1)
    bump_list_version()
    return offer


def check_can_hire(*, owner: User, project: Project, offer: Offer) -> None:
    """Whether `owner` may hire `offer` now (DomainError saying why not). The confirmation page asks
    it before showing anything; mark_hired() asks it again under the row locks."""
    if project.owner_id != owner.pk:
        raise DomainError(_("Only the project's owner can hire."))
    if offer.project_id != project.pk:
        raise DomainError(_("This offer was not made on this project."))
    if offer.status != Offer.Status.SUBMITTED:
        raise DomainError(_("This offer can no longer be accepted."))
    if not offer.freelancer.is_active:  # suspended: their offers are no longer shown either
        raise DomainError(_("This freelancer's account is suspended: their offer cannot be accepted."))
    states.transition(project, "hire")


# --- Moves that the contract services ask for ------------------------------------------------------

# The event each transition records (the moves a person makes themselves record their own, above).
_EVENTS = {"start": "started", "complete": "completed", "cancel": "cancelled"}


@transaction.atomic
def mark_hired(*, owner: User, project: Project, offer: Offer) -> Offer:
    """The project's side of a hire (contracts.services.hire creates the contract): the project takes
    no more offers, the offer is hired, and the other bidders are told. Locks the project, then the
    offer. Returns the offer, with its freelancer."""
    project = _lock(project)
    if project.owner_id != owner.pk:
        raise DomainError(_("Only the project's owner can hire."))
    offer = Offer.objects.select_for_update(of=("self",)).select_related("freelancer").get(pk=offer.pk)
    check_can_hire(owner=owner, project=project, offer=offer)
    project.status = states.transition(project, "hire")
    project.save(update_fields=["status", "updated_at"])
    offer.status = Offer.Status.HIRED
    offer.save(update_fields=["status", "updated_at"])
    offer.project = project
    _record(project, owner, "hired", str(offer.pk))
    for other in project.offers.filter(status=Offer.Status.SUBMITTED).select_related("freelancer"):
        notify(
            user=other.freelancer,
            kind="not_hired",
            context={"project": project, "offer": other},
            url=project.get_absolute_url(),
        )
    bump_list_version()
    return offer


@transaction.atomic
def move_project(*, project: Project, action: str, actor: User | None, note: str = "") -> Project:
    """Follow the project's contract: "start" (funded), "complete" or "cancel". Applies the move of
    `states.TRANSITIONS`, records its ProjectEvent, and at the start the offers still waiting become
    not hired. Locks the project (after the contract, which the caller holds)."""
    if action not in _EVENTS:
        raise ValueError(f"not a move that follows a contract: {action!r}")
    project = _lock(project)
    project.status = states.transition(project, action)
    project.save(update_fields=["status", "updated_at"])
    if action == "start":
        project.offers.filter(status=Offer.Status.SUBMITTED).update(status=Offer.Status.NOT_HIRED)
    _record(project, actor, _EVENTS[action], note)
    bump_list_version()
    return project


@transaction.atomic
def reopen_after_failed_hire(*, project: Project, offer: Offer, actor: User, reason: str) -> None:
    """Called by the contract services when a hire is declined or withdrawn before funding.

    The other bidders were told at the hire that someone else was chosen: they hear that the
    project is open again, and their offers are live once more.
    Locks the project's row (after the contract, which the caller holds).
    """
    project = _lock(project)
    project.status = states.transition(project, "reopen")
    project.save(update_fields=["status", "updated_at"])
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.DECLINED)
    _record(project, actor, "reopened", reason)
    for other in project.offers.filter(status=Offer.Status.SUBMITTED).select_related("freelancer"):
        notify(
            user=other.freelancer,
            kind="project_reopened",
            context={"project": project, "offer": other},
            url=project.get_absolute_url(),
        )
    bump_list_version()
