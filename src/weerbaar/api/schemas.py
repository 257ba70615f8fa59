"""Building blocks for the routers' schemas, shared so every register's API behaves alike."""

from ninja import Schema
from pydantic import ConfigDict

from weerbaar.core.problem import PROBLEM_JSON


class InputSchema(Schema):
    """A request body: a field the schema does not know is refused (422, "Dit veld bestaat hier
    niet."), so a mistyped field name is reported instead of silently dropped, and the OpenAPI
    document says so (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid")


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
