import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject, TextStringObject

from letters.pdfcheck import PdfRefused, pdf_check
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
    (lambda: plain_pdf(padding=10 * 1024 * 1024), "larger than 10 MB"),
])
def test_refused(make, message):
    with pytest.raises(PdfRefused, match=message):
        pdf_check(make())
