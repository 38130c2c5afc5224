"""Calls that go up the layers: a lower app names what it needs done, a higher app does it.

The apps depend on each other one way (docs/architecture.md). Where a lower app must set off work
that a higher one owns (a fulfilment handed over books the sale in payments; a cancelled line is
refunded by payments), the lower app declares a `Hook` with the signature it calls, and the
higher app registers the implementation in its `AppConfig.ready()`. No import inside a function
to dodge a cycle, no Django signal: one call, typed, that fails loudly when nothing registered.

    # orders/hooks.py (the lower app declares)
    refund_order: Hook[RefundOrder] = Hook("orders.refund_order")

    # payments/apps.py (the higher app registers)
    def ready(self):
        orders_hooks.refund_order.register(services.refund_payment)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


class HookNotRegistered(RuntimeError):
    """A lower app called a hook that no installed higher app registered."""


class Hook(Generic[F]):
    """One call point, one implementation. Registering twice replaces (tests may), but the
    project registers each hook once, at start-up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._implementation: F | None = None

    def register(self, implementation: F) -> F:
        self._implementation = implementation
        return implementation

    @property
    def registered(self) -> bool:
        return self._implementation is not None

    @property
    def call(self) -> F:
        """The registered implementation, to call with the hook's signature."""
        if self._implementation is None:
            raise HookNotRegistered(f"No app registered the hook {self.name!r}.")
        return self._implementation

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return cast(Callable[..., Any], self.call)(*args, **kwargs)

    def __repr__(self) -> str:
        target = getattr(self._implementation, "__qualname__", None)
        return f"<Hook {self.name} -> {target or 'nothing'}>"
