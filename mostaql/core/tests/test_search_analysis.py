"""The Arabic analyser of core.search, word by word: what meets and what must not, variants and typos,
and the highlighting of a text. No database, except where PostgreSQL's own figure is compared."""

import pytest
from django.db import connection

from mostaql.core.search import analysis
from mostaql.core.search.engine import parse
from mostaql.core.search.highlight import excerpt, highlight


def meet(first: str, second: str) -> bool:
    """Whether a query word and a text word share a stem (both normalised first, as search does)."""
    (a,), (b,) = analysis.words(first), analysis.words(second)
    return bool(set(analysis.stems(a)) & set(analysis.stems(b)))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("مقالات", "مقال"),  # sound feminine plural
        ("مدونات", "مدونة"),
        ("مبرمجين", "مبرمج"),  # sound masculine plural
        ("مبرمجون", "مبرمجة"),
        ("طبية", "طبي"),  # nisba
        ("الإعلانات", "إعلان"),
        ("شركة", "لشركة"),  # joined preposition
        ("شركة", "للشركة"),  # joined article
        ("شركة", "والشركة"),
        ("مطعم", "بالمطعم"),
        ("مطعم", "ومطعم"),
        ("عقد", "عقود"),  # broken plurals
        ("قصة", "قصص"),
        ("موقع", "مواقع"),
        ("مشروع", "المشاريع"),
        ("تصميم", "تصاميم"),
        ("إلكتروني", "الإلكتروني"),  # «إل» folds to «ال» and is taken off alike on both sides
        ("فيديو", "فيديوهات"),
        ("تطبيق", "وتطبيقاته"),  # a plural with an attached pronoun
        ("مقال", "مقالاً"),  # the alef of a tanween
        ("انستجرام", "إنستغرام"),  # transliterations
        ("انستاغرام", "Instagram"),
        ("جانغو", "Django"),
        ("ووردبريس", "wordpress"),
        ("فيجما", "FIGMA"),
    ],
)
def test_forms_of_one_word_meet(first, second):
    assert meet(first, second) and meet(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("برمجة", "رمجة"),  # «ب» belongs to «برمجة»
        ("بطاقة", "طاقة"),
        ("فكرة", "كرة"),
        ("قانون", "قان"),  # «ون» only where four letters stay
        ("إعلان", "اعل"),  # «ان» is no suffix
        ("تصميم", "تسويق"),
        ("django", "flutter"),
    ],
)
def test_different_words_do_not_meet(first, second):
    assert not meet(first, second)


@pytest.mark.parametrize(
    "spellings", [("انستجرام", "انستغرام", "انستاغرام", "انستقرام"), ("تيليجرام", "تلغرام")]
)
def test_spellings_of_one_name_share_a_skeleton(spellings):
    assert len({analysis.skeleton(analysis.words(spelling)[0]) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    ("typed", "word", "forgiven"),
    [
        ("تسويقق", "تسويق", True),  # a letter added
        ("تسوق", "تسويق", False),  # four letters typed: too short
        ("مونتاح", "مونتاج", True),  # a letter changed
        ("الرياضبات", "الرياضيات", True),
        ("تصمييم", "تصميم", True),
        ("ترجمتت", "تعليمية", False),  # far apart
        ("تصمميم", "تصميم", True),
        ("تسويقات", "تسويق", False),  # two letters added
    ],
)
def test_a_typo_is_one_letter_in_a_word_of_five_letters_or_more(typed, word, forgiven):
    assert analysis.is_typo_of(typed, word) is forgiven


@pytest.mark.parametrize(
    ("first", "second"), [("تسويقق", "تسويق"), ("مونتاح", "مونتاج"), ("برمجه", "برمجيات"), ("abc", "xyz")]
)
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm's own similarity()")
def test_the_trigram_similarity_is_pg_trgms_own(first, second):
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [first, second])
        (expected,) = cursor.fetchone()

    assert analysis.similarity(first, second) == pytest.approx(expected, abs=1e-6)


def test_a_query_keeps_its_words_once_each_and_at_most_eight():
    query = parse("برمجة، برمجه! تصميم " + " ".join(f"كلمة{number}" for number in range(20)))

    assert [term.word for term in query.terms][:2] == ["برمجه", "تصميم"]
    assert len(query.terms) == analysis.MAX_QUERY_WORDS


@pytest.mark.parametrize("text", ["", "!!! ؟؟؟", "ًٌٍَُِّْ", "😀🎨", "\x00", " \u200f "])
def test_a_query_without_words_is_empty(text):
    assert not parse(text)


def test_a_document_lists_the_titles_words_and_every_stem_once():
    indexed = analysis.document(title="تصميم شعارات للمتجر", body="شعار بسيط للمتجر و Logo")

    assert indexed.title_words == "تصميم شعارات للمتجر"
    assert indexed.title_stems == "تصميم شعار متجر"
    assert indexed.stems == "تصميم شعار متجر بسيط و logo"
    assert indexed.all_words == {"تصميم", "شعارات", "للمتجر", "شعار", "بسيط", "و", "logo"}


def test_highlighting_marks_the_words_found_as_they_are_written_and_escapes_the_rest():
    marked = highlight("<b>بَرْمَجَة</b> & تصميم البرمجيات", parse("برمجه"))

    assert marked == "&lt;b&gt;<mark>بَرْمَجَة</mark>&lt;/b&gt; &amp; تصميم <mark>البرمجيات</mark>"


def test_an_excerpt_reaches_the_first_found_word_far_into_a_text():
    text = "مقدمة طويلة " * 40 + "نحتاج شعارات جديدة " + "خاتمة " * 40

    shown = excerpt(text, parse("شعار"))

    assert shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>شعارات</mark>" in shown and len(shown) < 300
