"""An offline PDF/A-2b check with a PDF library that is not ours (pikepdf, on qpdf), for the
documents the contract flow downloads. veraPDF cannot be installed from the package registries
this project reaches (Maven Central is not one of them), so this checks what can be checked
without it:

- qpdf's structural check passes (cross-reference table, object streams, every stream decodes);
- the XMP metadata declares PDF/A part 2, conformance B, and is not encrypted;
- an output intent `GTS_PDFA1` carries an ICC profile (DestOutputProfile);
- every font has its program embedded (FontFile, FontFile2 or FontFile3 on each descriptor);
- the trailer has a file identifier; there is no JavaScript, no launch action, no embedded file.

Usage: pdfa_check.py FILE.pdf...
"""

import sys

import pikepdf


def fonts_of(pdf):
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            yield obj


def check(path):
    problems = []
    with pikepdf.open(path) as pdf:
        problems += [f"qpdf: {p}" for p in pdf.check_pdf_syntax()]
        if pdf.is_encrypted:
            problems.append("encrypted")
        meta = pdf.open_metadata()
        if meta.pdfa_status != "2B":
            problems.append(f"XMP declares PDF/A {meta.pdfa_status or 'nothing'}, not 2B")
        intents = pdf.Root.get("/OutputIntents", [])
        if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
            problems.append("no GTS_PDFA1 output intent with an ICC profile")
        descriptors = list(fonts_of(pdf))
        if not descriptors:
            problems.append("no font")
        for d in descriptors:
            if not any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {d.get('/FontName')} not embedded")
        if "/ID" not in pdf.trailer:
            problems.append("no file identifier")
        names = pdf.Root.get("/Names", {})
        for forbidden in ("/JavaScript", "/EmbeddedFiles"):
            if forbidden in names:
                problems.append(f"{forbidden} present")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") in ("/JavaScript", "/Launch"):
                problems.append(f"action {obj.get('/S')}")
        return problems, len(descriptors), len(pdf.pages)


def main(paths):
    failed = 0
    for path in paths:
        problems, fonts, pages = check(path)
        if problems:
            failed += 1
            print(f"{path}: NOT PDF/A-2b: " + "; ".join(problems))
        else:
            print(f"{path}: PDF/A-2b claim holds ({pages} page(s), {fonts} embedded font(s), qpdf check clean)")
    if failed or not paths:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
