"""A real flow through a client generated from the committed spec (openapi-python-client), using
nothing but that client: log in, page the public catalogue to its end, create and publish a
training, read it back typed; run a club (create it, plan a meeting, join, answer, record who
came, post minutes, upload a file as multipart and download it byte for byte); and read typed
error bodies for a 401, a 404 and a 422.

Usage: client_flow.py BASE_URL EMAIL PASSWORD   (the generated package on PYTHONPATH)
"""

import datetime
import io
import sys
import uuid

from passerelle_client import AuthenticatedClient, Client
from passerelle_client.types import File
from passerelle_client.api.auth import get_me, login, logout
from passerelle_client.api.catalogue import get_training_results, list_catalogue_sessions
from passerelle_client.api.surveys import create_survey_template, get_survey_results
from passerelle_client.api.clubs import (
    create_club,
    create_meeting,
    download_meeting_file,
    get_meeting,
    join_club,
    list_meeting_resources,
    post_meeting_minutes,
    set_meeting_mark,
    set_rsvp,
    upload_meeting_file,
)
from passerelle_client.api.documents import (
    get_convention_pdf,
    get_provider,
    get_quote_pdf,
    set_provider,
    verify_certificate,
)
from passerelle_client.api.enrolments import enrol
from passerelle_client.api.organisations import create_organisation
from passerelle_client.api.sync import register_device, sync_pull, sync_push
from passerelle_client.api.trainings import create_training, get_training, publish_training
from passerelle_client.models import (
    EnrolBody,
    EnrolmentView,
    ProviderBody,
    ProviderView,
    DeviceView,
    MutationBody,
    NewDeviceBody,
    PullBody,
    PullView,
    PushBody,
    PushView,
    CalendarVisibility,
    ClubTrade,
    ClubView,
    Contact,
    JoinBody,
    MarkBody,
    MarkStatus,
    MeetingStatus,
    MeetingView,
    MembershipPolicy,
    MembershipStatus,
    MembershipView,
    MinutesBody,
    MyRsvp,
    NewClubBody,
    NewMeetingBody,
    ResourceView,
    RsvpAnswer,
    RsvpBody,
    UploadMeetingFileBody,
    CreateOrganisationRequest,
    ErrorBody,
    LoginRequest,
    LoginResponse,
    Modality,
    Money,
    PagePublicSession,
    QuestionType,
    SurveyKind,
    SurveyQuestion,
    SurveyResults,
    SurveyTemplate,
    TemplateBody,
    TrainingResults,
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

    surveyed = keep_surveys(client, public, read.id)
    club = run_a_club(client)
    synced = sync_a_device(client)
    documents = fetch_documents(client, public, sessions)

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
    print(f"client flow passed: {len(sessions)} catalogue sessions in {pages} pages, training {read.id} published, club {club} run (meeting held, file round-tripped), {synced} rows synced to a device, {documents} documents fetched, a survey template with {surveyed} questions kept and the training's results read, 401/404/422 read typed, logged out")


def keep_surveys(client, public, training_id):
    """A hot-survey template for the new training, the survey results and its published results."""
    body = TemplateBody(
        title="Client généré : avis à chaud",
        kind=SurveyKind.HOT,
        training_id=training_id,
        questions=[
            SurveyQuestion(key="overall", label="Satisfaction globale", type_=QuestionType.SCALE_5, required=True, satisfaction=True),
            SurveyQuestion(key="useful", label="Utile ?", type_=QuestionType.SINGLE_CHOICE, required=False, choices=["oui", "non"]),
        ],
    )
    created = create_survey_template.sync_detailed(client=client, body=body)
    check(created.status_code == 201 and isinstance(created.parsed, SurveyTemplate), f"template answered {created.status_code}")
    check(created.parsed.questions[0].type_ == QuestionType.SCALE_5, "the question type changed on the way")
    results = get_survey_results.sync_detailed(client=client, kind=SurveyKind.HOT, training_id=training_id).parsed
    check(isinstance(results, SurveyResults) and results.invited == 0, "the survey results did not parse")
    published = get_training_results.sync_detailed(client=public, id=training_id).parsed
    check(isinstance(published, TrainingResults) and published.years == [], "the training's results did not parse")
    return len(created.parsed.questions)


def sync_a_device(client):
    """Registers a device, pulls it up to date page by page, and pushes a mutation the server
    must reject (an unknown conflict) without blocking the queue: every body typed."""
    made = register_device.sync_detailed(client=client, body=NewDeviceBody(name="Client flow", platform="python"))
    check(made.status_code == 201 and isinstance(made.parsed, DeviceView), f"register answered {made.status_code}")
    device = made.parsed.id
    cursor, rows = None, 0
    while True:
        page = sync_pull.sync_detailed(client=client, body=PullBody(
            protocol=1, schema_version=1, device_id=device, cursor=cursor, limit=50))
        check(page.status_code == 200 and isinstance(page.parsed, PullView), f"pull answered {page.status_code}")
        check(page.headers.get("cache-control") == "no-store", "a pull was cacheable")
        rows += len(page.parsed.changes)
        cursor = page.parsed.cursor
        if not page.parsed.has_more:
            break
    check(rows > 0, "the device received nothing")
    pushed = sync_push.sync_detailed(client=client, body=PushBody(
        protocol=1, schema_version=1, device_id=device, mutations=[MutationBody(
            seq=1, id=uuid.uuid4(), name="conflict.resolve@1", hlc=1 << 16, base_version=None,
            prev_local_seq=None, args={"conflict_id": str(uuid.uuid4()), "status": "acknowledged"})]))
    check(pushed.status_code == 200 and isinstance(pushed.parsed, PushView), f"push answered {pushed.status_code}")
    result = pushed.parsed.results[0]
    check(pushed.parsed.last_seq == 1 and result.status.value == "rejected", "the push was not rejected")
    check(result.reason.error == "sync.conflict_not_found", f"rejected as {result.reason.error}")
    return rows


def run_a_club(client):
    made = create_club.sync_detailed(client=client, body=NewClubBody(
        name="Club du client généré", trade=ClubTrade.COMMUNICATION,
        membership_policy=MembershipPolicy.OPEN, calendar_visibility=CalendarVisibility.PUBLIC))
    check(made.status_code == 201 and isinstance(made.parsed, ClubView), f"create club answered {made.status_code}")
    club = made.parsed.id
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    meeting = create_meeting.sync_detailed(client=client, id=club, body=NewMeetingBody(
        title="Réunion du client", starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
        online_url="https://visio.example.org/client"))
    check(meeting.status_code == 201 and isinstance(meeting.parsed, MeetingView), f"plan answered {meeting.status_code}")
    meeting_id = meeting.parsed.id
    joined = join_club.sync_detailed(client=client, id=club, body=JoinBody())
    check(isinstance(joined.parsed, MembershipView) and joined.parsed.status == MembershipStatus.ACTIVE, f"join answered {joined.status_code}")
    rsvp = set_rsvp.sync_detailed(client=client, id=meeting_id, body=RsvpBody(answer=RsvpAnswer.YES))
    check(rsvp.status_code == 201, f"rsvp answered {rsvp.status_code}")
    me = joined.parsed.person_id
    mark = set_meeting_mark.sync_detailed(client=client, id=meeting_id, person_id=me, body=MarkBody(status=MarkStatus.PRESENT))
    check(mark.status_code == 201, f"mark answered {mark.status_code}")
    read = get_meeting.sync_detailed(client=client, id=meeting_id).parsed
    check(isinstance(read, MeetingView) and read.status == MeetingStatus.HELD, "the meeting is not held")
    check(read.my_rsvp == MyRsvp.YES and read.rsvp_counts.yes == 1, "the answer did not count")
    minutes = post_meeting_minutes.sync_detailed(client=client, id=meeting_id, body=MinutesBody(body="## Compte rendu\n\nRien à signaler."))
    check(minutes.status_code == 201 and minutes.parsed.number == 1, f"minutes answered {minutes.status_code}")
    content = b"%PDF-1.7\n% client flow\n1 0 obj << >> endobj\n"
    uploaded = upload_meeting_file.sync_detailed(client=client, id=meeting_id, body=UploadMeetingFileBody(
        file=File(payload=io.BytesIO(content), file_name="compte-rendu.pdf", mime_type="application/pdf"),
        title="Compte rendu"))
    check(uploaded.status_code == 201 and isinstance(uploaded.parsed, ResourceView), f"upload answered {uploaded.status_code}: {uploaded.content[:200]}")
    check(uploaded.parsed.content_type == "application/pdf", f"type {uploaded.parsed.content_type}")
    listed = list_meeting_resources.sync_detailed(client=client, id=meeting_id).parsed
    check(len(listed) == 1, f"{len(listed)} resources listed")
    got = download_meeting_file.sync_detailed(client=client, id=meeting_id, resource_id=uploaded.parsed.id)
    check(got.status_code == 200 and got.content == content, "the file did not come back byte for byte")
    return club


def fetch_documents(client, public, sessions):
    """Sets the provider's identity, enrols the caller in a catalogue session and downloads its
    quote and convention as PDF files (kept in $PASSERELLE_PDF_DIR for the PDF/A check); an
    unknown certificate code reads as a typed 404."""
    import os

    body = ProviderBody(
        name="Fédération du client généré", address="1 place de la République, 75003 Paris",
        city="Paris", siret="12345678900015", declaration_number="11 75 99999 75",
        representative_name="Inès Martin", representative_title="Présidente",
        payment_terms="À 30 jours.")
    provider = set_provider.sync_detailed(client=client, body=body)
    check(isinstance(provider.parsed, ProviderView), f"set provider answered {provider.status_code}")
    read = get_provider.sync_detailed(client=client).parsed
    check(isinstance(read, ProviderView) and read.siret == "12345678900015", "the provider did not read back")
    enrolment = None
    for session in sessions:
        made = enrol.sync_detailed(client=client, id=session.id, body=EnrolBody())
        if isinstance(made.parsed, EnrolmentView):
            enrolment = made.parsed.id
            break
    check(enrolment is not None, "no catalogue session took an enrolment")
    out = os.environ.get("PASSERELLE_PDF_DIR")
    fetched = 0
    for name, operation in [("quote", get_quote_pdf), ("convention", get_convention_pdf)]:
        got = operation.sync_detailed(client=client, id=enrolment)
        check(got.status_code == 200 and got.content.startswith(b"%PDF-"), f"{name} answered {got.status_code}")
        check(got.headers.get("content-type") == "application/pdf", f"{name}: {got.headers.get('content-type')}")
        if out:
            with open(os.path.join(out, f"{name}.pdf"), "wb") as f:
                f.write(got.content)
        fetched += 1
    unknown = verify_certificate.sync_detailed(client=public, code="ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    check(unknown.status_code == 404 and isinstance(unknown.parsed, ErrorBody), f"verify answered {unknown.status_code}")
    check(unknown.parsed.code == "documents.certificate_not_found", f"verify code {unknown.parsed.code}")
    return fetched


if __name__ == "__main__":
    main(*sys.argv[1:4])
