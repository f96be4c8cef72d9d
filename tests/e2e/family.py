"""What a family does in the cabinet, step by step, shared by the browser tests."""

from tests.factories import pdf_bytes


def privilege_claim(page, tmp_path, *, privilege="внутрішньо переміщених осіб"):
    """On the child's page: claim `privilege` (part of its label) with a PDF document;
    the claim is then listed as waiting for the district office."""
    document = tmp_path / "privilege.pdf"
    document.write_bytes(pdf_bytes())
    page.click("text=Заявити пільгу")
    page.check(f"label:has-text('{privilege}')")
    page.set_input_files("#id_document", str(document))
    page.click("main button:has-text('Подати заяву')")
    assert "на розгляді в РУО" in page.inner_text("ul.claims")


def popup_link_follow(page, link, url) -> None:
    """Follow a link in a marker's popup from the keyboard, as a keyboard user does:
    Leaflet pans the map to show a popup just after it opens, and on a busy machine a
    pointer click during the pan sometimes closed the popup and went nowhere. `url`
    is what the page must then be at (a glob or a pattern)."""
    with page.expect_navigation(url=url):
        link.press("Enter")
