"""Links changed from either side of a many-to-many are in the log, under the side that changed."""

import pytest
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.core.models import AuditEntry

from ..factories import OrganisationFactory
from ..risks.factories import MeasureFactory, RiskFactory


@pytest.mark.django_db
def test_linking_a_measure_from_the_risk_side_is_logged_on_the_risk():
    org = OrganisationFactory()
    with scopes_disabled(), acting_as(None):
        risk = RiskFactory(organisation=org)
        measure = MeasureFactory(organisation=org)
        risk.measures.add(measure)
        entry = AuditEntry.objects.filter(object_type="risks.risk", object_id=str(risk.pk), action="update").latest(
            "pk"
        )
        assert entry.before == {"measures": []}
        assert entry.after == {"measures": [str(measure.pk)]}
        risk.measures.remove(measure)
        latest = AuditEntry.objects.filter(object_type="risks.risk", object_id=str(risk.pk)).latest("pk")
        assert latest.after == {"measures": []}


@pytest.mark.django_db
def test_linking_from_the_measure_side_is_logged_on_the_measure():
    org = OrganisationFactory()
    with scopes_disabled(), acting_as(None):
        risk = RiskFactory(organisation=org)
        measure = MeasureFactory(organisation=org)
        measure.risks.add(risk)
        entry = AuditEntry.objects.filter(object_type="risks.measure", object_id=str(measure.pk)).latest("pk")
        assert entry.after == {"risks": [str(risk.pk)]}
