from django_scopes import scopes_disabled

from weerbaar.incidents.models import ExternalReport, Incident, PatternConclusion


def test_demo_has_two_years_of_incidents_with_visible_patterns(incidents_demo):
    with scopes_disabled():
        qs = Incident.objects.filter(organisation=incidents_demo)
        total = qs.count()
        assert 120 <= total <= 180
        years = {d.year for d in qs.dates("occurred_at", "year")}
        assert len(years) == 2
        front_desk = qs.filter(place="Gemeentehuis, publiekshal", incident_type__slug="agressie-medewerkers")
        winter = front_desk.filter(occurred_at__month__in=[11, 12, 1, 2]).count()
        summer = front_desk.filter(occurred_at__month__in=[5, 6, 7, 8]).count()
        assert winter > 2 * summer
        assert qs.filter(place="Gemeentewerf, Industrieweg").count() >= 8
        assert qs.filter(confidential=True).exists()
        assert qs.exclude(lessons="").count() >= 5
        assert ExternalReport.objects.filter(incident__organisation=incidents_demo, status="made").exists()
        assert PatternConclusion.objects.filter(organisation=incidents_demo).exists()
