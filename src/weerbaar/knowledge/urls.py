from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("kennisbank/", views.index, name="index"),
    path("kennisbank/zoeken/", views.search, name="search"),
    path("kennisbank/thema/<slug:slug>/", views.theme, name="theme"),
    path("kennisbank/bouwstenen/<slug:slug>/", views.building_block, name="building_block"),
    path("kennisbank/begrippen/", views.glossary, name="glossary"),
    path("kennisbank/wetten/", views.laws, name="laws"),
    path("kennisbank/catalogus/stappen/", views.steps, name="steps"),
    path("kennisbank/catalogus/scope/", views.scope, name="scope"),
    path("kennisbank/catalogus/doelen/", views.goals, name="goals"),
    path("kennisbank/catalogus/uitgangspunten/", views.principles, name="principles"),
    path("kennisbank/catalogus/pdca/", views.pdca, name="pdca"),
    path("kennisbank/catalogus/governance/", views.governance, name="governance"),
    # National editors
    path("kennisbank/redactie/", views.review, name="review"),
    path("kennisbank/redactie/bijdragen/<int:pk>/", views.review_detail, name="review_detail"),
    path(
        "kennisbank/bouwstenen/<slug:slug>/bewerken/",
        views.edit,
        {"kind": "building_block"},
        name="building_block_edit",
    ),
    path(
        "kennisbank/bouwstenen/<slug:slug>/status/",
        views.publish_toggle,
        {"kind": "building_block"},
        name="building_block_status",
    ),
    path("kennisbank/begrippen/<slug:slug>/bewerken/", views.edit, {"kind": "term"}, name="term_edit"),
    path("kennisbank/wetten/<slug:slug>/bewerken/", views.edit, {"kind": "law"}, name="law_edit"),
    path("kennisbank/voorbeelden/<slug:slug>/bewerken/", views.edit, {"kind": "example"}, name="example_edit"),
    path("kennisbank/thema/<slug:slug>/bewerken/", views.edit, {"kind": "theme"}, name="theme_edit"),
    path("kennisbank/catalogus/stappen/<slug:slug>/bewerken/", views.edit, {"kind": "step"}, name="step_edit"),
    path(
        "kennisbank/catalogus/scope/<slug:slug>/bewerken/",
        views.edit,
        {"kind": "scope_element"},
        name="scope_element_edit",
    ),
    path("kennisbank/catalogus/doelen/<slug:slug>/bewerken/", views.edit, {"kind": "goal"}, name="goal_edit"),
    path(
        "kennisbank/catalogus/uitgangspunten/<slug:slug>/bewerken/",
        views.edit,
        {"kind": "principle"},
        name="principle_edit",
    ),
    path("kennisbank/catalogus/pdca/<slug:slug>/bewerken/", views.edit, {"kind": "pdca"}, name="pdca_edit"),
    path(
        "kennisbank/catalogus/governance/<slug:slug>/bewerken/",
        views.edit,
        {"kind": "governance"},
        name="governance_edit",
    ),
    # A municipality offers its own examples and tips
    path("g/<slug:org>/kennisbank/bijdragen/", views.submissions, name="submissions"),
]
