"""A real flow through a client generated from the committed spec (openapi-python-client), using
nothing but that client: log in, page the public catalogue to its end, create and publish a
training, read it back typed, and read typed error bodies for a 401, a 404 and a 422.

Usage: client_flow.py BASE_URL EMAIL PASSWORD   (the generated package on PYTHONPATH)
"""

import sys
import uuid

from passerelle_client import AuthenticatedClient, Client
from passerelle_client.api.auth import get_me, login, logout
from passerelle_client.api.catalogue import list_catalogue_sessions
from passerelle_client.api.organisations import create_organisation
from passerelle_client.api.trainings import create_training, get_training, publish_training
from passerelle_client.models import (
    Contact,
    CreateOrganisationRequest,
    ErrorBody,
    LoginRequest,
    LoginResponse,
    Modality,
    Money,
    PagePublicSession,
    Programme,
    Theme,
    TrainingStatus,
    TrainingView,
)


def check(condition, what):
    if not condition:
        sys.exit(f"client flow: {what}")


def main(base, email, password):
    public = Client(base_url=base)
    reply = login.sync_detailed(client=public, body=LoginRequest(email=email, password=password))
    check(isinstance(reply.parsed, LoginResponse), f"login answered {reply.status_code}")
    client = AuthenticatedClient(base_url=base, token=reply.parsed.token)

    sessions, cursor, pages = [], None, 0
    while True:
        kwargs = {"limit": 2} if cursor is None else {"limit": 2, "cursor": cursor}
        page = list_catalogue_sessions.sync_detailed(client=public, **kwargs).parsed
        check(isinstance(page, PagePublicSession), "a catalogue page did not parse")
        sessions.extend(page.items)
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    check(len(sessions) > 2 and pages > 1, f"{len(sessions)} sessions in {pages} pages")
    check(len({s.id for s in sessions}) == len(sessions), "a session came twice")

    referent = Contact(name="Awa Diallo", email="referent@example.org")
    programme = Programme(
        title="Client généré : monter un projet",
        summary="Created through the generated client.",
        themes=[Theme.PROJECT_FUNDING],
        objectives=["Write a logical framework"],
        prerequisites=[],
        no_prerequisites=True,
        target_audience="Project officers",
        duration_minutes=420,
        modality=Modality.IN_PERSON,
        pedagogical_methods="Case studies",
        pedagogical_means="A room with a projector",
        assessment_modalities="Quiz",
        access_delay="7 days before",
        member_price=Money(amount_cents=45000, currency="EUR"),
        non_member_price=Money(amount_cents=90000, currency="EUR"),
        accessibility="Step-free access",
        disability_referent=referent,
        contact=referent,
        recognition="Attestation de fin de formation",
        financing_modalities="OPCO",
    )
    created = create_training.sync_detailed(client=client, body=programme)
    check(created.status_code == 201 and isinstance(created.parsed, TrainingView), f"create answered {created.status_code}")
    published = publish_training.sync_detailed(client=client, id=created.parsed.id)
    check(isinstance(published.parsed, TrainingView), f"publish answered {published.status_code}")
    read = get_training.sync_detailed(client=client, id=created.parsed.id).parsed
    check(isinstance(read, TrainingView), "the training did not read back")
    check(read.status == TrainingStatus.PUBLISHED and read.current_version == 1, "not published")
    check(read.programme.title == programme.title, "the title changed on the way")
    check(read.programme.member_price.amount_cents == 45000, "the price changed on the way")

    stranger = AuthenticatedClient(base_url=base, token="psl_not-a-token")
    for name, reply, status, code in [
        ("401", get_me.sync_detailed(client=stranger), 401, "auth.invalid_token"),
        ("404", get_training.sync_detailed(client=client, id=uuid.uuid4()), 404, "catalogue.training_not_found"),
        (
            "422",
            create_organisation.sync_detailed(
                client=client, body=CreateOrganisationRequest(name="X", is_member=True, country="F1")
            ),
            422,
            "request.invalid",
        ),
    ]:
        check(reply.status_code == status, f"{name}: status {reply.status_code}")
        check(isinstance(reply.parsed, ErrorBody), f"{name}: the error body did not parse")
        check(reply.parsed.code == code, f"{name}: code {reply.parsed.code}")

    check(logout.sync_detailed(client=client).status_code == 204, "logout refused")
    after = get_me.sync_detailed(client=client)
    check(after.status_code == 401 and isinstance(after.parsed, ErrorBody), "the token outlived its logout")
    print(f"client flow passed: {len(sessions)} catalogue sessions in {pages} pages, training {read.id} published, 401/404/422 read typed, logged out")


if __name__ == "__main__":
    main(*sys.argv[1:4])
