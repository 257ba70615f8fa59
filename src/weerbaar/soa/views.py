"""Pages of the statement of applicability: thin, the rules live in services and selectors."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from weerbaar.core import generic, permissions
from weerbaar.core.decorators import org_permission
from weerbaar.documents.excel import xlsx_response

from . import catalogue, selectors, services
from .excel import export_statement
from .forms import ApplicabilityForm, ChapterForm, StatementFilterForm
from .models import Applicability


def _url(org: str, name: str) -> str:
    return reverse(name, kwargs={"org": org})


@org_permission("soa.view")
def statement(request, org):
    form = StatementFilterForm(request.GET or None)
    rows = selectors.statement(organisation=request.organisation)
    shown = selectors.filter_rows(rows, **form.filters()) if request.GET else rows
    can_edit = permissions.allowed(request.membership, "soa.edit")
    return TemplateResponse(
        request,
        "soa/statement.html",
        {
            "form": form,
            "summary": selectors.summarise(rows),
            "groups": selectors.by_chapter(shown),
            "shown": len(shown),
            "total": len(rows),
            "can_edit": can_edit,
            "chapter_form": ChapterForm(),
            "source_url": catalogue.source_url(),
            "source_repository": catalogue.source_repository(),
            "version": catalogue.VERSION,
            "next_url": request.get_full_path(),
        },
    )


class ApplicabilityEdit(generic.ObjectEditView):
    """Decide for one BIO2 government measure (``?nummer=5.15.01``) whether it applies."""

    permission = "soa.view"
    edit_rule = "soa.edit"
    create_rule = "soa.edit"
    template_name = "soa/applicability_edit.html"
    partial_template_name = "core/_object_form.html"
    form_class = ApplicabilityForm
    list_url_name = "soa:statement"
    success_message = gettext_lazy("De toepasselijkheid van %(name)s is opgeslagen.")

    def get_object(self):
        bio2 = selectors.government_measure(self.request.GET.get("nummer", "")[:12])
        if bio2 is None:
            raise Http404
        self.bio2 = bio2
        found = Applicability.objects.filter(bio2=bio2).first()
        return found or Applicability(organisation=self.organisation, bio2=bio2)

    def check_permission(self, obj) -> None:
        self.require("soa.edit")

    def get_form_kwargs(self, obj):
        if obj.pk:
            initial = {"decision": obj.decision, "reason": obj.reason, "revision": obj.revision}
        else:
            initial = {"revision": services.NEW}
        return {"initial": initial}

    def saved_values(self, form, current):
        return {"decision": current.decision, "reason": current.reason}

    def save(self, form, obj):
        data = form.cleaned_data
        return services.applicability_set(
            organisation=self.organisation,
            membership=self.membership,
            bio2=self.bio2,
            decision=data["decision"],
            reason=data["reason"],
            expected_revision=data.get("revision"),
        )

    def get_title(self, obj):
        return _("Toepasselijkheid van BIO2-maatregel %(n)s") % {"n": self.bio2.number}

    def get_success_message(self, obj):
        return self.success_message % {"name": self.bio2.number}

    def get_return_url(self, obj):
        back = self.request.POST.get("terug") or self.request.GET.get("terug") or ""
        base = self.url(self.list_url_name)
        if not back.startswith(base):  # only back to the statement itself, never elsewhere
            back = base
        return f"{back}#bio2-{self.bio2.number}"

    def render(self, obj, form, conflict=None):
        response = super().render(obj, form, conflict)
        rows = selectors.statement(organisation=self.organisation)
        row = next(r for r in rows if r.bio2.pk == self.bio2.pk)
        response.context_data.update({"row": row, "source_url": catalogue.source_url()})
        return response


@require_POST
@org_permission("soa.edit")
def chapter_applicable(request, org):
    form = ChapterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een hoofdstuk."))
        return redirect(_url(org, "soa:statement"))
    chapter = form.cleaned_data["hoofdstuk"]
    count = services.chapter_mark_applicable(
        organisation=request.organisation, membership=request.membership, chapter=chapter
    )
    messages.success(
        request,
        _("%(n)s maatregelen in %(chapter)s staan nu op 'van toepassing'.")
        % {"n": count, "chapter": catalogue.CHAPTERS[chapter]},
    )
    return redirect(_url(org, "soa:statement") + f"?hoofdstuk={chapter}")


@org_permission("soa.view")
def export_xlsx(request, org):
    return xlsx_response(
        export_statement(organisation=request.organisation), f"verklaring-van-toepasselijkheid-{org}.xlsx"
    )
