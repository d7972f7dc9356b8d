from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "mostaql.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        # The wallet sits below contracts: the ledger audit asks contracts what "finished" means.
        from mostaql.contracts.selectors import escrow_left_in_finished_contracts
        from mostaql.contracts.services import fund_what_the_deposit_was_for
        from mostaql.wallet import hooks as wallet_hooks
        from mostaql.wallet import ledger

        ledger.audit_checks.register(escrow_left_in_finished_contracts)
        # A deposit started to fund a contract funds it once the gateway confirms it.
        wallet_hooks.deposit_confirmed.register(fund_what_the_deposit_was_for)
