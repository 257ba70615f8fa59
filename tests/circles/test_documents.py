"""Shared documents: type and size checked on upload, versions, downloads only for members with
safe headers."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from weerbaar.circles import files
from weerbaar.circles.models import Document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _share(client, circle, name, content, title="Plan"):
    return client.post(
        f"/leerkringen/{circle.pk}/documenten/",
        {"title": title, "description": "", "file": SimpleUploadedFile(name, content)},
    )


def test_a_member_shares_a_document_and_another_downloads_it_with_safe_headers(client, people, circle):
    _login(client, people["other"])
    response = _share(client, circle, "oefenplan.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get(circle=circle)
    version = document.versions.get()
    assert (version.content_type, version.size, version.number) == ("application/pdf", len(PDF), 1)

    _login(client, people["facilitator"])
    download = client.get(f"/leerkringen/versie/{version.pk}/download/")
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="oefenplan.pdf"')
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_new_version_keeps_the_old_one(client, people, circle):
    _login(client, people["other"])
    _share(client, circle, "plan.docx", _docx())
    document = Document.objects.get(circle=circle)
    response = client.post(
        f"/leerkringen/document/{document.pk}/",
        {"file": SimpleUploadedFile("plan-v2.docx", _docx()), "note": "Hoofdstuk 2 herschreven"},
    )
    assert response.status_code == 302
    assert list(document.versions.values_list("number", "filename")) == [(2, "plan-v2.docx"), (1, "plan.docx")]
    page = client.get(f"/leerkringen/document/{document.pk}/").content.decode()
    assert "Hoofdstuk 2 herschreven" in page
    document.refresh_from_db()
    assert document.version_count == 2


def test_a_file_type_that_is_not_allowed_is_refused_at_the_field(client, people, circle):
    _login(client, people["other"])
    response = _share(client, circle, "virus.exe", b"MZ\x90\x00")
    assert response.status_code == 400
    assert "Dit soort bestand kan niet worden gedeeld" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_whose_content_does_not_match_its_name_is_refused(client, people, circle):
    _login(client, people["other"])
    response = _share(client, circle, "plan.pdf", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 400
    assert "past niet bij de extensie .pdf" in response.content.decode()


def test_a_file_that_is_too_large_is_refused(client, people, circle, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 100)
    _login(client, people["other"])
    response = _share(client, circle, "plan.pdf", PDF + b"x" * 200)
    assert response.status_code == 400
    assert "te groot" in response.content.decode()


def test_on_the_page_a_file_at_the_limit_is_shared_and_one_byte_more_is_refused(client, people, circle):
    _login(client, people["other"])
    at_limit = _share(client, circle, "plan.pdf", PDF + b"x" * (files.MAX_BYTES - len(PDF)))
    assert at_limit.status_code == 302
    too_large = _share(client, circle, "groot.pdf", PDF + b"x" * (files.MAX_BYTES + 1 - len(PDF)))
    assert too_large.status_code == 400
    assert "Het bestand is te groot (10.0 MB); het maximum is 10 MB." in too_large.content.decode()


def test_a_zip_bomb_dressed_as_an_office_file_is_refused(client, people, circle):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    _login(client, people["other"])
    response = _share(client, circle, "plan.docx", buffer.getvalue())
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_the_filename_cannot_break_the_download_header(people, circle):
    assert files.safe_filename('../../a";b\r\n.pdf') == "ab.pdf"
