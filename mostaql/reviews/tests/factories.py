"""Set-up for the review and reputation tests.

Contracts reach each state through the contract services (hire, fund, deliver, accept, cancel,
dispute), money through the sandbox gateway's signed webhook, messages through messaging.services and
reviews through reviews.services: every reputation counter then moves as it does in the product. A
`clock` stands in for `timezone.now` where a test needs a delivery, a completion or a reply to happen
at a known moment. Plain rows (for the query-count tests) come from the factories at the end.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import factory
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.messaging.models import Conversation, Message
from mostaql.messaging.services import send_message
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    OfferFactory,
    ProjectFactory,
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
)
from mostaql.reviews import services
from mostaql.reviews.models import CRITERIA, Direction, Review
from mostaql.wallet.tests.factories import add_funds

COMMENT = "عمل ممتاز وتواصل سريع، والتسليم كان في موعده تماماً."
DELIVERY_MESSAGE = "سلمت العمل كاملاً مع ملف الشرح."
REASON = "تغيرت خطة الشركة ولم نعد نحتاج إلى هذا العمل."
DISPUTE_REASON = "العمل المسلم لا يطابق ما اتفقنا عليه في العرض."
DECISION = "راجعنا التسليم وقررنا توزيع المبلغ كما يلي."


# --- Time ---------------------------------------------------------------------------------------


class Clock:
    """`timezone.now` for the duration of a `clock_at` block: a moment the test moves by hand."""

    def __init__(self, moment: datetime.datetime):
        self.moment = moment

    def __call__(self) -> datetime.datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime.datetime:
        self.moment += datetime.timedelta(**delta)
        return self.moment


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[Clock]:
    clock = Clock(moment)
    with mock.patch("django.utils.timezone.now", clock):
        yield clock


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


# --- Contracts through the services -------------------------------------------------------------


def hired(
    client: User | None = None,
    freelancer: User | None = None,
    *,
    amount_cents: int = 20_000,
    duration_days: int = 7,
) -> Contract:
    """A contract waiting for funding, on a new project of `client`, for an offer of `freelancer`."""
    client = client or client_user()
    project = open_project(client)
    offer = place_offer(
        project, freelancer or freelancer_user(), amount_cents=amount_cents, duration_days=duration_days
    )
    return hire(offer)


def fresh(contract: Contract) -> Contract:
    return Contract.objects.select_related("client", "freelancer", "project").get(pk=contract.pk)


def fund(contract: Contract) -> Contract:
    add_funds(contract.client, contract.amount_cents)
    contract_services.fund_contract(client=contract.client, contract=contract)
    return fresh(contract)


def deliver(contract: Contract) -> Contract:
    contract_services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    return fresh(contract)


def accept(contract: Contract) -> Contract:
    contract_services.accept_delivery(client=contract.client, contract=contract)
    return fresh(contract)


def request_changes(contract: Contract) -> Contract:
    contract_services.request_changes(client=contract.client, contract=contract, message=REASON)
    return fresh(contract)


def cancel(contract: Contract) -> Contract:
    """The freelancer proposes to cancel and the client agrees: the escrow goes back to the client."""
    contract_services.propose_cancellation(user=contract.freelancer, contract=contract, reason=REASON)
    contract_services.answer_cancellation(user=contract.client, contract=contract, accept=True)
    return fresh(contract)


def decide_dispute(contract: Contract, *, freelancer_share_cents: int) -> Contract:
    """The client disputes and a moderator decides: a share above zero completes the contract."""
    contract_services.open_dispute(user=contract.client, contract=contract, reason=DISPUTE_REASON)
    contract_services.resolve_dispute(
        moderator=moderator(),
        contract=contract,
        freelancer_share_cents=freelancer_share_cents,
        decision=DECISION,
    )
    return fresh(contract)


def completed_contract(client: User | None = None, freelancer: User | None = None, **terms) -> Contract:
    """Hired, funded, delivered and accepted: the reviews are open."""
    return accept(deliver(fund(hired(client, freelancer, **terms))))


# --- Reviews and messages through the services --------------------------------------------------


def marks(direction: str, mark: int | dict = 5) -> dict[str, int]:
    """Every criterion of `direction` at `mark`, or at the marks a {field: mark} dict gives."""
    if isinstance(mark, dict):
        return {criterion.field: mark[criterion.field] for criterion in CRITERIA[direction]}
    return {criterion.field: mark for criterion in CRITERIA[direction]}


def review(author: User, contract: Contract, mark: int | dict = 5, comment: str = COMMENT) -> Review:
    """`author` reviews the other side of `contract`, every criterion at `mark`."""
    direction = services.direction_for(contract, author)
    return services.write_review(
        author=author, contract=contract, scores=marks(direction, mark), comment=comment
    )


def both_review(contract: Contract, client_mark: int | dict = 5, freelancer_mark: int | dict = 5) -> None:
    review(contract.client, contract, client_mark)
    review(contract.freelancer, contract, freelancer_mark)


def conversation_of(contract: Contract) -> Conversation:
    """The conversation a hire opened between the contract's two sides."""
    return Conversation.objects.get(project_id=contract.project_id, freelancer_id=contract.freelancer_id)


def say(sender: User, conversation: Conversation, body: str = "مرحباً، هل يمكننا البدء اليوم؟") -> Message:
    return send_message(sender=sender, conversation=conversation, body=body)


# --- Plain rows, for lists and query counts ------------------------------------------------------


class CompletedContractFactory(factory.django.DjangoModelFactory):
    """A completed contract as a plain row (its project and hired offer too); no counter moves."""

    class Meta:
        model = Contract

    class Params:
        hired_freelancer = None  # a given person, or a new one

    project = factory.SubFactory(ProjectFactory, status=Project.Status.COMPLETED)
    offer = factory.LazyAttribute(
        lambda contract: OfferFactory(
            project=contract.project,
            status=Offer.Status.HIRED,
            **({"freelancer": contract.hired_freelancer} if contract.hired_freelancer else {}),
        )
    )
    client = factory.LazyAttribute(lambda contract: contract.project.owner)
    freelancer = factory.LazyAttribute(lambda contract: contract.offer.freelancer)
    amount_cents = 10_000
    duration_days = 5
    status = Contract.Status.COMPLETED
    funded_at = factory.LazyFunction(lambda: days_ago(10))
    completed_at = factory.LazyFunction(lambda: days_ago(5))


class PublicReviewFactory(factory.django.DjangoModelFactory):
    """A public review of the freelancer by the client of a completed contract, as a plain row."""

    class Meta:
        model = Review

    contract = factory.SubFactory(CompletedContractFactory)
    author = factory.LazyAttribute(lambda review: review.contract.client)
    subject = factory.LazyAttribute(lambda review: review.contract.freelancer)
    direction = Direction.CLIENT_TO_FREELANCER
    professionalism = 5
    communication = 4
    quality = 5
    expertise = 4
    on_time = 5
    would_work_again = 5
    comment = COMMENT
    published_at = factory.LazyFunction(timezone.now)
