"""Widgets every app can use.

:class:`Picker` replaces the Ctrl-click ``<select multiple>``: a fieldset of checkboxes (works
without JavaScript, by keyboard and on a phone), with the chosen items first, long labels that
wrap, and a text filter that narrows the list once ``static/js/picker.js`` runs (progressive
enhancement under the project's CSP: no inline script).
"""

from django import forms


class Picker(forms.CheckboxSelectMultiple):
    """Checkboxes with a filter box; checked options come first.

    ``hints`` maps an option value to a short second line (a status, a chapter) shown under the
    label and searched by the filter as well.
    """

    template_name = "forms/picker.html"
    is_picker = True

    def __init__(self, attrs=None, choices=(), hints=None):
        super().__init__(attrs, choices)
        self.hints = hints or {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [
            option for _group, group_options, _index in context["widget"]["optgroups"] for option in group_options
        ]
        for option in options:
            option["hint"] = self.hints.get(str(option["value"]), "")
        chosen = [o for o in options if o["selected"]]
        context["widget"]["options"] = chosen + [o for o in options if not o["selected"]]
        context["widget"]["chosen_count"] = len(chosen)
        return context
