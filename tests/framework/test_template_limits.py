"""A municipality's own Word template cannot hold up or exhaust the server."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError

from weerbaar.documents import word
from weerbaar.documents.word import docx_text
from weerbaar.framework import documents, services
from weerbaar.framework.models import WordTemplate

from .test_documents import make_docx

# Heavy only for the real municipality: the upload check (sample data) does not see it.
HEAVY_FOR_DEMOSTAD = (
    "{% if gemeente == 'Demostad' %}{% for a in range(3000) %}{% for b in range(3000) %}"
    "{{ a }}{% endfor %}{% endfor %}{% endif %}Huisstijl {{ gemeente }}"
)


def upload(organisation, membership, content, name="huisstijl.docx"):
    return services.word_template_upload(organisation=organisation, membership=membership, name=name, content=content)


def test_nested_loops_for_one_municipality_pass_the_upload_but_stop_fast_at_export(
    complete_draft, coordinator, demostad
):
    upload(demostad, coordinator, make_docx(HEAVY_FOR_DEMOSTAD))
    started = time.monotonic()
    result = documents.render_word_result(complete_draft)
    assert time.monotonic() - started < 10
    assert result.fell_back
    assert "Het sjabloon is te zwaar" in result.reason
    assert "1. Visie" in docx_text(result.content)  # the standard layout


def test_nested_loops_raise_the_limit_exception():
    with pytest.raises(word.TemplateTooHeavy) as caught:
        word.render_template(make_docx(HEAVY_FOR_DEMOSTAD), {"gemeente": "Demostad"})
    assert "for-lussen" in caught.value.message


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("{{ 'A'*30000000 }}", "tekst van meer dan"),
        ("{{ 30000000*'A' }}", "tekst van meer dan"),
        ("{% for i in range(10**9) %}x{% endfor %}", "range()"),
        ("{{ 'A'|center(30000000) }}", "te groot"),
        (
            "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "tekst van meer dan",
        ),
        ("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", "tekst"),
        ("{{ ('a'*100000)|replace('a', 'b'*1000) }}", "instelling"),
        ("{{ ('a'*100000).replace('a', 'b'*1000) }}", "instelling"),
        ("{{ ('\n'*100000)|indent('x'*1000) }}", "instelling"),
        ("{{ ('x'*1000).join(['a']*100000) }}", "instelling"),
        ("{{ (['y'*100000]*1000)|join }}", "tekst"),
        (
            "{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{{ ns.l.append('y'*100000) or '' }}{% endfor %}"
            "{{ ns.l|join }}",
            "tekst",
        ),
        ("{{ 'A'.ljust(30000000) }}", "te groot"),
        ("{{ 10**(10**10) }}", "machtsverheffing"),
        (
            "{% for d in doelen %}{% for e in doelen * 1000 %}{% for f in doelen * 100 %}x{% endfor %}{% endfor %}"
            "{% endfor %}",
            "for-lussen",
        ),
    ],
)
def test_heavy_templates_are_refused_at_upload(coordinator, demostad, template, fragment):
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        upload(demostad, coordinator, make_docx(template))
    assert time.monotonic() - started < 10
    message = caught.value.messages[0]
    assert "Het sjabloon is te zwaar" in message and fragment in message
    assert not WordTemplate.objects.exists()


def test_a_render_past_its_deadline_stops():
    template = make_docx("{% for d in doelen %}{{ d.naam }}{% endfor %}")
    with pytest.raises(word.TemplateTooHeavy) as caught:
        word.render_template(template, {"doelen": [{"naam": "x"}] * 500}, max_seconds=0)
    assert "seconden" in caught.value.message


def test_output_size_is_capped(monkeypatch):
    monkeypatch.setattr(word, "MAX_OUTPUT_CHARS", 10_000)
    template = make_docx("{% for i in range(5000) %}{{ 'abcdefghij' }}{% endfor %}")
    with pytest.raises(word.TemplateTooHeavy) as caught:
        word.render_template(template, {})
    assert "resultaat" in caught.value.message


def test_ordinary_templates_still_work_within_the_limits(complete_draft, coordinator, demostad):
    upload(
        demostad,
        coordinator,
        make_docx(
            "{{ gemeente|upper }} {{ titel }}",
            "{% for u in uitgangspunten %}{{ loop.index }}. {{ u.tekst }}{% endfor %}",
            "{% for w in wetten if w.soort %}{{ w.naam }}; {% endfor %}",
            "{{ '%s-%s'|format(versie, status) }} {{ doelen|map(attribute='naam')|join(', ') }}",
        ),
    )
    result = documents.render_word_result(complete_draft)
    assert not result.fell_back, result.reason
    text = docx_text(result.content)
    assert "DEMOSTAD" in text and "1. " in text


def test_values_with_xml_characters_do_not_break_a_template(complete_draft, coordinator, demostad):
    from weerbaar.framework.models import ChosenGoal

    upload(demostad, coordinator, make_docx("{% for d in doelen %}{{ d.naam }};{% endfor %}"))
    ChosenGoal.objects.filter(version=complete_draft).update(name="B&W <besluit>")
    result = documents.render_word_result(complete_draft)
    assert not result.fell_back, result.reason
    assert "B&W <besluit>;" in docx_text(result.content)


def zip_bomb_docx() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(make_docx("{{ gemeente }}"))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("word/media/bom.bin", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def test_a_docx_zip_bomb_is_refused_at_upload(coordinator, demostad):
    content = zip_bomb_docx()
    assert len(content) < services.MAX_TEMPLATE_BYTES
    with pytest.raises(ValidationError) as caught:
        upload(demostad, coordinator, content)
    assert "ingepakt" in caught.value.messages[0] or "te groot" in caught.value.messages[0]
    assert not WordTemplate.objects.exists()


def test_export_view_says_when_the_standard_layout_was_used(coordinator_client, complete_draft, coordinator, demostad):
    upload(demostad, coordinator, make_docx(HEAVY_FOR_DEMOSTAD))
    response = coordinator_client.get(f"/g/demostad/kader/versies/{complete_draft.number}/word/", follow=True)
    assert response.status_code == 200
    assert "standaardopmaak" in response.content.decode()
