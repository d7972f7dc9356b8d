import pytest

from mostaql.contracts import services as contract_services

# The agreement engine's start_order lands with the lead's reshape of contracts; until this branch
# has it, the tests that place an order wait for it.
needs_engine = pytest.mark.skipif(
    not hasattr(contract_services, "start_order"), reason="contracts.services.start_order not merged yet"
)
