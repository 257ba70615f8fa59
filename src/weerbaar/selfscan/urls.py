from django.urls import path

from . import views

app_name = "selfscan"

P = "g/<slug:org>/zelfscan/"
N = "zelfscan/"  # national pages (editors)

urlpatterns = [
    path(P, views.RoundList.as_view(), name="index"),
    path(P + "nieuw/", views.round_new, name="round_new"),
    path(P + "rondes/<int:pk>/", views.round_detail, name="round"),
    path(P + "rondes/<int:pk>/thema/<slug:slug>/", views.answer_theme, name="answer_theme"),
    path(P + "rondes/<int:pk>/afsluiten/", views.round_close, name="round_close"),
    path(P + "rondes/<int:pk>/resultaten/", views.results, name="results"),
    path(P + "rondes/<int:pk>/resultaten.pdf", views.results_pdf, name="results_pdf"),
    path(P + "rondes/<int:pk>/resultaten.docx", views.results_word, name="results_word"),
    path(P + "antwoorden/<int:pk>/bewijs/", views.evidence_download, name="evidence"),
    path(P + "antwoorden/<int:pk>/actie/", views.follow_up, {"kind": "action"}, name="to_action"),
    path(P + "antwoorden/<int:pk>/maatregel/", views.follow_up, {"kind": "measure"}, name="to_measure"),
    path(P + "vergelijking/", views.benchmark, name="benchmark"),
    path(P + "instellingen/", views.settings_page, name="settings"),
    path(N + "landelijk/", views.national, name="national"),
    path(N + "vragenlijst/", views.questionnaires, name="questionnaires"),
    path(N + "vragenlijst/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path(N + "vragenlijst/<int:pk>/vraag-toevoegen/", views.question_new, name="question_new"),
    path(N + "vragen/<int:pk>/bewerken/", views.question_edit, name="question_edit"),
    path(N + "vragen/<int:pk>/verwijderen/", views.question_delete, name="question_delete"),
]
