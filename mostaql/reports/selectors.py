"""Reads behind the report pages: the item a person may report, their reports, the moderators' queue."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from mostaql.accounts.models import Profile, User
from mostaql.messaging.models import Message
from mostaql.projects import selectors as project_selectors
from mostaql.projects.models import Offer, Project
from mostaql.reports.models import HiddenItem, Item, Kind, ModerationEvent, Report, Suspension
from mostaql.reports.visibility import is_hidden

# Everything a report's card shows, joined: any kind of item costs the same single query.
ITEM_RELATIONS = (
    "reporter",
    "author",
    "project__owner",
    "offer__project",
    "offer__freelancer",
    "message__sender",
    "message__conversation__project",
    "profile__user",
)


class NotVisible(LookupError):
    """The item does not exist, or this person may not see it: either way a 404."""


def visible_item(*, kind: str, pk: int, user: User | AnonymousUser) -> Project | Offer | Message | Profile:
    """The item as `user` sees it, or NotVisible. Hidden items cannot be reported again.

    A project: as its page shows it. An offer's text: its author and the project's owner only. A
    message: the two sides of its conversation only. A profile: when its public page is shown.
    """
    if kind == Kind.PROJECT:
        project = (
            Project.objects.select_related("owner").annotate(is_hidden=is_hidden(kind)).filter(pk=pk).first()
        )
        if project is None or project.is_hidden or not project_selectors.can_view_project(project, user):
            raise NotVisible
        return project
    if kind == Kind.OFFER:
        offer = (
            Offer.objects.select_related("project__owner", "freelancer")
            .annotate(is_hidden=is_hidden(kind), project_is_hidden=is_hidden(Kind.PROJECT, "project_id"))
            .filter(pk=pk)
            .exclude(status=Offer.Status.WITHDRAWN)
            .first()
        )
        if offer is None or offer.is_hidden or not offer.freelancer.is_active:
            raise NotVisible
        offer.project.is_hidden = offer.project_is_hidden
        if user.pk not in (offer.project.owner_id, offer.freelancer_id) or not (
            project_selectors.can_view_project(offer.project, user)
        ):
            raise NotVisible
        return offer
    if kind == Kind.MESSAGE:
        message = (
            Message.objects.select_related("sender", "conversation__project")
            .filter(Q(conversation__client=user) | Q(conversation__freelancer=user), pk=pk)
            .filter(~is_hidden(kind))
            .first()
        )
        if message is None:
            raise NotVisible
        return message
    if kind == Kind.PROFILE:
        profile = (
            Profile.objects.select_related("user")
            .filter(~is_hidden(kind), pk=pk, user__is_active=True)
            .first()
        )
        if profile is None:
            raise NotVisible
        return profile
    raise NotVisible


def open_report_of(*, reporter: User, item: Item) -> Report | None:
    return Report.objects.filter(
        reporter=reporter, status=Report.Status.OPEN, **Report.keys_for(item)
    ).first()


def reports_of(reporter: User) -> QuerySet[Report]:
    """A person's own reports, newest first."""
    return (
        Report.objects.filter(reporter=reporter)
        .select_related(*ITEM_RELATIONS)
        .order_by("-created_at", "-pk")
    )


def report_for_page(*, pk: int, user: User) -> Report:
    """The reporter's own report, or any for a moderator; Report.DoesNotExist for anyone else."""
    reports = Report.objects.select_related(*ITEM_RELATIONS)
    if not user.is_staff:
        reports = reports.filter(reporter=user)
    return reports.get(pk=pk)


def _same_item_open_reports() -> Subquery:
    """How many open reports are about the same item as the outer report (itself included)."""
    counts = Report.objects.filter(status=Report.Status.OPEN, kind=OuterRef("kind"))
    per_kind = Q()
    for kind in Kind.values:
        per_kind |= Q(**{f"{kind}_id": OuterRef(f"{kind}_id")}, kind=kind)
    counts = counts.filter(per_kind).order_by().values("kind").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counts[:1]), 1)


def open_queue() -> QuerySet[Report]:
    """The moderators' queue: open reports, oldest first, each with its item and its author."""
    return (
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related(*ITEM_RELATIONS)
        .annotate(reports_on_item=_same_item_open_reports())
        .order_by("created_at", "pk")
    )


def open_reports_on_same_item(report: Report) -> QuerySet[Report]:
    return (
        Report.objects.filter(status=Report.Status.OPEN, **report.same_item())
        .select_related("reporter")
        .order_by("created_at", "pk")
    )


def warnings_of(user: User) -> int:
    return ModerationEvent.objects.filter(subject=user, action=ModerationEvent.Action.WARNED).count()


def active_suspension(user: User) -> Suspension | None:
    return Suspension.objects.filter(user=user, lifted_at__isnull=True).first()


def active_suspensions() -> QuerySet[Suspension]:
    return (
        Suspension.objects.filter(lifted_at__isnull=True)
        .select_related("user__profile", "suspended_by")
        .order_by("-created_at", "-pk")
    )


def hidden_items() -> QuerySet[HiddenItem]:
    """What the moderators took off the site, newest first, each with its item joined in."""
    item_relations = [relation for relation in ITEM_RELATIONS if relation not in ("reporter", "author")]
    return HiddenItem.objects.select_related("hidden_by", *item_relations).order_by("-created_at", "-pk")
