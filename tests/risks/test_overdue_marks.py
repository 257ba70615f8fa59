"""Past deadlines and review dates are marked, in plain Dutch ("uiterste datum", "te laat", "verlopen")."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from weerbaar.risks.models import Measure, Risk

from ..conftest import member

pytestmark = pytest.mark.django_db


def test_overdue_measures_and_past_review_dates_are_marked(register, login):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with scope(organisation=register):
        late = Measure.objects.filter(organisation=register).exclude(status__in=Measure.EFFECTIVE).first()
        late.deadline = yesterday
        late.save()
        done = Measure.objects.filter(organisation=register, status__in=Measure.EFFECTIVE).first()
        done.deadline = yesterday
        done.save()
        risk = Risk.objects.filter(organisation=register).first()
        risk.review_date = yesterday
        risk.save()
    client = login(member(register, "coordinator").user)
    base = "/g/demostad/risico/"
    page = client.get(f"{base}maatregelen/{late.pk}/").content.decode()
    assert "Uiterste datum" in page and "te laat" in page
    assert "te laat" not in client.get(f"{base}maatregelen/{done.pk}/").content.decode()
    listing = client.get(f"{base}maatregelen/?q={late.reference}").content.decode()
    assert "Uiterste datum" in listing and "Deadline" not in listing and "te laat" in listing
    assert "verlopen" in client.get(f"{base}risicos/{risk.pk}/").content.decode()
    assert "Risicokaart" in client.get(base).content.decode()
