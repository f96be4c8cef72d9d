"""Privilege documents: what a family uploads is kept and shown so that nothing
in it runs anywhere, and one child cannot fill the disk."""

import io
import os
import stat
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from sadok.applications.models import PrivilegeClaim
from tests.factories import child_of, pdf_bytes
from tests.factories_accounts import officer_of, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SADOK_PRIVATE_ROOT = tmp_path


@pytest.fixture
def family(client):
    parent = person("parent@example.com")
    client.force_login(parent)
    return parent, child_of(parent)


def _png(size=(40, 30), **text):
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _pdf(pages=1, javascript=False):
    data = pdf_bytes(pages)
    if javascript:  # an OpenAction script, as a hostile file would carry
        data += b"\n9 0 obj << /S /JavaScript /JS (app.alert('x')) >> endobj\n"
    return data


def _claim(client, child, data, name):
    return client.post(
        reverse("cabinet:claim-new", args=[child.pk]),
        {"category": _category(), "document": SimpleUploadedFile(name, data)},
    )


def _category():
    from sadok.applications.models import PrivilegeCategory

    return PrivilegeCategory.objects.get(code="idp").pk


def test_a_document_is_kept_under_a_random_name_of_its_real_type_readable_by_the_server_only(
    client, family
):
    _parent, child = family
    _claim(client, child, _png(), "прізвище-дитини.html")
    stored = PrivilegeClaim.objects.get().document
    name = os.path.basename(stored.name)
    assert name.endswith(".png")
    assert "html" not in name
    assert "прізвище" not in name
    assert len(name) == 32 + len(".png")
    assert stat.S_IMODE(os.stat(stored.path).st_mode) == 0o600


def test_an_image_is_encoded_anew_and_what_rode_along_is_gone(client, family):
    _parent, child = family
    payload = _png(Comment="<script>alert(1)</script>") + b"<html><script>alert(2)</script>"
    _claim(client, child, payload, "scan.png")
    with PrivilegeClaim.objects.get().document.open("rb") as kept:
        data = kept.read()
    assert b"script" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30)


def _png_header_only(width, height):
    """A PNG that claims its size and holds almost no pixels: a decompression bomb's
    header costs nothing to send."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(client, family):
    _parent, child = family
    response = _claim(client, child, _png_header_only(20000, 20000), "big.png")
    assert "мегапікселів" in response.context["form"].errors["document"][0]
    assert not PrivilegeClaim.objects.exists()


def test_a_broken_pdf_is_refused(client, family):
    _parent, child = family
    response = _claim(client, child, b"%PDF-1.4 nothing else", "a.pdf")
    assert "пошкоджено" in response.context["form"].errors["document"][0]
    assert not PrivilegeClaim.objects.exists()


def test_a_child_has_at_most_the_set_number_of_documents(client, family, settings):
    settings.SADOK_DOCUMENTS_PER_CHILD = 2
    _parent, child = family
    for _ in range(2):
        _claim(client, child, _png(), "a.png")
    refused = _claim(client, child, _png(), "a.png")
    assert "більше не можна" in refused.context["form"].errors["document"][0]
    assert PrivilegeClaim.objects.count() == 2


def test_an_officer_sees_a_pdf_as_images_rendered_here_and_gets_the_original_only_to_save(
    client, family
):
    _parent, child = family
    from tests.factories import KindergartenFactory

    kindergarten = KindergartenFactory()
    from sadok.offers import door

    door.choice_add(child=child, kindergarten=kindergarten)
    _claim(client, child, _pdf(pages=2, javascript=True), "a.pdf")
    claim = PrivilegeClaim.objects.get()
    client.force_login(officer_of(kindergarten.district))
    page = client.get(reverse("cabinet:claim-document", args=[claim.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("cabinet:claim-document-page", args=[claim.pk, 2]) in html
    assert "no-store" in page["Cache-Control"]
    image = client.get(reverse("cabinet:claim-document-page", args=[claim.pk, 2]))
    assert image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).format == "PNG"
    assert client.get(reverse("cabinet:claim-document-page", args=[claim.pk, 3])).status_code == 404
    original = client.get(reverse("cabinet:claim-document-original", args=[claim.pk]))
    assert original["Content-Disposition"].startswith("attachment")
    assert original["Content-Security-Policy"] == "sandbox"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert original["Content-Type"] == "application/pdf"
