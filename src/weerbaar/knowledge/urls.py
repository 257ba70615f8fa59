from django.urls import path

from . import views

app_name = "knowledge"

# Where each kind of item lives; its edit and status pages hang under it.
ITEM_PREFIXES = {
    "building_block": "kennisbank/bouwstenen/<slug:slug>/",
    "term": "kennisbank/begrippen/<slug:slug>/",
    "law": "kennisbank/wetten/<slug:slug>/",
    "example": "kennisbank/voorbeelden/<slug:slug>/",
    "theme": "kennisbank/thema/<slug:slug>/",
    "step": "kennisbank/catalogus/stappen/<slug:slug>/",
    "scope_element": "kennisbank/catalogus/scope/<slug:slug>/",
    "goal": "kennisbank/catalogus/doelen/<slug:slug>/",
    "principle": "kennisbank/catalogus/uitgangspunten/<slug:slug>/",
    "pdca": "kennisbank/catalogus/pdca/<slug:slug>/",
    "governance": "kennisbank/catalogus/governance/<slug:slug>/",
}
# The address part for "new ..." pages, in Dutch.
CREATE_PATHS = {
    "law": "wet",
    "building_block": "bouwsteen",
    "term": "begrip",
    "example": "voorbeeld",
    "goal": "doel",
    "principle": "uitgangspunt",
}

urlpatterns = [
    # Open to visitors
    path("welkom/", views.welcome, name="welcome"),
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
    path("kennisbank/redactie/koppelingen/", views.links, name="links"),
    *(
        path(f"kennisbank/redactie/nieuw/{part}/", views.create, {"kind": kind}, name=f"{kind}_create")
        for kind, part in CREATE_PATHS.items()
    ),
    *(
        path(prefix + "bewerken/", views.edit, {"kind": kind}, name=f"{kind}_edit")
        for kind, prefix in ITEM_PREFIXES.items()
    ),
    *(
        path(prefix + "status/", views.set_status, {"kind": kind}, name=f"{kind}_status")
        for kind, prefix in ITEM_PREFIXES.items()
    ),
    path("kennisbank/wetten/<slug:slug>/vervangen/", views.law_replace, name="law_replace"),
    # A municipality offers its own examples and tips
    path("g/<slug:org>/kennisbank/bijdragen/", views.submissions, name="submissions"),
]
