"""Building blocks for the routers' schemas, shared so every register's API behaves alike."""

from ninja import Schema
from pydantic import BaseModel, ConfigDict

from weerbaar.core.problem import PROBLEM_JSON


class InputSchema(Schema):
    """A request body: a field the schema does not know is refused (422, "Dit veld bestaat hier
    niet."), so a mistyped field name is reported instead of silently dropped, and the OpenAPI
    document says so (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid")


class OutputSchema(BaseModel):
    """An answer that the router hands over as plain dicts (built from ``.values()`` and the
    link tables' ids, see ``risks.api``): pydantic validates those natively, without ninja's
    attribute lookup per field (``DjangoGetter``), which cost most of a list of 50 items.

    The OpenAPI document is the same as with ``ninja.Schema`` (ninja generates it with its own
    generator for every model in the answer). Hand it model instances only if every field is a
    plain attribute: related managers and the like are not converted here.
    """

    model_config = ConfigDict(from_attributes=True)


def problem_responses(**descriptions: str) -> dict:
    """``openapi_extra`` for an error status only one operation answers (``problem_responses(
    404="...")``); the statuses every operation shares are added by ``openapi.add_error_responses``."""
    return {
        "responses": {
            status.removeprefix("status_"): {
                "description": description,
                "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            }
            for status, description in descriptions.items()
        }
    }
