"""The framework as a document: one content structure, rendered to Word, PDF and HTML.

The structure's keys are Dutch because municipalities write them in their own Word
templates (docxtpl); the list is documented on the template page (``PLACEHOLDERS``).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.documents import pdf, word
from weerbaar.documents.tasks import Rendered, RenderFailed, renderer
from weerbaar.documents.uploads import UnsafeArchive, check_zip_archive

from . import selectors
from .models import FrameworkVersion, Step, WordTemplate

CONCEPT = "CONCEPT"

SUB_PLANS = [
    ("sub_plan_information", gettext_lazy("Informatiebeveiliging")),
    ("sub_plan_physical", gettext_lazy("Fysieke beveiliging")),
    ("sub_plan_personnel", gettext_lazy("Personele beveiliging")),
    ("sub_plan_continuity", gettext_lazy("Continuïteit")),
]

# Placeholders a municipality can use in its own Word template, shown on the template page.
PLACEHOLDERS = [
    ("{{ gemeente }}", gettext_lazy("naam van de gemeente")),
    ("{{ titel }}", gettext_lazy("titel van het kader")),
    ("{{ versie }}", gettext_lazy("versienummer")),
    ("{{ status }}", gettext_lazy("status: concept, ter besluitvorming, vastgesteld of vervangen")),
    ("{% if concept %}CONCEPT{% endif %}", gettext_lazy("tekst die alleen in een concept verschijnt")),
    ("{{ vastgesteld_op }}, {{ besluit_kenmerk }}, {{ vastgesteld_door }}", gettext_lazy("het besluit")),
    ("{{ datum }}", gettext_lazy("datum van de export")),
    (
        "{{ visie.tekst }}, {{ visie.onderbouwing }}, {{ visie.minimaal }}, {{ visie.maximaal }}, "
        "{{ visie.meerjarenplannen }}",
        gettext_lazy("de visie"),
    ),
    (
        "{{ scope.tekst }}, {{ scope.bedrijfsmiddelen }}, {{ scope.medewerkers }}, {{ scope.derden }}",
        gettext_lazy("de scope"),
    ),
    ("{% for d in scope.deelplannen %}{{ d.naam }}: {{ d.scope }}{% endfor %}", gettext_lazy("deelplannen")),
    ("{% for d in doelen %}{{ d.naam }} — {{ d.waarom }}{% endfor %}", gettext_lazy("beveiligingsdoelen")),
    (
        "{% for u in uitgangspunten %}{{ u.categorie }}: {{ u.tekst }} ({{ u.doelen }}){% endfor %}",
        gettext_lazy("uitgangspunten met de doelen die ze dienen"),
    ),
    (
        "{{ kwaliteitssysteem.pdca }}, {{ kwaliteitssysteem.governance }}, {{ kwaliteitssysteem.frequentie }}, "
        "{{ kwaliteitssysteem.eigenaar }}, {{ kwaliteitssysteem.verankering }}",
        gettext_lazy("het kwaliteitssysteem"),
    ),
    ("{%tr for d in doelen %} … {%tr endfor %}", gettext_lazy("een tabelrij per doel, in een Word-tabel")),
    ("{% for w in wetten %}{{ w.groep }}: {{ w.naam }} {{ w.vindplaats }}{% endfor %}", gettext_lazy("bijlage")),
]


def is_concept(version: FrameworkVersion) -> bool:
    return version.status in (FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.SUBMITTED)


def _date(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def _step_block(entry) -> dict:
    return {
        "naam": str(Step(entry.step).label),
        "tekst": entry.text,
        "onderbouwing": entry.rationale,
        "minimaal": entry.minimum_variant,
        "maximaal": entry.maximum_variant,
        "opgesteld_door": entry.drafted_by,
        "vastgesteld_door": entry.adopted_by,
        "ambtelijk": entry.stakeholders_official,
        "bestuurlijk": entry.stakeholders_administrative,
        "politiek": entry.stakeholders_political,
        "werksessie": _date(entry.working_session_on),
    }


def document_context(version: FrameworkVersion) -> dict:
    """The document's content; every string is free of control characters (Word refuses them,
    and text stored before they were stripped on save may still hold them)."""
    return word.clean_context(_document_context(version))


def _document_context(version: FrameworkVersion) -> dict:
    entries = selectors.entries_of(version)
    goals = selectors.goals_of(version)
    principles = selectors.principles_of(version)
    vision, scope, quality = entries[Step.VISION], entries[Step.SCOPE], entries[Step.QUALITY]
    # A law the editors marked as replaced appears as its successor (once, even if both were chosen).
    in_force = {law.in_force().pk: law.in_force() for law in scope.laws.all()}
    laws = sorted(in_force.values(), key=lambda law: (law.group.order, law.order, law.name))
    framework = version.framework
    return {
        "gemeente": version.organisation.name,
        "titel": framework.title,
        "versie": version.number,
        "status": version.get_status_display(),
        "concept": is_concept(version),
        "vastgesteld_op": _date(version.adopted_on),
        "besluit_kenmerk": version.decision_reference,
        "vastgesteld_door": version.adopted_by_body,
        "datum": _date(timezone.localdate()),
        "stappen": {step: _step_block(entry) for step, entry in entries.items()},
        "visie": {**_step_block(vision), "meerjarenplannen": vision.multi_year_plans},
        "scope": {
            **_step_block(scope),
            "bedrijfsmiddelen": scope.assets,
            "register": [
                {
                    "kenmerk": a.reference,
                    "naam": a.name,
                    "soort": a.get_kind_display(),
                    "belang": a.get_criticality_display(),
                }
                for a in scope.scope_assets.order_by("name", "pk")
            ],
            "medewerkers": scope.staff_groups,
            "derden": scope.third_parties,
            "geen_deelplannen": scope.no_sub_plans,
            "deelplannen": [
                {"naam": str(label), "scope": getattr(scope, name)}
                for name, label in SUB_PLANS
                if getattr(scope, name).strip()
            ],
            # The sub-plans kept as objects, as they stand on the day of the export.
            "deelplan_register": [
                {
                    "titel": p.title,
                    "thema": p.get_kind_display(),
                    "status": p.get_status_display(),
                    "eigenaar": (p.owner.user.get_full_name() or p.owner.user.email) if p.owner else "",
                    "herzien": _date(p.review_on),
                }
                for p in selectors.subplan_list(organisation=version.organisation)
            ],
        },
        "doelen": [{"naam": g.name, "waarom": g.why, "eigen": g.is_own} for g in goals],
        "doelen_tekst": _step_block(entries[Step.GOALS]),
        "uitgangspunten": [
            {
                "categorie": p.category.name,
                "tekst": p.text,
                "doelen": ", ".join(g.name for g in p.goals.all()),
                "eigen": p.is_own,
            }
            for p in principles
        ],
        "uitgangspunten_tekst": _step_block(entries[Step.PRINCIPLES]),
        "kwaliteitssysteem": {
            **_step_block(quality),
            "pdca": quality.text,
            "governance": quality.governance_variant.name if quality.governance_variant else "",
            "frequentie": quality.get_review_frequency_display() if quality.review_frequency else "",
            "eigenaar": quality.review_owner,
            "verankering": quality.planning_cycle_anchor,
        },
        "wetten": [
            {"groep": law.group.name, "naam": law.name, "vindplaats": law.reference, "soort": law.get_kind_display()}
            for law in laws
        ],
    }


def sample_context() -> dict:
    """Sample data that exercises every placeholder, for validating an uploaded template."""
    block = {
        "naam": "Visie",
        "tekst": "Voorbeeldtekst.",
        "onderbouwing": "Omdat het moet.",
        "minimaal": "Minimaal.",
        "maximaal": "Maximaal.",
        "opgesteld_door": "Coördinator",
        "vastgesteld_door": "College van B&W",
        "ambtelijk": "Directie",
        "bestuurlijk": "Burgemeester",
        "politiek": "Raadscommissie",
        "werksessie": "1 maart 2026",
    }
    return {
        "gemeente": "Voorbeeldgemeente",
        "titel": "Strategisch kader integrale beveiliging",
        "versie": 1,
        "status": "concept",
        "concept": True,
        "vastgesteld_op": "",
        "besluit_kenmerk": "",
        "vastgesteld_door": "",
        "datum": "1 maart 2026",
        "stappen": {s: {**block, "naam": str(Step(s).label)} for s in Step.values},
        "visie": {**block, "meerjarenplannen": "Coalitieakkoord 2026-2030"},
        "scope": {
            **block,
            "bedrijfsmiddelen": "Gebouwen",
            "medewerkers": "Alle medewerkers",
            "derden": "Leveranciers",
            "geen_deelplannen": False,
            "deelplannen": [{"naam": "Informatiebeveiliging", "scope": "Alle systemen"}],
            "register": [{"kenmerk": "A-001", "naam": "Stadhuis", "soort": "gebouw", "belang": "hoog"}],
            "deelplan_register": [
                {
                    "titel": "Informatiebeveiligingsplan",
                    "thema": "informatiebeveiliging",
                    "status": "vastgesteld",
                    "eigenaar": "CISO",
                    "herzien": "1 maart 2027",
                }
            ],
        },
        "doelen": [{"naam": "Beschermen", "waarom": "Veilig werken", "eigen": False}],
        "doelen_tekst": block,
        "uitgangspunten": [{"categorie": "Beleid", "tekst": "Risicogericht", "doelen": "Beschermen", "eigen": False}],
        "uitgangspunten_tekst": block,
        "kwaliteitssysteem": {
            **block,
            "pdca": "Plan, do, check, act",
            "governance": "Centrale coördinator",
            "frequentie": "jaarlijks",
            "eigenaar": "Gemeentesecretaris",
            "verankering": "Begroting en jaarrekening",
        },
        "wetten": [{"groep": "Beveiligingsplan", "naam": "Arbowet", "vindplaats": "BWBR0010346", "soort": "wet"}],
    }


# The chapters of the standard document and the placeholders that bring each into a placeholder
# template; a template that uses none of a chapter's placeholders leaves that chapter out.
CHAPTERS = [
    (gettext_lazy("Visie"), {"visie", "stappen"}),
    (gettext_lazy("Scope"), {"scope", "stappen"}),
    (gettext_lazy("Beveiligingsdoelen"), {"doelen"}),
    (gettext_lazy("Uitgangspunten"), {"uitgangspunten"}),
    (gettext_lazy("Kwaliteitssysteem"), {"kwaliteitssysteem", "stappen"}),
    (gettext_lazy("Bijlage: wettelijk kader"), {"wetten"}),
]


def missing_chapters(template: WordTemplate | None) -> list[str]:
    """Chapters of the standard document a placeholder template leaves out (none for a style template)."""
    if template is None or template.kind != WordTemplate.Kind.PLACEHOLDERS:
        return []
    if template.missing_chapters is None:  # uploaded before the check existed
        return missing_chapters_of(bytes(template.content))
    return list(template.missing_chapters)


def has_placeholders(template: WordTemplate) -> bool:
    """Whether the file holds docxtpl placeholders (a style template uploaded as the wrong kind)."""
    return bool(word.template_variables(bytes(template.content)))


def missing_chapters_of(content: bytes) -> list[str]:
    used = word.template_variables(content)
    return [str(label) for label, names in CHAPTERS if not names & used]


TEMPLATE_EXTENSIONS = (".docx", ".dotx")


def validate_word_template(*, name: str, content: bytes, max_bytes: int, kind: str = WordTemplate.Kind.STYLE) -> None:
    if not name.lower().endswith(TEMPLATE_EXTENSIONS):
        raise ValidationError(
            _(
                "Upload een Word-bestand (.docx) of Word-sjabloon (.dotx). "
                "Oudere .doc- en .dot-bestanden worden niet ondersteund."
            )
        )
    if len(content) > max_bytes:
        raise ValidationError(
            _("Het sjabloon is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {"size": round(len(content) / 1024 / 1024, 1), "max": max_bytes // 1024 // 1024}
        )
    if not word.looks_like_docx(content):
        raise ValidationError(_("Dit bestand is geen geldig Word-document (.docx of .dotx)."))
    try:
        check_zip_archive(io.BytesIO(content))
    except UnsafeArchive as e:
        raise ValidationError(e.message)
    try:
        if kind == WordTemplate.Kind.STYLE:
            _styled_word(sample_context(), CONCEPT, content)
        else:
            word.render_template(content, sample_context(), concept_label=CONCEPT)
    except word.TemplateError as e:
        raise ValidationError(_("Het sjabloon werkt niet: %(error)s") % {"error": e.message})


# --- renderers -----------------------------------------------------------------------------


def filename(version: FrameworkVersion, extension: str) -> str:
    slug = version.organisation.slug
    suffix = "-concept" if is_concept(version) else ""
    return f"strategisch-kader-{slug}-v{version.number}{suffix}.{extension}"


@dataclass(frozen=True)
class WordResult:
    content: bytes
    fell_back: bool = False  # the own template broke; the standard layout was used instead
    reason: str = ""  # why, in Dutch, for the user


def render_word_result(version: FrameworkVersion, *, use_template: bool = True) -> WordResult:
    context = document_context(version)
    concept = CONCEPT if context["concept"] else None
    organisation = version.organisation
    if use_template:
        template = WordTemplate.objects.filter(organisation=organisation).first()
        if template is not None:
            try:
                if template.kind == WordTemplate.Kind.STYLE:
                    content = _styled_word(context, concept, bytes(template.content))
                else:
                    content = word.render_template(bytes(template.content), context, concept_label=concept)
                return WordResult(content)
            except word.TemplateError as e:
                # A template that passed its check can still break on this municipality's real
                # data (or a limit): the export still arrives, in the standard layout.
                standard = _standard_word(context, concept, organisation=organisation)
                return WordResult(standard, fell_back=True, reason=e.message)
    return WordResult(_standard_word(context, concept, organisation=organisation))


def _styled_word(context: dict, concept: str | None, style_template: bytes) -> bytes:
    try:
        return _standard_word(context, concept, style_template=style_template)
    except word.TemplateError:
        raise
    except Exception as e:  # a style or part of the template the document cannot use
        raise word.TemplateError(
            _("Het opmaaksjabloon kan niet worden gebruikt (%(error)s).") % {"error": e.__class__.__name__}
        )


def fallback_notice(reason: str) -> str:
    return _(
        "Uw eigen Word-sjabloon kon niet worden gebruikt; het document heeft de standaardopmaak. Reden: %(reason)s"
    ) % {"reason": reason}


def render_word(version: FrameworkVersion, *, use_template: bool = True) -> bytes:
    return render_word_result(version, use_template=use_template).content


def _checklist_rows(block: dict) -> list[tuple[str, str]]:
    rows = [
        (_("Opgesteld door"), block["opgesteld_door"]),
        (_("Vastgesteld door"), block["vastgesteld_door"]),
        (_("Ambtelijk betrokken"), block["ambtelijk"]),
        (_("Bestuurlijk betrokken"), block["bestuurlijk"]),
        (_("Politiek betrokken"), block["politiek"]),
        (_("Werksessie"), block["werksessie"]),
    ]
    return [r for r in rows if r[1]]


def _standard_word(c: dict, concept: str | None, *, style_template: bytes | None = None, organisation=None) -> bytes:
    """The complete standard document; in the municipality's style template when it has one."""
    doc = word.WordDocument(
        title=c["titel"], concept_label=concept, style_template=style_template, organisation=organisation
    )
    lines = [c["gemeente"], _("Versie %(n)s — %(status)s") % {"n": c["versie"], "status": c["status"]}]
    if c["vastgesteld_op"]:
        lines.append(
            _("Vastgesteld door %(body)s op %(date)s, kenmerk %(ref)s")
            % {"body": c["vastgesteld_door"], "date": c["vastgesteld_op"], "ref": c["besluit_kenmerk"]}
        )
    lines.append(_("Datum export: %(date)s") % {"date": c["datum"]})
    doc.title_page(title=c["titel"], lines=lines)
    doc.table_of_contents(_("Inhoud"), _("Werk de inhoudsopgave bij met F9 of via Verwijzingen."))

    def step_common(block):
        doc.paragraphs(block["tekst"])
        if block["onderbouwing"]:
            doc.heading(_("Onderbouwing"), 2)
            doc.paragraphs(block["onderbouwing"])
        if block["minimaal"] or block["maximaal"]:
            doc.heading(_("Afgewogen varianten"), 2)
            doc.labelled(_("Minimale variant"), block["minimaal"])
            doc.labelled(_("Maximale variant"), block["maximaal"])
        rows = _checklist_rows(block)
        if rows:
            doc.heading(_("Totstandkoming"), 2)
            doc.table([_("Onderdeel"), _("Invulling")], rows)

    doc.heading("1. " + _("Visie"))
    step_common(c["visie"])
    doc.labelled(_("Koppeling met meerjarenplannen"), c["visie"]["meerjarenplannen"])

    s = c["scope"]
    doc.heading("2. " + _("Scope"))
    if s["register"]:
        doc.heading(_("Bedrijfsmiddelen in de scope"), 2)
        doc.table(
            [_("Kenmerk"), _("Bedrijfsmiddel"), _("Soort"), _("Belang")],
            [(a["kenmerk"], a["naam"], a["soort"], a["belang"]) for a in s["register"]],
        )
    doc.labelled(_("Bedrijfsmiddelen"), s["bedrijfsmiddelen"])
    doc.labelled(_("Medewerkers en groepen"), s["medewerkers"])
    doc.labelled(_("Derden"), s["derden"])
    doc.heading(_("Deelplannen"), 2)
    if s["deelplan_register"]:
        doc.table(
            [_("Deelplan"), _("Thema"), _("Status"), _("Eigenaar"), _("Herzien uiterlijk op")],
            [(d["titel"], d["thema"], d["status"], d["eigenaar"], d["herzien"]) for d in s["deelplan_register"]],
        )
    if s["deelplannen"]:
        doc.table([_("Deelplan"), _("Scope")], [(d["naam"], d["scope"]) for d in s["deelplannen"]])
    if not s["deelplannen"] and not s["deelplan_register"]:
        doc.paragraphs(_("De gemeente heeft nog geen deelplannen."))
    doc.labelled(_("Wet- en regelgeving"), _("zie de bijlage Wettelijk kader"))
    step_common(s)

    doc.heading("3. " + _("Beveiligingsdoelen"))
    doc.table([_("Doel"), _("Waarom dit doel")], [(g["naam"], g["waarom"]) for g in c["doelen"]])
    step_common(c["doelen_tekst"])

    doc.heading("4. " + _("Uitgangspunten"))
    doc.table(
        [_("Categorie"), _("Uitgangspunt"), _("Dient doelen")],
        [(p["categorie"], p["tekst"], p["doelen"]) for p in c["uitgangspunten"]],
    )
    step_common(c["uitgangspunten_tekst"])

    q = c["kwaliteitssysteem"]
    doc.heading("5. " + _("Kwaliteitssysteem"))
    doc.heading(_("PDCA-cyclus"), 2)
    doc.paragraphs(q["pdca"])
    doc.table(
        [_("Onderdeel"), _("Keuze")],
        [
            (_("Governancevariant"), q["governance"]),
            (_("Frequentie van herziening"), q["frequentie"]),
            (_("Eigenaar van de herziening"), q["eigenaar"]),
            (_("Verankering in de planning-en-controlcyclus"), q["verankering"]),
        ],
    )
    step_common({**q, "tekst": ""})

    doc.page_break()
    doc.heading(_("Bijlage: wettelijk kader"))
    doc.table(
        [_("Groep"), _("Wet of norm"), _("Soort"), _("Vindplaats")],
        [(w["groep"], w["naam"], w["soort"], w["vindplaats"]) for w in c["wetten"]],
    )
    return doc.to_bytes()


def render_pdf(version: FrameworkVersion) -> bytes:
    context = document_context(version)
    return pdf.render_pdf(
        "framework/document_print.html", {"c": context, "concept": CONCEPT}, organisation=version.organisation
    )


# --- background jobs -----------------------------------------------------------------------


def document_size(version: FrameworkVersion) -> int:
    """Goals, principles and laws: what makes the document long."""
    from .models import StepEntry

    laws = StepEntry.laws.through.objects.filter(stepentry__version=version).count()
    return version.goals.count() + version.principles.count() + laws


def needs_background(version: FrameworkVersion, *, word_export: bool) -> bool:
    """Large documents, and every document through the municipality's own template, are made by a job."""
    if word_export and WordTemplate.objects.filter(organisation=version.organisation).exists():
        return True
    return document_size(version) > settings.DOCUMENTS_BACKGROUND_FROM_ITEMS


def _version_for_job(version_id: int) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_related("framework", "organisation").filter(pk=version_id).first()
    if version is None:
        raise RenderFailed(_("Deze versie van het strategisch kader bestaat niet meer."))
    return version


@renderer
def word_job(version_id: int, *, progress) -> Rendered:
    version = _version_for_job(version_id)
    progress(20)
    result = render_word_result(version)
    return Rendered(result.content, fallback_notice(result.reason) if result.fell_back else "")


@renderer
def pdf_job(version_id: int, *, progress) -> Rendered:
    version = _version_for_job(version_id)
    progress(20)
    return Rendered(render_pdf(version))
