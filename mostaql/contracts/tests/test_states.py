"""The contract's moves are one table: who may make each, from which state, and where it leads."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from mostaql.contracts import states
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError

S = Contract.Status
CLIENT_ID, FREELANCER_ID = 101, 202

PEOPLE = {
    states.CLIENT: SimpleNamespace(pk=CLIENT_ID, is_staff=False, is_authenticated=True),
    states.FREELANCER: SimpleNamespace(pk=FREELANCER_ID, is_staff=False, is_authenticated=True),
    states.STAFF: SimpleNamespace(pk=303, is_staff=True, is_authenticated=True),
    states.SYSTEM: None,  # the sweeps act as nobody
    "stranger": SimpleNamespace(pk=404, is_staff=False, is_authenticated=True),
}
ACTIONS = sorted({move.action for move in states.MOVES})
ALLOWED = {
    (move.action, move.source, move.side, origin): move.target
    for move in states.MOVES
    for origin in move.origins
}


def contract_in(status: str, origin: str = Contract.Origin.HIRE) -> Contract:
    return Contract(status=status, origin=origin, client_id=CLIENT_ID, freelancer_id=FREELANCER_ID)


def test_each_side_is_offered_its_own_moves_while_waiting_for_funding():
    contract = contract_in(S.AWAITING_FUNDING)

    def offered(side):
        return [move.action for move in states.actions_for(contract, PEOPLE[side])]

    assert offered(states.CLIENT) == ["fund", "withdraw_hire"]
    assert offered(states.FREELANCER) == ["decline"]
    assert offered(states.STAFF) == []
    assert offered("stranger") == []


@pytest.mark.parametrize(
    ("status", "side", "expected"),
    [
        (
            S.ACTIVE,
            states.FREELANCER,
            ["deliver", "propose_cancel", "cancel", "refuse_cancel", "open_dispute"],
        ),
        (S.ACTIVE, states.CLIENT, ["propose_cancel", "cancel", "refuse_cancel", "open_dispute"]),
        (
            S.DELIVERED,
            states.CLIENT,
            [
                "accept",
                "accept_milestone",
                "request_changes",
                "propose_cancel",
                "cancel",
                "refuse_cancel",
                "open_dispute",
            ],
        ),
        (S.DELIVERED, states.SYSTEM, ["auto_accept", "auto_accept_milestone"]),
        (S.DISPUTED, states.STAFF, ["resolve_dispute", "refund_dispute"]),
        (S.DISPUTED, states.CLIENT, []),
        (S.COMPLETED, states.CLIENT, []),
        (S.DECLINED, states.CLIENT, []),
        (S.WITHDRAWN, states.FREELANCER, []),
    ],
)
def test_the_moves_offered_follow_the_table_in_later_states(status, side, expected):
    assert [move.action for move in states.actions_for(contract_in(status), PEOPLE[side])] == expected


@pytest.mark.parametrize(("action", "status", "side", "origin"), sorted(ALLOWED))
def test_an_allowed_move_leads_where_the_table_says(action, status, side, origin):
    contract = contract_in(status, origin)

    if side == states.PLATFORM:  # never derived from a person: a moderation service names it
        target = states.next_status(contract, action, PEOPLE[states.STAFF], side=side)
    else:
        target = states.next_status(contract, action, PEOPLE[side])
    assert target == ALLOWED[(action, status, side, origin)]
    assert contract.status == status  # asking does not move the contract


@pytest.mark.parametrize("origin", Contract.Origin.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_move_by_the_wrong_side_in_the_wrong_state_or_agreement_is_a_domain_error(action, origin):
    refused = [
        (status, side)
        for status in S.values
        for side in PEOPLE
        if (action, status, side, origin) not in ALLOWED
    ]
    for status, side in refused:
        contract = contract_in(status, origin)

        with translation.override("en"), pytest.raises(DomainError, match="not possible on a contract"):
            states.next_status(contract, action, PEOPLE[side])
        assert contract.status == status


def test_an_order_has_no_funding_step_and_a_hire_no_requirements():
    assert states.actions_for(contract_in(S.AWAITING_FUNDING, Contract.Origin.ORDER), PEOPLE["client"]) == []
    hire_waiting = contract_in(S.AWAITING_REQUIREMENTS)
    with pytest.raises(DomainError):
        states.next_status(hire_waiting, "submit_requirements", PEOPLE["client"])
    with pytest.raises(DomainError):
        states.next_status(contract_in(S.ACTIVE), "decline_order", PEOPLE["freelancer"])


@pytest.mark.parametrize(
    ("action", "side"),
    [("decline", states.CLIENT), ("withdraw_hire", states.FREELANCER), ("fund", states.FREELANCER)],
)
def test_the_other_side_cannot_end_or_fund_a_hire(action, side):
    with pytest.raises(DomainError):
        states.next_status(contract_in(S.AWAITING_FUNDING), action, PEOPLE[side])


def test_the_client_side_wins_when_the_client_is_also_staff():
    moderator_client = SimpleNamespace(pk=CLIENT_ID, is_staff=True, is_authenticated=True)

    assert states.side_of(contract_in(S.AWAITING_FUNDING), moderator_client) == states.CLIENT


def test_every_move_starts_and_ends_in_a_known_state():
    for move in states.MOVES:
        assert move.source in S.values and move.target in S.values
        assert move.side in {states.CLIENT, states.FREELANCER, states.STAFF, states.SYSTEM, states.PLATFORM}


@pytest.mark.parametrize("status", [S.ACTIVE, S.DELIVERED])
def test_a_moderator_is_never_offered_to_open_a_dispute_on_the_page(status):
    contract = contract_in(status)

    assert [move.action for move in states.actions_for(contract, PEOPLE[states.STAFF])] == []
    with pytest.raises(DomainError):
        states.next_status(contract, "open_dispute", PEOPLE[states.STAFF])
    assert states.next_status(contract, "open_dispute", PEOPLE[states.STAFF], side=states.PLATFORM) == (
        S.DISPUTED
    )
