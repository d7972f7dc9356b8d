"""How a lower app lets a higher one react without importing it (docs/architecture.md, "Reaching up").

The lower app declares a `Hook` beside its services and calls it where the event happens, inside its
own transaction. The higher app registers a plain function on it in its `AppConfig.ready()`. The
call is explicit and synchronous (not a Django signal): a failing listener rolls the service back.
"""

from collections.abc import Callable
from typing import Any


class Hook:
    """A named list of functions, called in the order they were registered."""

    def __init__(self, name: str):
        self.name = name
        self._listeners: list[Callable[..., Any]] = []

    def register(self, listener: Callable[..., Any]) -> Callable[..., Any]:
        """Add `listener` (once, however often the app registry starts); returns it, so it decorates."""
        if listener not in self._listeners:
            self._listeners.append(listener)
        return listener

    def __call__(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every listener; their results, in order."""
        return [listener(*args, **kwargs) for listener in self._listeners]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._listeners)} listener(s)>"
