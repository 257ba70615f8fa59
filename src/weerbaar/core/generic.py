"""Generic municipal views: a register declares a model, a form, a selector and a service.

After NetBox's ``netbox/views/generic/object_views.py``. Every view runs inside the active
municipality (the tenancy scope is open, ``core.middleware``): without a membership it is a 404,
and each asks its rule of ``core.permissions`` before anything else.

- :class:`ObjectListView`: filter form → selector keyword arguments, sorting and pagination
  (``core.selectors.paginate``); an htmx request aimed at ``#results`` gets only the table.
- :class:`ObjectDetailView`: one object from the scoped queryset (another municipality's id is
  a 404).
- :class:`ObjectEditView`: create or update through the service; the form keeps what was typed
  (400 on errors); a stale-revision error from the service is a 409 with a table of what the
  other person saved next to what this person typed.
- :class:`ObjectDeleteView`: asks first and lists what depends on the object; the service
  decides whether it refuses (its ValidationError is shown, 400) or takes the dependents along.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import View

from . import permissions
from .decorators import apply_validation_error
from .money import format_money
from .selectors import paginate


def is_stale(error: ValidationError) -> bool:
    """A service's "someone else saved this since you opened it" error (risks.services.StaleRevision).

    Recognised by its shape (code ``stale`` and the ``current`` row), so every app's own
    StaleRevision works here without core importing the app.
    """
    return getattr(error, "code", None) == "stale" and getattr(error, "current", None) is not None


# --- shared helpers ------------------------------------------------------------------------


def display_value(field, value) -> str:
    """A form value as a person reads it, for the 'someone else saved this' table."""
    if value is None or value == "":
        return ""
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(sorted(display_value(field, v) for v in value))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, Decimal):
        return f"€ {format_money(value)}"
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): str(v) for k, v in label})
            else:
                labels[str(key)] = str(label)
        return labels.get(str(value), str(value))
    return str(value).replace("\r\n", "\n").strip()


def stale_differences(form, saved: dict) -> list[dict]:
    """Per field: what the other person saved and what this editor typed, where they differ."""
    rows = []
    for name, form_field in form.fields.items():
        if name == "revision" or name.endswith("_confirmed") or name not in saved:
            continue
        theirs = display_value(form_field, saved[name])
        mine = display_value(form_field, form.cleaned_data.get(name))
        if theirs != mine:
            rows.append({"label": form_field.label or name, "theirs": theirs, "mine": mine})
    return rows


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


@dataclass
class Dependents:
    """One group of rows a delete touches, as the confirm page lists it.

    ``blocks``: while any item is in this group the service refuses, so the page offers no
    delete button (the POST still goes to the service, which says why).
    """

    intro: str
    items: list = field(default_factory=list)
    empty: str = ""
    blocks: bool = False
    link: str | None = None  # URL name for each item (with org and pk), when the item can be fixed there


def _object_or_list_url(view, obj) -> str:
    if obj is not None and obj.pk:
        if hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        if view.detail_url_name:
            return view.url(view.detail_url_name, pk=obj.pk)
    return view.url(view.list_url_name)


# --- base ----------------------------------------------------------------------------------


class MunicipalView(View):
    """A view in the active municipality, opened by one rule of ``core.permissions``."""

    permission: str = "core.view"
    #: a template included at the top of the generic pages (the app's sub navigation)
    subnav_template: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "membership", None) is None:
            raise Http404
        permissions.require(request.membership, self.permission)
        self.org = kwargs.get("org")
        return super().dispatch(request, *args, **kwargs)

    @property
    def membership(self):
        return self.request.membership

    @property
    def organisation(self):
        return self.request.organisation

    def allowed(self, rule: str, obj=None) -> bool:
        return permissions.allowed(self.membership, rule, obj)

    def require(self, rule: str, obj=None) -> None:
        permissions.require(self.membership, rule, obj)

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"org": self.org, **kwargs})

    def base_context(self) -> dict:
        return {"subnav_template": self.subnav_template}


class SingleObjectMixin:
    model: type[models.Model] | None = None
    #: foreign keys read with the object (``select_related``)
    related: tuple[str, ...] = ()

    def get_queryset(self):
        """The model's scoped manager, built per request: a scoped queryset cannot be a class attribute."""
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model or a get_queryset()")
        qs = self.model._default_manager.all()
        return qs.select_related(*self.related) if self.related else qs

    def http_method_not_allowed(self, request, *args, **kwargs):
        # Another municipality's id is a 404 whatever the method: a 405 would confirm it exists.
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def get_object(self):
        """The object named by ``pk``, through the scoped manager: another municipality's is a 404."""
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(self.get_queryset(), pk=pk)


# --- list ----------------------------------------------------------------------------------


class ObjectListView(MunicipalView):
    template_name: str = ""
    #: the table alone, for htmx requests aimed at ``#results``
    partial_template_name: str = ""
    filter_form_class: type[forms.Form] | None = None
    #: ``selector(organisation=..., **filters)`` returns the queryset to page through: a callable,
    #: or its dotted path, looked up per request (so the selector module stays the one place to change)
    selector = None
    per_page: int = 25

    def filters(self, data: dict) -> dict:
        """Selector keyword arguments from the filter form's cleaned data."""
        return {}

    def alter_page(self, page) -> None:
        """Annotate the rows of this page (edit flags): a hook, nothing by default."""

    def get_extra_context(self, form, filters: dict) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        form = self.filter_form_class(request.GET or None) if self.filter_form_class else None
        filters = self.filters(form.cleaned_data) if form is not None and form.is_valid() else {}
        selector = type(self).selector
        if isinstance(selector, str):
            selector = import_string(selector)
        page = paginate(
            selector(organisation=self.organisation, **filters), page=request.GET.get("pagina"), per_page=self.per_page
        )
        self.alter_page(page)
        partial = request.htmx and request.htmx.target == "results" and self.partial_template_name
        context = {
            **self.base_context(),
            "form": form,
            "page": page,
            "query": query_without_page(request),
            **self.get_extra_context(form, filters),
        }
        return TemplateResponse(request, self.partial_template_name if partial else self.template_name, context)


# --- detail --------------------------------------------------------------------------------


class ObjectDetailView(SingleObjectMixin, MunicipalView):
    template_name: str = ""
    context_object_name: str = "object"

    def get_extra_context(self, obj) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        context = {**self.base_context(), "object": obj, self.context_object_name: obj, **self.get_extra_context(obj)}
        return TemplateResponse(request, self.template_name, context)


# --- edit ----------------------------------------------------------------------------------


class ObjectEditView(SingleObjectMixin, MunicipalView):
    """Create (no ``pk``) or update an object through the app's service."""

    permission = "core.edit"
    template_name = "core/object_edit.html"
    partial_template_name = "core/_object_form.html"
    form_class: type[forms.BaseForm] | None = None
    #: rule asked with the object before it is shown or changed
    edit_rule: str | None = None
    #: rule asked (without an object) before a new one is offered
    create_rule: str | None = None
    #: rule asked with the set of theme ids a POST names in ``themes_field`` (a theme expert
    #: posting themes outside their own is refused with 403 before the form is read)
    themes_rule: str | None = None
    themes_field: str = "themes"
    success_message: str = ""
    #: URL name of the object's own page (with ``org`` and ``pk``), where the editor returns
    detail_url_name: str | None = None
    #: URL name of the list, where an object without a page of its own returns
    list_url_name: str | None = None

    # Hooks a register overrides ----------------------------------------------------------

    def check_permission(self, obj) -> None:
        if obj is not None and self.edit_rule:
            self.require(self.edit_rule, obj)
        elif obj is None and self.create_rule:
            self.require(self.create_rule)
        if self.themes_rule and self.request.method == "POST":
            ids = {int(v) for v in self.request.POST.getlist(self.themes_field) if str(v).isdigit()}
            if ids:
                self.require(self.themes_rule, ids)

    def alter_object(self, obj):
        """Adjust the object (or the new object's defaults) before the form sees it."""
        return obj

    def get_form_kwargs(self, obj) -> dict:
        return {"instance": obj}

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, **self.get_form_kwargs(obj))

    def save(self, form, obj):
        """Call the service; it raises ValidationError or a StaleRevision, never builds a response."""
        raise NotImplementedError

    def saved_values(self, form, current) -> dict:
        """What the other person saved, keyed by form field, for the difference table.

        A plain form that fills itself from a row declares ``initial_for(row)``; that is used.
        """
        initial_for = getattr(type(form), "initial_for", None)
        if initial_for is not None:
            return initial_for(current)
        return model_to_dict(current, fields=list(form._meta.fields))

    def get_title(self, obj) -> str:
        return str(obj) if obj is not None else ""

    def get_return_url(self, obj) -> str:
        """Where the editor goes after saving (or cancelling): the object's own page, else the list."""
        return _object_or_list_url(self, obj)

    def get_cancel_url(self, obj) -> str:
        return self.get_return_url(obj)

    def get_success_message(self, obj) -> str:
        return self.success_message % {"name": obj}

    # The flow ------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_permission(obj)
        obj = self.alter_object(obj)
        return self.render(obj, self.get_form(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_permission(obj)
        obj = self.alter_object(obj)
        form = self.get_form(obj)
        conflict = None
        if form.is_valid():
            try:
                saved = self.save(form, obj)
            except ValidationError as e:
                if not is_stale(e):
                    apply_validation_error(form, e)
                else:
                    conflict = {
                        "message": e.messages[0],
                        "rows": stale_differences(form, self.saved_values(form, e.current)),
                    }
                    # Saving again now knowingly overwrites what the other person saved.
                    form.carry_revision(e.current.revision)
            else:
                messages.success(request, self.get_success_message(saved))
                return redirect(self.get_return_url(saved))
        return self.render(obj, form, conflict)

    def render(self, obj, form, conflict: dict | None = None) -> TemplateResponse:
        """200 to start, 400 with the errors, 409 when someone else saved in between."""
        status = 409 if conflict else (400 if form is not None and form.errors else 200)
        if obj is not None and obj.pk is None:
            obj = None
        context = {
            **self.base_context(),
            "form": form,
            "object": obj,
            "conflict": conflict,
            "title": self.get_title(obj),
            "cancel_url": self.get_cancel_url(obj),
        }
        partial = self.request.htmx and self.request.htmx.target == "object-form"
        return TemplateResponse(
            self.request, self.partial_template_name if partial else self.template_name, context, status=status
        )


# --- delete --------------------------------------------------------------------------------


class ObjectDeleteView(SingleObjectMixin, MunicipalView):
    """Ask first, list what depends on the object, then let the service delete (or refuse)."""

    permission = "core.edit"
    template_name = "core/object_confirm_delete.html"
    delete_rule: str | None = None
    success_message: str = ""
    detail_url_name: str | None = None
    list_url_name: str | None = None

    def check_permission(self, obj) -> None:
        if self.delete_rule:
            self.require(self.delete_rule, obj)

    def dependents(self, obj) -> list[Dependents]:
        """What the delete takes along or what stands in its way, group by group."""
        return []

    def describe(self, obj) -> str:
        """A line about the object itself on the confirm page (empty: its name in the heading is enough)."""
        return ""

    def delete(self, obj) -> None:
        """Call the service; a ValidationError says why it refuses."""
        raise NotImplementedError

    def get_return_url(self, obj) -> str:
        """After the delete: the list (the object's page is gone)."""
        return self.url(self.list_url_name)

    def get_cancel_url(self, obj) -> str:
        """'No, back': to the object's own page where it has one."""
        return _object_or_list_url(self, obj)

    def get_success_message(self, obj) -> str:
        return self.success_message % {"name": obj}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_permission(obj)
        return self.render(obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_permission(obj)
        # Read before the delete: the return URL and message may need the object's fields.
        message, back = self.get_success_message(obj), self.get_return_url(obj)
        try:
            self.delete(obj)
        except ValidationError as e:
            return self.render(obj, error=e.messages[0])
        messages.success(request, message)
        return redirect(back)

    def render(self, obj, error: str | None = None) -> TemplateResponse:
        groups = self.dependents(obj)
        context = {
            **self.base_context(),
            "object": obj,
            "description": self.describe(obj),
            "dependents": groups,
            "blocked": any(g.blocks and g.items for g in groups),
            "error": error,
            "cancel_url": self.get_cancel_url(obj),
        }
        return TemplateResponse(self.request, self.template_name, context, status=400 if error else 200)
