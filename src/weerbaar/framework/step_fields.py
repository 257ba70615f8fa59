"""Which fields of a step entry a step may write.

Shared by the services (which refuse other fields) and the selectors (which compare versions
field by field); kept apart from both so neither imports the other for it.
"""

from .models import Step

# Fields a step may write, per step; the checklist fields belong to every step.
COMMON_FIELDS = [
    "text",
    "rationale",
    "minimum_variant",
    "maximum_variant",
    "drafted_by",
    "adopted_by",
    "stakeholders_official",
    "stakeholders_administrative",
    "stakeholders_political",
    "working_session_on",
    "working_session_notes",
    "variants_considered",
]
STEP_FIELDS = {
    Step.VISION: ["multi_year_plans"],
    Step.SCOPE: [
        "assets",
        "staff_groups",
        "third_parties",
        "no_sub_plans",
        "sub_plan_information",
        "sub_plan_physical",
        "sub_plan_personnel",
        "sub_plan_continuity",
    ],
    Step.GOALS: [],
    Step.PRINCIPLES: [],
    Step.QUALITY: ["governance_variant", "review_frequency", "review_owner", "planning_cycle_anchor"],
}


def editable_fields(step: str) -> list[str]:
    return COMMON_FIELDS + STEP_FIELDS[step]
