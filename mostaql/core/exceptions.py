class DomainError(Exception):
    """A rule of the product refused an action; the message is shown to the person as it is.

    `field` names the input that broke the rule (the web form shows the message under it; the API
    answers 422 naming it). `code` and `status` are optional hints for the JSON API: a short
    machine-readable reason and the HTTP status to answer with. Without them the API answers 422
    when a field is named and 409 (the state does not allow the action) otherwise.
    """

    def __init__(
        self, message, *, field: str | None = None, code: str | None = None, status: int | None = None
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.status = status
