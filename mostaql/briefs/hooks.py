"""What the apps above briefs may react to (docs/architecture.md, "Reaching up")."""

from mostaql.core.hooks import Hook

# A request became public (approved by a moderator), called with `brief=` inside the service's
# transaction. saved registers here to match it against saved searches of requests.
published = Hook("briefs.published")
