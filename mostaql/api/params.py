"""Input types every router shares: bounded ids and text that the database can store."""

from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from ninja import Path, UploadedFile
from ninja.errors import HttpError
from ninja.params.models import BodyModel, FileModel, FormModel
from ninja.params.models import File as FileParam
from ninja.params.models import Form as FormParam
from pydantic import AfterValidator, Field, Strict

from mostaql.api.errors import ApiError, MalformedBody
from mostaql.core.uploads import CONTENT_TYPES, CleanFile, clean_deliverable

# Beyond 2**53 an id is not even exact in JavaScript; it also keeps SQLite's integers from overflowing.
MAX_ID = 2**53


def path_id(description: str = "The object's id."):
    """`project_id: int = path_id()` — an id in the path, 1 … 2**53 (anything else is a 422)."""
    return Path(..., ge=1, le=MAX_ID, description=description)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _storable(text: str) -> str:
    # NUL is refused by PostgreSQL, and lone surrogates cannot be encoded: neither is text anyway.
    if "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise ValueError(str(_("This text contains characters that are not allowed.")))
    return text


def Text(*, min_length: int = 0, max_length: int, description: str = ""):
    """A string of bounded length that the database can store."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, description=description),
        AfterValidator(_storable),
    ]


# Body numbers are strict: "5", 5.0 and true are not 5 (query and path values stay text-parsed).
BodyInt = Annotated[int, Strict()]

Slug = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_-]+$")]


# --- Bodies that are JSON, or a form with files -------------------------------------------------------


_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _parse_form(request) -> None:
    """Parse a form body once (its files go to disk); a malformed one is a 422, not a server error."""
    try:
        request.POST  # noqa: B018 - reading it is what parses the body
    except MultiPartParserError:
        message = _("The request body is not a valid multipart form.")
        raise HttpError(400, str(message)) from MalformedBody("malformed_body", message)


class _FormOrJsonModel(FormModel):
    """The fields of a multipart form (when files come with them) or of a JSON object (as before)."""

    @classmethod
    def get_request_data(cls, request, api, path_params):
        if request.content_type in _FORM_TYPES:
            _parse_form(request)
            return super().get_request_data(request, api, path_params)
        return BodyModel.get_request_data.__func__(cls, request, api, path_params)


class _FilesModel(FileModel):
    @classmethod
    def get_request_data(cls, request, api, path_params):
        if request.content_type in _FORM_TYPES:
            _parse_form(request)
            # A text part under a files field (e.g. "null") is not a file: refused, never ignored.
            for name in cls.model_fields:
                if name in request.POST:
                    message = _("Send files as file parts of the form.")
                    raise ApiError(422, "invalid_input", str(message), fields={name: str(message)})
        return super().get_request_data(request, api, path_params)


class _Files(FileParam):
    _model = _FilesModel

    @classmethod
    def _param_source(cls) -> str:
        return "file"


class _FormOrJson(FormParam):
    _model = _FormOrJsonModel

    @classmethod
    def _param_source(cls) -> str:
        return "form"  # documented as the form part of a multipart body; `json_too` adds the JSON form


def FormOrJson(schema):
    """`payload: FormOrJson(DeliveryIn)` — the schema's fields from a multipart form or a JSON object."""
    return Annotated[schema, _FormOrJson(...)]


def json_too(schema) -> dict:
    """The `openapi_extra` that documents the JSON form of a FormOrJson body beside the multipart one."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema(mode="validation")}}
        }
    }


# Files in a multipart body: `files: UploadedFiles = []`, each then checked by mostaql.core.uploads.
UploadedFiles = Annotated[list[UploadedFile], _Files(..., description="Files, each checked by content.")]


def clean_deliverables(files: list) -> list[CleanFile]:
    """Each uploaded file checked as the web pages check it; the first refusal is a 422 naming `files`."""
    cleaned, refusals = [], []
    for upload in files or []:
        try:
            cleaned.append(clean_deliverable(upload))
        except DjangoValidationError as error:
            refusals.extend(error.messages)
    if refusals:
        raise ApiError(422, "invalid_input", refusals[0], fields={"files": " ".join(refusals)})
    return cleaned


def file_response_doc(description: str) -> dict:
    """The `openapi_extra` of an operation that answers with a file: its 200 in every type we serve."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    media_types = sorted({content_type.split(";")[0] for content_type in CONTENT_TYPES.values()})
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {media_type: binary for media_type in [*media_types, "application/octet-stream"]},
            }
        }
    }
