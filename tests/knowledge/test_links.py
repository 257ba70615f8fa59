"""The link check flags outside addresses that stopped answering; tested against a local server."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from weerbaar.knowledge.models import BuildingBlock, ExternalLink, Law, LawGroup, Status
from weerbaar.knowledge.tasks import check_links


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        if self.path.startswith("/ok"):
            self.send_response(200)
        elif self.path.startswith("/no-head") and self.command == "HEAD":
            self.send_response(405)
        elif self.path.startswith("/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def only_local_links(content):
    """The shipped content links to the real internet: the test checks only its own addresses."""
    Law.objects.update(url="")


def test_link_check_flags_addresses_that_stopped_answering(editor_client, local_server, closed_port, only_local_links):
    group = LawGroup.objects.first()
    gone = Law.objects.create(slug="oude-wet", name="Oude wet", group=group, url=f"{local_server}/gone")
    Law.objects.create(slug="goede-wet", name="Goede wet", group=group, url=f"{local_server}/ok")
    Law.objects.create(slug="zonder-head", name="Wet zonder HEAD", group=group, url=f"{local_server}/no-head")
    block = BuildingBlock.objects.get(slug="zonering-gemeentehuis")
    BuildingBlock.objects.filter(pk=block.pk).update(
        why=f"Zie [de handreiking](http://127.0.0.1:{closed_port}/handreiking) en [dit]({local_server}/ok)."
    )
    Law.objects.create(
        slug="ingetrokken", name="Ingetrokken", group=group, url=f"{local_server}/gone2", status=Status.RETIRED
    )

    result = check_links.enqueue()
    assert result.return_value == {"checked": 4, "broken": 2}

    broken = {link.url: link for link in ExternalLink.objects.filter(ok=False)}
    assert set(broken) == {f"{local_server}/gone", f"http://127.0.0.1:{closed_port}/handreiking"}
    assert broken[f"{local_server}/gone"].status_code == 404
    assert broken[f"{local_server}/gone"].used_by == [{"title": "Oude wet", "url": gone.get_absolute_url()}]
    assert broken[f"http://127.0.0.1:{closed_port}/handreiking"].used_by[0]["url"] == block.get_absolute_url()
    assert ExternalLink.objects.get(url=f"{local_server}/no-head").ok  # refuses HEAD, serves GET

    page = editor_client.get(reverse("knowledge:links"))
    body = page.content.decode()
    assert f"{local_server}/gone" in body and "foutcode 404" in body
    assert "De website antwoordt niet" in body
    assert f"{local_server}/ok<" not in body  # working addresses are not listed

    # The laws page marks the law with a dead link for editors, not for visitors.
    marker = "De officiële tekst gaf bij de laatste controle geen pagina"
    assert editor_client.get(reverse("knowledge:laws")).content.decode().count(marker) == 1


def test_visitors_do_not_see_link_check_results(client, local_server, only_local_links):
    Law.objects.create(slug="weg", name="Weg", group=LawGroup.objects.first(), url=f"{local_server}/gone")
    check_links.enqueue()
    assert "bij de laatste controle" not in client.get(reverse("knowledge:laws")).content.decode()


def test_a_repaired_address_leaves_the_list_and_keeps_no_failure_date(local_server, only_local_links):
    group = LawGroup.objects.first()
    law = Law.objects.create(slug="wisselend", name="Wisselend", group=group, url=f"{local_server}/gone")
    check_links.enqueue()
    first = ExternalLink.objects.get(url=law.url)
    assert first.ok is False and first.failing_since is not None
    Law.objects.filter(pk=law.pk).update(url=f"{local_server}/ok")
    check_links.enqueue()
    assert not ExternalLink.objects.filter(url=f"{local_server}/gone").exists()  # no longer used
    assert ExternalLink.objects.get(url=f"{local_server}/ok").failing_since is None


def test_editor_starts_the_check_from_the_page(editor_client, local_server, only_local_links):
    Law.objects.create(slug="x-wet", name="X", group=LawGroup.objects.first(), url=f"{local_server}/gone")
    response = editor_client.post(reverse("knowledge:links"))
    assert response.status_code == 302
    assert ExternalLink.objects.filter(ok=False).count() == 1
