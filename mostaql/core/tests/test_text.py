"""Arabic search normalisation and the clean-up of names, titles and longer texts."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mostaql.core.text import clean_line, normalize_arabic, search_terms, strip_bidi_controls

FATHA, DAMMA, KASRA, SHADDA, SUKUN = "\u064e", "\u064f", "\u0650", "\u0651", "\u0652"
TANWEEN = ("\u064b", "\u064c", "\u064d")
SUPERSCRIPT_ALEF = "\u0670"
TATWEEL = "\u0640"
# Marks a search index must never hold: harakat, tanween, shadda, sukun, Quranic marks, tatweel.
DIACRITIC_CODEPOINTS = {
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06EE),
    0x0640,
}
LETTERS_FOLDED_AWAY = set("أإآٱىة")
# Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
BIDI_CONTROLS = [chr(codepoint) for codepoint in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# Text the way people actually type it on the site: Arabic letters and marks (including presentation
# forms from old PDFs), Latin, digits, every kind of space and line break, and bidirectional controls.
realistic_characters = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
    st.characters(min_codepoint=0x0020, max_codepoint=0x007E),
    st.sampled_from([*BIDI_CONTROLS, *LINE_BREAKS, "\t", "\u00a0", "\u200f", "\u200e"]),
)
realistic_text = st.text(alphabet=realistic_characters, max_size=40)
any_text = st.one_of(realistic_text, st.text(max_size=40))


# --- normalize_arabic ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        pytest.param("مُبَرمِج", "مبرمج", id="harakat"),
        pytest.param("مُحَمَّدٌ", "محمد", id="shadda-and-tanween"),
        pytest.param("مَسْؤُولٌ", "مسؤول", id="sukun"),
        pytest.param("ذَٰلِكَ", "ذلك", id="superscript-alef"),
        pytest.param("مـــبرمج", "مبرمج", id="tatweel"),
        pytest.param("برمجة", "برمجه", id="teh-marbuta"),
        pytest.param("مصطفى", "مصطفي", id="alef-maksura"),
        pytest.param("أحمد", "احمد", id="hamza-above-alef"),
        pytest.param("إسلام", "اسلام", id="hamza-below-alef"),
        pytest.param("آمال", "امال", id="madda-alef"),
        pytest.param("ٱلرحمن", "الرحمن", id="alef-wasla"),
        pytest.param("ﻣﺒﺮﻣﺞ", "مبرمج", id="presentation-forms"),
        pytest.param("ﻷ", "لا", id="lam-alef-ligature"),
        pytest.param("ا\u0654حمد", "احمد", id="decomposed-hamza"),
    ],
)
def test_arabic_spelling_variants_fold_to_one_search_form(typed, indexed):
    # given a word as a person might type it

    # when it is normalised for search
    normalised = normalize_arabic(typed)

    # then the marks and letter variants are folded away
    assert normalised == indexed


def test_a_query_without_harakat_matches_a_title_written_with_them():
    # given a title written carefully with harakat, tatweel and hamza, and a hasty query
    title = "مُـــبَرْمِجَة أَنْدرويد"
    query = "مبرمجه اندرويد"

    # when both are normalised
    indexed, searched = normalize_arabic(title), normalize_arabic(query)

    # then they are the same text
    assert indexed == searched == "مبرمجه اندرويد"


def test_latin_letters_are_case_folded_so_mixed_text_is_found_by_either_script():
    # given a mixed Arabic and English title
    title = "مطور Django و REST API"

    # when it is normalised
    normalised = normalize_arabic(title)

    # then the Latin part is lower-cased and the Arabic part is untouched
    assert normalised == "مطور django و rest api"


def test_fullwidth_latin_and_digits_fold_to_plain_ascii():
    # given fullwidth characters pasted from an East Asian keyboard
    typed = "ＰＹＴＨＯＮ３"

    # when normalised
    normalised = normalize_arabic(typed)

    # then they are plain lower-case ASCII
    assert normalised == "python3"


def test_whitespace_of_any_kind_collapses_to_single_spaces_and_is_trimmed():
    # given words separated by tabs, line breaks and non-breaking spaces
    typed = "  مطور\t\tويب\n\n\u00a0بايثون  "

    # when normalised
    normalised = normalize_arabic(typed)

    # then one plain space separates the words, with none at the ends
    assert normalised == "مطور ويب بايثون"


@pytest.mark.parametrize("empty", [None, "", "   ", "\u064e\u0640"])
def test_empty_or_mark_only_text_normalises_to_an_empty_string(empty):
    # given nothing to search for

    # when normalised
    normalised = normalize_arabic(empty)

    # then the result is an empty string, never None
    assert normalised == ""


@given(realistic_text)
def test_normalising_twice_changes_nothing(text):
    # given any text already normalised once
    once = normalize_arabic(text)

    # when it is normalised again
    twice = normalize_arabic(once)

    # then nothing changes: the index and the query meet in one form
    assert twice == once


@given(st.text(max_size=40))
@example("e\u0640\u0301")
def test_normalising_twice_changes_nothing_for_any_unicode_text(text):
    # given any text at all, normalised once
    once = normalize_arabic(text)

    # when it is normalised again
    twice = normalize_arabic(once)

    # then nothing changes
    assert twice == once


@given(any_text)
def test_normalised_text_holds_no_diacritics_tatweel_or_letter_variants(text):
    # given any text

    # when normalised
    normalised = normalize_arabic(text)

    # then no harakat, tatweel or folded letter survive
    assert not {ord(character) for character in normalised} & DIACRITIC_CODEPOINTS
    assert not set(normalised) & LETTERS_FOLDED_AWAY


@given(any_text)
@example("\u202bمبرمج\u202c")
def test_normalised_text_holds_no_bidi_controls(text):
    # given any text, perhaps pasted with invisible direction controls

    # when normalised
    normalised = normalize_arabic(text)

    # then no bidirectional control is left in the search form
    assert not set(normalised) & set(BIDI_CONTROLS)


# --- search_terms -------------------------------------------------------------------------------


def test_search_terms_are_the_normalised_words_in_the_order_typed():
    # given a query with harakat, hamza and a Latin word
    query = "  مُبَرمِج  أندرويد  Kotlin "

    # when it is split into terms
    terms = search_terms(query)

    # then each word is normalised, in order
    assert terms == ["مبرمج", "اندرويد", "kotlin"]


def test_words_that_normalise_alike_are_searched_once():
    # given the same names spelled several ways
    query = "أحمد احمد إحمد Ahmed AHMED برمجة برمجه"

    # when split into terms
    terms = search_terms(query)

    # then each is kept once, where it first appeared
    assert terms == ["احمد", "ahmed", "برمجه"]


@pytest.mark.parametrize("empty", [None, "", "   \n\t", "\u0640\u0640"])
def test_an_empty_query_has_no_search_terms(empty):
    # given an empty search box

    # when split into terms
    terms = search_terms(empty)

    # then there is nothing to search for
    assert terms == []


@given(any_text)
def test_search_terms_are_unique_non_empty_normalised_words(text):
    # given any query

    # when split into terms
    terms = search_terms(text)

    # then each term is a distinct, non-empty, already normalised word
    assert len(terms) == len(set(terms))
    for term in terms:
        assert term
        assert " " not in term
        assert normalize_arabic(term) == term


# --- clean_line and strip_bidi_controls ---------------------------------------------------------


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
def test_every_bidi_control_is_removed_from_a_name(control):
    # given a name with a direction control inside it
    name = f"محمد{control}Ali"

    # when the name is cleaned
    cleaned = clean_line(name)

    # then the control is gone and the letters are untouched
    assert cleaned == "محمدAli"


def test_a_right_to_left_override_cannot_disguise_a_file_name():
    # given a name that displays as «invoice_exe.pdf» but is really an executable
    name = "invoice_\u202efdp.exe"

    # when it is cleaned
    cleaned = clean_line(name)

    # then it reads as what it is
    assert cleaned == "invoice_fdp.exe"


def test_a_title_is_folded_to_one_line_with_single_spaces():
    # given a title pasted across several lines with stray spacing
    title = "  تصميم   شعار\r\nلمتجر\u2028إلكتروني\t "

    # when it is cleaned
    cleaned = clean_line(title)

    # then it is one trimmed line, single-spaced, with its letters kept as typed
    assert cleaned == "تصميم شعار لمتجر إلكتروني"


def test_clean_line_keeps_harakat_and_letter_forms_as_typed():
    # given a name written with harakat and hamza
    name = "أَحْمَد"

    # when cleaned for storage (not for search)
    cleaned = clean_line(name)

    # then the spelling the person chose is kept
    assert cleaned == "أَحْمَد"


@pytest.mark.parametrize("empty", [None, ""])
def test_clean_line_of_nothing_is_an_empty_string(empty):
    assert clean_line(empty) == ""


@given(any_text)
def test_a_cleaned_line_holds_no_bidi_controls_or_line_breaks(text):
    # given any text

    # when it is cleaned as a name or title
    cleaned = clean_line(text)

    # then it is one line with no direction controls and no surrounding space
    assert not set(cleaned) & set(BIDI_CONTROLS)
    assert not set(cleaned) & LINE_BREAKS
    assert len(cleaned.splitlines()) <= 1
    assert cleaned == cleaned.strip()
    assert clean_line(cleaned) == cleaned


def test_a_long_text_keeps_its_line_breaks_and_spacing_but_loses_bidi_controls():
    # given a project description with paragraphs, indentation and an isolate around a word
    description = "السطر الأول \u2067Python\u2069\n\n  - نقطة\r\n\tنهاية\u202e "

    # when its bidi controls are stripped
    stripped = strip_bidi_controls(description)

    # then only the controls are gone
    assert stripped == "السطر الأول Python\n\n  - نقطة\r\n\tنهاية "


@pytest.mark.parametrize("empty", [None, ""])
def test_strip_bidi_controls_of_nothing_is_an_empty_string(empty):
    assert strip_bidi_controls(empty) == ""


@given(any_text)
def test_stripping_bidi_controls_removes_exactly_those_characters(text):
    # given any text

    # when its bidi controls are stripped
    stripped = strip_bidi_controls(text)

    # then every other character is kept in order
    assert stripped == "".join(character for character in text if character not in BIDI_CONTROLS)
