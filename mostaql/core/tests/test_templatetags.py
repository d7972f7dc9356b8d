"""The template helpers every page uses: amounts as left-to-right islands, and query-string links."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load mostaql %}" + source).render(Context(context))


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        pytest.param(125000, "$1,250.00", id="thousands"),
        pytest.param(0, "$0.00", id="zero-is-an-amount"),
        pytest.param(5, "$0.05", id="cents"),
        pytest.param(-2500, "-$25.00", id="negative"),
    ],
)
def test_an_amount_is_drawn_as_a_left_to_right_island(cents, shown):
    # given an amount in cents in the template context

    # when it is rendered through the money filter
    html = render("{{ amount|money }}", amount=cents)

    # then it is wrapped so that an RTL paragraph cannot turn $250.00 into 250.00$
    assert html == f'<bdi dir="ltr" class="money">{shown}</bdi>'


def test_an_amount_inside_an_arabic_sentence_keeps_its_western_digits():
    # given the Arabic interface
    with translation.override("ar"):
        # when an amount is rendered inside Arabic text
        html = render("الميزانية: {{ amount|money }} فقط", amount=125000)

    # then the island holds the same Western text
    assert html == 'الميزانية: <bdi dir="ltr" class="money">$1,250.00</bdi> فقط'


@pytest.mark.parametrize("missing", [None, ""])
def test_a_missing_amount_renders_nothing(missing):
    # given no amount (an offer without a price yet, say)

    # when it is rendered through the money filter
    html = render("[{{ amount|money }}]", amount=missing)

    # then nothing is drawn, not "$0.00" and not "None"
    assert html == "[]"


def test_an_undefined_amount_renders_nothing():
    # given a template variable that is not in the context

    # when it is rendered through the money filter
    html = render("[{{ absent|money }}]")

    # then nothing is drawn
    assert html == "[]"


# --- query_with ---------------------------------------------------------------------------------


@pytest.fixture
def search_request():
    return RequestFactory().get("/projects/", {"q": "x", "page": 2})


def test_a_pagination_link_changes_the_page_and_keeps_the_search(search_request):
    # given a search on page 2

    # when the link to page 3 is rendered
    html = render("{% query_with page=3 %}", request=search_request)

    # then the query is kept, the page changed, and & is escaped for the href attribute
    assert html == "?q=x&amp;page=3"


def test_the_page_may_come_from_a_template_variable(search_request):
    # given a search on page 2 and the next page number in the context

    # when the link is rendered from the variable
    html = render("{% query_with page=next_page %}", request=search_request, next_page=3)

    # then the page is the variable's value
    assert html == "?q=x&amp;page=3"


@pytest.mark.parametrize("cleared", ['""', "None", "absent"])
def test_an_empty_value_removes_the_parameter(search_request, cleared):
    # given a search on page 2

    # when the page is set to nothing (back to the first page)
    html = render("{% query_with page=" + cleared + " %}", request=search_request)

    # then the page parameter is dropped entirely, not left as "page="
    assert html == "?q=x"


def test_a_new_parameter_is_added_after_the_existing_ones(search_request):
    # given a search on page 2

    # when a sort order is chosen
    html = render('{% query_with sort="newest" %}', request=search_request)

    # then it is added and the rest kept
    assert html == "?q=x&amp;page=2&amp;sort=newest"


def test_several_parameters_change_at_once(search_request):
    # given a search on page 2

    # when a filter changes, which sends the reader back to page one
    html = render('{% query_with q="y" page=None %}', request=search_request)

    # then both changes apply
    assert html == "?q=y"


def test_removing_the_last_parameter_leaves_a_bare_question_mark():
    # given a page reached with only a page number
    request = RequestFactory().get("/projects/", {"page": 2})

    # when the page is cleared
    html = render('{% query_with page="" %}', request=request)

    # then the link still points at the same page, with an empty query
    assert html == "?"


def test_repeated_filters_are_all_kept():
    # given a search filtered by two skills
    request = RequestFactory().get("/projects/?skill=1&skill=2&page=2")

    # when the page changes
    html = render("{% query_with page=3 %}", request=request)

    # then both skills stay selected
    assert html == "?skill=1&amp;skill=2&amp;page=3"


def test_an_arabic_search_is_percent_encoded():
    # given an Arabic search
    request = RequestFactory().get("/projects/", {"q": "مبرمج"})

    # when a page link is rendered
    html = render("{% query_with page=2 %}", request=request)

    # then the Arabic is percent-encoded as UTF-8
    assert html == "?q=%D9%85%D8%A8%D8%B1%D9%85%D8%AC&amp;page=2"


def test_a_hostile_value_cannot_break_out_of_the_href(search_request):
    # given a value that tries to close the attribute
    hostile = '"><script>alert(1)</script>'

    # when it is used in a link
    html = render("<a href='{% query_with q=hostile %}'>", request=search_request, hostile=hostile)

    # then it is percent-encoded, so no markup appears
    assert "<script>" not in html
    assert '"' not in html.removeprefix("<a href='").removesuffix("'>")


def test_building_a_link_leaves_the_request_untouched(search_request):
    # given a search on page 2

    # when a link to another page is rendered
    render("{% query_with page=3 sort='newest' %}", request=search_request)

    # then the request's own parameters are unchanged
    assert search_request.GET.dict() == {"q": "x", "page": "2"}
