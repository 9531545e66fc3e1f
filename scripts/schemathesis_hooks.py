"""schemathesis hooks for scripts/schemathesis.sh.

A client sends a fresh Idempotency-Key for every new request and the same key only to retry
that request. schemathesis draws keys from the schema, so unrelated requests often share one
("0", "A"), which the server rightly refuses (422 idempotency_key_reused) and which would
count as rejected valid input. A well-formed drawn key is therefore replaced by a fresh one;
malformed keys are sent as drawn, so their rejection is still tested.
"""

import re
import uuid

import schemathesis

WELL_FORMED = re.compile(r"^[!-~]{1,255}$")


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key":
            value = headers[name]
            if isinstance(value, str) and WELL_FORMED.match(value):
                headers[name] = f"st-{uuid.uuid4()}"


# Binary uploads (Partisipasi's signed documents): the document says only the media type, so
# schemathesis needs bytes to send. A real small PDF, JPEG and PNG header are drawn together
# with arbitrary bytes, whose refusal (422 bad_document_type) the document states.
from hypothesis import strategies as st  # noqa: E402

_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
_UPLOADS = st.one_of(st.sampled_from([_PDF, _JPEG, _PNG]), st.binary(max_size=256))
schemathesis.openapi.media_type("application/pdf", _UPLOADS, aliases=["image/jpeg", "image/png"])
