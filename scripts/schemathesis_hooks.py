"""Schemathesis hooks of the contract check (scripts/contract).

The run authenticates as the demo administrator. Fuzzing `/api/v1/people/{id}` with that
administrator's own id could deactivate them or set their password, which revokes the token the
run is using, and every later case would be a 401 that tests nothing. Such calls are sent with a
fresh id instead (a 404), so the administrator's account is the only row the run never changes.
"""

import os
import uuid

import schemathesis

ADMIN_ID = os.environ["PASSERELLE_ADMIN_ID"]


@schemathesis.hook
def before_call(context, case, **kwargs):
    if case.path_parameters and case.path_parameters.get("id") == ADMIN_ID:
        case.path_parameters["id"] = str(uuid.uuid4())
