"""The report "Koppelingen die niet meegingen" never links to what is gone."""

import re

from weerbaar.risks.models import Measure


def _row(measure_id, label, item="Weerbare raad"):
    return {"kind": "goal", "object": "measure", "object_id": measure_id, "object_label": label, "item": item}


def test_every_link_in_the_report_resolves_and_a_deleted_measure_keeps_its_name(coordinator_client, demostad, adopted):
    kept = Measure.objects.create(organisation=demostad, reference="M-010", title="Toegangspassen")
    gone = Measure.objects.create(organisation=demostad, reference="M-011", title="Bezoekersregistratie")
    gone_pk = gone.pk
    adopted.link_report = [_row(kept.pk, str(kept)), _row(gone_pk, str(gone), item="Detecteren")]
    adopted.save(update_fields=["link_report"])
    gone.delete()

    page = coordinator_client.get(f"/g/demostad/kader/versies/{adopted.number}/").content.decode()
    report = page[page.index('id="koppelingen"') :]
    report = report[: report.index("</table>")]
    assert f'href="/g/demostad/risico/maatregelen/{kept.pk}/"' in report
    assert "M-011 Bezoekersregistratie" in report and "maatregel inmiddels verwijderd" in report
    assert f"/maatregelen/{gone_pk}/" not in report
    assert "Geen tegenhanger bij het vaststellen" in report
    hrefs = re.findall(r'href="([^"]+)"', report)
    assert hrefs
    for href in hrefs:
        assert coordinator_client.get(href).status_code == 200, href


def test_a_measure_id_of_another_municipality_in_the_report_gets_no_link(coordinator_client, adopted, voorbeeldrecht):
    other = Measure.objects.create(organisation=voorbeeldrecht, title="Van een andere gemeente")
    adopted.link_report = [_row(other.pk, "Van een andere gemeente")]
    adopted.save(update_fields=["link_report"])
    page = coordinator_client.get(f"/g/demostad/kader/versies/{adopted.number}/").content.decode()
    assert f"/maatregelen/{other.pk}/" not in page
