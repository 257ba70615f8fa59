"""Prepare the test provider: a signing key, one person and Weerbaar as its client."""

import json
import sys

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType  # noqa: E402

redirect_uri, email = sys.argv[1], sys.argv[2]
call_command("creatersakey", verbosity=0)
User.objects.create_user(username="medewerker", email=email, password="provider-wachtwoord", first_name="Mees")
client = Client.objects.create(
    name="Weerbaar",
    client_type="confidential",
    client_id="weerbaar-test",
    client_secret="geheim-van-de-provider",
    require_consent=False,
    jwt_alg="RS256",
    _redirect_uris=redirect_uri,
)
client.response_types.add(ResponseType.objects.get(value="code"))
print("READY" + json.dumps({"client_id": client.client_id, "secret": client.client_secret}))
