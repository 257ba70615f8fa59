"""Who may do what in the knowledge base, asked through ``core.permissions``.

The knowledge base is national: national editors keep it (and see drafts); members of a
municipality who edit there may send a submission, within their own themes.
"""

from weerbaar.core.permissions import USER, allowed, can_edit_theme, has_perm, rule


@rule("knowledge.edit", subject=USER)
def can_edit(user, obj=None) -> bool:
    """Create, change and publish knowledge items; see drafts and revisions."""
    return allowed(user, "core.national_editor")


@rule("knowledge.submit")
def can_submit(membership, theme=None) -> bool:
    """Send a submission to the national editors; with a theme, only within the member's themes."""
    if theme is None:
        return has_perm(membership, "edit")
    return can_edit_theme(membership, [theme.pk])
