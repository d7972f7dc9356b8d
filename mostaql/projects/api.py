"""Projects, offers and the hire, for API clients: the same selectors and services as the web pages."""

import datetime
from typing import Literal

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mostaql.accounts.models import User
from mostaql.api.auth import viewer
from mostaql.api.errors import ApiError, errors, not_found
from mostaql.api.idempotency import idempotent
from mostaql.api.pagination import paginate
from mostaql.api.params import BodyInt, Id, Slug, Text, path_id
from mostaql.catalog.api import skills_by_slug
from mostaql.catalog.models import Category
from mostaql.contracts import selectors as contract_selectors
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.money import net_after_commission_cents
from mostaql.core.schemas import AttachmentOut, PersonOut, ProjectRefOut, SkillRefOut
from mostaql.projects import selectors, services, states
from mostaql.projects.models import Budget, Invitation, Offer, Project

router = Router(tags=["projects"])

BudgetValue = Literal[tuple(Budget.values)]
ProjectStatus = Literal[tuple(Project.Status.values)]
OfferStatus = Literal[tuple(Offer.Status.values)]


# --- Output ----------------------------------------------------------------------------------------


class CategoryRefOut(Schema):
    slug: str
    name: str


class ProjectListItemOut(Schema):
    id: int
    title: str
    description: str
    status: ProjectStatus
    budget: BudgetValue
    offer_count: int
    published_at: datetime.datetime | None
    owner: PersonOut
    category: CategoryRefOut


class ProjectOut(Schema):
    id: int
    title: str
    description: str
    status: ProjectStatus
    budget: BudgetValue
    budget_min_cents: int
    budget_max_cents: int
    duration_days: int
    offer_count: int
    published_at: datetime.datetime | None
    created_at: datetime.datetime
    rejection_reason: str
    is_private: bool = Field(description="Seen only by its owner, staff and the freelancers invited.")
    owner: PersonOut
    category: CategoryRefOut
    skills: list[SkillRefOut]
    attachments: list[AttachmentOut]
    masked_contacts: bool = Field(
        False, description="True when contact details were hidden from the text just sent."
    )

    @staticmethod
    def resolve_budget_min_cents(project) -> int:
        return project.budget_bounds_cents[0]

    @staticmethod
    def resolve_budget_max_cents(project) -> int:
        return project.budget_bounds_cents[1]

    @staticmethod
    def resolveskills_by_slug(project) -> list:
        return list(project.skills.all())

    @staticmethod
    def resolve_attachments(project) -> list:
        return list(project.attachments.all())

    @staticmethod
    def resolve_masked_contacts(project) -> bool:
        return bool(getattr(project, "masked_contacts", False))


class BidderOut(Schema):
    """What everyone sees of an offer; the amount only when the viewer is the owner or the author."""

    id: int
    freelancer: PersonOut
    freelancer_slug: str
    status: OfferStatus
    created_at: datetime.datetime
    amount_cents: int | None = Field(description="Shown to the project's owner and the offer's author only.")
    duration_days: int | None = Field(description="Shown to the project's owner and the offer's author only.")


class OfferSummaryOut(Schema):
    count: int
    average_cents: int | None


class ViewerActionsOut(Schema):
    can_bid: bool
    can_edit: bool
    can_close: bool
    can_hire: bool


class ProjectDetailOut(ProjectOut):
    offer_summary: OfferSummaryOut
    bidders: list[BidderOut]
    actions: ViewerActionsOut


class OfferOut(Schema):
    id: int
    project_id: int
    freelancer: PersonOut
    amount_cents: int
    net_cents: int = Field(description="What the freelancer receives after the platform's commission.")
    duration_days: int
    text: str
    status: OfferStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    attachments: list[AttachmentOut]
    masked_contacts: bool = False

    @staticmethod
    def resolve_net_cents(offer) -> int:
        return net_after_commission_cents(offer.amount_cents)

    @staticmethod
    def resolve_attachments(offer) -> list:
        return list(offer.attachments.all())

    @staticmethod
    def resolve_masked_contacts(offer) -> bool:
        return bool(getattr(offer, "masked_contacts", False))


class MyOfferOut(Schema):
    id: int
    project_id: int
    project_title: str
    amount_cents: int
    duration_days: int
    status: OfferStatus
    contract_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_project_title(offer) -> str:
        return offer.project.title

    @staticmethod
    def resolve_contract_id(offer) -> int | None:
        contract = getattr(offer, "contract", None)
        return contract.pk if contract else None


class MyProjectOut(Schema):
    id: int
    title: str
    status: ProjectStatus
    is_private: bool
    budget: BudgetValue
    offer_count: int
    created_at: datetime.datetime
    category: CategoryRefOut
    contract_ids: list[int]

    @staticmethod
    def resolve_contract_ids(project) -> list[int]:
        return [contract.pk for contract in project.live_contracts]


class InvitationOut(Schema):
    id: int
    project: ProjectRefOut
    project_status: ProjectStatus
    project_is_private: bool
    client: PersonOut
    freelancer: PersonOut
    created_at: datetime.datetime
    has_offered: bool = Field(description="Whether the freelancer has sent an offer on the project.")

    @staticmethod
    def resolve_project_status(invitation) -> str:
        return invitation.project.status

    @staticmethod
    def resolve_project_is_private(invitation) -> bool:
        return invitation.project.is_private

    @staticmethod
    def resolve_client(invitation) -> User:
        return invitation.project.owner

    @staticmethod
    def resolve_has_offered(invitation) -> bool:
        return bool(getattr(invitation, "has_offered", False))


class HiredContractOut(Schema):
    id: int
    status: str
    project_id: int
    offer_id: int
    client: PersonOut
    freelancer: PersonOut
    amount_cents: int
    duration_days: int
    created_at: datetime.datetime


# --- Input -----------------------------------------------------------------------------------------


class ProjectFilters(Schema):
    q: Text(
        max_length=100,
        description="Search text, matched as on the web: Arabic normalised and lightly stemmed, broken "
        "plurals, other spellings of names and one-letter typos found.",
    ) = ""
    category: Slug | None = None
    skills: list[Slug] = Field(default_factory=list, max_length=5)
    budget: BudgetValue | None = None
    posted: Literal["day", "week", "month"] | None = None
    sort: Literal["relevance", "newest", "fewest_offers"] | None = Field(
        None, description="The most relevant first by default when q is given, else the newest."
    )


class ProjectIn(Schema):
    title: Text(min_length=10, max_length=120, description="10 to 120 characters.")
    description: Text(min_length=50, max_length=10_000, description="50 to 10,000 characters.")
    category: Slug
    skills: list[Slug] = Field(min_length=1, max_length=settings.PROJECT_MAX_SKILLS)
    budget: BudgetValue
    duration_days: BodyInt = Field(ge=1, le=365)
    is_private: bool = Field(
        False,
        description="A private project is never listed or searched: only you, staff and the freelancers "
        "you invite see it.",
    )


class InvitationIn(Schema):
    freelancer_id: Id = Field(description="The invited freelancer's id (a person's `id`).")


class ProjectPatch(Schema):
    title: Text(min_length=10, max_length=120) | None = None
    description: Text(min_length=50, max_length=10_000) | None = None
    category: Slug | None = None
    skills: list[Slug] | None = Field(None, min_length=1, max_length=settings.PROJECT_MAX_SKILLS)
    budget: BudgetValue | None = None
    duration_days: BodyInt | None = Field(None, ge=1, le=365)


class OfferIn(Schema):
    amount_cents: BodyInt = Field(ge=1, le=100_000_000, description="At least MIN_OFFER_CENTS (2,500 = $25).")
    duration_days: BodyInt = Field(ge=1, le=365)
    text: Text(min_length=30, max_length=5000, description="30 to 5,000 characters.")


class OfferPatch(Schema):
    amount_cents: BodyInt | None = Field(None, ge=1, le=100_000_000)
    duration_days: BodyInt | None = Field(None, ge=1, le=365)
    text: Text(min_length=30, max_length=5000) | None = None


# --- Helpers ---------------------------------------------------------------------------------------


def _category(slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise ApiError(
            422, "invalid_input", _("Choose a category."), fields={"category": _("Unknown category.")}
        )
    return category


def _require_verified(user) -> None:
    if not services.has_verified_email(user):
        raise ApiError(
            403, "email_not_verified", _("Verify your e-mail address first: we have sent you a link.")
        )


def _visible_project(request, project_id: int) -> Project:
    user = viewer(request)
    try:
        project = selectors.project_for_page(pk=project_id)
    except Project.DoesNotExist:
        raise not_found() from None
    if not selectors.can_view_project(project, user):
        raise not_found()
    return project


def _project_out(project_id: int, masked: bool = False) -> Project:
    project = selectors.project_for_page(pk=project_id)
    project.masked_contacts = masked
    return project


def _offer(pk: int) -> Offer:
    return Offer.objects.select_related("freelancer").prefetch_related("attachments").get(pk=pk)


LIST_FIELDS = (
    "pk",
    "title",
    "description",
    "budget",
    "offer_count",
    "published_at",
    "status",
    "owner__name",
    "category__slug",
    "category__name_ar",
    "category__name_en",
)


# --- Projects --------------------------------------------------------------------------------------


@router.get("/projects/", response=list[ProjectListItemOut], auth=None)
@paginate
def list_projects(request, filters: Query[ProjectFilters]):
    """Open projects, with the web list's filters and its Arabic-normalised search."""
    viewer(request)
    projects = selectors.open_projects(
        query=filters.q.strip(),
        category=filters.category or "",
        skills=filters.skills,
        budget=filters.budget or "",
        posted=filters.posted or "",
        sort=filters.sort or "",
    )
    # The web list's card needs no slug; API clients filter with it, so it is loaded with the rest.
    return projects.only(*LIST_FIELDS)


@router.get("/projects/{project_id}/", response={200: ProjectDetailOut, **errors(404)}, auth=None)
def get_project(request, project_id: int = path_id()):
    """A project, with what everyone may know of its offers and what the viewer may do with it.

    Pending, rejected and hidden projects are seen by their owner and staff only (404 otherwise).
    """
    project = _visible_project(request, project_id)
    user = viewer(request)
    is_owner = user.is_authenticated and user.pk == project.owner_id
    offers = list(selectors.bidders(project))
    has_bid = user.is_authenticated and project.offers.filter(freelancer=user).exists()
    project.offer_summary = selectors.offer_summary(project)
    project.bidders = [
        {
            "id": offer.pk,
            "freelancer": offer.freelancer,
            "freelancer_slug": offer.freelancer.profile.slug,
            "status": offer.status,
            "created_at": offer.created_at,
            "amount_cents": offer.amount_cents if is_owner or offer.freelancer_id == user.pk else None,
            "duration_days": offer.duration_days if is_owner or offer.freelancer_id == user.pk else None,
        }
        for offer in offers
    ]
    actions = states.offered_actions(project, is_owner=is_owner, has_bid=has_bid)
    project.actions = {
        "can_bid": "bid" in actions and user.is_authenticated,  # here: may send one now
        "can_edit": "edit" in actions,
        "can_close": "close" in actions,
        "can_hire": "hire" in actions,
    }
    return project


@router.post("/projects/", response={201: ProjectOut, **errors(403)})
def create_project(request, payload: ProjectIn):
    """Post a project: it waits for a moderator (or opens at once when auto-approval is on)."""
    _require_verified(request.auth)
    project = services.post_project(
        owner=request.auth,
        title=payload.title,
        description=payload.description,
        category=_category(payload.category),
        skills=skills_by_slug(payload.skills),
        budget=payload.budget,
        duration_days=payload.duration_days,
        is_private=payload.is_private,
    )
    return Status(201, _project_out(project.pk, project.masked_contacts))


@router.patch("/projects/{project_id}/", response={200: ProjectOut, **errors(404, 409)})
def edit_project(request, payload: ProjectPatch, project_id: int = path_id()):
    """Change a project of yours while it has no offers; fields left out keep their value."""
    project = get_object_or_404(Project, pk=project_id, owner=request.auth)
    changes = payload.dict(exclude_unset=True)
    edited = services.edit_project(
        owner=request.auth,
        project=project,
        title=changes.get("title") or project.title,
        description=changes.get("description") or project.description,
        category=_category(changes["category"]) if changes.get("category") else project.category,
        skills=skills_by_slug(changes["skills"]) if changes.get("skills") else list(project.skills.all()),
        budget=changes.get("budget") or project.budget,
        duration_days=changes.get("duration_days") or project.duration_days,
    )
    return _project_out(edited.pk, edited.masked_contacts)


@router.post("/projects/{project_id}/close/", response={200: ProjectOut, **errors(404, 409)})
def close_project(request, project_id: int = path_id()):
    """Close a project of yours without hiring: its offers go back to their authors' quotas."""
    project = get_object_or_404(Project, pk=project_id, owner=request.auth)
    services.close_project(owner=request.auth, project=project)
    return _project_out(project.pk)


# --- Invitations -----------------------------------------------------------------------------------


def _invitation(pk: int) -> Invitation:
    return selectors.invitations_with_answer().select_related("project__owner", "freelancer").get(pk=pk)


@router.post("/projects/{project_id}/invitations/", response={201: InvitationOut, **errors(404, 409)})
def invite_freelancer(request, payload: InvitationIn, project_id: int = path_id()):
    """Invite a freelancer to send an offer on an open project of yours; they are notified, and their
    offer will not count against their monthly quota. A private project is seen by those you invite.

    Refused (409): yourself, a suspended account, someone who does not work as a freelancer, someone
    already invited or who already sent an offer, a project that is not open.
    """
    project = get_object_or_404(Project, pk=project_id, owner=request.auth)
    freelancer = User.objects.filter(pk=payload.freelancer_id).first()
    if freelancer is None:
        raise ApiError(
            422,
            "invalid_input",
            _("Choose a freelancer."),
            fields={"freelancer_id": _("Unknown freelancer.")},
        )
    invitation = services.invite_freelancer(owner=request.auth, project=project, freelancer=freelancer)
    return Status(201, _invitation(invitation.pk))


@router.get("/projects/{project_id}/invitations/", response={200: list[InvitationOut], **errors(404)})
@paginate
def list_project_invitations(request, project_id: int = path_id()):
    """The freelancers you invited to a project of yours, newest first."""
    project = get_object_or_404(Project, pk=project_id, owner=request.auth)
    return selectors.invitations_of_project(project)


@router.get("/me/invitations/", response=list[InvitationOut])
@paginate
def list_my_invitations(request):
    """The invitations you received, newest first, and whether you have answered each with an offer."""
    return selectors.invitations_of(request.auth).select_related("freelancer")


@router.get("/me/projects/", response=list[MyProjectOut])
@paginate
def list_my_projects(request):
    """Your projects, newest first, in every state."""
    return contract_selectors.projects_of(request.auth)


# --- Offers ----------------------------------------------------------------------------------------


@router.get("/projects/{project_id}/offers/", response={200: list[OfferOut], **errors(404)})
@paginate
def list_project_offers(request, project_id: int = path_id()):
    """The offers on a project of yours, with their amounts and texts (only the owner sees these)."""
    project = get_object_or_404(Project, pk=project_id, owner=request.auth)
    return selectors.bidders(project)


@router.post("/projects/{project_id}/offers/", response={201: OfferOut, **errors(403, 404, 409)})
def create_offer(request, payload: OfferIn, project_id: int = path_id()):
    """Send an offer on an open project (one per project; never on your own)."""
    project = _visible_project(request, project_id)
    _require_verified(request.auth)
    offer = services.place_offer(
        freelancer=request.auth,
        project=project,
        amount_cents=payload.amount_cents,
        duration_days=payload.duration_days,
        text=payload.text,
    )
    result = _offer(offer.pk)
    result.masked_contacts = offer.masked_contacts
    return Status(201, result)


@router.get("/me/offers/", response=list[MyOfferOut])
@paginate
def list_my_offers(request):
    """The offers you sent, newest first."""
    return selectors.offers_of(request.auth)


def _readable_offer(request, offer_id: int) -> Offer:
    """An offer is seen by its author and by the project's owner; by anyone else, it is not found."""
    try:
        offer = (
            Offer.objects.select_related("project", "freelancer")
            .prefetch_related("attachments")
            .get(pk=offer_id)
        )
    except Offer.DoesNotExist:
        raise not_found() from None
    if request.auth.pk not in (offer.freelancer_id, offer.project.owner_id):
        raise not_found()
    return offer


@router.get("/offers/{offer_id}/", response={200: OfferOut, **errors(404)})
def get_offer(request, offer_id: int = path_id()):
    """An offer, seen by its author and by the project's owner."""
    return _readable_offer(request, offer_id)


@router.patch("/offers/{offer_id}/", response={200: OfferOut, **errors(404, 409)})
def edit_offer(request, payload: OfferPatch, offer_id: int = path_id()):
    """Change an offer of yours until someone is hired; fields left out keep their value."""
    offer = get_object_or_404(Offer, pk=offer_id, freelancer=request.auth)
    changes = payload.dict(exclude_unset=True)
    edited = services.edit_offer(
        freelancer=request.auth,
        offer=offer,
        amount_cents=changes.get("amount_cents") or offer.amount_cents,
        duration_days=changes.get("duration_days") or offer.duration_days,
        text=changes.get("text") or offer.text,
    )
    result = _offer(edited.pk)
    result.masked_contacts = edited.masked_contacts
    return result


@router.post("/offers/{offer_id}/withdraw/", response={200: OfferOut, **errors(404, 409)})
def withdraw_offer(request, offer_id: int = path_id()):
    """Withdraw an offer of yours (it still counts against the month's quota)."""
    offer = get_object_or_404(Offer, pk=offer_id, freelancer=request.auth)
    services.withdraw_offer(freelancer=request.auth, offer=offer)
    return _offer(offer.pk)


@router.post("/offers/{offer_id}/hire/", response={201: HiredContractOut, **errors(404, 409)})
@idempotent
def hire_offer(request, offer_id: int = path_id()):
    """Hire an offer on a project of yours: a contract is made, waiting for you to fund it.

    It commits you to pay, so it takes an Idempotency-Key: a retry returns the same contract.
    """
    offer = get_object_or_404(
        Offer.objects.select_related("project"), pk=offer_id, project__owner=request.auth
    )
    contract = contract_services.hire(owner=request.auth, project=offer.project, offer=offer)
    return Status(201, Contract.objects.select_related("client", "freelancer").get(pk=contract.pk))
