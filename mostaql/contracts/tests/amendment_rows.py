"""Issue 13's API operations in the contracts permission MATRIX, and the contracts they start from."""

from mostaql.api.tests.support import Row
from mostaql.contracts import services
from mostaql.core.milestones import MilestoneTerms
from mostaql.projects.tests.factories import client_user, freelancer_user, open_project, place_offer
from mostaql.wallet.tests.factories import DELIVERY_MESSAGE, funded_contract, give_available_funds

EXTENSION_REASON = "نحتاج وقتًا أطول لمراجعة التصميم مع الفريق."
PLAN = [
    MilestoneTerms("التصميم", 10_000, 7),
    MilestoneTerms("البرمجة", 15_000, 10),
    MilestoneTerms("الإطلاق", 5_000, 4),
]


def staged_contract(*, client=None, freelancer=None, terms=PLAN):
    """A hire of an offer proposing `terms` (three milestones by default), waiting for funding."""
    client = client or client_user()
    project = open_project(client)
    offer = place_offer(
        project,
        freelancer or freelancer_user(),
        amount_cents=sum(t.amount_cents for t in terms),
        milestones=terms,
    )
    return services.hire(owner=client, project=project, offer=offer)


def first_milestone_delivered(*, client=None, freelancer=None):
    contract = staged_contract(client=client, freelancer=freelancer)
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    return contract


def rehire_proposed(*, client=None, freelancer=None):
    return services.offer_rehire(
        client=client or client_user(),
        freelancer=freelancer or freelancer_user(),
        title="تطبيق جديد للمتجر",
        description="",
        milestones=PLAN[:2],
    )


def change_proposed_by_the_freelancer(*, client=None):
    contract = staged_contract(client=client)
    services.propose_milestone_change(
        user=contract.freelancer, contract=contract, terms=MilestoneTerms("الصيانة", 3_000, 5)
    )
    return contract


def extension_proposed_by_the_freelancer(*, client=None):
    contract = funded_contract(client=client)
    services.propose_extension(user=contract.freelancer, contract=contract, days=5, reason=EXTENSION_REASON)
    return contract


def bonus_payable(*, client=None):
    contract = funded_contract(client=client)
    give_available_funds(contract.client, 5_000)
    return contract


def _as_client(build):
    return lambda owner: {"contract_id": build(client=owner).pk}


def _direct_contract_body(owner):
    return {
        "body": {
            "freelancer_id": freelancer_user().pk,
            "title": "تطبيق جديد للمتجر",
            "milestones": [{"title": "التصميم", "amount_cents": 10_000, "days": 7}],
        }
    }


def _row(path, setup, *, body=None, idempotent=False, other=404, owner=200, staff=404):
    return Row(
        "POST",
        f"/api/v1/contracts/{path}",
        setup=setup,
        body=body,
        idempotent=idempotent,
        anonymous=401,
        other=other,
        owner=owner,
        staff=staff,
    )


ROWS = [
    _row("{contract_id}/accept_milestone/", _as_client(first_milestone_delivered), idempotent=True),
    _row("", _direct_contract_body, other=201, owner=201, staff=201),
    _row(
        "{contract_id}/accept_rehire/",
        lambda owner: {"contract_id": rehire_proposed(freelancer=owner).pk},
    ),
    _row(
        "{contract_id}/propose_milestone_change/",
        _as_client(staged_contract),
        body={"title": "الصيانة", "amount_cents": 3_000, "days": 5},
    ),
    _row("{contract_id}/accept_milestone_change/", _as_client(change_proposed_by_the_freelancer)),
    _row("{contract_id}/refuse_milestone_change/", _as_client(change_proposed_by_the_freelancer)),
    _row(
        "{contract_id}/propose_extension/",
        _as_client(funded_contract),
        body={"days": 3, "reason": EXTENSION_REASON},
    ),
    _row("{contract_id}/accept_extension/", _as_client(extension_proposed_by_the_freelancer)),
    _row("{contract_id}/refuse_extension/", _as_client(extension_proposed_by_the_freelancer)),
    _row(
        "{contract_id}/pay_bonus/",
        _as_client(bonus_payable),
        body={"amount_cents": 2_000, "note": "شكرًا على العمل الممتاز"},
        idempotent=True,
    ),
]
