"""What the apps above messaging do when a message is sent (docs/architecture.md, "Reaching up").

Reviews counts response times from messages and sits above messaging: it registers here in its
`AppConfig.ready()`, and `send_message` calls the hook inside its transaction.
"""

from mostaql.core.hooks import Hook

# (message): a message was saved. Reviews counts a person's first reply (the response time).
message_sent = Hook("messaging.message_sent")
