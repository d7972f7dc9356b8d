"""The one way a file comes in from a person.

Every upload in the product passes here: the size is checked against settings, the type is decided
by the bytes (never by the name or the browser's word), and images are decoded and re-encoded by
Pillow — which drops EXIF and any payload hidden after the image — and resized to a stored size and a
thumbnail. What comes out is safe to store under a name we chose.
"""

import io
import uuid
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
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
    content: ContentFile
    kind: str
    original_name: str


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


def _encode(image: Image.Image, *, max_side: int, basename: str) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
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
        if max(image.size) > settings.UPLOAD_MAX_IMAGE_SIDE:
            width, height = image.size
            raise ValidationError(
                _("The image is %(width)s×%(height)s pixels; each side may be at most %(limit)s.")
                % {"width": width, "height": height, "limit": settings.UPLOAD_MAX_IMAGE_SIDE},
                code="too_many_pixels",
            )
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
                files.append(clean_file(upload, kinds=self.kinds))
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return files
