"""Thin views of the yearly report: parse input, call a service or selector, render.

Submitting, sending back, adopting and starting a new version each ask first on a page that
says what will happen (GET), and act on the confirmation (POST). Errors of the adoption form
are shown at the field and in an error summary at the top.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.core import generic
from weerbaar.core.decorators import apply_validation_error
from weerbaar.documents.word import DOCX_CONTENT_TYPE

from . import content, documents, selectors, services
from .forms import AdoptForm, BuildForm, TextsForm
from .models import YearReport


def _rights(view) -> dict:
    return {
        "can_edit": view.allowed("yearreport.edit"),
        "can_adopt": view.allowed("yearreport.adopt"),
        "can_withdraw": view.allowed("yearreport.withdraw"),
    }


class ReportList(generic.ObjectListView):
    permission = "yearreport.view"
    template_name = "yearreport/list.html"
    selector = "weerbaar.yearreport.selectors.report_list"
    per_page = 20

    def get_extra_context(self, form, filters):
        rights = _rights(self)
        return {
            **rights,
            "build_form": getattr(self, "build_form", None) or (BuildForm() if rights["can_edit"] else None),
        }

    def post(self, request, *args, **kwargs):
        """Build the report for the chosen year (the coordinator's one click)."""
        self.require("yearreport.edit")
        self.build_form = BuildForm(request.POST)
        if self.build_form.is_valid():
            try:
                report = services.report_build(
                    organisation=self.organisation,
                    membership=self.membership,
                    year=self.build_form.cleaned_data["year"],
                )
            except services.OpenVersionExists as e:
                messages.info(request, e.messages[0] + " " + _("U ziet het hieronder."))
                return redirect("yearreport:detail", org=self.org, pk=e.existing.pk)
            except ValidationError as e:
                apply_validation_error(self.build_form, e)
            else:
                messages.success(request, _("%(name)s is opgesteld.") % {"name": report})
                return redirect("yearreport:detail", org=self.org, pk=report.pk)
        response = self.get(request, *args, **kwargs)
        response.status_code = 400
        return response


class ReportDetail(generic.ObjectDetailView):
    permission = "yearreport.view"
    template_name = "yearreport/detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return selectors.detail_queryset()

    def get_extra_context(self, report):
        chapters = selectors.chapters_of(report)
        return {
            **_rights(self),
            "title": documents.title_of(report),
            "chapters": content.prepare_for_display(chapters),
            "problems": services.submit_problems(report) if report.is_draft else [],
            "versions": list(selectors.report_list(organisation=self.organisation, year=report.year)),
            "has_open_version": selectors.open_version(organisation=self.organisation, year=report.year) is not None,
        }


class TextsEdit(generic.ObjectEditView):
    """Foreword and conclusions of a draft (optimistic locking through ``revision``)."""

    permission = "yearreport.edit"
    template_name = "yearreport/texts_edit.html"
    model = YearReport
    form_class = TextsForm
    edit_rule = "yearreport.edit"
    detail_url_name = "yearreport:detail"
    list_url_name = "yearreport:list"
    success_message = gettext_lazy("Voorwoord en conclusies van %(name)s zijn opgeslagen.")

    def get_queryset(self):
        return selectors.detail_queryset()

    def get_title(self, obj):
        return _("Voorwoord en conclusies: %(name)s") % {"name": obj}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        if not obj.is_draft:
            messages.info(
                request,
                _("Dit jaarverslag is %(status)s en kan niet meer worden gewijzigd.")
                % {"status": obj.get_status_display()},
            )
            return redirect("yearreport:detail", org=self.org, pk=obj.pk)
        return super().get(request, *args, **kwargs)

    def save(self, form, obj):
        data, revision = form.pop_revision()
        return services.texts_save(
            report=obj,
            membership=self.membership,
            foreword=data["foreword"],
            conclusions=data["conclusions"],
            expected_revision=revision,
        )


class _Confirm(generic.SingleObjectMixin, generic.MunicipalView):
    """Ask on a page that says what will happen; act on POST through the service."""

    permission = "yearreport.view"
    template_name = "yearreport/confirm.html"
    model = YearReport
    rule = ""
    form_class = None
    heading = ""
    button = ""
    success = ""

    def get_queryset(self):
        return selectors.detail_queryset()

    def consequences(self, report) -> list[str]:
        return []

    def problems(self, report) -> list[tuple[str, str]]:
        return []

    def act(self, report, form):
        raise NotImplementedError

    def render(self, report, form=None, errors=None, status=200):
        problems = errors if errors is not None else self.problems(report)
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "report": report,
                "heading": self.heading % {"name": report},
                "consequences": self.consequences(report),
                "problems": problems,
                "form": form,
                "button": self.button,
                "title": documents.title_of(report),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        self.require(self.rule, report)
        return self.render(report, self.form_class() if self.form_class else None)

    def post(self, request, *args, **kwargs):
        report = self.get_object()
        self.require(self.rule, report)
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.render(report, form, status=400)
        try:
            result = self.act(report, form)
        except ValidationError as e:
            if form is not None:
                apply_validation_error(form, e)
                return self.render(report, form, status=400)
            return self.render(report, None, errors=_problems(e), status=400)
        messages.success(request, self.success % {"name": result})
        return redirect("yearreport:detail", org=self.org, pk=result.pk)


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(field, message) for field, errs in error.message_dict.items() for message in errs]
    return [("", m) for m in error.messages]


class Submit(_Confirm):
    rule = "yearreport.edit"
    heading = gettext_lazy("%(name)s indienen ter besluitvorming?")
    button = gettext_lazy("Ja, indienen")
    success = gettext_lazy("%(name)s ligt nu ter besluitvorming bij het bestuur.")

    def consequences(self, report):
        return [
            _("De hoofdstukken worden vastgelegd zoals ze nu zijn; latere wijzigingen tellen niet meer mee."),
            _("Voorwoord en conclusies liggen dan vast, tenzij het verslag terug naar concept gaat."),
            _("Een bestuurder kan het verslag daarna vaststellen of terugsturen."),
        ]

    def problems(self, report):
        if not report.is_draft:
            return [("", _("Alleen een concept kan ter besluitvorming worden ingediend."))]
        return services.submit_problems(report)

    def act(self, report, form):
        return services.report_submit(report=report, membership=self.membership)


class Withdraw(_Confirm):
    rule = "yearreport.withdraw"
    heading = gettext_lazy("%(name)s terug naar concept?")
    button = gettext_lazy("Ja, terug naar concept")
    success = gettext_lazy("%(name)s is terug in concept.")

    def consequences(self, report):
        return [
            _("Het verslag ligt dan niet meer ter besluitvorming."),
            _("De vastgelegde hoofdstukken vervallen; het concept toont weer de actuele stand van de registers."),
            _("De coördinator kan voorwoord en conclusies weer aanpassen en opnieuw indienen."),
        ]

    def problems(self, report):
        if report.status != YearReport.Status.SUBMITTED:
            return [("", _("Alleen een jaarverslag dat ter besluitvorming ligt, kan terug naar concept."))]
        return []

    def act(self, report, form):
        return services.report_withdraw(report=report, membership=self.membership)


class Adopt(_Confirm):
    rule = "yearreport.adopt"
    form_class = AdoptForm
    heading = gettext_lazy("%(name)s vaststellen?")
    button = gettext_lazy("Ja, vaststellen")
    success = gettext_lazy("%(name)s is vastgesteld.")

    def consequences(self, report):
        lines = [
            _("U legt het besluit van het bestuur vast: datum, kenmerk en wie het verslag vaststelde."),
            _("Het verslag wordt daarna bevroren: Word en PDF worden bewaard zoals ze nu zijn."),
        ]
        if YearReport.objects.filter(
            organisation_id=report.organisation_id, year=report.year, status=YearReport.Status.ADOPTED
        ).exists():
            lines.append(_("De eerder vastgestelde versie van dit jaar wordt vervangen."))
        previous = services.previous_decision(report)
        if previous is not None:
            from django.utils.formats import date_format

            lines.append(
                _("De datum van het besluit ligt niet vóór %(date)s, het besluit over %(name)s.")
                % {"date": date_format(previous.adopted_on, "j F Y"), "name": previous}
            )
        return lines

    def problems(self, report):
        if report.status != YearReport.Status.SUBMITTED:
            return [("", _("Alleen een jaarverslag dat ter besluitvorming ligt, kan worden vastgesteld."))]
        return []

    def act(self, report, form):
        return services.report_adopt(report=report, membership=self.membership, **form.cleaned_data)


class NewVersion(_Confirm):
    rule = "yearreport.edit"
    heading = gettext_lazy("Nieuwe versie van %(name)s beginnen?")
    button = gettext_lazy("Ja, nieuwe versie beginnen")
    success = gettext_lazy("%(name)s is begonnen als concept.")

    def consequences(self, report):
        return [
            _("Er komt een nieuw concept voor %(year)s, met de actuele stand van de registers.")
            % {"year": report.year},
            _("Voorwoord en conclusies worden overgenomen; u kunt ze aanpassen."),
            _("De vastgestelde versie blijft bewaard tot het bestuur de nieuwe vaststelt."),
        ]

    def problems(self, report):
        if not report.is_frozen:
            return [("", _("Een nieuwe versie begint u vanaf een vastgesteld jaarverslag."))]
        if selectors.open_version(organisation=self.organisation, year=report.year) is not None:
            return [("", _("Voor dit jaar is er al een versie in voorbereiding."))]
        return []

    def act(self, report, form):
        return services.new_version(report=report, membership=self.membership)


class Download(generic.SingleObjectMixin, generic.MunicipalView):
    permission = "yearreport.view"
    word_export = True

    def get_queryset(self):
        return selectors.detail_queryset()

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        body = documents.document_bytes(report, word_export=self.word_export)
        extension, content_type = ("docx", DOCX_CONTENT_TYPE) if self.word_export else ("pdf", "application/pdf")
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{documents.filename(report, extension)}"'
        return response
