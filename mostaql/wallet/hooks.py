"""What the apps above the wallet do when money arrives (docs/architecture.md, "Reaching up").

The wallet sits below contracts, so it never imports them: contracts registers a function on these
hooks in its `AppConfig.ready()`, and the wallet calls the hooks inside its own transaction.
"""

from mostaql.core.hooks import Hook

# (deposit, now): a gateway confirmed a deposit and it was credited to the balance. Contracts funds
# the contract the deposit was started for, when it still waits and the balance now covers it.
deposit_confirmed = Hook("wallet.deposit_confirmed")
