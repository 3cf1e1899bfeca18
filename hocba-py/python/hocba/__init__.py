"""Học bạ số cấp Tiểu học — Vietnam's digital primary-school record (format v1).

Read a record in XML or JSON, write it back canonically, validate it against the rules of
Circular 27/2020/TT-BGDĐT, and get the schemas of the format::

    import hocba

    record = hocba.Record.parse(open("hocba.xml", "rb").read())
    assert hocba.Record.from_json(record.to_json()) == record

    report = hocba.validate(record)  # or record.validate()
    for finding in report.errors:
        print(finding.path, finding.message_vi)

Render one school year as a PDF/A-3b document with the record embedded, and read it back::

    pdf = hocba.render_pdf(record, year="2024-2025")  # bytes; seal=, font=, debug=, require_valid=
    assert hocba.extract_xml(pdf) == record.to_xml()  # for a record of one school year

Sign it (GVCN first, then HT, then DAU), in one step with a software key, or in two steps with
a key that never leaves a token or a remote signing service::

    signed = hocba.sign_pdf(pdf, role="GVCN", key_pem=key, chain_pem=chain,
                            time="2025-05-26T16:30:00+07:00")
    prepared = hocba.prepare_signature(signed, role="HT", chain_pem=ht_chain, time=...)
    signed = hocba.complete_signature(prepared, signature=token.sign(prepared.digest))

Verify a signed record (or any signed PDF) with the trust anchors, intermediates and CRLs you
give (PEM or DER bytes; nothing is fetched)::

    report = hocba.verify_pdf(signed, trust=[root_pem], crls=[crl_pem])
    print(report.indication, report.sub_indication)   # TOTAL_PASSED None
    print(report.to_text())                            # Vietnamese; to_text(english=True)

A report's ``to_dict()`` is the CLI's ``--format json`` report (without ``file``); ``codes()``
lists every finding code with its severity, clause and message templates.

Operational errors raise ``HocbaError`` (an input that cannot be read: ``ParseError``; a document
that cannot be rendered: ``RenderError``; a PDF without a readable record: ``ExtractError``; a document that cannot be signed:
``SigningError``; unusable input of a verification: ``VerificationError`` — a bad signature is
a report, not an exception), with the
message in English (``message``) and Vietnamese (``message_vi``) and, when known, the ``line``,
``column`` and byte ``offset`` of the problem.
"""

from hocba._hocba import (
    ExtractError,
    Finding,
    HocbaError,
    ParseError,
    PreparedSignature,
    Record,
    RenderError,
    Report,
    SigningError,
    VerificationError,
    VerificationReport,
    YearSummary,
    __version__,
    codes,
    complete_signature,
    derive_result,
    extract_xml,
    json_schema,
    prepare_signature,
    render_pdf,
    sign_pdf,
    validate,
    verify_pdf,
    xsd,
)

__all__ = [
    "ExtractError",
    "Finding",
    "HocbaError",
    "ParseError",
    "PreparedSignature",
    "Record",
    "RenderError",
    "Report",
    "SigningError",
    "VerificationError",
    "VerificationReport",
    "YearSummary",
    "__version__",
    "codes",
    "complete_signature",
    "derive_result",
    "extract_xml",
    "json_schema",
    "prepare_signature",
    "render_pdf",
    "sign_pdf",
    "validate",
    "verify_pdf",
    "xsd",
]
