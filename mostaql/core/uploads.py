"""The one way a file comes in from a person, and the one way a private file goes back out.

Every upload in the product passes here: the size is checked against settings, the type is decided
by the bytes (never by the name or the browser's word). Pictures that the site shows (avatars,
portfolio and gallery images, identity documents, project attachments) are decoded and re-encoded by
Pillow — which drops EXIF and any payload hidden after the image — and resized to a stored size and a
thumbnail. Deliverables and message attachments are the work itself: they are checked the same way
but kept byte for byte (`clean_deliverable`), with a re-encoded preview beside the raster images, and
only ever served as downloads (`download_response`). What comes out is stored under a name we chose.
"""

import io
import math
import re
import uuid
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from mostaql.core.text import clean_line

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

# Kinds of non-image files that later features accept (project and offer attachments).
FILE_KINDS = {
    "image": gettext_lazy("image"),
    "pdf": gettext_lazy("PDF document"),
    "office": gettext_lazy("office document"),
    "zip": gettext_lazy("zip archive"),
}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt
_OFFICE_XML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


@dataclass(frozen=True)
class CleanImage:
    """An image re-encoded by us: the stored version and its thumbnail, with fresh names."""

    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


@dataclass(frozen=True)
class CleanFile:
    content: File
    kind: str
    original_name: str
    # A re-encoded, resized picture to show beside a deliverable (raster images only); None otherwise.
    preview: ContentFile | None = None


def _refuse_if_larger(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


_ORIENTATION_TAG = 0x0112
_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(image: Image.Image) -> Image.Image:
    """Turn a phone photo the way its EXIF says; a broken EXIF block just means no turn."""
    try:
        orientation = image.getexif().get(_ORIENTATION_TAG)
    except Exception:  # a crafted EXIF block can raise nearly anything inside Pillow
        return image
    transpose = _TRANSPOSE_FOR_ORIENTATION.get(orientation)
    return image.transpose(transpose) if transpose is not None else image


def _fitted_size(width: int, height: int, max_side: int) -> tuple[int, int] | None:
    """The size Image.thumbnail would give within max_side×max_side; None when it already fits."""
    if width <= max_side and height <= max_side:
        return None

    def round_aspect(number: float, key) -> int:
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    aspect = width / height
    if aspect >= 1:
        return max_side, round_aspect(
            max_side / aspect, key=lambda n: 0 if n == 0 else abs(aspect - max_side / n)
        )
    return round_aspect(max_side * aspect, key=lambda n: abs(aspect - n / max_side)), max_side


def _encode(image: Image.Image, *, max_side: int, basename: str) -> ContentFile:
    # Resized straight from the decoded picture (no full-size copy first: a large picture would cost
    # its memory twice); one that already fits is copied, so the original stays as it was.
    size = _fitted_size(*image.size, max_side)
    copy = image.copy() if size is None else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    # Nothing of the original's metadata travels: no EXIF, no comments, no text chunks.
    copy.info = {}
    buffer = io.BytesIO()
    if copy.mode in ("RGBA", "LA"):
        copy.save(buffer, "PNG", optimize=True)
        extension = "png"
    else:
        rgb = copy.convert("RGB")
        rgb.info = {}
        rgb.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{basename}.{extension}")


def _refuse_if_too_many_pixels(image: Image.Image) -> None:
    """From the header that Image.open read: decoding costs about 4 bytes a pixel, whatever the file's
    size (an 8000×8000 PNG of 243 KB takes 830 MB), so the total is limited as well as each side."""
    width, height = image.size
    if max(width, height) > settings.UPLOAD_MAX_IMAGE_SIDE:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; each side may be at most %(limit)s.")
            % {"width": width, "height": height, "limit": settings.UPLOAD_MAX_IMAGE_SIDE},
            code="too_many_pixels",
        )
    if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "The image is %(width)s×%(height)s pixels (%(megapixels)s megapixels); "
                "at most %(limit)s megapixels are accepted."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": f"{width * height / 1_000_000:.1f}",
                "limit": f"{settings.UPLOAD_MAX_IMAGE_PIXELS / 1_000_000:g}",
            },
            code="too_many_pixels",
        )


def clean_image(upload) -> CleanImage:
    """Check an uploaded image and re-encode it. Raises ValidationError with a readable message."""
    _refuse_if_larger(upload, settings.UPLOAD_MAX_IMAGE_BYTES)
    not_an_image = ValidationError(
        _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF picture."),
        code="not_image",
    )
    too_large = _("The image is too large: each side may be at most %(limit)s pixels.") % {
        "limit": settings.UPLOAD_MAX_IMAGE_SIDE
    }
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in IMAGE_FORMATS:
            raise not_an_image
        # Refused from the header alone, before any pixel is decoded.
        _refuse_if_too_many_pixels(image)
        # A JPEG is decoded straight at the smallest scale (1/2, 1/4, 1/8) that still covers what we
        # store, so a large photo never costs its full size in memory.
        image.draft(None, (settings.UPLOAD_IMAGE_MAX_STORED_SIDE, settings.UPLOAD_IMAGE_MAX_STORED_SIDE))
        image.load()
    except Image.DecompressionBombError:
        raise ValidationError(too_large, code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    finally:
        upload.seek(0)

    image = _upright(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    basename = uuid.uuid4().hex
    stored = _encode(image, max_side=settings.UPLOAD_IMAGE_MAX_STORED_SIDE, basename=basename)
    stored_width, stored_height = Image.open(stored).size
    stored.seek(0)
    return CleanImage(
        image=stored,
        thumbnail=_encode(image, max_side=settings.UPLOAD_THUMBNAIL_SIDE, basename=f"{basename}-thumb"),
        width=stored_width,
        height=stored_height,
    )


def detect_file_kind(head: bytes, upload) -> tuple[str, str] | None:
    """(kind, extension) decided from the content, or None for anything we do not accept."""
    if head.startswith(b"%PDF-"):
        return "pdf", "pdf"
    if head.startswith(_OLE_SIGNATURE):
        return "office", "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for prefix, extension in _OFFICE_XML_PARTS.items():
                if any(name.startswith(prefix) for name in names):
                    return "office", extension
        return "zip", "zip"
    return None


def clean_file(upload, *, kinds: set[str]) -> CleanFile:
    """Check an attachment of one of `kinds`. Images among them are re-encoded like any image."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    original_name = clean_line(str(upload.name))[-120:]
    if "image" in kinds and not head.startswith((b"%PDF-", b"PK\x03\x04", _OLE_SIGNATURE)):
        image = clean_image(upload)
        # Re-encoded, the picture may have changed format: its name says what it is now.
        stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
        extension = image.image.name.rsplit(".", 1)[-1]
        return CleanFile(content=image.image, kind="image", original_name=f"{stem}.{extension}")
    _refuse_if_larger(upload, settings.UPLOAD_MAX_FILE_BYTES)
    detected = detect_file_kind(head, upload)
    if detected is None or detected[0] not in kinds:
        allowed = "، ".join(str(FILE_KINDS[kind]) for kind in sorted(kinds))
        raise ValidationError(
            _("This type of file is not accepted here. Accepted: %(kinds)s.") % {"kinds": allowed},
            code="file_type",
        )
    kind, extension = detected
    content = ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.{extension}")
    upload.seek(0)
    return CleanFile(content=content, kind=kind, original_name=original_name)


# --- Deliverables and message attachments: the work itself, kept byte for byte --------------------
#
# Recognised by a few signatures and a structural check of our own rather than a library such as
# `filetype` or `puremagic`: those only match the first bytes, and every kind here needs more than that
# anyway (an SVG must parse as XML with an <svg> root and no script, a zip is opened to read its
# members, text must decode as UTF-8 and not be a web page, subtitles must have cues), so a library
# would add a dependency without removing any of this code.

# The kinds, in the order the refusal message lists them; their size limits are settings.
DELIVERABLE_KINDS = {
    "image": gettext_lazy("images"),
    "svg": gettext_lazy("SVG drawings"),
    "pdf": gettext_lazy("PDF"),
    "video": gettext_lazy("video"),
    "audio": gettext_lazy("audio"),
    "subtitles": gettext_lazy("subtitles"),
    "design": gettext_lazy("design files (AI, PSD, EPS)"),
    "font": gettext_lazy("fonts"),
    "text": gettext_lazy("plain text"),
    "office": gettext_lazy("office documents"),
    "zip": gettext_lazy("zip archives"),
}


@dataclass(frozen=True)
class _Format:
    kind: str
    extension: str  # of the stored file; it also decides the Content-Type it is served with
    label: str  # what the content is, in a refusal: "a PDF document"
    # What the person's file name may end with; a name with another extension is refused, because the
    # name is what the recipient's computer will trust when the download is opened.
    name_extensions: frozenset[str]


def _format(kind, extension, label, *names) -> _Format:
    return _Format(kind, extension, label, frozenset({extension, *names}))


_ISO_MEDIA_NAMES = ("mp4", "m4v", "mov", "m4a", "3gp")  # one container: the name says video or audio
_FORMATS = {
    "png": _format("image", "png", gettext_lazy("a PNG image")),
    "jpg": _format("image", "jpg", gettext_lazy("a JPEG image"), "jpeg", "jpe", "jfif"),
    "gif": _format("image", "gif", gettext_lazy("a GIF image")),
    "webp": _format("image", "webp", gettext_lazy("a WebP image")),
    "svg": _format("svg", "svg", gettext_lazy("an SVG drawing")),
    "pdf": _format("pdf", "pdf", gettext_lazy("a PDF document")),
    "ai": _format("design", "ai", gettext_lazy("an Illustrator drawing"), "pdf"),
    "eps": _format("design", "eps", gettext_lazy("an EPS drawing"), "ps", "epsf", "ai"),
    "psd": _format("design", "psd", gettext_lazy("a Photoshop document"), "psb"),
    "mp4": _format("video", "mp4", gettext_lazy("an MP4 video"), *_ISO_MEDIA_NAMES),
    "mov": _format("video", "mov", gettext_lazy("a QuickTime video"), *_ISO_MEDIA_NAMES),
    "m4a": _format("audio", "m4a", gettext_lazy("an M4A recording"), *_ISO_MEDIA_NAMES),
    "webm": _format("video", "webm", gettext_lazy("a WebM video"), "mkv", "weba"),
    "mkv": _format("video", "mkv", gettext_lazy("a Matroska video"), "webm"),
    "mp3": _format("audio", "mp3", gettext_lazy("an MP3 recording")),
    "wav": _format("audio", "wav", gettext_lazy("a WAV recording"), "wave"),
    "ogg": _format("audio", "ogg", gettext_lazy("an Ogg recording"), "oga", "opus", "ogv"),
    "srt": _format("subtitles", "srt", gettext_lazy("SRT subtitles"), "txt"),
    "vtt": _format("subtitles", "vtt", gettext_lazy("WebVTT subtitles"), "txt"),
    "ttf": _format("font", "ttf", gettext_lazy("a TrueType font"), "ttc"),
    "otf": _format("font", "otf", gettext_lazy("an OpenType font")),
    "woff": _format("font", "woff", gettext_lazy("a WOFF font")),
    "woff2": _format("font", "woff2", gettext_lazy("a WOFF2 font")),
    "txt": _format(
        "text",
        "txt",
        gettext_lazy("plain text"),
        "md",
        "markdown",
        "csv",
        "tsv",
        "log",
        "json",
        "xml",
        "yaml",
        "yml",
    ),
    "doc": _format("office", "doc", gettext_lazy("an office document"), "xls", "ppt"),
    "docx": _format("office", "docx", gettext_lazy("a Word document")),
    "xlsx": _format("office", "xlsx", gettext_lazy("an Excel workbook")),
    "pptx": _format("office", "pptx", gettext_lazy("a PowerPoint presentation")),
    "zip": _format("zip", "zip", gettext_lazy("a zip archive")),
}
# Pillow names a phone's multi-picture JPEG "MPO": it is a JPEG all the same.
_IMAGE_FORMAT_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "MPO": "jpg", "GIF": "gif", "WEBP": "webp"}

# What a download is served as, by the extension of the stored file (which we chose).
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "ai": "application/pdf",  # an Illustrator file is a PDF with Illustrator's data inside
    "eps": "application/postscript",
    "psd": "image/vnd.adobe.photoshop",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "m4a": "audio/mp4",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "srt": "application/x-subrip",
    "vtt": "text/vtt; charset=utf-8",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "txt": "text/plain; charset=utf-8",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
}

# Names that a computer runs when they are opened: refused as a file, and inside an archive.
_PROGRAM_EXTENSIONS = frozenset(
    (  # noqa: SIM905 - a list of words reads better as words
        "exe dll com scr msi msp cpl sys drv bat cmd ps1 psm1 vbs vbe js jse mjs wsf wsh hta jar class "
        "sh bash zsh csh ksh command app apk ipa dmg pkg deb rpm lnk url reg inf scf pif gadget "
        "py pyc pyw pl rb php phtml asp aspx jsp cgi elf run so dylib wasm "
        "html htm xhtml shtml mht mhtml svgz docm dotm xlsm xltm xlam pptm potm ppam sldm"
    ).split()
)
_PROGRAM_SIGNATURES = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux programs
    b"\xfe\xed\xfa\xce",  # macOS programs (Mach-O, both word orders and sizes)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # macOS universal programs, Java classes
    b"\x00asm",  # WebAssembly
    b"#!",  # scripts with an interpreter line
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta", b"<?php")
_HTML_DOCUMENT = (b"<!doctype html", b"<html", b"<head", b"<body")
_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
_SVG_ACTIVE = re.compile(
    rb"<\s*(?:[a-z0-9_-]+:)?(script|foreignobject|iframe|embed|object)\b|\son[a-z]+\s*=|javascript:", re.I
)
_SRT_CUE = re.compile(r"\A\s*\d+\s*\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}")
_ARCHIVE_MEMBERS_PEEKED = 2000
_TEXT_SAMPLE_BYTES = 65536


class _Refused(Exception):
    """A reason to refuse a deliverable: a message (with %(name)s and %(accepted)s) and a code."""

    def __init__(self, message: str, code: str, **values):
        super().__init__(message)
        self.message, self.code, self.values = message, code, values


def _accepted_kinds() -> str:
    # Translators: the separator between the kinds of files in a list ("images, PDF, video").
    return _(", ").join(str(label) for label in DELIVERABLE_KINDS.values())


def _extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""


def _is_program(head: bytes) -> bool:
    return head.startswith(_PROGRAM_SIGNATURES)


def _as_text(data: bytes, *, cut: bool = False) -> str | None:
    """The text if `data` is UTF-8 text (a BOM allowed) without control characters; None otherwise.

    A sample `cut` from a longer file may end in the middle of a character: that end is forgiven."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not (cut and error.start >= len(data) - 3 and error.reason == "unexpected end of data"):
            return None
        text = data[: error.start].decode("utf-8-sig")
    if any(ord(char) < 32 and char not in "\t\n\r\f" for char in text):
        return None
    return text


def _looks_like_html(data: bytes) -> bool:
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<") and any(marker in start for marker in _HTML_MARKERS)


def _check_svg(data: bytes) -> None:
    """An SVG drawing must be XML whose root is <svg>, with no script, event handler or embedded page.

    It is only ever downloaded, never shown on our pages; scripts are refused all the same, because a
    logo or an illustration never needs one and a browser runs them when the file is opened."""
    if _SVG_ACTIVE.search(data):
        raise _Refused(
            _(
                "«%(name)s» is an SVG drawing with a script or embedded web content inside; "
                "export the drawing without them (as design tools do by default)."
            ),
            "active_content",
        )
    damaged = _Refused(_damaged_message(), "damaged", what=_FORMATS["svg"].label)
    if b"<!entity" in data.lower():  # entity expansion (the "billion laughs"): no drawing needs it
        raise damaged
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise damaged from None
    if root.tag not in ("svg", f"{_SVG_NAMESPACE}svg"):
        raise damaged


def _iso_media_format(head: bytes, name_extension: str) -> _Format:
    brand = head[8:12]
    if brand == b"qt  ":
        return _FORMATS["mov"]
    if brand in (b"M4A ", b"M4B ") or name_extension == "m4a":
        return _FORMATS["m4a"]
    return _FORMATS["mp4"]


def _font_format(head: bytes) -> _Format | None:
    if head.startswith(b"wOFF"):
        return _FORMATS["woff"]
    if head.startswith(b"wOF2"):
        return _FORMATS["woff2"]
    if head.startswith(b"ttcf"):
        return _FORMATS["ttf"]
    if head.startswith((b"\x00\x01\x00\x00", b"true", b"OTTO")) and len(head) >= 28:
        # Four bytes are a weak signature: the table directory after them must look like one too.
        tables = int.from_bytes(head[4:6], "big")
        first_tag = head[12:16]
        if 1 <= tables <= 100 and all(32 <= byte < 127 for byte in first_tag):
            return _FORMATS["otf" if head.startswith(b"OTTO") else "ttf"]
    return None


def _zip_format(upload) -> _Format:
    """An office document or a plain zip; refused when it holds a program, a script or macros."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = [member.filename for member in members]
            for member in members:
                if member.filename.lower().endswith("vbaproject.bin"):
                    raise _Refused(
                        _(
                            "«%(name)s» contains macros, which are programs; save it as an ordinary "
                            "document (.docx, .xlsx or .pptx) and send that."
                        ),
                        "macros",
                    )
                if _extension_of(member.filename.rstrip("/").rsplit("/", 1)[-1]) in _PROGRAM_EXTENSIONS:
                    raise _Refused(_program_inside_message(), "dangerous_archive", member=member.filename)
            for member in members[:_ARCHIVE_MEMBERS_PEEKED]:
                if member.is_dir() or member.flag_bits & 0x1:  # encrypted members cannot be read
                    continue
                with archive.open(member) as opened:
                    if _is_program(opened.read(4)):
                        raise _Refused(_program_inside_message(), "dangerous_archive", member=member.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, RuntimeError, EOFError):
        raise _Refused(_damaged_message(), "damaged", what=_FORMATS["zip"].label) from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        for prefix, extension in _OFFICE_XML_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return _FORMATS[extension]
    return _FORMATS["zip"]


def _program_inside_message() -> str:
    return _(
        "«%(name)s» contains a program or a script («%(member)s»), which cannot be sent here; "
        "you can send %(accepted)s."
    )


def _damaged_message() -> str:
    return _("«%(name)s» looks like %(what)s but is damaged or incomplete; save it again and send it.")


def _detect_deliverable(upload, name_extension: str) -> _Format:
    """The format of a deliverable, from its bytes; raises _Refused with the reason otherwise."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if not head:
        raise _Refused(_("«%(name)s» is empty."), "empty")
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return _raster_format(head)
    if head.startswith(b"%PDF-"):
        return _FORMATS["ai" if name_extension == "ai" else "pdf"]
    if head.startswith(b"%!PS-Adobe") or head.startswith(b"\xc5\xd0\xd3\xc6"):
        return _FORMATS["eps"]
    if head.startswith(b"8BPS\x00\x01") or head.startswith(b"8BPS\x00\x02"):
        return _FORMATS["psd"]
    if head[4:8] == b"ftyp":
        return _iso_media_format(head, name_extension)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _FORMATS["webm" if b"webm" in head else "mkv"]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _FORMATS["wav"]
    if head.startswith(b"OggS"):
        return _FORMATS["ogg"]
    if head.startswith(b"ID3") or (head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 == 0x02):
        return _FORMATS["mp3"]
    if head.startswith(_OLE_SIGNATURE):
        return _FORMATS["doc"]
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(upload)
    font = _font_format(head)
    if font is not None:
        return font
    if _is_program(head):
        raise _Refused(
            _("«%(name)s» looks like an executable program; you can send %(accepted)s."), "executable"
        )
    return _detect_text(upload)


def _raster_format(head: bytes) -> _Format:
    if head.startswith(b"\x89PNG"):
        return _FORMATS["png"]
    if head.startswith(b"\xff\xd8"):
        return _FORMATS["jpg"]
    if head.startswith(b"GIF"):
        return _FORMATS["gif"]
    return _FORMATS["webp"]


def _detect_text(upload) -> _Format:
    """SVG, subtitles or plain text, from a sample; then, within the kind's limit, the whole is checked
    (text throughout, an SVG that parses). Web pages are refused.

    Text is UTF-8, except subtitles, which may also be in Windows' Arabic code page (cp1256): many
    Arabic subtitle files still are, and they are served without a charset, as subtitles are."""
    sample = upload.read(_TEXT_SAMPLE_BYTES)
    upload.seek(0)
    is_cut = upload.size > len(sample)
    if _as_text(sample, cut=is_cut) is None:
        if _SRT_CUE.match(_as_legacy_text(sample) or ""):
            return _whole_text_checked(upload, _FORMATS["srt"], _as_legacy_text)
        raise _Refused(_unknown_message(), "file_type")
    start = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = sample.lower()
    if start.startswith(b"<") and b"<svg" in lowered and not any(tag in lowered for tag in _HTML_DOCUMENT):
        file_format = _FORMATS["svg"]
    elif _looks_like_html(sample):
        raise _Refused(
            _(
                "«%(name)s» looks like a web page (HTML), which could run code when it is opened; "
                "you can send %(accepted)s."
            ),
            "html",
        )
    elif start.startswith(b"WEBVTT"):
        file_format = _FORMATS["vtt"]
    elif _SRT_CUE.match(sample.decode("utf-8-sig", errors="ignore")):
        file_format = _FORMATS["srt"]
    else:
        file_format = _FORMATS["txt"]
    return _whole_text_checked(upload, file_format, _as_text)


def _as_legacy_text(data: bytes) -> str | None:
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    return None if any(ord(char) < 32 and char not in "\t\n\r\f" for char in text) else text


def _whole_text_checked(upload, file_format: _Format, as_text) -> _Format:
    if upload.size > _limit_for(file_format.kind):
        return file_format  # refused for its size by the caller, without reading it all
    data = upload.read()
    upload.seek(0)
    if as_text(data) is None:
        raise _Refused(_unknown_message(), "file_type")
    if file_format.kind == "svg":
        _check_svg(data)
    return file_format


def _unknown_message() -> str:
    return _("«%(name)s» is not a kind of file we accept; you can send %(accepted)s.")


def _limit_for(kind: str) -> int:
    return settings.UPLOAD_MAX_DELIVERABLE_BYTES[kind]


def _image_preview(upload, file_format: _Format) -> ContentFile | None:
    """A re-encoded thumbnail of a raster image, or None when it has too many pixels to decode safely.

    The image is checked by Pillow on the way: a header that does not parse, or pixels that do not
    decode, refuse the file as damaged."""
    upload.seek(0)
    try:
        image = Image.open(upload)
        if _IMAGE_FORMAT_EXTENSIONS.get(image.format) != file_format.extension:
            raise _Refused(_damaged_message(), "damaged", what=file_format.label)
        width, height = image.size
        if (
            max(width, height) > settings.UPLOAD_MAX_IMAGE_SIDE
            or width * height > settings.UPLOAD_MAX_IMAGE_PIXELS
        ):
            return None  # kept as it is, without a preview: decoding it would cost too much memory
        image.draft(None, (settings.UPLOAD_THUMBNAIL_SIDE, settings.UPLOAD_THUMBNAIL_SIDE))
        image.load()
    except Image.DecompressionBombError:
        return None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _Refused(_damaged_message(), "damaged", what=file_format.label) from None
    finally:
        upload.seek(0)
    image = _upright(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    return _encode(image, max_side=settings.UPLOAD_THUMBNAIL_SIDE, basename=f"{uuid.uuid4().hex}-preview")


def clean_deliverable(upload) -> CleanFile:
    """Check a delivered file or a message attachment, and keep it exactly as it was sent.

    The content decides what it is; the name must not claim another kind (that name is what the
    recipient's computer trusts); programs, scripts, web pages, archives holding them and documents
    with macros are refused; each kind has its own size limit. Raises ValidationError whose message
    says what was refused and what is accepted."""
    original_name = clean_line(str(upload.name))[-120:]
    name_extension = _extension_of(original_name)
    try:
        if upload.size > max(settings.UPLOAD_MAX_DELIVERABLE_BYTES.values()):
            raise _Refused(
                _("«%(name)s» is too large (%(size)s); the largest file accepted is %(limit)s."),
                "too_large",
                limit=filesizeformat(max(settings.UPLOAD_MAX_DELIVERABLE_BYTES.values())),
            )
        if name_extension in _PROGRAM_EXTENSIONS:
            raise _Refused(
                _("«%(name)s» is a program or a script (.%(extension)s); you can send %(accepted)s."),
                "executable",
                extension=name_extension,
            )
        file_format = _detect_deliverable(upload, name_extension)
        if name_extension and name_extension not in file_format.name_extensions:
            raise _Refused(
                _(
                    "«%(name)s» is named as a .%(extension)s file but it is %(what)s; "
                    "rename it to end in .%(right_extension)s and send it again."
                ),
                "name_mismatch",
                extension=name_extension,
                what=file_format.label,
                right_extension=file_format.extension,
            )
        limit = _limit_for(file_format.kind)
        if upload.size > limit:
            raise _Refused(
                _("«%(name)s» is too large (%(size)s); %(kind)s may be at most %(limit)s."),
                "too_large",
                kind=DELIVERABLE_KINDS[file_format.kind],
                limit=filesizeformat(limit),
            )
        preview = _image_preview(upload, file_format) if file_format.kind == "image" else None
    except _Refused as refused:
        values = {
            "name": original_name,
            "accepted": _accepted_kinds(),
            "size": filesizeformat(upload.size),
            **{key: str(value) for key, value in refused.values.items()},
        }
        raise ValidationError(refused.message % values, code=refused.code) from None
    upload.seek(0)
    # The upload itself is stored (streamed in chunks by the storage), not a copy read into memory.
    content = File(upload, name=f"{uuid.uuid4().hex}.{file_format.extension}")
    return CleanFile(content=content, kind=file_format.kind, original_name=original_name, preview=preview)


def _private_file_response(field_file, *, filename: str | None, as_attachment: bool) -> FileResponse:
    extension = _extension_of(field_file.name)
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=as_attachment,
        filename=filename or "",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    # Never guessed into something the browser would run; and were it ever opened in a tab, it runs
    # nothing: a sandboxed document that may load nothing.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_response(field_file, *, filename: str) -> FileResponse:
    """A private file served as a download under its person-given name (RFC 6266, Unicode kept),
    with the type its content was recognised as. Call it only after checking who may have it."""
    return _private_file_response(field_file, filename=filename, as_attachment=True)


def preview_response(field_file) -> FileResponse:
    """A preview that we encoded ourselves (PNG or JPEG), shown inline on the page."""
    return _private_file_response(field_file, filename=None, as_attachment=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImageInput(forms.ClearableFileInput):
    """Shows the current picture itself, not its storage name, beside the file input."""

    template_name = "forms/widgets/image_input.html"


class ImageField(forms.FileField):
    """A form field whose cleaned value is a CleanImage."""

    widget = ImageInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None or upload is False or upload is initial:
            return upload
        return clean_image(upload)


class MultipleImageField(forms.FileField):
    """Several images in one input; the cleaned value is a list of CleanImage."""

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_count:
            raise ValidationError(
                _("You can upload at most %(count)s images.") % {"count": self.max_count},
                code="too_many_files",
            )
        errors, images = [], []
        for upload in uploads:
            super().clean(upload, initial)
            try:
                images.append(clean_image(upload))
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return images


class MultipleAttachmentField(forms.FileField):
    """Several attachments in one input, each checked by clean_file; the value is a list of CleanFile."""

    def __init__(self, *, max_count: int, kinds: set[str], **kwargs):
        self.max_count, self.kinds = max_count, kinds
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean_one(self, upload) -> CleanFile:
        return clean_file(upload, kinds=self.kinds)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        if len(uploads) > self.max_count:
            raise ValidationError(
                _("You can attach at most %(count)s files.") % {"count": self.max_count},
                code="too_many_files",
            )
        errors, files = [], []
        for upload in uploads:
            super().clean(upload, initial)
            try:
                files.append(self.clean_one(upload))
            except ValidationError as error:
                errors.extend(self.error_lines(upload, error))
        if errors:
            raise ValidationError(errors)
        return files

    def error_lines(self, upload, error: ValidationError) -> list[str]:
        return [f"{upload.name}: {message}" for message in error.messages]


def _deliverables_help(max_count: int) -> str:
    return _("You can send %(accepted)s, at most %(count)s at a time.") % {
        "accepted": _accepted_kinds(),
        "count": max_count,
    }


class MultipleDeliverableField(MultipleAttachmentField):
    """Delivered files and message attachments: each kept byte for byte by clean_deliverable."""

    def __init__(self, *, max_count: int, **kwargs):
        kwargs.setdefault("help_text", lazy(_deliverables_help, str)(max_count))
        super().__init__(max_count=max_count, kinds=set(DELIVERABLE_KINDS), **kwargs)

    def clean_one(self, upload) -> CleanFile:
        return clean_deliverable(upload)

    def error_lines(self, upload, error: ValidationError) -> list[str]:
        return error.messages  # each message already names the file
