import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject, TextStringObject

from mobility.uploads import UploadRefused, upload_check
from mobility.uploads.pdf import MAX_DEPTH, MAX_OBJECTS, PdfRefused, pdf_check
from tests.letters.pdfs import encrypted_pdf, javascript_pdf, plain_pdf


def _with_link_javascript() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                             NameObject("/Rect"): ArrayObject([]), NameObject("/A"): action})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_plain_pdf_is_accepted_even_when_its_bytes_happen_to_spell_active_names():
    # Compressed scans contain any byte sequence; only parsed names count.
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    image = StreamObject()
    image.set_data(b"\x00\x17/JS (\xff/OpenAction /AA\x02" * 1000)
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(1), NameObject("/Height"): NumberObject(1)})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})})
    out = io.BytesIO()
    writer.write(out)
    assert b"/OpenAction" in out.getvalue()
    pdf_check(out.getvalue())
    pdf_check(plain_pdf())


@pytest.mark.parametrize("make, message", [
    (javascript_pdf, "JavaScript"), (_with_link_javascript, "JavaScript"), (encrypted_pdf, "encrypted"),
    (lambda: b"%PDF-1.7\nnot really", "cannot be read"), (lambda: b"\x89PNG....", "not a PDF"),
])
def test_refused(make, message):
    with pytest.raises(PdfRefused, match=message):
        pdf_check(make())


def _bytes(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _nested(depth: int, *, indirect: bool) -> bytes:
    """A JavaScript action `depth` dictionaries below the catalogue."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    inner = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    for _level in range(depth):
        inner = DictionaryObject({NameObject("/Next"): writer._add_object(inner) if indirect else inner})
    writer._root_object[NameObject("/Chain")] = inner
    return _bytes(writer)


@pytest.mark.parametrize("indirect", [False, True])
@pytest.mark.parametrize("depth", [50, MAX_DEPTH + 50])
def test_javascript_nested_deep_is_refused_whether_found_or_beyond_the_walk(depth, indirect):
    # Before: the walker silently stopped at 50 levels, and the file passed.
    with pytest.raises(PdfRefused, match="JavaScript|too complex"):
        pdf_check(_nested(depth, indirect=indirect))


def _many_objects(count: int, *, javascript_last: bool) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    items = [writer._add_object(DictionaryObject({NameObject("/N"): NumberObject(i)})) for i in range(count)]
    if javascript_last:
        items.append(writer._add_object(DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})))
    writer._root_object[NameObject("/Many")] = ArrayObject(items)
    return _bytes(writer)


def test_javascript_past_the_object_limit_is_refused():
    # Before: objects past 20,000 were not looked at, and a JavaScript action among them passed.
    with pytest.raises(PdfRefused, match="JavaScript|too complex"):
        pdf_check(_many_objects(MAX_OBJECTS + 10, javascript_last=True))


def test_reaching_the_object_limit_refuses_even_without_active_content():
    with pytest.raises(PdfRefused, match="too complex"):
        pdf_check(_many_objects(MAX_OBJECTS + 10, javascript_last=False))


def test_a_document_below_the_limits_passes():
    pdf_check(_many_objects(2000, javascript_last=False))
    pdf_check(_nested(20, indirect=True).replace(b"/JavaScript", b"/JavaScrip_").replace(b"/JS ", b"/JT "))


def _upload(content: bytes, name: str = "file.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize("content", [b"<html><script>alert(1)</script></html>", b"just text", b"GIF89a...."])
def test_upload_check_refuses_text_html_and_other_types_whatever_the_name(content):
    with pytest.raises(UploadRefused, match="is not a PDF, JPEG or PNG"):
        upload_check(upload=_upload(content), max_bytes=1024 * 1024)


def test_upload_check_refuses_active_pdfs_and_sizes():
    with pytest.raises(UploadRefused, match="JavaScript"):
        upload_check(upload=_upload(javascript_pdf()), max_bytes=1024 * 1024)
    with pytest.raises(UploadRefused, match="larger than 10 MB"):
        upload_check(upload=_upload(plain_pdf(padding=10 * 1024 * 1024)), max_bytes=10 * 1024 * 1024)
    with pytest.raises(UploadRefused, match="image cannot be read"):
        upload_check(upload=_upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "a.png"), max_bytes=1024 * 1024)
    checked = upload_check(upload=_upload(plain_pdf()), max_bytes=1024 * 1024)
    assert checked.content_type == "application/pdf" and checked.extension == "pdf"
