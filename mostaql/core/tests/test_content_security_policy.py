"""Nothing on our pages needs 'unsafe-inline': no inline styles or scripts, so the CSP raises no error."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATE_FILES = sorted(
    path
    for root in [
        Path(settings.BASE_DIR) / "templates",
        *Path(settings.BASE_DIR, "mostaql").glob("*/templates"),
    ]
    for path in root.rglob("*.html")
)


def test_the_templates_are_found():
    assert len(TEMPLATE_FILES) > 50


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_template_has_an_inline_style_or_script(path):
    source = path.read_text()

    assert not re.search(r"\sstyle\s*=", source), "an inline style attribute"
    assert not re.search(r"<style[\s>]", source), "an inline <style> element"
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", source), "an inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", source), "an inline event handler"
    assert "hx-on" not in source


def test_the_policy_refuses_inline_styles_and_scripts():
    policy = settings.CONTENT_SECURITY_POLICY

    assert "style-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_htmx_is_told_not_to_add_its_inline_indicator_style(client):
    page = client.get("/").content.decode()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in page
