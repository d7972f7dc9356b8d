"""What the apps above contracts do when a contract moves (docs/architecture.md, "Reaching up").

Contracts sits below messaging and reviews, so it never imports them: they register a function on
these hooks in their `AppConfig.ready()`, and the contract services call the hooks inside their own
transaction. Each listener takes the contract (already locked) and returns nothing that is used.
"""

from mostaql.core.hooks import Hook

# (contract): a contract was created from a hire. Messaging opens the two sides' conversation.
hired = Hook("contracts.hired")
# (contract): the freelancer delivered. Reviews counts the first delivery, on time or late.
delivered = Hook("contracts.delivered")
# (contract): the contract completed or was cancelled. Reviews counts it for both sides.
ended = Hook("contracts.ended")
