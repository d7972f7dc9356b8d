"""Every file a person uploads: checked by its bytes, images re-encoded, metadata dropped."""

import contextlib
import io
import random
import re
import struct
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, PngImagePlugin

from mostaql.core.uploads import (
    CleanFile,
    CleanImage,
    ImageField,
    MultipleImageField,
    clean_file,
    clean_image,
)

MAKE_TAG = ExifTags.Base.Make  # 0x010F
ORIENTATION_TAG = ExifTags.Base.Orientation  # 0x0112
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program"
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
FRESH_NAME = re.compile(r"[0-9a-f]{32}\.(jpg|png)")


# --- building real files in memory --------------------------------------------------------------


def image_bytes(
    image_format: str = "JPEG", *, size=(64, 48), mode: str = "RGB", color="red", **save_options
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, image_format, **save_options)
    return buffer.getvalue()


def noisy_png(size=(64, 64)) -> bytes:
    """A PNG that does not compress away, for size limits."""
    pixels = random.Random(0).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, "PNG")
    return buffer.getvalue()


def camera_exif(*, orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE_TAG] = "Secret Camera"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    if orientation is not None:
        exif[ORIENTATION_TAG] = orientation
    return exif


def png_claiming_size(width: int, height: int) -> bytes:
    """Only a PNG header: it claims a size, but holds no pixels worth decoding."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def decoded(content_file) -> Image.Image:
    content_file.seek(0)
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


def raw(content_file) -> bytes:
    content_file.seek(0)
    return content_file.read()


def refusal(function, *args, **kwargs) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        function(*args, **kwargs)
    return caught.value


# --- clean_image: what comes out ----------------------------------------------------------------


def test_a_photo_is_re_encoded_without_its_camera_and_location_metadata():
    # given a JPEG straight from a phone, with the camera make and GPS position in its EXIF
    photo = image_bytes("JPEG", exif=camera_exif())
    assert b"Secret Camera" in photo
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    # when it is cleaned
    cleaned = clean_image(upload("holiday.jpg", photo, "image/jpeg"))

    # then neither the stored image nor its thumbnail carries any EXIF
    for stored in (cleaned.image, cleaned.thumbnail):
        picture = decoded(stored)
        assert picture.format == "JPEG"
        assert "exif" not in picture.info
        assert not picture.getexif()
        assert b"Secret Camera" not in raw(stored)


def test_a_sideways_photo_is_turned_upright_before_its_exif_is_dropped():
    # given a photo stored 60×40 whose EXIF says "rotate 90° to view"
    photo = image_bytes("JPEG", size=(60, 40), exif=camera_exif(orientation=6))

    # when it is cleaned
    cleaned = clean_image(upload("portrait.jpg", photo))

    # then the stored pixels are already upright, so losing the EXIF loses nothing
    assert decoded(cleaned.image).size == (40, 60)
    assert (cleaned.width, cleaned.height) == (40, 60)


def test_a_payload_appended_after_the_image_data_is_not_kept():
    # given a valid JPEG with a script glued after its end marker
    payload = b"<?php system($_GET['c']); ?>"
    polyglot = image_bytes("JPEG") + payload

    # when it is cleaned
    cleaned = clean_image(upload("avatar.jpg", polyglot))

    # then only the picture survives
    assert payload not in raw(cleaned.image)
    assert payload not in raw(cleaned.thumbnail)


def test_png_text_chunks_are_not_kept():
    # given a PNG carrying a text chunk
    text_chunks = PngImagePlugin.PngInfo()
    text_chunks.add_text("Comment", "secret address 12 King Street")
    picture = image_bytes("PNG", mode="RGBA", color=(0, 0, 255, 128), pnginfo=text_chunks)

    # when it is cleaned
    cleaned = clean_image(upload("logo.png", picture))

    # then the text is gone
    assert b"secret address" not in raw(cleaned.image)
    assert "Comment" not in decoded(cleaned.image).info


def test_a_jpeg_comment_is_not_kept():
    # given a JPEG with a comment segment (editors write names and places there)
    photo = image_bytes("JPEG", comment=b"taken at 12 King Street by Salma")

    # when it is cleaned
    cleaned = clean_image(upload("photo.jpg", photo))

    # then the comment is gone
    assert b"King Street" not in raw(cleaned.image)


def test_a_transparent_png_stays_a_png_with_its_transparency():
    # given a logo with a transparent background
    logo = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    logo.paste((255, 0, 0, 255), (8, 8, 24, 24))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")

    # when it is cleaned
    cleaned = clean_image(upload("logo.png", buffer.getvalue(), "image/png"))

    # then the stored image and thumbnail are PNGs that are still transparent where they were
    for stored in (cleaned.image, cleaned.thumbnail):
        picture = decoded(stored)
        assert picture.format == "PNG"
        assert picture.mode == "RGBA"
        assert picture.getpixel((0, 0))[3] == 0
        assert picture.getpixel((16, 16)) == (255, 0, 0, 255)
        assert stored.name.endswith(".png")


def test_a_gif_with_a_transparent_colour_is_stored_as_a_transparent_png():
    # given a palette GIF whose colour 0 is transparent
    gif = image_bytes("GIF", mode="P", color=0, transparency=0)

    # when it is cleaned
    cleaned = clean_image(upload("icon.gif", gif))

    # then it keeps its transparency as a PNG
    picture = decoded(cleaned.image)
    assert picture.format == "PNG"
    assert picture.getpixel((0, 0))[3] == 0


@pytest.mark.parametrize(
    ("image_format", "mode", "color"),
    [
        pytest.param("PNG", "RGB", "green", id="opaque-png"),
        pytest.param("JPEG", "L", 128, id="greyscale-jpeg"),
        pytest.param("JPEG", "CMYK", (0, 255, 255, 0), id="cmyk-jpeg"),
        pytest.param("WEBP", "RGB", "blue", id="webp"),
        pytest.param("GIF", "P", 3, id="opaque-gif"),
    ],
)
def test_an_opaque_picture_of_any_accepted_kind_is_stored_as_a_jpeg(image_format, mode, color):
    # given an opaque picture in one of the accepted formats
    picture = image_bytes(image_format, mode=mode, color=color)

    # when it is cleaned
    cleaned = clean_image(upload("picture.bin", picture))

    # then it is stored as a JPEG of the same size
    stored = decoded(cleaned.image)
    assert stored.format == "JPEG"
    assert stored.size == (64, 48)
    assert cleaned.image.name.endswith(".jpg")


def test_a_large_photo_is_resized_to_the_stored_size_and_a_thumbnail(settings):
    # given a 3000×2000 photo
    photo = image_bytes("JPEG", size=(3000, 2000), color="navy")

    # when it is cleaned
    cleaned = clean_image(upload("big.jpg", photo))

    # then the stored version and the thumbnail fit their limits and keep the 3:2 shape
    stored, thumbnail = decoded(cleaned.image), decoded(cleaned.thumbnail)
    assert stored.width == settings.UPLOAD_IMAGE_MAX_STORED_SIDE
    assert stored.height == round(settings.UPLOAD_IMAGE_MAX_STORED_SIDE * 2 / 3)
    assert thumbnail.width == settings.UPLOAD_THUMBNAIL_SIDE
    assert thumbnail.height == round(settings.UPLOAD_THUMBNAIL_SIDE * 2 / 3)


def test_a_tall_photo_is_limited_by_its_height(settings):
    # given a photo taller than the stored size
    settings.UPLOAD_IMAGE_MAX_STORED_SIDE = 100
    settings.UPLOAD_THUMBNAIL_SIDE = 20
    photo = image_bytes("JPEG", size=(50, 400))

    # when it is cleaned
    cleaned = clean_image(upload("tall.jpg", photo))

    # then its longer side is the one brought down
    assert decoded(cleaned.image).size == (12, 100)
    assert decoded(cleaned.thumbnail).size == (2, 20)


def test_a_small_picture_is_never_enlarged():
    # given a picture smaller than the thumbnail size
    small = image_bytes("PNG", size=(40, 30), mode="RGBA", color=(1, 2, 3, 200))

    # when it is cleaned
    cleaned = clean_image(upload("small.png", small))

    # then both versions keep its size
    assert decoded(cleaned.image).size == (40, 30)
    assert decoded(cleaned.thumbnail).size == (40, 30)
    assert (cleaned.width, cleaned.height) == (40, 30)


def test_cleaned_images_get_fresh_names_whatever_they_were_called():
    # given two uploads with a hostile and a duplicate name
    first = upload("../../etc/passwd.jpg", image_bytes("JPEG"))
    second = upload("../../etc/passwd.jpg", image_bytes("JPEG"))

    # when both are cleaned
    one, other = clean_image(first), clean_image(second)

    # then each is stored under a new random name, with its thumbnail beside it
    assert FRESH_NAME.fullmatch(one.image.name)
    basename = one.image.name.removesuffix(".jpg")
    assert one.thumbnail.name == f"{basename}-thumb.jpg"
    assert one.image.name != other.image.name


# --- clean_image: what is refused ---------------------------------------------------------------


def test_a_text_file_named_like_a_photo_is_refused():
    # given a text file with a .jpg name and an image content type
    fake = upload("photo.jpg", b"just some text, not a picture\n", "image/jpeg")

    # when it is cleaned
    error = refusal(clean_image, fake)

    # then it is refused as not an image
    assert error.code == "not_image"
    assert "not an image" in error.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("scan.jpg", PDF_BYTES, id="pdf"),
        pytest.param(
            "logo.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            id="svg-with-script",
        ),
        pytest.param("photo.png", image_bytes("BMP"), id="bmp"),
        pytest.param("photo.png", image_bytes("TIFF"), id="tiff"),
        pytest.param("photo.jpg", b"", id="empty"),
    ],
)
def test_files_that_are_not_accepted_pictures_are_refused_whatever_their_name(name, content):
    # given a file that is not a JPEG, PNG, WebP or GIF, named as one

    # when it is cleaned as an image
    error = refusal(clean_image, upload(name, content, "image/jpeg"))

    # then it is refused as not an image
    assert error.code == "not_image"


def test_a_truncated_jpeg_is_refused():
    # given the first half of a real JPEG (an interrupted upload)
    photo = image_bytes("JPEG", size=(200, 200))
    truncated = photo[: len(photo) // 2]

    # when it is cleaned
    error = refusal(clean_image, upload("photo.jpg", truncated))

    # then it is refused, not stored half grey
    assert error.code == "not_image"


def test_a_jpeg_with_only_its_header_is_refused():
    # given just the start of a JPEG
    header_only = image_bytes("JPEG")[:20]

    # when it is cleaned
    error = refusal(clean_image, upload("photo.jpg", header_only))

    # then it is refused
    assert error.code == "not_image"


def test_an_image_over_the_size_limit_is_refused(settings):
    # given a limit smaller than the picture
    picture = noisy_png()
    settings.UPLOAD_MAX_IMAGE_BYTES = len(picture) - 1

    # when it is cleaned
    error = refusal(clean_image, upload("big.png", picture))

    # then it is refused for its size, and the message says what the limit is
    assert error.code == "too_large"
    assert "too large" in error.message


def test_an_image_exactly_at_the_size_limit_is_accepted(settings):
    # given a limit equal to the picture's size
    picture = noisy_png()
    settings.UPLOAD_MAX_IMAGE_BYTES = len(picture)

    # when it is cleaned
    cleaned = clean_image(upload("exact.png", picture))

    # then it is accepted
    assert isinstance(cleaned, CleanImage)


def test_the_size_limit_is_checked_before_the_content_is_read(settings):
    # given a limit smaller than a file that is not even an image
    settings.UPLOAD_MAX_IMAGE_BYTES = 10

    # when it is cleaned
    error = refusal(clean_image, upload("notes.jpg", b"x" * 11))

    # then it is refused for its size first
    assert error.code == "too_large"


@pytest.mark.parametrize(
    "size",
    [pytest.param((20_000, 1), id="too-wide"), pytest.param((1, 20_000), id="too-tall")],
)
def test_a_picture_with_a_side_over_the_limit_is_refused(size):
    # given a real but absurdly long bitmap (cheap: one bit per pixel)
    picture = image_bytes("PNG", size=size, mode="1", color=1)

    # when it is cleaned
    error = refusal(clean_image, upload("strip.png", picture))

    # then it is refused for its pixel size, with the sizes in the message
    assert error.code == "too_many_pixels"
    assert "20000" in error.message


def test_a_picture_exactly_at_the_side_limit_is_accepted(settings):
    # given a side limit of 100 pixels
    settings.UPLOAD_MAX_IMAGE_SIDE = 100

    # when pictures of 100 and 101 pixels are cleaned
    accepted = clean_image(upload("ok.png", image_bytes("PNG", size=(100, 10))))
    error = refusal(clean_image, upload("wide.png", image_bytes("PNG", size=(101, 10))))

    # then only the larger is refused
    assert accepted.width == 100
    assert error.code == "too_many_pixels"


def test_an_oversized_header_is_refused_before_any_pixel_is_decoded():
    # given a PNG header claiming 20000×1 with no real pixel data behind it
    header = png_claiming_size(20_000, 1)

    # when it is cleaned
    error = refusal(clean_image, upload("bomb.png", header))

    # then the header alone is enough to refuse it
    assert error.code == "too_many_pixels"


def test_a_decompression_bomb_header_is_refused():
    # given a PNG header claiming 50000×50000 pixels (10 GB once decoded)
    header = png_claiming_size(50_000, 50_000)

    # when it is cleaned
    error = refusal(clean_image, upload("bomb.png", header))

    # then it is refused (Pillow's own bomb guard answers first, hence "not an image")
    assert error.code in {"too_many_pixels", "not_image"}


TRUNCATION_SAMPLES = {
    "jpeg-with-exif": image_bytes("JPEG", size=(30, 20), exif=camera_exif(orientation=6)),
    "png-with-alpha": image_bytes("PNG", size=(30, 20), mode="RGBA"),
    "gif": image_bytes("GIF", size=(30, 20), mode="P", color=3),
    "webp": image_bytes("WEBP", size=(30, 20)),
}


@pytest.mark.filterwarnings("ignore::UserWarning:PIL")
@hypothesis_settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(TRUNCATION_SAMPLES)), st.data())
def test_a_cut_off_upload_is_either_cleaned_or_refused_never_a_crash(sample, data):
    # given a real picture cut off anywhere
    content = TRUNCATION_SAMPLES[sample]
    cut = data.draw(st.integers(min_value=0, max_value=len(content)), label="kept bytes")

    # when it is cleaned
    try:
        cleaned = clean_image(upload("cut.bin", content[:cut]))
    except ValidationError as error:
        # then a refusal is a readable one
        assert error.code in {"not_image", "too_many_pixels"}
    else:
        # or whatever was readable is stored as a proper picture
        assert decoded(cleaned.image).format in {"JPEG", "PNG"}


def _with_mistyped_exif_tag(photo: bytes) -> bytes:
    """Retag the ASCII «Make» entry as TileOffsets, a tag Pillow can only write as numbers."""
    for make_entry, retagged in (
        (b"\x01\x0f\x00\x02", b"\x01\x44\x00\x02"),  # big-endian EXIF
        (b"\x0f\x01\x02\x00", b"\x44\x01\x02\x00"),  # little-endian EXIF
    ):
        if make_entry in photo:
            return photo.replace(make_entry, retagged, 1)
    raise AssertionError("no Make entry found in the EXIF")


@pytest.mark.filterwarnings("ignore::UserWarning:PIL")
def test_a_photo_with_malformed_exif_is_cleaned_or_refused_never_a_crash():
    # given a rotated photo whose EXIF has one entry of the wrong type (one byte changed)
    photo = _with_mistyped_exif_tag(image_bytes("JPEG", exif=camera_exif(orientation=6)))

    # when it is cleaned
    with contextlib.suppress(ValidationError):
        cleaned = clean_image(upload("odd-camera.jpg", photo))
        # then if accepted, it is upright and without EXIF
        assert not decoded(cleaned.image).getexif()


# --- clean_file ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["brief.pdf", "brief.jpg", "brief", "brief.exe"])
def test_a_pdf_is_recognised_by_its_bytes_whatever_its_name(name):
    # given a PDF under any name

    # when it is cleaned as an attachment
    cleaned = clean_file(upload(name, PDF_BYTES), kinds={"pdf"})

    # then it is a PDF, stored unchanged under a fresh .pdf name, with its original name kept
    assert isinstance(cleaned, CleanFile)
    assert cleaned.kind == "pdf"
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", cleaned.content.name)
    assert raw(cleaned.content) == PDF_BYTES
    assert cleaned.original_name == name


@pytest.mark.parametrize(
    ("part", "extension"),
    [
        pytest.param("word/document.xml", "docx", id="word"),
        pytest.param("xl/workbook.xml", "xlsx", id="excel"),
        pytest.param("ppt/presentation.xml", "pptx", id="powerpoint"),
    ],
)
def test_an_office_document_is_recognised_inside_its_zip(part, extension):
    # given an Office Open XML document under a misleading name
    document = zip_bytes("[Content_Types].xml", part)

    # when it is cleaned as an attachment
    cleaned = clean_file(upload("archive.zip", document), kinds={"office"})

    # then it is an office document with the right extension
    assert cleaned.kind == "office"
    assert cleaned.content.name.endswith(f".{extension}")
    assert raw(cleaned.content) == document


def test_a_legacy_office_document_is_recognised_by_its_signature():
    # given an old binary .doc

    # when it is cleaned
    cleaned = clean_file(upload("cv.doc", OLE_BYTES), kinds={"office"})

    # then it is an office document stored as .doc
    assert cleaned.kind == "office"
    assert cleaned.content.name.endswith(".doc")


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(("design/logo.svg", "readme.txt"), id="plain"),
        pytest.param(("[Content_Types].xml", "other/part.xml"), id="content-types-but-no-office-part"),
    ],
)
def test_a_plain_zip_is_a_zip_archive(names):
    # given an ordinary zip
    archive = zip_bytes(*names)

    # when it is cleaned as an attachment
    cleaned = clean_file(upload("files.zip", archive), kinds={"zip", "office"})

    # then it is a zip archive
    assert cleaned.kind == "zip"
    assert cleaned.content.name.endswith(".zip")


def test_an_executable_named_as_a_pdf_is_refused():
    # given a Windows executable renamed report.pdf
    disguised = upload("report.pdf", EXECUTABLE_BYTES, "application/pdf")

    # when it is cleaned as an attachment
    error = refusal(clean_file, disguised, kinds={"pdf", "office", "zip"})

    # then it is refused, and the message lists what is accepted
    assert error.code == "file_type"
    assert "office document" in error.message
    assert "PDF document" in error.message
    assert "zip archive" in error.message


def test_something_that_only_starts_like_a_zip_is_refused():
    # given bytes with a zip signature but no archive behind it
    broken = upload("files.zip", b"PK\x03\x04" + b"not really a zip" * 4)

    # when it is cleaned
    error = refusal(clean_file, broken, kinds={"zip"})

    # then it is refused
    assert error.code == "file_type"


@pytest.mark.parametrize(
    ("name", "content", "kinds"),
    [
        pytest.param("brief.pdf", PDF_BYTES, {"office", "zip"}, id="pdf-where-documents-are-office"),
        pytest.param("brief.pdf", PDF_BYTES, {"image"}, id="pdf-where-only-images"),
        pytest.param("photo.jpg", image_bytes("JPEG"), {"pdf"}, id="image-where-only-pdf"),
        pytest.param("cv.docx", zip_bytes("[Content_Types].xml", "word/x.xml"), {"zip"}, id="docx-as-zip"),
        pytest.param("files.zip", zip_bytes("a.txt"), {"pdf", "office"}, id="zip-where-not-allowed"),
    ],
)
def test_a_kind_not_allowed_here_is_refused(name, content, kinds):
    # given a genuine file of a kind this place does not take

    # when it is cleaned
    error = refusal(clean_file, upload(name, content), kinds=kinds)

    # then it is refused as the wrong type
    assert error.code == "file_type"


def test_an_image_attachment_is_re_encoded_like_any_image():
    # given a photo with EXIF attached where images and PDFs are allowed
    photo = image_bytes("JPEG", exif=camera_exif())

    # when it is cleaned as an attachment
    cleaned = clean_file(upload("site-photo.jpg", photo), kinds={"image", "pdf"})

    # then it is re-encoded: a fresh name, no EXIF, the original name remembered
    assert cleaned.kind == "image"
    assert FRESH_NAME.fullmatch(cleaned.content.name)
    assert b"Secret Camera" not in raw(cleaned.content)
    assert not decoded(cleaned.content).getexif()
    assert cleaned.original_name == "site-photo.jpg"


def test_a_pdf_is_still_a_pdf_where_images_are_also_allowed():
    # given a PDF where images and PDFs are allowed

    # when it is cleaned
    cleaned = clean_file(upload("brief.png", PDF_BYTES), kinds={"image", "pdf"})

    # then it is not mistaken for a broken image
    assert cleaned.kind == "pdf"


def test_a_non_image_where_only_images_are_allowed_is_refused():
    # given an executable where only images are allowed

    # when it is cleaned
    error = refusal(clean_file, upload("photo.jpg", EXECUTABLE_BYTES), kinds={"image"})

    # then it is refused as not an image
    assert error.code == "not_image"


def test_an_attachment_over_the_file_limit_is_refused(settings):
    # given a file limit smaller than the PDF
    settings.UPLOAD_MAX_FILE_BYTES = len(PDF_BYTES) - 1

    # when it is cleaned
    error = refusal(clean_file, upload("brief.pdf", PDF_BYTES), kinds={"pdf"})

    # then it is refused for its size
    assert error.code == "too_large"


def test_an_image_attachment_is_held_to_the_image_limit(settings):
    # given a generous file limit but a small image limit
    picture = noisy_png()
    settings.UPLOAD_MAX_FILE_BYTES = 10 * len(picture)
    settings.UPLOAD_MAX_IMAGE_BYTES = len(picture) - 1

    # when an image is attached
    error = refusal(clean_file, upload("photo.png", picture), kinds={"image", "pdf"})

    # then the image limit applies
    assert error.code == "too_large"


def test_a_long_original_name_keeps_its_end():
    # given a very long file name
    name = "ملف " * 50 + "final.pdf"

    # when the file is cleaned
    cleaned = clean_file(upload(name, PDF_BYTES), kinds={"pdf"})

    # then the last 120 characters are kept, so the extension is still visible
    assert cleaned.original_name == name[-120:]
    assert cleaned.original_name.endswith("final.pdf")


def test_an_original_name_cannot_use_bidi_controls_to_disguise_itself():
    # given a name that is displayed as «invoice_exe.pdf» thanks to a right-to-left override
    name = "invoice_\u202efdp.exe"

    # when the file is cleaned
    cleaned = clean_file(upload(name, PDF_BYTES), kinds={"pdf"})

    # then the name shown to others reads as what it is
    assert cleaned.original_name == "invoice_fdp.exe"


# --- form fields --------------------------------------------------------------------------------


class AvatarForm(forms.Form):
    avatar = ImageField(required=False)


class RequiredAvatarForm(forms.Form):
    avatar = ImageField()


class PortfolioForm(forms.Form):
    images = MultipleImageField(max_count=3, required=False)


class RequiredPortfolioForm(forms.Form):
    images = MultipleImageField(max_count=3)


def bound(form_class, **files):
    return form_class(data={}, files=MultiValueDict(files))


def test_an_uploaded_avatar_is_cleaned_into_a_clean_image():
    # given a form with an avatar photo carrying EXIF
    form = bound(AvatarForm, avatar=[upload("me.jpg", image_bytes("JPEG", exif=camera_exif()))])

    # when the form is validated
    is_valid = form.is_valid()

    # then the cleaned value is our re-encoded image
    assert is_valid
    avatar = form.cleaned_data["avatar"]
    assert isinstance(avatar, CleanImage)
    assert not decoded(avatar.image).getexif()


def test_a_bad_avatar_is_a_form_error_on_its_field():
    # given a form with a text file posing as a photo
    form = bound(AvatarForm, avatar=[upload("me.jpg", b"not a picture")])

    # when the form is validated
    with translation.override("en"):
        is_valid = form.is_valid()

    # then the avatar field carries the reason and no value
    assert not is_valid
    assert form.errors.as_data()["avatar"][0].code == "not_image"
    assert "avatar" not in form.cleaned_data


def test_an_optional_avatar_may_be_left_empty():
    # given an optional avatar with no file
    form = bound(AvatarForm)

    # when the form is validated
    is_valid = form.is_valid()

    # then it is valid with no avatar
    assert is_valid
    assert form.cleaned_data["avatar"] is None


def test_a_required_avatar_must_be_given():
    # given a required avatar with no file
    form = bound(RequiredAvatarForm)

    # when the form is validated
    is_valid = form.is_valid()

    # then it is refused as required
    assert not is_valid
    assert form.errors.as_data()["avatar"][0].code == "required"


def test_keeping_the_current_avatar_leaves_it_untouched():
    # given a field with a stored avatar and nothing newly uploaded
    field = ImageField(required=False)
    current = "avatars/current.jpg"

    # when it is cleaned
    value = field.clean(None, initial=current)

    # then the current avatar is kept as it is
    assert value is current


def test_clearing_an_optional_avatar_is_allowed():
    # given an optional avatar the person asks to remove
    field = ImageField(required=False)

    # when it is cleaned with the "clear" value
    value = field.clean(False, initial="avatars/current.jpg")

    # then the field says "remove it"
    assert value is False


def test_the_avatar_input_offers_only_accepted_picture_types():
    html = str(AvatarForm()["avatar"])

    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html


def test_several_portfolio_images_are_each_cleaned():
    # given two good pictures
    form = bound(
        PortfolioForm,
        images=[upload("one.jpg", image_bytes("JPEG")), upload("two.png", image_bytes("PNG"))],
    )

    # when the form is validated
    is_valid = form.is_valid()

    # then each became its own clean image, in order
    assert is_valid
    images = form.cleaned_data["images"]
    assert [type(image) for image in images] == [CleanImage, CleanImage]
    assert images[0].image.name != images[1].image.name


def test_more_images_than_allowed_are_refused_together():
    # given four pictures where three are allowed
    form = bound(PortfolioForm, images=[upload(f"{n}.jpg", image_bytes("JPEG")) for n in range(4)])

    # when the form is validated
    with translation.override("en"):
        is_valid = form.is_valid()

    # then the whole batch is refused with the limit named, and none is kept
    assert not is_valid
    error = form.errors.as_data()["images"][0]
    assert error.code == "too_many_files"
    assert "at most 3 images" in error.message
    assert "images" not in form.cleaned_data


def test_one_bad_file_among_good_ones_is_named_and_refuses_the_batch():
    # given two good pictures and a text file posing as one
    form = bound(
        PortfolioForm,
        images=[
            upload("one.jpg", image_bytes("JPEG")),
            upload("notes.jpg", b"shopping list"),
            upload("two.png", image_bytes("PNG")),
        ],
    )

    # when the form is validated
    with translation.override("en"):
        is_valid = form.is_valid()

    # then the error names the bad file, and none of the batch is kept
    assert not is_valid
    messages = form.errors["images"]
    assert len(messages) == 1
    assert messages[0].startswith("notes.jpg: ")
    assert "not an image" in messages[0]
    assert "images" not in form.cleaned_data


def test_every_bad_file_in_a_batch_is_named():
    # given two bad files
    form = bound(
        PortfolioForm,
        images=[upload("a.jpg", b"text"), upload("b.png", PDF_BYTES)],
    )

    # when the form is validated
    form.is_valid()

    # then each has its own message
    messages = form.errors["images"]
    assert [message.split(":")[0] for message in messages] == ["a.jpg", "b.png"]


def test_an_optional_portfolio_may_have_no_images():
    # given no files
    form = bound(PortfolioForm)

    # when the form is validated
    is_valid = form.is_valid()

    # then the value is an empty list
    assert is_valid
    assert form.cleaned_data["images"] == []


def test_a_required_portfolio_needs_at_least_one_image():
    # given no files for a required field
    form = bound(RequiredPortfolioForm)

    # when the form is validated
    is_valid = form.is_valid()

    # then it is refused as required
    assert not is_valid
    assert form.errors.as_data()["images"][0].code == "required"


def test_the_portfolio_input_accepts_several_pictures():
    html = str(PortfolioForm()["images"])

    assert "multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html
