"""What opens a municipal view: the active membership must hold a named permission.

The tenancy scope is already open (``core.middleware``); this only asks ``core.permissions``.
"""

from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404

from . import permissions


def org_permission(rule: str):
    """The view needs a rule of ``core.permissions`` in the active municipality (else 403; no membership: 404).

    A bare name (``"view"``) is the base role permission ``core.view``.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.membership is None:
                raise Http404
            permissions.require(request.membership, rule)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)
