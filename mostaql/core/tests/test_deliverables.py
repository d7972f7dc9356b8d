"""Delivered files and message attachments: recognised by their content, kept byte for byte, refused
with a message that says what was refused and what is accepted; and pictures never decoded past the
pixel limit."""

import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from mostaql.core.tests import samples
from mostaql.core.uploads import (
    DELIVERABLE_KINDS,
    CleanImage,
    _fitted_size,
    clean_deliverable,
    clean_image,
    download_response,
    preview_response,
)

ACCEPTED_LIST = (
    "you can send images, SVG drawings, PDF, video, audio, subtitles, design files (AI, PSD, EPS), fonts, "
    "plain text, office documents, zip archives."
)


def raw(file) -> bytes:
    file.seek(0)
    return file.read()


def refusal(upload) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_deliverable(upload)
    return caught.value


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The size of every picture Pillow decodes, as it decodes it."""
    sizes = []
    original = ImageFile.ImageFile.load

    def recording_load(image):
        sizes.append(image.size)
        return original(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return sizes


# --- What is accepted, and how it is kept ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(samples.ACCEPTED))
def test_every_common_deliverable_is_accepted_and_kept_byte_for_byte(name):
    # given a real file of one of the catalogue's common deliverables
    content, kind, extension, has_preview = samples.ACCEPTED[name]

    # when it is cleaned as a deliverable
    cleaned = clean_deliverable(samples.upload(name, content))

    # then it is recognised by content and kept exactly as sent, under a fresh stored name
    assert cleaned.kind == kind
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", cleaned.content.name)
    assert raw(cleaned.content) == content
    assert cleaned.original_name == name
    assert (cleaned.preview is not None) == has_preview


def test_every_kind_of_deliverable_has_a_sample():
    kinds = {kind for _content, kind, _extension, _preview in samples.ACCEPTED.values()}

    assert kinds == set(DELIVERABLE_KINDS)


def test_a_png_is_neither_re_encoded_nor_renamed_nor_resized(settings):
    # given a PNG larger than the size pictures are stored at elsewhere
    settings.UPLOAD_IMAGE_MAX_STORED_SIDE = 100
    png = samples.picture("PNG", size=(300, 200))

    # when it is delivered
    cleaned = clean_deliverable(samples.upload("deliverable.png", png))

    # then the stored file is the same PNG, same name, same size, same bytes
    assert cleaned.original_name == "deliverable.png"
    assert cleaned.content.name.endswith(".png")
    assert hashlib.sha256(raw(cleaned.content)).digest() == hashlib.sha256(png).digest()
    assert Image.open(io.BytesIO(raw(cleaned.content))).size == (300, 200)


def test_a_preview_is_a_small_re_encoded_picture_beside_the_original(settings):
    # given a large photo with a comment segment
    settings.UPLOAD_THUMBNAIL_SIDE = 64
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "navy").save(buffer, "JPEG", comment=b"shot at 12 King Street")
    photo = buffer.getvalue()

    # when it is delivered
    cleaned = clean_deliverable(samples.upload("photo.jpg", photo))

    # then the original keeps its comment, and the preview is small and has none
    assert b"King Street" in raw(cleaned.content)
    preview = Image.open(io.BytesIO(raw(cleaned.preview)))
    assert preview.size == (64, 48)
    assert b"King Street" not in raw(cleaned.preview)


def test_a_name_without_an_extension_is_kept_as_it_is():
    cleaned = clean_deliverable(samples.upload("README", b"plain words\n"))

    assert (cleaned.kind, cleaned.original_name) == ("text", "README")


# --- What is refused, and what the person is told ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code", "told"),
    [
        pytest.param(
            "setup.exe.png",
            samples.WINDOWS_PROGRAM,
            "executable",
            "«setup.exe.png» looks like an executable program; " + ACCEPTED_LIST,
            id="windows-program-named-png",
        ),
        pytest.param(
            "photo.png",
            samples.LINUX_PROGRAM,
            "executable",
            "«photo.png» looks like an executable program; " + ACCEPTED_LIST,
            id="linux-program-named-png",
        ),
        pytest.param(
            "notes.txt",
            samples.SHELL_SCRIPT,
            "executable",
            "«notes.txt» looks like an executable program; " + ACCEPTED_LIST,
            id="script-named-txt",
        ),
        pytest.param(
            "setup.exe",
            samples.PDF,
            "executable",
            "«setup.exe» is a program or a script (.exe); " + ACCEPTED_LIST,
            id="program-name",
        ),
        pytest.param(
            "logo.svg",
            samples.HTML_PAGE,
            "html",
            "«logo.svg» looks like a web page (HTML), which could run code when it is opened; "
            + ACCEPTED_LIST,
            id="html-named-svg",
        ),
        pytest.param(
            "logo.svg",
            samples.SVG_WITH_SCRIPT,
            "active_content",
            "«logo.svg» is an SVG drawing with a script or embedded web content inside; "
            "export the drawing without them (as design tools do by default).",
            id="svg-with-script",
        ),
        pytest.param(
            "logo.svg",
            samples.SVG_WITH_HANDLER,
            "active_content",
            None,
            id="svg-with-event-handler",
        ),
        pytest.param(
            "assets.zip",
            samples.zip_of({"fonts/readme.txt": b"x", "tools/setup.exe": samples.WINDOWS_PROGRAM}),
            "dangerous_archive",
            "«assets.zip» contains a program or a script («tools/setup.exe»), which cannot be sent here; "
            + ACCEPTED_LIST,
            id="zip-with-program",
        ),
        pytest.param(
            "assets.zip",
            samples.zip_of({"images/logo.png": samples.LINUX_PROGRAM}),
            "dangerous_archive",
            None,
            id="zip-with-disguised-program",
        ),
        pytest.param(
            "budget.xlsx",
            samples.zip_of(
                {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"x"}
            ),
            "macros",
            "«budget.xlsx» contains macros, which are programs; save it as an ordinary document "
            "(.docx, .xlsx or .pptx) and send that.",
            id="workbook-with-macros",
        ),
        pytest.param(
            "brief.jpg",
            samples.PDF,
            "name_mismatch",
            "«brief.jpg» is named as a .jpg file but it is a PDF document; "
            "rename it to end in .pdf and send it again.",
            id="pdf-named-jpg",
        ),
        pytest.param(
            "blob.bin2",
            samples.RANDOM_BYTES,
            "file_type",
            "«blob.bin2» is not a kind of file we accept; " + ACCEPTED_LIST,
            id="unknown-bytes",
        ),
        pytest.param(
            "cut.png",
            samples.picture("PNG", size=(200, 200))[:80],
            "damaged",
            "«cut.png» looks like a PNG image but is damaged or incomplete; save it again and send it.",
            id="truncated-png",
        ),
        pytest.param("empty.txt", b"", "empty", "«empty.txt» is empty.", id="empty"),
    ],
)
def test_refused_files_are_named_with_the_reason_and_what_is_accepted(name, content, code, told):
    # given a file that is not a deliverable we keep

    # when it is cleaned
    error = refusal(samples.upload(name, content))

    # then the message says what was refused, why, and what can be sent instead
    assert error.code == code
    assert f"«{name}»" in error.message
    if told is not None:
        assert error.message == told
    assert "could not read this as an image" not in error.message


def test_an_svg_whose_root_is_not_svg_is_refused_as_damaged():
    error = refusal(samples.upload("logo.svg", b'<?xml version="1.0"?><note><svg/></note>'))

    assert error.code == "damaged"


def test_an_svg_with_entity_declarations_is_refused_before_it_is_parsed():
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg>&a;&a;</svg>'

    error = refusal(samples.upload("logo.svg", bomb))

    assert error.code == "damaged"


# --- Size limits per kind --------------------------------------------------------------------------


def test_each_kind_has_its_own_size_limit(settings):
    # given a PDF limit one byte below the sample, and a generous video limit
    settings.UPLOAD_MAX_DELIVERABLE_BYTES = {
        **settings.UPLOAD_MAX_DELIVERABLE_BYTES,
        "pdf": len(samples.PDF) - 1,
    }
    video = samples.ACCEPTED["clip.mp4"][0]

    # when a PDF and a video are cleaned
    error = refusal(samples.upload("brief.pdf", samples.PDF))
    accepted = clean_deliverable(samples.upload("clip.mp4", video))

    # then only the PDF is refused, and its message states the PDF limit
    assert error.code == "too_large"
    size, limit = len(samples.PDF), len(samples.PDF) - 1
    assert (
        error.message == f"«brief.pdf» is too large ({size}\xa0bytes); PDF may be at most {limit}\xa0bytes."
    )
    assert accepted.kind == "video"


def test_a_file_exactly_at_its_kinds_limit_is_accepted(settings):
    settings.UPLOAD_MAX_DELIVERABLE_BYTES = {**settings.UPLOAD_MAX_DELIVERABLE_BYTES, "pdf": len(samples.PDF)}

    assert clean_deliverable(samples.upload("brief.pdf", samples.PDF)).kind == "pdf"


class Unreadable(io.BytesIO):
    def read(self, *args):
        pytest.fail("the content was read")


def test_a_file_over_every_limit_is_refused_before_its_content_is_read(settings):
    # given limits all smaller than the file
    settings.UPLOAD_MAX_DELIVERABLE_BYTES = dict.fromkeys(settings.UPLOAD_MAX_DELIVERABLE_BYTES, 10)
    upload = samples.upload("brief.pdf", samples.PDF)
    upload.file = Unreadable(samples.PDF)

    # when it is cleaned
    error = refusal(upload)

    # then it is refused for its size alone
    assert error.code == "too_large"
    assert "the largest file accepted is 10\xa0bytes" in error.message


def test_a_long_text_over_the_text_limit_is_refused_without_being_read_whole(settings):
    settings.UPLOAD_MAX_DELIVERABLE_BYTES = {**settings.UPLOAD_MAX_DELIVERABLE_BYTES, "text": 100}

    error = refusal(samples.upload("notes.txt", b"a line of notes\n" * 20))

    assert error.code == "too_large"
    assert "plain text may be at most 100" in error.message


def test_the_limits_are_settings_with_one_entry_a_kind(settings):
    assert set(settings.UPLOAD_MAX_DELIVERABLE_BYTES) == set(DELIVERABLE_KINDS)


# --- The pixel limit (pictures never decoded past it) ----------------------------------------------


def test_a_huge_picture_small_on_disk_is_refused_from_its_header_without_decoding(decoded_sizes):
    # given an 8000×8000 PNG of one colour: small on disk, about 256 MB once decoded
    bomb = samples.png_claiming(8000, 8000)
    assert len(bomb) < 300_000

    # when it is uploaded as an avatar
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_image(samples.upload("avatar.png", bomb))

    # then it is refused with its size and the limit, and not one pixel was decoded
    assert caught.value.code == "too_many_pixels"
    assert caught.value.message == (
        "The image is 8000×8000 pixels (64.0 megapixels); at most 25 megapixels are accepted."
    )
    assert decoded_sizes == []


def test_the_pixel_limit_counts_the_total_not_only_each_side(settings):
    # given a limit of 10,000 pixels and sides allowed up to 8000
    settings.UPLOAD_MAX_IMAGE_PIXELS = 10_000

    # when pictures of exactly 10,000 and of 10,100 pixels are cleaned
    accepted = clean_image(samples.upload("ok.png", samples.picture("PNG", size=(100, 100))))
    with pytest.raises(ValidationError) as caught:
        clean_image(samples.upload("wide.png", samples.picture("PNG", size=(101, 100))))

    # then only the larger is refused, though neither side is long
    assert isinstance(accepted, CleanImage)
    assert caught.value.code == "too_many_pixels"


def test_a_huge_delivered_picture_is_kept_whole_without_a_preview_and_without_decoding(decoded_sizes):
    # given the same 8000×8000 PNG delivered as the work itself
    bomb = samples.png_claiming(8000, 8000)

    # when it is cleaned as a deliverable
    cleaned = clean_deliverable(samples.upload("poster.png", bomb))

    # then it is kept byte for byte, with no preview, and was never decoded
    assert raw(cleaned.content) == bomb
    assert cleaned.preview is None
    assert decoded_sizes == []


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(settings, decoded_sizes):
    # given a 2400×1600 photo, stored at most 300 pixels a side
    settings.UPLOAD_IMAGE_MAX_STORED_SIDE = 300
    settings.UPLOAD_THUMBNAIL_SIDE = 100
    photo = samples.picture("JPEG", size=(2400, 1600))

    # when it is cleaned as a portfolio image
    cleaned = clean_image(samples.upload("photo.jpg", photo))

    # then Pillow decoded it at a quarter of its size (the smallest scale that covers 300×300), never whole
    assert decoded_sizes[0] == (600, 400)
    assert (2400, 1600) not in decoded_sizes
    assert Image.open(cleaned.image).size == (300, 200)


# --- Served as downloads ---------------------------------------------------------------------------


@pytest.fixture
def private(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return storages["private"]


class Stored:
    def __init__(self, storage, name: str):
        self.storage, self.name = storage, name

    def open(self, mode="rb"):
        return self.storage.open(self.name, mode)


@pytest.mark.parametrize(
    ("stored_name", "content_type"),
    [
        ("a.png", "image/png"),
        ("a.svg", "image/svg+xml"),
        ("a.mp4", "video/mp4"),
        ("a.srt", "application/x-subrip"),
        ("a.txt", "text/plain; charset=utf-8"),
        ("a.woff2", "font/woff2"),
        ("a.unknown", "application/octet-stream"),
    ],
)
def test_a_download_has_the_type_of_its_content_and_is_never_shown_inline(private, stored_name, content_type):
    # given a stored file
    name = private.save(stored_name, ContentFile(b"content"))

    # when it is served
    response = download_response(Stored(private, name), filename="شعار الشركة.svg")

    # then it is an attachment with its Unicode name (RFC 6266), its type, and no sniffing
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''%D8%B4%D8%B9%D8%A7%D8%B1%20%D8%A7%D9%84%D8%B4%D8%B1%D9%83%D8%A9.svg"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"content"


def test_an_ascii_name_is_quoted_plainly(private):
    name = private.save("a.pdf", ContentFile(b"%PDF-"))

    response = download_response(Stored(private, name), filename='brief "final".pdf')

    assert response["Content-Disposition"] == 'attachment; filename="brief \\"final\\".pdf"'


def test_a_preview_is_shown_inline(private):
    name = private.save("a-preview.jpg", ContentFile(samples.picture("JPEG")))

    response = preview_response(Stored(private, name))

    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_refusal_is_told_in_arabic_with_the_kinds_that_are_accepted():
    # given an Arabic-speaking person sending a Windows program named as a picture
    with translation.override("ar"), pytest.raises(ValidationError) as caught:
        clean_deliverable(samples.upload("برنامج.png", samples.WINDOWS_PROGRAM))

    # then the message names the file, says why, and lists what may be sent, joined the Arabic way
    assert caught.value.message.startswith(
        "«برنامج.png» يبدو برنامجاً تنفيذياً؛ يمكنك إرسال: الصور، رسوم SVG، "
    )
    assert "، أرشيفات zip." in caught.value.message


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    width=st.integers(min_value=1, max_value=5000),
    height=st.integers(min_value=1, max_value=5000),
    max_side=st.integers(min_value=1, max_value=2000),
)
def test_pictures_are_resized_to_the_size_pillows_thumbnail_gives(width, height, max_side):
    # the stored picture is resized without a full-size copy first; its size must not change for that
    expected = Image.new("1", (width, height))
    expected.thumbnail((max_side, max_side))

    assert (_fitted_size(width, height, max_side) or (width, height)) == expected.size


def test_arabic_subtitles_in_the_windows_code_page_are_accepted_as_they_are():
    # given an SRT file saved by an older Arabic subtitle editor, in cp1256 rather than UTF-8
    subtitles = "1\r\n00:00:01,000 --> 00:00:03,000\r\nمرحباً بكم\r\n".encode("cp1256")
    assert subtitles.decode("utf-8", errors="replace") != subtitles.decode("cp1256")

    # when it is delivered
    cleaned = clean_deliverable(samples.upload("episode-1.srt", subtitles))

    # then it is subtitles, kept byte for byte
    assert cleaned.kind == "subtitles"
    assert raw(cleaned.content) == subtitles


def test_text_that_is_not_utf8_and_not_subtitles_is_refused():
    error = refusal(samples.upload("notes.txt", "ملاحظات".encode("cp1256")))

    assert error.code == "file_type"


def test_a_phones_multi_picture_jpeg_is_a_jpeg_with_a_preview():
    # given a JPEG holding two pictures (as phones write for depth or 3D), which Pillow calls MPO
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (64, 48), "red"), Image.new("RGB", (64, 48), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    # when it is delivered
    cleaned = clean_deliverable(samples.upload("IMG_0001.jpg", buffer.getvalue()))

    # then it is kept as the JPEG it is, with a preview
    assert cleaned.kind == "image"
    assert cleaned.content.name.endswith(".jpg")
    assert cleaned.preview is not None


def test_an_office_document_with_an_embedded_object_is_accepted():
    # given a Word document with an embedded chart object (OLE data, not a program)
    document = samples.zip_of(
        {
            "[Content_Types].xml": b"<x/>",
            "word/document.xml": b"<x/>",
            "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        }
    )

    cleaned = clean_deliverable(samples.upload("report.docx", document))

    assert cleaned.kind == "office"
