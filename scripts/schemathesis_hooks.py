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
