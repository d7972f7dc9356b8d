"""API output shapes that several apps' routers share (one definition, one name in the OpenAPI schema)."""

from ninja import Field, Schema


class PersonOut(Schema):
    id: int
    name: str


class ProjectRefOut(Schema):
    id: int
    title: str


class SkillRefOut(Schema):
    slug: str
    name: str


class AttachmentOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    kind: str
    size: int
