"""A hook calls what the apps above registered on it, in order, once each."""

from mostaql.core.hooks import Hook


def test_a_hook_calls_each_listener_once_in_the_order_they_registered():
    heard: list[tuple[str, int]] = []
    hook = Hook("test.something_happened")

    def first(value: int) -> str:
        heard.append(("first", value))
        return "first"

    def second(value: int) -> str:
        heard.append(("second", value))
        return "second"

    hook.register(first)
    hook.register(second)
    hook.register(first)  # an app registry that starts twice registers nothing twice

    assert hook(7) == ["first", "second"]
    assert heard == [("first", 7), ("second", 7)]


def test_a_hook_nobody_listens_to_does_nothing():
    assert Hook("test.unheard")(1) == []
