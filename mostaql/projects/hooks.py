"""What the apps above projects may react to (docs/architecture.md, "Reaching up")."""

from mostaql.core.hooks import Hook

# A project became public (approved by a moderator, or posted while auto-approval is on), called with
# `project=` inside the service's transaction. saved registers here to match it against saved searches.
published = Hook("projects.published")
