from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from weerbaar.api.api import api

urlpatterns = [
    path("account/", include("allauth.urls")),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("", include("weerbaar.accounts.urls")),
    path("", include("weerbaar.core.urls")),
    path("", include("weerbaar.knowledge.urls")),
    path("", include("weerbaar.framework.urls")),
    path("", include("weerbaar.risks.urls")),
    path("", include("weerbaar.cycle.urls")),
    path("", include("weerbaar.incidents.urls")),
    path("", include("weerbaar.training.urls")),
    path("", include("weerbaar.agenda.urls")),
    path("", include("weerbaar.yearreport.urls")),
    path("", include("weerbaar.selfscan.urls")),
    path("", include("weerbaar.soa.urls")),
    path("", include("weerbaar.circles.urls")),
]

handler404 = "weerbaar.core.views.error_404"
handler403 = "weerbaar.core.views.error_403"
handler500 = "weerbaar.core.views.error_500"
