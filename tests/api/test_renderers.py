"""The API writes JSON with orjson, and means exactly what ninja's encoder wrote before."""

import datetime
import json
import uuid
from decimal import Decimal

from django.utils.functional import lazy
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from weerbaar.api.renderers import dumps


class _Nested(BaseModel):
    when: datetime.date
    amount: Decimal


def test_values_are_written_as_django_writes_them():
    tz = datetime.timezone(datetime.timedelta(hours=1))
    data = {
        "utc": datetime.datetime(2026, 12, 2, 0, 15, 21, 309508, tzinfo=datetime.UTC),
        "local": datetime.datetime(2026, 6, 1, 8, 0, tzinfo=tz),
        "naive": datetime.datetime(2026, 6, 1, 8, 0, 0, 5),
        "date": datetime.date(2027, 3, 1),
        "time": datetime.time(9, 30, 0, 123456),
        "amount": Decimal("2500.00"),
        "small": Decimal("0.10"),
        "text": lazy(lambda: "Maatregel één", str)(),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "model": _Nested(when=datetime.date(2026, 1, 2), amount=Decimal("1.50")),
        "list": [1, "ä", None, True, 2.5, {"k": []}],
        3: "a non-text key",
    }
    written = json.loads(dumps(data))
    assert written == json.loads(json.dumps(data, cls=NinjaJSONEncoder))
    assert written["utc"] == "2026-12-02T00:15:21.309Z" and written["amount"] == "2500.00"
    assert written["date"] == "2027-03-01" and written["time"] == "09:30:00.123"


def test_text_is_utf8_and_compact():
    assert dumps({"a": "één", "b": [1, 2]}) == '{"a":"één","b":[1,2]}'.encode()
