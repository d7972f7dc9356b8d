import pytest


@pytest.fixture(autouse=True)
def _review_settings(settings):
    """The sandbox gateway carries the money; a busy freelancer is not stopped by the monthly quota."""
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.OFFERS_PER_MONTH = 10_000
    settings.REVIEW_WINDOW_DAYS = 14
    settings.REPUTATION_MIN_SAMPLE = 3
