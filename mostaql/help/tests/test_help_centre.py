"""The help centre as a visitor uses it: searchable answers by topic, the fees page, terms and privacy."""

import pytest
from django.urls import reverse

from mostaql.help.models import Question

pytestmark = pytest.mark.django_db


def _questions_on(page: str) -> set[str]:
    return {question.question for question in Question.objects.all() if question.question in page}


def test_every_topic_has_starter_answers(client):
    page = client.get(reverse("help:index")).content.decode()

    for label in ("الحساب", "المشاريع والعروض", "الخدمات", "الدفع والسحب", "النزاعات", "الأمان والثقة"):
        assert f">{label}</h2>" in page
    assert _questions_on(page) == set(Question.objects.values_list("question", flat=True))


@pytest.mark.parametrize("query", ["ارباحي", "أرباحي", "أَرْبَاحِي", "أربـاحي"])
def test_search_folds_hamza_diacritics_and_tatweel(client, query):
    page = client.get(reverse("help:index"), {"q": query}).content.decode()

    assert _questions_on(page) == {"متى أستطيع سحب أرباحي؟"}


def test_search_finds_words_in_answers_and_in_english(client):
    by_answer = client.get(reverse("help:index"), {"q": "الضمان نزاع"}).content.decode()
    in_english = client.get(reverse("help:index"), {"q": "Withdrawal refused"}).content.decode()

    assert "طلب مني أحد الدفع أو التواصل خارج المنصة. ماذا أفعل؟" in _questions_on(by_answer)
    assert _questions_on(in_english) == {"لماذا رُفض طلب السحب؟"}


def test_a_topic_narrows_the_list_and_a_search_with_no_match_says_so(client):
    disputes = client.get(reverse("help:index"), {"topic": "disputes"}).content.decode()
    nothing = client.get(reverse("help:index"), {"q": "زرافة"}).content.decode()

    assert _questions_on(disputes) == set(
        Question.objects.filter(topic="disputes").values_list("question", flat=True)
    )
    assert _questions_on(nothing) == set()
    assert "لا توجد إجابة تطابق بحثك" in nothing


def test_search_results_are_not_indexed_but_the_help_centre_is(client):
    assert "X-Robots-Tag" not in client.get(reverse("help:index"))
    assert client.get(reverse("help:index"), {"q": "سحب"})["X-Robots-Tag"] == "noindex, follow"


def test_answers_quote_figures_from_settings(client, settings):
    settings.OFFERS_PER_MONTH = 9
    settings.MIN_WITHDRAWAL_CENTS = 12_00

    page = client.get(reverse("help:index")).content.decode()

    assert "لكل حساب 9 عرضاً في الشهر" in page
    assert '<bdi dir="ltr" class="money">$12.00</bdi>' in page


def test_an_unpublished_answer_is_not_shown(client):
    question = Question.objects.get(question="كيف أبلغ عن مخالفة؟")
    Question.objects.filter(pk=question.pk).update(is_published=False)

    assert question.question not in client.get(reverse("help:index")).content.decode()


def test_the_fees_page_takes_every_figure_from_settings(client, settings):
    settings.COMMISSION_PERCENT = 15
    settings.CLEARANCE_DAYS = 10
    settings.MIN_WITHDRAWAL_CENTS = 12_00
    settings.MIN_OFFER_CENTS = 30_00
    settings.OFFERS_PER_MONTH = 11

    page = client.get(reverse("help:fees")).content.decode()

    assert "15%" in page and "85%" in page and "20%" not in page
    assert "بعد 10 أيام من قبول العمل" in page
    assert '<bdi dir="ltr" class="money">$12.00</bdi>' in page
    assert '<bdi dir="ltr" class="money">$30.00</bdi>' in page
    assert "11 عرضاً" in page
    # The example: $100.00 less 15% is $85.00.
    assert '<bdi dir="ltr" class="money">$85.00</bdi>' in page
    # Deposit limits come from the wallet's own rule.
    assert '<bdi dir="ltr" class="money">$1.00</bdi>' in page and "$10,000.00" in page


def test_terms_and_privacy_are_written_in_each_language(client):
    for name, arabic, english in (
        ("help:terms", "شروط الاستخدام", "Terms of use"),
        ("help:privacy", "سياسة الخصوصية", "Privacy policy"),
    ):
        assert f"<h1>{arabic}</h1>" in client.get(reverse(name)).content.decode()
        client.cookies["django_language"] = "en"
        assert f"<h1>{english}</h1>" in client.get(reverse(name)).content.decode()
        del client.cookies["django_language"]


def test_the_home_page_links_the_guides_the_fees_and_the_help_centre(client):
    page = client.get(reverse("home")).content.decode()

    for name in ("guides:index", "help:fees", "help:index", "help:contact", "help:terms", "help:privacy"):
        assert f'href="{reverse(name)}"' in page


def test_the_help_centre_costs_one_query_however_many_answers(client, django_assert_num_queries):
    client.get(reverse("help:index"))
    with django_assert_num_queries(1):
        client.get(reverse("help:index"))

    for number in range(20):
        Question.objects.create(topic="account", question=f"سؤال {number}؟", answer=f"جواب {number}.")

    with django_assert_num_queries(1):
        client.get(reverse("help:index"), {"q": "سؤال"})
