"""`manage.py ledger_audit`: clean after the whole road; every kind of break reported, exit non-zero."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db.models import F

from mostaql.accounts.tests.factories import UserFactory
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.wallet import ledger, services
from mostaql.wallet.models import Entry, LedgerAccount, Transfer
from mostaql.wallet.tests.factories import (
    DELIVERY_MESSAGE,
    add_funds,
    clear_everything_due,
    finance_staff,
    funded_contract,
    hired_contract,
    request_paypal_withdrawal,
    verify_identity,
)

pytestmark = pytest.mark.django_db

Kind = LedgerAccount.Kind


def audit_exit_code(capsys) -> tuple[int, str, str]:
    """Run the command as `manage.py ledger_audit` would, and return its exit code and output."""
    try:
        execute_from_command_line(["manage.py", "ledger_audit"])
    except SystemExit as exit:
        code = exit.code
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_audit_fails_with(capsys, *expected: str) -> None:
    report = ledger.audit()
    assert not report.is_clean
    for text in expected:
        assert any(text in problem for problem in report.problems), (text, report.problems)

    with pytest.raises(CommandError, match="ledger audit failed"):
        call_command("ledger_audit", stdout=io.StringIO(), stderr=io.StringIO())
    code, out, err = audit_exit_code(capsys)
    assert code not in (0, None)
    assert "clean" not in out
    for text in expected:
        assert text in err


@pytest.fixture
def whole_road():
    """Deposit, fund, deliver, accept, clear, withdraw and pay: every kind of transfer but refunds."""
    contract = hired_contract(amount_cents=12_345)
    add_funds(contract.client, 20_000)
    contract_services.fund_contract(client=contract.client, contract=contract)
    contract_services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    contract_services.accept_delivery(client=contract.client, contract=contract)
    clear_everything_due()
    verify_identity(contract.freelancer)
    withdrawal = request_paypal_withdrawal(contract.freelancer, 9_000)
    services.mark_withdrawal_paid(staff=finance_staff(), withdrawal=withdrawal)
    contract.refresh_from_db()
    return contract


def test_the_audit_is_clean_after_the_whole_road(whole_road, capsys):
    kinds = set(Transfer.objects.values_list("kind", flat=True))
    assert kinds == {"deposit", "fund", "release", "clear", "withdraw", "payout"}
    out = io.StringIO()

    call_command("ledger_audit", stdout=out)

    transfers, accounts = Transfer.objects.count(), LedgerAccount.objects.count()
    assert out.getvalue().strip() == f"ledger audit clean: {transfers} transfers, {accounts} accounts"
    code, printed, errors = audit_exit_code(capsys)
    assert code == 0
    assert "ledger audit clean" in printed
    assert errors == ""


def test_the_audit_is_clean_on_an_empty_ledger(capsys):
    assert ledger.audit().is_clean
    assert audit_exit_code(capsys)[0] == 0


def test_a_cached_balance_that_differs_from_its_entries_is_reported(whole_road, capsys):
    account = ledger.user_account(whole_road.freelancer, Kind.AVAILABLE)
    LedgerAccount.objects.filter(pk=account.pk).update(balance_cents=F("balance_cents") + 1)

    assert_audit_fails_with(
        capsys,
        f"account {account.pk} ",
        f"caches {account.balance_cents + 1} but its entries sum to {account.balance_cents}",
        "all balances together sum to 1, not 0",
    )


def test_an_unbalanced_transfer_is_reported(whole_road, capsys):
    transfer = Transfer.objects.get(kind=Transfer.Kind.RELEASE)
    account = ledger.system_account(Kind.PLATFORM_REVENUE)
    # Inserting is allowed everywhere (only updates and deletes are refused), so history can be forged.
    Entry.objects.bulk_create(
        [
            Entry(
                transfer=transfer,
                account=account,
                amount_cents=5,
                balance_after_cents=account.balance_cents + 5,
            )
        ]
    )

    assert_audit_fails_with(
        capsys,
        f"transfer {transfer.pk} (release:m{whole_road.milestones.get().pk}) sums to 5 over 4 entries",
        f"account {account.pk} ",
    )


def test_a_transfer_with_fewer_than_two_entries_is_reported(capsys):
    transfer = Transfer.objects.create(idempotency_key="lonely", kind=Transfer.Kind.DEPOSIT)

    assert_audit_fails_with(capsys, f"transfer {transfer.pk} (lonely)", "over 0 entries")


@pytest.mark.parametrize(
    "status",
    [
        Contract.Status.COMPLETED,
        Contract.Status.CANCELLED,
        Contract.Status.DECLINED,
        Contract.Status.WITHDRAWN,
    ],
)
def test_a_finished_contract_that_still_holds_escrow_is_reported(status, capsys):
    contract = funded_contract(amount_cents=10_000)
    Contract.objects.filter(pk=contract.pk).update(status=status)

    assert_audit_fails_with(capsys, f"finished contract {contract.pk} still holds 10000 in escrow")


def test_a_live_contract_holding_escrow_is_fine(capsys):
    contract = funded_contract(amount_cents=10_000)
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.DISPUTED)

    assert ledger.audit().is_clean
    assert audit_exit_code(capsys)[0] == 0


def test_balances_that_do_not_sum_to_zero_are_reported(capsys):
    add_funds(UserFactory(), 5_000)
    gateway = ledger.system_account(Kind.GATEWAY)
    LedgerAccount.objects.filter(pk=gateway.pk).update(balance_cents=-4_000)

    assert_audit_fails_with(capsys, "all balances together sum to 1000, not 0")


def test_the_finance_page_shows_a_broken_audit(client, capsys):
    add_funds(UserFactory(), 5_000)
    gateway = ledger.system_account(Kind.GATEWAY)
    LedgerAccount.objects.filter(pk=gateway.pk).update(balance_cents=-4_000)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="process_withdrawal"))
    client.force_login(staff)

    response = client.get("/staff/finance/", {"audit": "1"})

    assert response.status_code == 200
    assert not response.context["report"].is_clean
    assert "all balances together sum to 1000, not 0" in response.content.decode()
