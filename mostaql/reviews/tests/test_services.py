"""Writing, publishing and answering reviews (issue "Messages, notifications, reviews…", item 4)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.notifications.models import Notification
from mostaql.projects.tests.factories import client_user, freelancer_user, hire, open_project, place_offer
from mostaql.reviews import selectors, services, tasks
from mostaql.reviews.models import Direction, Reputation, Review
from mostaql.reviews.tests.factories import (
    COMMENT,
    accept,
    cancel,
    clock_at,
    completed_contract,
    days_ago,
    decide_dispute,
    deliver,
    fund,
    hired,
    marks,
    review,
)
from mostaql.wallet.tests.lifecycle_helpers import ar

pytestmark = pytest.mark.django_db

WINDOW = datetime.timedelta(days=14)


def unchanged() -> dict:
    """Every row a review action may touch, to compare before and after a refusal."""
    return {
        "reviews": list(Review.objects.order_by("pk").values()),
        "reputations": list(Reputation.objects.order_by("pk").values()),
        "notifications": Notification.objects.count(),
        "emails": len(mail.outbox),
    }


def refusal(call) -> str:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value.message


def review_notifications(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="review_received"))


def completed_days_ago(days: float, **terms) -> Contract:
    with clock_at(days_ago(days)):
        return completed_contract(**terms)


# --- Writing ------------------------------------------------------------------------------------


def test_the_clients_review_of_the_freelancer_rates_six_criteria_and_stays_hidden():
    contract = completed_contract()

    written = services.write_review(
        author=contract.client,
        contract=contract,
        scores={
            "professionalism": 5,
            "communication": 4,
            "quality": 3,
            "expertise": 4,
            "on_time": 2,
            "would_work_again": 5,
        },
        comment=f"  {COMMENT}\u202e ",
    )

    written.refresh_from_db()
    assert written.direction == Direction.CLIENT_TO_FREELANCER
    assert (written.author, written.subject) == (contract.client, contract.freelancer)
    assert [mark for _criterion, mark in written.scores] == [5, 4, 3, 4, 2, 5]
    assert written.clarity is None
    assert written.rating == Decimal("3.8")  # 23 / 6 = 3.83
    assert written.comment == COMMENT  # trimmed, the bidirectional override removed
    assert written.published_at is None
    assert not review_notifications(contract.freelancer)
    assert not Reputation.objects.filter(user=contract.freelancer, freelancer_review_count__gt=0).exists()
    assert list(selectors.public_reviews_of(contract.freelancer)) == []


def test_the_freelancers_review_of_the_client_rates_four_criteria():
    contract = completed_contract()

    written = services.write_review(
        author=contract.freelancer,
        contract=contract,
        scores={"professionalism": 4, "communication": 5, "clarity": 3, "would_work_again": 4, "quality": 1},
        comment=COMMENT,
    )

    assert written.direction == Direction.FREELANCER_TO_CLIENT
    assert written.subject == contract.client
    assert [criterion.field for criterion, _mark in written.scores] == [
        "professionalism",
        "communication",
        "clarity",
        "would_work_again",
    ]
    assert (written.quality, written.on_time, written.expertise) == (None, None, None)
    assert written.rating == Decimal("4.0")


def test_the_second_review_publishes_both_and_tells_each_person_reviewed(django_capture_on_commit_callbacks):
    contract = completed_contract()
    first = review(contract.client, contract, 4)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        second = review(contract.freelancer, contract, 3)

    first.refresh_from_db()
    assert first.published_at is not None and first.published_at == second.published_at
    assert [n.url for n in review_notifications(contract.freelancer)] == [f"/contracts/{contract.pk}/review/"]
    assert len(review_notifications(contract.client)) == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [contract.client.email, contract.freelancer.email]
    )
    freelancer_mail = next(m for m in mail.outbox if m.to == [contract.freelancer.email])
    assert contract.client.name in freelancer_mail.subject
    assert "4.0" in freelancer_mail.body and COMMENT in freelancer_mail.body
    assert list(selectors.public_reviews_of(contract.freelancer)) == [first]
    assert list(selectors.public_reviews_of(contract.client)) == [second]


def test_each_side_reviews_a_contract_only_once():
    contract = completed_contract()
    review(contract.client, contract)
    before = unchanged()

    message = refusal(lambda: review(contract.client, contract, 1))

    assert message == ar("You have already reviewed this contract.")
    assert unchanged() == before


def test_a_second_review_is_refused_after_both_are_public():
    contract = completed_contract()
    review(contract.client, contract)
    review(contract.freelancer, contract)
    before = unchanged()

    assert refusal(lambda: review(contract.freelancer, contract)) == ar(
        "You have already reviewed this contract."
    )
    assert unchanged() == before


def test_reviews_can_be_written_until_the_window_closes():
    contract = completed_days_ago(13.9)

    written = review(contract.client, contract)

    assert written.pk is not None


def test_a_review_after_the_window_is_refused_with_the_closing_date():
    contract = completed_days_ago(14.01)
    before = unchanged()

    message = refusal(lambda: review(contract.client, contract))

    assert message.startswith(
        ar("The review period of this contract ended on %(date)s.").split("%(date)s")[0]
    )
    assert str(timezone.localtime(contract.completed_at + WINDOW).year) in message
    assert unchanged() == before


def _awaiting_funding():
    return hired()


def _active():
    return fund(hired())


def _delivered():
    return deliver(fund(hired()))


def _disputed():
    from mostaql.contracts import services as contract_services
    from mostaql.reviews.tests.factories import DISPUTE_REASON, fresh

    contract = deliver(fund(hired()))
    contract_services.open_dispute(user=contract.client, contract=contract, reason=DISPUTE_REASON)
    return fresh(contract)


def _cancelled():
    return cancel(fund(hired()))


def _refunded_after_dispute():
    return decide_dispute(deliver(fund(hired())), freelancer_share_cents=0)


@pytest.mark.parametrize(
    "make",
    [_awaiting_funding, _active, _delivered, _disputed, _cancelled, _refunded_after_dispute],
    ids=["awaiting_funding", "active", "delivered", "disputed", "cancelled", "refunded_after_dispute"],
)
@pytest.mark.parametrize("side", ["client", "freelancer"])
def test_a_contract_that_did_not_complete_cannot_be_reviewed(make, side):
    contract = make()
    before = unchanged()

    message = refusal(lambda: review(getattr(contract, side), contract))

    assert message == ar("Reviews open once the contract is completed.")
    assert unchanged() == before


def test_a_dispute_decided_with_a_share_for_the_freelancer_opens_the_reviews():
    contract = decide_dispute(deliver(fund(hired())), freelancer_share_cents=5_000)

    assert contract.status == Contract.Status.COMPLETED
    assert review(contract.client, contract, 2).pk is not None


def test_people_outside_the_contract_cannot_review_it():
    owner = client_user()
    project = open_project(owner)
    losing_bidder = freelancer_user("منافس خاسر")
    place_offer(project, losing_bidder)
    contract = accept(deliver(fund(hire(place_offer(project, freelancer_user("الفائز"))))))
    before = unchanged()

    for outsider in (losing_bidder, client_user("عميل آخر"), freelancer_user("غريب")):
        message = refusal(
            lambda outsider=outsider: services.write_review(
                author=outsider,
                contract=contract,
                scores=marks(Direction.CLIENT_TO_FREELANCER),
                comment=COMMENT,
            )
        )
        assert message == ar("Only the client and the freelancer of this contract can review it.")
    assert unchanged() == before


@pytest.mark.parametrize("bad_mark", [0, 6, -1, None, "", "five", 4.5])
def test_every_criterion_is_marked_from_1_to_5(bad_mark):
    contract = completed_contract()
    scores = {**marks(Direction.CLIENT_TO_FREELANCER), "expertise": bad_mark}
    if bad_mark == 4.5:
        scores["expertise"] = "4.5"
    before = unchanged()

    with pytest.raises(DomainError) as refused:
        services.write_review(author=contract.client, contract=contract, scores=scores, comment=COMMENT)

    assert refused.value.field == "expertise"
    assert refused.value.message == ar("Rate “%(criterion)s” from 1 to 5.") % {
        "criterion": ar("Expertise in the field")
    }
    assert unchanged() == before


def test_a_criterion_left_out_is_refused():
    contract = completed_contract()
    scores = marks(Direction.FREELANCER_TO_CLIENT)
    del scores["clarity"]

    with pytest.raises(DomainError) as refused:
        services.write_review(author=contract.freelancer, contract=contract, scores=scores, comment=COMMENT)

    assert refused.value.field == "clarity"
    assert not Review.objects.exists()


@pytest.mark.parametrize("comment", ["", "قصير", " " * 30, "x" * 2001])
def test_the_comment_is_10_to_2000_characters(comment):
    contract = completed_contract()

    with pytest.raises(DomainError) as refused:
        review(contract.client, contract, comment=comment)

    assert refused.value.field == "comment"
    assert not Review.objects.exists()


# --- Publication by the sweep -------------------------------------------------------------------


def test_a_lone_review_stays_hidden_while_the_window_is_open():
    contract = completed_days_ago(10)
    review(contract.client, contract)

    assert services.publish_due_reviews() == 0
    assert (
        services.publish_due_reviews(now=contract.completed_at + WINDOW - datetime.timedelta(seconds=1)) == 0
    )
    assert not Review.objects.filter(published_at__isnull=False).exists()


def test_the_sweep_publishes_a_lone_review_once_the_window_has_closed(django_capture_on_commit_callbacks):
    contract = completed_days_ago(10)
    written = review(contract.client, contract, 4)
    closing = contract.completed_at + WINDOW
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish_due_reviews(now=closing)

    written.refresh_from_db()
    assert published == 1
    assert written.published_at == closing
    assert len(review_notifications(contract.freelancer)) == 1
    assert [message.to for message in mail.outbox] == [[contract.freelancer.email]]
    assert Reputation.objects.get(user=contract.freelancer).freelancer_review_count == 1
    assert not review_notifications(contract.client)


def test_the_sweep_is_safe_to_run_twice():
    contract = completed_days_ago(20)
    with clock_at(days_ago(19)):
        review(contract.client, contract, 5)
    still_open = completed_contract(freelancer=contract.freelancer)
    review(still_open.freelancer, still_open, 3)

    assert services.publish_due_reviews() == 1
    before = unchanged()
    assert services.publish_due_reviews() == 0
    assert tasks.publish_due_reviews() == 0
    assert unchanged() == before
    assert Reputation.objects.get(user=contract.freelancer).freelancer_review_count == 1


def test_the_sweep_command_line_reports_the_reviews_it_published():
    contract = completed_days_ago(15)
    with clock_at(days_ago(14.5)):
        review(contract.freelancer, contract, 2)
    output = io.StringIO()

    call_command("sweep", stdout=output)

    # 15 days after completion the freelancer's earning has cleared (14 days) too.
    assert output.getvalue().strip() == (
        "0 deliveries accepted automatically, 1 earnings cleared, 1 reviews published."
    )
    assert selectors.public_reviews_of(contract.client).get().rating == 2
    output = io.StringIO()
    call_command("sweep", stdout=output)
    assert output.getvalue().strip().endswith(", 0 reviews published.")


def test_the_celery_task_publishes_due_reviews():
    contract = completed_days_ago(15)
    with clock_at(days_ago(14.5)):
        review(contract.client, contract)

    assert tasks.publish_due_reviews.delay().get() == 1
    assert Review.objects.get().is_published


# --- Answers --------------------------------------------------------------------------------------


def public_pair() -> tuple[Contract, Review, Review]:
    contract = completed_contract()
    of_freelancer = review(contract.client, contract, 3)
    of_client = review(contract.freelancer, contract, 4)
    of_freelancer.refresh_from_db()
    return contract, of_freelancer, of_client


def test_the_reviewed_freelancer_answers_a_public_review_once():
    contract, of_freelancer, _of_client = public_pair()

    answered = services.reply_to_review(
        user=contract.freelancer, review=of_freelancer, text=" شكراً لك، سعدت بالعمل معك.\u2066 "
    )

    answered.refresh_from_db()
    assert answered.reply == "شكراً لك، سعدت بالعمل معك."
    assert answered.reply_at is not None
    before = unchanged()
    message = refusal(
        lambda: services.reply_to_review(user=contract.freelancer, review=of_freelancer, text="مرة ثانية")
    )
    assert message == ar("You have already answered this review.")
    assert unchanged() == before


def test_only_the_reviewed_freelancer_may_answer():
    contract, of_freelancer, of_client = public_pair()
    before = unchanged()

    for user, target in (
        (contract.client, of_freelancer),  # the author
        (contract.client, of_client),  # a client may not answer the freelancer's review of them
        (freelancer_user("غريب"), of_freelancer),
    ):
        message = refusal(
            lambda user=user, target=target: services.reply_to_review(user=user, review=target, text="رد")
        )
        assert message == ar("Only the freelancer who was reviewed can answer this review.")
    assert unchanged() == before


def test_a_hidden_review_cannot_be_answered_yet():
    contract = completed_contract()
    hidden = review(contract.client, contract)
    before = unchanged()

    message = refusal(lambda: services.reply_to_review(user=contract.freelancer, review=hidden, text="شكراً"))

    assert message == ar("You can answer a review once it is public.")
    assert unchanged() == before


@pytest.mark.parametrize("text", ["", "   ", "\u202a", "x" * 2001])
def test_an_answer_is_1_to_2000_characters(text):
    contract, of_freelancer, _of_client = public_pair()

    with pytest.raises(DomainError) as refused:
        services.reply_to_review(user=contract.freelancer, review=of_freelancer, text=text)

    assert refused.value.field == "reply"
    of_freelancer.refresh_from_db()
    assert of_freelancer.reply == ""


# --- What each side sees (double-blind) -----------------------------------------------------------


def test_neither_side_sees_the_others_review_until_both_are_written():
    contract = completed_contract()
    review(contract.client, contract, 1)

    client_view = selectors.review_state(contract=contract, user=contract.client)
    freelancer_view = selectors.review_state(contract=contract, user=contract.freelancer)

    assert client_view.own is not None and not client_view.can_write
    assert freelancer_view.other is not None and not freelancer_view.other_is_visible
    assert freelancer_view.can_write
    assert selectors.review_state(contract=contract, user=freelancer_user()) is None

    review(contract.freelancer, contract, 5)
    assert selectors.review_state(contract=contract, user=contract.freelancer).other_is_visible
    assert selectors.review_state(contract=contract, user=contract.client).other_is_visible


def test_the_review_state_before_completion_offers_nothing_to_write():
    contract = fund(hired())

    state = selectors.review_state(contract=contract, user=contract.client)

    assert (state.closes_at, state.can_write, state.own, state.other) == (None, False, None, None)


def test_the_window_closes_review_days_after_completion():
    contract = accept(deliver(fund(hired())))

    assert services.window_closes_at(contract) == contract.completed_at + WINDOW
    assert services.window_closes_at(fund(hired())) is None
