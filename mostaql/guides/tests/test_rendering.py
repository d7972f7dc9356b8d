"""Markdown written by staff becomes safe HTML: no script, no event attribute, only safe links."""

import pytest

from mostaql.guides.rendering import anchor_for, expand_text, render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "قبل <script>alert('x')</script> بعد",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="steal()">اضغط</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<svg onload=alert(1)></svg>",
        '<div style="background:url(javascript:alert(1))">نص</div>',
        "| a | b |\n|:--|--:|\n| <td style='position:fixed'>x</td> | 2 |",
    ],
)
def test_raw_html_that_could_run_a_script_is_dropped(source):
    html = render_markdown(source).html

    for forbidden in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "onload",
        "<iframe",
        "<svg",
        "style=",
        "<img",
    ):
        assert forbidden not in html


@pytest.mark.parametrize(
    "link",
    [
        "[اضغط](javascript:alert(1))",
        "[اضغط](JaVaScRiPt:alert(1))",
        "[اضغط](data:text/html;base64,PHNjcmlwdD4=)",
        "[اضغط](vbscript:msgbox(1))",
        '<a href="javascript:alert(1)">اضغط</a>',
        '<a href="  javascript:alert(1)">اضغط</a>',
        "[اضغط](ftp://files.example.com/x)",
    ],
)
def test_links_other_than_http_https_mailto_or_relative_lose_their_address(link):
    html = render_markdown(link).html

    assert "javascript" not in html.lower()
    assert "data:" not in html and "vbscript" not in html and "ftp:" not in html


def test_safe_links_are_kept_and_open_without_handing_over_the_page():
    html = render_markdown(
        "[الرسوم](/help/fees/) و[موقع](https://example.com/a) و[بريد](mailto:support@example.com)"
    ).html

    assert 'href="/help/fees/"' in html
    assert 'href="https://example.com/a"' in html
    assert 'href="mailto:support@example.com"' in html
    assert 'rel="noopener noreferrer"' in html


def test_headings_get_arabic_anchors_that_the_table_of_contents_links_to():
    rendered = render_markdown(
        "# مقدمة\n\nنص.\n\n## كيف تُسعّر عملك؟\n\nنص.\n\n### تفصيل\n\n## كيف تُسعّر عملك؟\n"
    )

    assert [(heading.level, heading.anchor) for heading in rendered.headings] == [
        (2, "مقدمة"),  # the page's title is its only h1: a "#" in the text becomes a section
        (2, "كيف-تسعر-عملك"),
        (3, "تفصيل"),
        (2, "كيف-تسعر-عملك-2"),
    ]
    assert '<h2 id="كيف-تسعر-عملك">كيف تُسعّر عملك؟</h2>' in rendered.html
    assert "<h1" not in rendered.html


def test_an_anchor_does_not_change_with_diacritics_tatweel_or_punctuation():
    assert anchor_for("كيف تُسعّر عملك؟") == anchor_for("كيف تسعـر عملك")
    assert anchor_for("Getting paid: the basics") == "getting-paid-the-basics"


def test_figures_from_settings_are_expanded_when_the_page_is_drawn(settings):
    settings.COMMISSION_PERCENT = 15
    settings.CLEARANCE_DAYS = 7
    settings.MIN_OFFER_CENTS = 30_00

    html = render_markdown(
        "العمولة {commission_percent} ويصلك {freelancer_share_percent} بعد {clearance_days} يوماً، "
        "وأقل عرض {min_offer}."
    ).html

    assert "العمولة 15% ويصلك 85% بعد 7 يوماً" in html
    assert '<bdi dir="ltr" class="money">$30.00</bdi>' in html


def test_placeholders_in_link_addresses_and_code_are_left_alone():
    html = render_markdown("`{commission_percent}` و[رابط](/a/{min_offer}/) و{unknown_figure}").html

    assert "<code>{commission_percent}</code>" in html
    assert "<bdi" not in html
    assert "{unknown_figure}" in html


def test_a_heading_with_a_figure_keeps_its_anchor_when_the_figure_changes(settings):
    settings.COMMISSION_PERCENT = 20
    before = render_markdown("## العمولة {commission_percent}").headings[0]
    settings.COMMISSION_PERCENT = 10
    after = render_markdown("## العمولة {commission_percent}").headings[0]

    assert before.anchor == after.anchor
    assert (before.text, after.text) == ("العمولة 20%", "العمولة 10%")


def test_reading_time_counts_words():
    assert render_markdown("كلمة " * 100).reading_minutes == 1
    assert render_markdown("كلمة " * 700).reading_minutes == 4


def test_expand_text_is_plain_text_for_titles(settings):
    settings.MIN_WITHDRAWAL_CENTS = 10_00
    assert expand_text("أقل سحب {min_withdrawal}") == "أقل سحب $10.00"
