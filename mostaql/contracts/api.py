"""Contracts for API clients: the same services and transition table as the contract page.

Each action is `POST /contracts/{id}/<action>/`, named as in the detail's `actions` list, which is
computed exactly as the web page decides which buttons to show. Money-moving actions (fund, accept,
cancel, resolve_dispute) need an `Idempotency-Key`.
"""

import datetime
from typing import Literal

from django.db.models import Case, CharField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mostaql.accounts.models import User
from mostaql.api.auth import require_recent_authentication, staff_only
from mostaql.api.errors import ApiError, errors, not_found
from mostaql.api.idempotency import idempotent
from mostaql.api.pagination import paginate
from mostaql.api.params import (
    BodyInt,
    FormOrJson,
    Text,
    UploadedFiles,
    clean_deliverables,
    file_response_doc,
    json_too,
    path_id,
)
from mostaql.contracts import selectors, services, states
from mostaql.contracts.models import Contract, DeliveryAttachment, Dispute, Milestone
from mostaql.core.exceptions import DomainError
from mostaql.core.milestones import MilestoneTerms
from mostaql.core.money import format_money, net_after_commission_cents
from mostaql.core.schemas import PersonOut, ProjectRefOut
from mostaql.core.uploads import download_response, preview_response
from mostaql.gigs import selectors as gig_selectors

router = Router(tags=["contracts"])

ContractStatus = Literal[tuple(Contract.Status.values)]
ContractOrigin = Literal[tuple(Contract.Origin.values)]
MilestoneStatus = Literal[tuple(Milestone.Status.values)]
Side = Literal["client", "freelancer"]


# --- Output ----------------------------------------------------------------------------------------


class ContractListItemOut(Schema):
    id: int
    origin: ContractOrigin = Field(description="hire (of an offer), rehire (a direct contract) or order.")
    title: str
    status: ContractStatus
    status_label: str
    role: Side = Field(description="Your side of the contract.")
    project: ProjectRefOut | None = Field(description="None for a service order or a direct contract.")
    client: PersonOut
    freelancer: PersonOut
    amount_cents: int
    duration_days: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_status_label(contract) -> str:
        return str(contract.get_status_display())


class ActionOut(Schema):
    action: str = Field(description="The path of the action: POST /contracts/{id}/<action>/.")
    label: str


class FileOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    kind: str = Field(
        description="image, svg, pdf, video, audio, subtitles, design, font, text, office or zip."
    )
    size: int
    download_url: str = Field(description="GET it (with your token) for the file exactly as it was sent.")
    preview_url: str | None = Field(description="A small re-encoded picture of an image, where there is one.")

    @staticmethod
    def resolve_download_url(attachment) -> str:
        return reverse("api-v1:contracts_delivery_file", kwargs={"file_id": attachment.pk})

    @staticmethod
    def resolve_preview_url(attachment) -> str | None:
        if not attachment.preview:
            return None
        return reverse("api-v1:contracts_delivery_preview", kwargs={"file_id": attachment.pk})


class DeliveryOut(Schema):
    id: int
    message: str
    created_at: datetime.datetime
    files: list[FileOut] = Field(
        description="The delivered files; each is downloaded, exactly as uploaded, at `download_url`."
    )

    @staticmethod
    def resolve_files(delivery) -> list:
        return list(delivery.attachments.all())


class CancellationOut(Schema):
    id: int
    requested_by: PersonOut
    reason: str
    created_at: datetime.datetime


class DisputeOut(Schema):
    opened_by: PersonOut
    reason: str
    status: Literal[tuple(Dispute.Status.values)]
    freelancer_share_cents: int | None
    decision: str
    decided_at: datetime.datetime | None
    created_at: datetime.datetime


class EventOut(Schema):
    action: str
    label: str
    actor: PersonOut | None
    from_status: str
    to_status: str
    note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_label(event) -> str:
        return str(event.get_action_display())


class PlannedMilestoneOut(Schema):
    position: int
    title: str
    amount_cents: int
    days: int


class MilestoneOut(PlannedMilestoneOut):
    id: int
    status: MilestoneStatus
    status_label: str
    freelancer_net_cents: int = Field(description="What the freelancer receives for it after commission.")
    extra_days: int = Field(description="Days added by agreed extensions.")
    funded_at: datetime.datetime | None
    started_at: datetime.datetime | None
    due_at: datetime.datetime | None = Field(description="Its start plus its days and agreed extensions.")
    delivered_at: datetime.datetime | None
    paid_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(milestone) -> str:
        return str(milestone.get_status_display())


class BonusOut(Schema):
    id: int
    amount_cents: int
    freelancer_net_cents: int
    note: str
    created_at: datetime.datetime


class MilestoneChangeOut(Schema):
    id: int
    proposed_by: PersonOut
    milestone_id: int | None = Field(description="The milestone to change; none to add a new one.")
    title: str
    amount_cents: int
    days: int
    created_at: datetime.datetime


class ExtensionOut(Schema):
    id: int
    proposed_by: PersonOut
    milestone_id: int
    days: int
    reason: str
    created_at: datetime.datetime


class ContractOut(Schema):
    id: int
    origin: ContractOrigin
    title: str
    description: str
    status: ContractStatus
    status_label: str
    project: ProjectRefOut | None = Field(description="None for a service order or a direct contract.")
    client: PersonOut
    freelancer: PersonOut
    amount_cents: int
    freelancer_net_cents: int = Field(description="What the freelancer receives after commission.")
    duration_days: int
    created_at: datetime.datetime
    funded_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    auto_accept_at: datetime.datetime | None = Field(
        description="When an unanswered delivery is accepted automatically."
    )
    actions: list[ActionOut] = Field(description="What you may do now, by the contract's transition table.")
    milestones: list[MilestoneOut] = Field(description="In order; money and deadlines are per milestone.")
    bonuses: list[BonusOut]
    milestone_change: MilestoneChangeOut | None = Field(
        description="The milestone change waiting for an answer."
    )
    extension: ExtensionOut | None = Field(description="The proposal of more days waiting for an answer.")
    deliveries: list[DeliveryOut]
    cancellation: CancellationOut | None = Field(description="The proposal to cancel waiting for an answer.")
    dispute: DisputeOut | None
    events: list[EventOut]

    @staticmethod
    def resolve_status_label(contract) -> str:
        return str(contract.get_status_display())

    @staticmethod
    def resolve_freelancer_net_cents(contract) -> int:
        return net_after_commission_cents(contract.amount_cents)

    @staticmethod
    def resolve_deliveries(contract) -> list:
        return contract.deliveries_list

    @staticmethod
    def resolve_milestones(contract) -> list:
        return contract.milestones_list

    @staticmethod
    def resolve_bonuses(contract) -> list:
        return contract.bonuses_list

    @staticmethod
    def resolve_dispute(contract):
        return contract.dispute_row

    @staticmethod
    def resolve_events(contract) -> list:
        return contract.events_list

    @staticmethod
    def resolve_auto_accept_at(contract) -> datetime.datetime | None:
        if contract.status != Contract.Status.DELIVERED:
            return None
        return contract.auto_accept_at


class UpgradeChosenOut(Schema):
    title: str
    price_cents: int
    extra_days: int


class ServiceRefOut(Schema):
    id: int
    title: str


class RequirementsFileOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    kind: str
    size: int
    download_url: str = Field(description="GET it (with your token) for the file exactly as it was sent.")

    @staticmethod
    def resolve_download_url(attachment) -> str:
        return reverse("api-v1:orders_requirements_file", kwargs={"file_id": attachment.pk})


class RequirementsOut(Schema):
    text: str
    created_at: datetime.datetime
    files: list[RequirementsFileOut]

    @staticmethod
    def resolve_files(requirements) -> list:
        return list(requirements.attachments.all())


class OrderOut(ContractOut):
    """A service order: the agreement (as a contract) with what was ordered and the buyer's answers."""

    service: ServiceRefOut | None
    quantity: int
    base_price_cents: int
    upgrades: list[UpgradeChosenOut] = Field(description="The upgrades as they were when ordered.")
    instructions: str = Field(description="The seller's instructions the buyer answers.")
    requirements: RequirementsOut | None = Field(description="The buyer's answers, once sent.")
    due_at: datetime.datetime | None = Field(description="When the delivery is due (after the requirements).")
    is_late: bool = Field(description="The deadline passed with no delivery: the buyer may cancel_late.")

    @staticmethod
    def resolve_service(contract):
        return contract.order.service if contract.order else None

    @staticmethod
    def resolve_quantity(contract) -> int:
        return contract.order.quantity if contract.order else 1

    @staticmethod
    def resolve_base_price_cents(contract) -> int:
        return contract.order.base_price_cents if contract.order else contract.amount_cents

    @staticmethod
    def resolve_upgrades(contract) -> list:
        return list(contract.order.upgrades.all()) if contract.order else []

    @staticmethod
    def resolve_instructions(contract) -> str:
        return contract.order.service.instructions if contract.order else ""

    @staticmethod
    def resolve_requirements(contract):
        return contract.requirements_row

    @staticmethod
    def resolve_is_late(contract) -> bool:
        return states.is_late(contract)


class OrderListItemOut(Schema):
    id: int
    status: ContractStatus
    status_label: str
    role: Literal["buyer", "seller"] = Field(description="Your side of the order.")
    title: str
    service: ServiceRefOut | None
    client: PersonOut = Field(description="The buyer.")
    freelancer: PersonOut = Field(description="The seller.")
    amount_cents: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_status_label(contract) -> str:
        return str(contract.get_status_display())

    @staticmethod
    def resolve_service(contract):
        order = getattr(contract, "service_order", None)
        return order.service if order else None


class DisputeQueueItemOut(Schema):
    contract_id: int
    origin: str
    title: str
    project: ProjectRefOut | None
    opened_by: PersonOut
    reason: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_project(dispute):
        return dispute.contract.project

    @staticmethod
    def resolve_origin(dispute) -> str:
        return dispute.contract.origin

    @staticmethod
    def resolve_title(dispute) -> str:
        return dispute.contract.title


# --- Input -----------------------------------------------------------------------------------------


class ContractFilters(Schema):
    role: Side | None = Field(None, description="Only the contracts where you are this side.")
    status: ContractStatus | None = None


class OrderFilters(Schema):
    role: Literal["buyer", "seller"] | None = Field(
        None, description="Only the orders where you are this side."
    )
    status: ContractStatus | None = None


class RequirementsIn(Schema):
    text: Text(min_length=1, max_length=5000, description="At least 10 characters.")


class OptionalReasonIn(Schema):
    reason: Text(max_length=2000, description="Optional.") = ""


class DeliveryIn(Schema):
    message: Text(min_length=1, max_length=5000, description="At least 10 characters.")


class MessageIn(Schema):
    message: Text(min_length=1, max_length=5000, description="What should change (at least 10 characters).")


class ReasonIn(Schema):
    reason: Text(min_length=1, max_length=5000)


class MilestoneIn(Schema):
    title: Text(min_length=1, max_length=120)
    amount_cents: BodyInt = Field(ge=1, le=100_000_000)
    days: BodyInt = Field(ge=1, le=365)

    def terms(self) -> MilestoneTerms:
        return MilestoneTerms(self.title, self.amount_cents, self.days)


class DirectContractIn(Schema):
    freelancer_id: BodyInt = Field(ge=1, le=2_147_483_647)
    title: Text(min_length=1, max_length=200, description="5 to 200 characters.")
    description: Text(max_length=5000) = ""
    milestones: list[MilestoneIn] = Field(description="1 to 10 milestones.", min_length=1, max_length=10)


class MilestoneChangeIn(MilestoneIn):
    milestone_id: BodyInt | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="A milestone not funded yet to change; leave out to add one.",
    )


class ExtensionIn(Schema):
    days: BodyInt = Field(ge=1, le=90)
    reason: Text(min_length=1, max_length=2000, description="At least 10 characters.")


class BonusIn(Schema):
    amount_cents: BodyInt = Field(ge=1, le=100_000_000)
    note: Text(max_length=2000) = ""


class DecisionIn(Schema):
    freelancer_share_cents: BodyInt = Field(
        ge=0,
        le=100_000_000,
        description="The freelancer's share of the escrow; the rest returns to the client.",
    )
    decision: Text(min_length=1, max_length=5000, description="At least 10 characters, shown to both sides.")


# --- Helpers ---------------------------------------------------------------------------------------

_CONTRACT_ROWS = ("project", "client", "freelancer")


def _party_contract(request, contract_id: int, *, order: bool = False) -> Contract:
    """A contract of which the caller is a side (only an order under /orders/); anyone else's is not
    found, whatever the id."""
    user = request.auth
    contracts = Contract.objects.filter(Q(client=user) | Q(freelancer=user))
    if order:
        contracts = contracts.filter(origin=Contract.Origin.ORDER)
    contract = contracts.select_related(*_CONTRACT_ROWS).filter(pk=contract_id).first()
    if contract is None:
        raise not_found()
    return contract


def _detail(contract_id: int, user: User) -> Contract:
    """The contract as the detail shows it (contracts.selectors, as on the web page), with the
    actions offered to `user` and their labels."""
    contract = selectors.contract_detail(contract_id=contract_id, user=user)
    if contract is None:
        raise not_found()
    contract.actions = [{"action": move.action, "label": str(move.label)} for move in contract.action_moves]
    contract.cancellation = contract.proposal
    return contract


def _order_detail(contract_id: int, user: User) -> Contract:
    """An order as `GET /orders/{id}/` shows it: the contract's detail (its two sides and moderators, as
    on the web page) with its service order (gigs) and requirements. 404 for anything else."""
    contract = _detail(contract_id, user)
    if not contract.is_order:
        raise not_found()
    contract.order = gig_selectors.order_of_contract(contract.pk)
    contract.requirements_row = selectors.requirements_of(contract)
    return contract


def _after(request, contract_id: int, *, order: bool) -> Contract:
    """What an action answers: the contract, or the order under /orders/."""
    return _order_detail(contract_id, request.auth) if order else _detail(contract_id, request.auth)


# --- Reads -----------------------------------------------------------------------------------------


@router.get("/contracts/", response=list[ContractListItemOut])
@paginate
def list_contracts(request, filters: Query[ContractFilters]):
    """Your contracts, as client or freelancer, newest first."""
    user = request.auth
    contracts = (
        Contract.objects.filter(Q(client=user) | Q(freelancer=user))
        .select_related(*_CONTRACT_ROWS)
        .annotate(
            role=Case(
                When(client=user, then=Value("client")), default=Value("freelancer"), output_field=CharField()
            )
        )
        .order_by("-created_at", "-pk")
    )
    if filters.role == "client":
        contracts = contracts.filter(client=user)
    elif filters.role == "freelancer":
        contracts = contracts.filter(freelancer=user)
    if filters.status:
        contracts = contracts.filter(status=filters.status)
    return contracts


@router.get("/contracts/{contract_id}/", response={200: ContractOut, **errors(404)})
def get_contract(request, contract_id: int = path_id()):
    """A contract, seen by its two sides and by moderators, with what you may do with it now."""
    return _detail(contract_id, request.auth)


# --- The two sides' actions ------------------------------------------------------------------------


@router.post("/contracts/{contract_id}/fund/", response={200: ContractOut, **errors(404, 409)})
@idempotent
def fund(request, contract_id: int = path_id()):
    """Fund the contract from your available balance: the amount waits in escrow (client).

    Short of money: 409 `insufficient_funds`, with the shortfall in the message; deposit first.
    """
    contract = _party_contract(request, contract_id)
    try:
        services.fund_contract(client=request.auth, contract=contract)
    except services.NeedsFunds as short:
        raise ApiError(
            409,
            "insufficient_funds",
            _("%(message)s Add at least %(shortfall)s to your balance.")
            % {"message": short.message, "shortfall": format_money(short.shortfall_cents)},
        ) from None
    return _detail(contract_id, request.auth)


@router.post("/contracts/{contract_id}/decline/", response={200: ContractOut, **errors(404, 409)})
def decline(request, payload: OptionalReasonIn, contract_id: int = path_id()):
    """Decline the hire before it is funded; the project opens again for offers (freelancer)."""
    contract = _party_contract(request, contract_id)
    services.decline_hire(freelancer=request.auth, contract=contract, reason=payload.reason)
    return _detail(contract_id, request.auth)


@router.post("/contracts/{contract_id}/withdraw_hire/", response={200: ContractOut, **errors(404, 409)})
def withdraw_hire(request, payload: OptionalReasonIn, contract_id: int = path_id()):
    """Withdraw the hire before funding it; the project opens again for offers (client)."""
    contract = _party_contract(request, contract_id)
    services.withdraw_hire(client=request.auth, contract=contract, reason=payload.reason)
    return _detail(contract_id, request.auth)


@router.post(
    "/contracts/{contract_id}/deliver/",
    response={200: ContractOut, **errors(404, 409)},
    openapi_extra=json_too(DeliveryIn),
)
def deliver(
    request, payload: FormOrJson(DeliveryIn), files: UploadedFiles = (), contract_id: int = path_id()
):
    """Deliver the work with a message and files (freelancer).

    Send `multipart/form-data` with `message` and up to five `files` (kept byte for byte and checked by
    their content, as on the web page), or a JSON object with the `message` alone."""
    return _deliver(request, payload, files, contract_id)


def _deliver(request, payload: DeliveryIn, files, contract_id: int, *, order: bool = False):
    contract = _party_contract(request, contract_id, order=order)
    services.deliver(
        freelancer=request.auth, contract=contract, message=payload.message, files=clean_deliverables(files)
    )
    return _after(request, contract_id, order=order)


def _delivery_attachment(request, file_id: int) -> DeliveryAttachment:
    """A delivered file of a contract the caller is a side of (or any, for staff); others' are not found."""
    attachment = selectors.visible_delivery_file(user=request.auth, pk=file_id)
    if attachment is None:
        raise not_found()
    return attachment


@router.get(
    "/contracts/files/{file_id}/",
    response={**errors(404)},
    url_name="contracts_delivery_file",
    openapi_extra=file_response_doc("The delivered file, exactly as it was uploaded, as a download."),
)
def delivery_file(request, file_id: int = path_id()):
    """Download a delivered file (either side of the contract)."""
    attachment = _delivery_attachment(request, file_id)
    return download_response(attachment.file, filename=attachment.original_name)


@router.get(
    "/contracts/files/{file_id}/preview/",
    response={**errors(404)},
    url_name="contracts_delivery_preview",
    openapi_extra=file_response_doc("A small re-encoded picture of a delivered image."),
)
def delivery_preview(request, file_id: int = path_id()):
    """The preview of a delivered image (either side of the contract); 404 where there is none."""
    attachment = _delivery_attachment(request, file_id)
    if not attachment.preview:
        raise not_found()
    return preview_response(attachment.preview)


def _accept(request, contract_id: int, *, order: bool = False):
    contract = _party_contract(request, contract_id, order=order)
    services.accept_delivery(client=request.auth, contract=contract)
    return _after(request, contract_id, order=order)


def _request_changes(request, payload: MessageIn, contract_id: int, *, order: bool = False):
    contract = _party_contract(request, contract_id, order=order)
    services.request_changes(client=request.auth, contract=contract, message=payload.message)
    return _after(request, contract_id, order=order)


def _propose_cancel(request, payload: ReasonIn, contract_id: int, *, order: bool = False):
    contract = _party_contract(request, contract_id, order=order)
    services.propose_cancellation(user=request.auth, contract=contract, reason=payload.reason)
    return _after(request, contract_id, order=order)


def _answer_cancel(request, contract_id: int, *, accept: bool, order: bool = False):
    contract = _party_contract(request, contract_id, order=order)
    services.answer_cancellation(user=request.auth, contract=contract, accept=accept)
    return _after(request, contract_id, order=order)


def _open_dispute(request, payload: ReasonIn, contract_id: int, *, order: bool = False):
    contract = _party_contract(request, contract_id, order=order)
    services.open_dispute(user=request.auth, contract=contract, reason=payload.reason)
    return _after(request, contract_id, order=order)


@router.post("/contracts/{contract_id}/accept/", response={200: ContractOut, **errors(404, 409)})
@idempotent
def accept(request, contract_id: int = path_id()):
    """Accept the delivery: the escrow is released to the freelancer, less commission (client)."""
    return _accept(request, contract_id)


@router.post("/contracts/{contract_id}/request_changes/", response={200: ContractOut, **errors(404, 409)})
def request_changes(request, payload: MessageIn, contract_id: int = path_id()):
    """Ask for changes to the delivery: the contract is active again (client)."""
    return _request_changes(request, payload, contract_id)


@router.post("/contracts/{contract_id}/propose_cancel/", response={200: ContractOut, **errors(404, 409)})
def propose_cancel(request, payload: ReasonIn, contract_id: int = path_id()):
    """Propose to cancel by agreement, with the reason (at least 10 characters); the other side answers."""
    return _propose_cancel(request, payload, contract_id)


@router.post("/contracts/{contract_id}/cancel/", response={200: ContractOut, **errors(404, 409)})
@idempotent
def cancel(request, contract_id: int = path_id()):
    """Accept the other side's proposal to cancel: the escrow returns to the client, the contract ends."""
    return _answer_cancel(request, contract_id, accept=True)


@router.post("/contracts/{contract_id}/refuse_cancel/", response={200: ContractOut, **errors(404, 409)})
def refuse_cancel(request, contract_id: int = path_id()):
    """Refuse the other side's proposal to cancel: the contract goes on."""
    return _answer_cancel(request, contract_id, accept=False)


@router.post("/contracts/{contract_id}/open_dispute/", response={200: ContractOut, **errors(404, 409)})
def open_dispute(request, payload: ReasonIn, contract_id: int = path_id()):
    """Ask a moderator to decide (at least 20 characters of explanation); either side, active or delivered."""
    return _open_dispute(request, payload, contract_id)


# --- Service orders: the same moves under /orders/, where only orders are found ----------------------


@router.get("/orders/", response=list[OrderListItemOut])
@paginate
def list_orders(request, filters: Query[OrderFilters]):
    """Your service orders, as buyer or seller, newest first."""
    user = request.auth
    orders = (
        Contract.objects.filter(Q(client=user) | Q(freelancer=user), origin=Contract.Origin.ORDER)
        .select_related("client", "freelancer", "service_order__service")
        .annotate(
            role=Case(
                When(client=user, then=Value("buyer")), default=Value("seller"), output_field=CharField()
            )
        )
        .order_by("-created_at", "-pk")
    )
    if filters.role == "buyer":
        orders = orders.filter(client=user)
    elif filters.role == "seller":
        orders = orders.filter(freelancer=user)
    if filters.status:
        orders = orders.filter(status=filters.status)
    return orders


@router.get("/orders/{order_id}/", response={200: OrderOut, **errors(404)})
def get_order(request, order_id: int = path_id()):
    """A service order, seen by its buyer and its seller, with what you may do with it now."""
    return _order_detail(order_id, request.auth)


@router.post(
    "/orders/{order_id}/requirements/",
    response={200: OrderOut, **errors(404, 409)},
    openapi_extra=json_too(RequirementsIn),
)
def submit_order_requirements(
    request, payload: FormOrJson(RequirementsIn), files: UploadedFiles = (), order_id: int = path_id()
):
    """Answer the seller's instructions (buyer), once: the delivery time counts from now.

    Send `multipart/form-data` with `text` and up to five `files`, or a JSON object with the `text` alone."""
    contract = _party_contract(request, order_id, order=True)
    services.submit_requirements(
        client=request.auth, contract=contract, text=payload.text, files=clean_deliverables(files)
    )
    return _order_detail(order_id, request.auth)


@router.post(
    "/orders/{order_id}/deliver/",
    response={200: OrderOut, **errors(404, 409)},
    openapi_extra=json_too(DeliveryIn),
)
def deliver_order(
    request, payload: FormOrJson(DeliveryIn), files: UploadedFiles = (), order_id: int = path_id()
):
    """Deliver the order with a message and files (seller), as `POST /contracts/{id}/deliver/`."""
    return _deliver(request, payload, files, order_id, order=True)


@router.post("/orders/{order_id}/accept/", response={200: OrderOut, **errors(404, 409)})
@idempotent
def accept_order(request, order_id: int = path_id()):
    """Accept the delivery: the seller is paid the total less commission (buyer)."""
    return _accept(request, order_id, order=True)


@router.post("/orders/{order_id}/request_changes/", response={200: OrderOut, **errors(404, 409)})
def request_order_changes(request, payload: MessageIn, order_id: int = path_id()):
    """Ask for changes to the delivery: the order is in progress again (buyer)."""
    return _request_changes(request, payload, order_id, order=True)


@router.post("/orders/{order_id}/decline/", response={200: OrderOut, **errors(404, 409)})
@idempotent
def decline_order(request, payload: ReasonIn, order_id: int = path_id()):
    """Decline the order (seller), before delivering, with the reason: the buyer is refunded at once."""
    contract = _party_contract(request, order_id, order=True)
    services.decline_order(freelancer=request.auth, contract=contract, reason=payload.reason)
    return _order_detail(order_id, request.auth)


@router.post("/orders/{order_id}/cancel_late/", response={200: OrderOut, **errors(404, 409)})
@idempotent
def cancel_late_order(request, order_id: int = path_id()):
    """Cancel an order whose deadline passed with no delivery (buyer): refunded at once."""
    contract = _party_contract(request, order_id, order=True)
    services.cancel_late_order(client=request.auth, contract=contract)
    return _order_detail(order_id, request.auth)


@router.post("/orders/{order_id}/propose_cancel/", response={200: OrderOut, **errors(404, 409)})
def propose_order_cancel(request, payload: ReasonIn, order_id: int = path_id()):
    """Propose to cancel the order by agreement, with the reason; the other side answers."""
    return _propose_cancel(request, payload, order_id, order=True)


@router.post("/orders/{order_id}/cancel/", response={200: OrderOut, **errors(404, 409)})
@idempotent
def cancel_order(request, order_id: int = path_id()):
    """Accept the other side's proposal to cancel: the buyer is refunded, the order ends."""
    return _answer_cancel(request, order_id, accept=True, order=True)


@router.post("/orders/{order_id}/refuse_cancel/", response={200: OrderOut, **errors(404, 409)})
def refuse_order_cancel(request, order_id: int = path_id()):
    """Refuse the other side's proposal to cancel: the order goes on."""
    return _answer_cancel(request, order_id, accept=False, order=True)


@router.post("/orders/{order_id}/open_dispute/", response={200: OrderOut, **errors(404, 409)})
def open_order_dispute(request, payload: ReasonIn, order_id: int = path_id()):
    """Ask a moderator to decide (at least 20 characters of explanation); either side."""
    return _open_dispute(request, payload, order_id, order=True)


@router.get(
    "/orders/requirements-files/{file_id}/",
    response={**errors(404)},
    url_name="orders_requirements_file",
    openapi_extra=file_response_doc("A file the buyer sent with the requirements, exactly as uploaded."),
)
def requirements_file(request, file_id: int = path_id()):
    """Download a file of an order's requirements (its buyer and its seller)."""
    attachment = selectors.visible_requirements_file(user=request.auth, pk=file_id)
    if attachment is None:
        raise not_found()
    return download_response(attachment.file, filename=attachment.original_name)


@router.post("/contracts/{contract_id}/accept_milestone/", response={200: ContractOut, **errors(404, 409)})
@idempotent
def accept_milestone(request, contract_id: int = path_id()):
    """Accept the delivered milestone (not the last): its escrow is released to the freelancer, less
    commission; the next milestone waits for your funding (client)."""
    contract = _party_contract(request, contract_id)
    services.accept_delivery(client=request.auth, contract=contract)
    return _detail(contract_id, request.auth)


# --- Direct contracts, milestone changes, extensions, bonuses --------------------------------------


@router.post("/contracts/", response={201: ContractOut, **errors(404, 409)})
def offer_direct_contract(request, payload: DirectContractIn):
    """Offer someone a contract directly, without a project (a rehire): it waits for their answer."""
    freelancer = User.objects.filter(pk=payload.freelancer_id, is_active=True).first()
    if freelancer is None:
        raise not_found()
    contract = services.offer_rehire(
        client=request.auth,
        freelancer=freelancer,
        title=payload.title,
        description=payload.description,
        milestones=[milestone.terms() for milestone in payload.milestones],
    )
    return Status(201, _detail(contract.pk, request.auth))


@router.post("/contracts/{contract_id}/accept_rehire/", response={200: ContractOut, **errors(404, 409)})
def accept_rehire(request, contract_id: int = path_id()):
    """Accept a direct contract; it then waits for the client's funding (freelancer). To say no, decline."""
    contract = _party_contract(request, contract_id)
    services.accept_rehire(freelancer=request.auth, contract=contract)
    return _detail(contract_id, request.auth)


@router.post(
    "/contracts/{contract_id}/propose_milestone_change/", response={200: ContractOut, **errors(404, 409)}
)
def propose_milestone_change(request, payload: MilestoneChangeIn, contract_id: int = path_id()):
    """Propose to add a milestone, or to change one not funded yet; the other side answers (either side)."""
    contract = _party_contract(request, contract_id)
    milestone = None
    if payload.milestone_id is not None:
        milestone = contract.milestones.filter(pk=payload.milestone_id).first()
        if milestone is None:
            raise ApiError(
                422,
                "invalid_input",
                _("This milestone is not part of the contract."),
                fields={"milestone_id": _("This milestone is not part of the contract.")},
            )
    services.propose_milestone_change(
        user=request.auth, contract=contract, milestone=milestone, terms=payload.terms()
    )
    return _detail(contract_id, request.auth)


@router.post(
    "/contracts/{contract_id}/accept_milestone_change/", response={200: ContractOut, **errors(404, 409)}
)
def accept_milestone_change(request, contract_id: int = path_id()):
    """Accept the other side's milestone change: the plan changes; the contract's amount and duration
    stay the sums of its milestones."""
    contract = _party_contract(request, contract_id)
    services.answer_milestone_change(user=request.auth, contract=contract, accept=True)
    return _detail(contract_id, request.auth)


@router.post(
    "/contracts/{contract_id}/refuse_milestone_change/", response={200: ContractOut, **errors(404, 409)}
)
def refuse_milestone_change(request, contract_id: int = path_id()):
    """Refuse the other side's milestone change."""
    contract = _party_contract(request, contract_id)
    services.answer_milestone_change(user=request.auth, contract=contract, accept=False)
    return _detail(contract_id, request.auth)


@router.post("/contracts/{contract_id}/accept_extension/", response={200: ContractOut, **errors(404, 409)})
def accept_extension(request, contract_id: int = path_id()):
    """Accept the other side's proposal of more days: the milestone's due date moves."""
    contract = _party_contract(request, contract_id)
    services.answer_extension(user=request.auth, contract=contract, accept=True)
    return _detail(contract_id, request.auth)


@router.post("/contracts/{contract_id}/refuse_extension/", response={200: ContractOut, **errors(404, 409)})
def refuse_extension(request, contract_id: int = path_id()):
    """Refuse the other side's proposal of more days."""
    contract = _party_contract(request, contract_id)
    services.answer_extension(user=request.auth, contract=contract, accept=False)
    return _detail(contract_id, request.auth)


@router.post("/contracts/{contract_id}/propose_extension/", response={200: ContractOut, **errors(404, 409)})
def propose_extension(request, payload: ExtensionIn, contract_id: int = path_id()):
    """Propose more days for the milestone in progress, with the reason; the other side answers."""
    contract = _party_contract(request, contract_id)
    services.propose_extension(user=request.auth, contract=contract, days=payload.days, reason=payload.reason)
    return _detail(contract_id, request.auth)


@router.post("/contracts/{contract_id}/pay_bonus/", response={200: ContractOut, **errors(404, 409)})
@idempotent
def pay_bonus(request, payload: BonusIn, contract_id: int = path_id()):
    """Pay the freelancer a bonus from your available balance, less commission, with clearance (client,
    once the contract is funded). Short of money: 409 `insufficient_funds`."""
    contract = _party_contract(request, contract_id)
    try:
        services.pay_bonus(
            client=request.auth, contract=contract, amount_cents=payload.amount_cents, note=payload.note
        )
    except services.NeedsFunds as short:
        raise ApiError(409, "insufficient_funds", short.message) from None
    return _detail(contract_id, request.auth)


# --- Moderators ------------------------------------------------------------------------------------


@router.get("/staff/disputes/", response={200: list[DisputeQueueItemOut], **errors(403)})
@paginate
def list_open_disputes(request):
    """The open disputes, oldest first (moderators)."""
    staff_only(request)
    return selectors.open_disputes()


@router.post(
    "/contracts/{contract_id}/resolve_dispute/", response={200: ContractOut, **errors(403, 404, 409)}
)
@idempotent
def resolve_dispute(request, payload: DecisionIn, contract_id: int = path_id()):
    """Decide a dispute (moderators): the freelancer's share is paid less commission, the rest refunded.

    A share of 0 refunds the whole escrow to the client and cancels the contract.
    """
    staff_only(request)
    require_recent_authentication(request)
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        raise not_found()
    try:
        services.resolve_dispute(
            moderator=request.auth,
            contract=contract,
            freelancer_share_cents=payload.freelancer_share_cents,
            decision=payload.decision,
        )
    except DomainError as error:
        if error.field != "share":
            raise
        raise ApiError(
            422, "invalid_input", error.message, fields={"freelancer_share_cents": error.message}
        ) from None
    return _detail(contract_id, request.auth)
