"""The access table: for every URL of the site and every API operation, what each role gets.

Read by ``tests/test_access_matrix.py``. One row per URL name (the Django admin is one row,
``admin:*``; API operations are keyed by their OpenAPI method and path). ``args`` fills the
URL with objects of ``tests/access_world.py`` that belong to someone else (the "owner");
secret links get a token that was never sent.

Answer classes: ``200``, ``login`` (302 to the sign-in page, ``?next=`` back), ``admin-login``,
``302`` (another redirect: a form page sending a signed-in person on, a POST done), ``400``,
``401``, ``403``, ``404`` (the object's existence is not even confirmed), ``405`` (GET on a
POST-only URL; those rows also say what a POST gets, and a refused POST must change nothing).

Roles (``tests/access_world.ROLES``): anonymous; signed_in (no organisation); member_other
(member of another association); editor_other (editor of another support structure);
refurbisher_other_area (refurbisher of a workshop in another department than the objects);
reviewer, moderator, administrator (platform roles, not staff accounts); staff (a Django
staff superuser account, the only one the Django admin lets in).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ressourcerie.diagnostic.models import PlanAction
from tests.access_world import ROLES, UNKNOWN_TOKEN
from tests.agenda.factories import world_event


def answers(default: str, **per_role: str) -> dict[str, str]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: per_role.get(role, default) for role in ROLES}


_TEAM = {"moderator": "200", "administrator": "200", "staff": "200"}
PUBLIC = answers("200")
SIGNED_IN = answers("200", anonymous="login")
TEAM = answers("403", anonymous="login", **_TEAM)
# Only the owner (and, where said, the team) may see it: everyone else gets a 404.
OWNER_ONLY = answers("404", anonymous="login")
POST_ONLY = answers("405")
# A team page that only acts on POST: the team's GET is refused with 405, others' with 403.
TEAM_POST_ONLY = answers(
    "403", anonymous="login", moderator="405", administrator="405", staff="405"
)
TEAM_DONE = answers("403", anonymous="login", moderator="302", administrator="302", staff="302")
TEAM_ROLES = frozenset(_TEAM)
TEAM_SEES_ONLY = answers(
    "404", anonymous="login", moderator="403", administrator="403", staff="403"
)


@dataclass
class Row:
    get: dict[str, str]  # the answers to GET (to the operation's own method for the API)
    args: Callable | None = None  # world -> URL kwargs
    post: dict[str, str] | None = None  # the answers to an empty POST
    path: Callable | None = None  # world -> the URL, for patterns that cannot be reversed
    body: dict = field(default_factory=dict)  # the JSON body of an API write
    # Roles whose POST (or API write) may change the database; for every other role a POST
    # must leave every table of the project as it was.
    changes: frozenset = frozenset()
    name: str = ""

    def url(self, world) -> str:
        if self.path is not None:
            return self.path(world)
        return reverse(self.name, kwargs=self.args(world) if self.args else None)


def _slug(attr):
    return lambda w: {"slug": getattr(w, attr).slug}


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def _reference(attr):
    return lambda w: {"reference": getattr(w, attr).reference}


def _token(_w):
    return {"token": UNKNOWN_TOKEN}


def _secret(_w):
    return {"secret": UNKNOWN_TOKEN}


def _kept_action(w):
    """An action of the owner's association's kept plan (« Mon plan d'action »)."""
    action, _created = PlanAction.objects.get_or_create(
        organisation=w.association,
        key="access-matrix",
        defaults={"axis_key": "securite", "axis_name": "Sécurité", "title": "Sauvegarder"},
    )
    return action


def _fund_ref(w):
    return {"reference": w.fund_decided.reference}


# A dossier of someone else's association: the team sees it, everyone else gets a 404.
FUND_TEAM_SEES = answers(
    "404", anonymous="login", moderator="200", administrator="200", staff="200"
)


HTML = {
    # --- core --------------------------------------------------------------------------------
    "core:home": Row(PUBLIC),
    "core:legal_notice": Row(PUBLIC),
    "core:privacy": Row(PUBLIC),
    "core:accessibility": Row(PUBLIC),
    "core:sitemap": Row(PUBLIC),
    "core:staff": Row(TEAM),
    "core:outbox": Row(TEAM),
    "core:outbox_detail": Row(
        answers("403", anonymous="login", moderator="404", administrator="404", staff="404"),
        args=lambda w: {"name": "jamais-ecrit.eml"},
    ),
    "core:search": Row(PUBLIC),
    "core:search_synonyms": Row(TEAM),
    "core:search_synonym_add": Row(TEAM),
    "core:search_synonym_edit": Row(TEAM, args=_pk("synonym")),
    "core:search_synonym_delete": Row(TEAM, args=_pk("synonym")),
    "core:organisation_list": Row(PUBLIC),
    "core:organisation_create": Row(SIGNED_IN),
    "core:invitation": Row(answers("404"), args=_token),
    "core:organisation_detail": Row(PUBLIC, args=_slug("association")),
    "core:organisation_edit": Row(TEAM, args=_slug("association")),
    "core:organisation_verify": Row(
        POST_ONLY, args=_slug("association"), post=TEAM_DONE, changes=TEAM_ROLES
    ),
    "core:organisation_invite": Row(answers("403", anonymous="login"), args=_slug("association")),
    "core:organisation_correction": Row(SIGNED_IN, args=_slug("association")),
    "core:moderation_queue": Row(TEAM),
    "core:moderation_decide": Row(
        POST_ONLY,
        args=lambda w: {"key": "core.organisationcorrection", "pk": w.correction.pk},
        # The team's empty POST is a form error (a decision is required).
        post=answers("403", anonymous="login", moderator="400", administrator="400", staff="400"),
    ),
    # --- accounts ----------------------------------------------------------------------------
    "accounts:profile": Row(SIGNED_IN),
    "accounts:contributions": Row(SIGNED_IN),
    "accounts:contribution_withdraw": Row(
        OWNER_ONLY,
        args=lambda w: {"kind": "core.organisationcorrection", "pk": str(w.correction.pk)},
    ),
    "accounts:signup": Row(answers("302", anonymous="200")),
    "accounts:signup_done": Row(PUBLIC),
    # An unknown invitation: back to the invitation page, which explains.
    "accounts:signup_invitation": Row(answers("302"), args=_token),
    "accounts:resend_confirmation": Row(PUBLIC),
    "accounts:confirm_email": Row(answers("400"), args=_token),
    # Signed-in people are sent on from the sign-in and sign-up pages.
    "accounts:login": Row(answers("302", anonymous="200")),
    "accounts:code_request": Row(PUBLIC),
    # Without a code requested in this session: back to the sign-in page.
    "accounts:code_verify": Row(answers("login")),
    "accounts:logout": Row(POST_ONLY, post=answers("302")),
    "accounts:password_reset": Row(PUBLIC),
    "accounts:password_reset_done": Row(PUBLIC),
    "accounts:password_reset_complete": Row(PUBLIC),
    "accounts:password_reset_confirm": Row(
        PUBLIC,
        args=lambda w: {
            "uidb64": urlsafe_base64_encode(force_bytes(w.owner.pk)),
            "token": "cz8k1a-0123456789abcdef0123456789abcdef",
        },
    ),
    "accounts:password_change": Row(SIGNED_IN),
    "accounts:api_tokens": Row(SIGNED_IN),
    "accounts:api_token_revoke": Row(
        POST_ONLY,
        args=lambda w: {"token_id": w.owner_token.pk},
        post=OWNER_ONLY,
    ),
    "accounts:personal_data": Row(SIGNED_IN),
    "accounts:delete": Row(SIGNED_IN),
    # --- toolbox -----------------------------------------------------------------------------
    "toolbox:index": Row(PUBLIC),
    "toolbox:starter": Row(PUBLIC),
    "toolbox:compare": Row(PUBLIC),
    "toolbox:propose": Row(SIGNED_IN),
    "toolbox:guides": Row(PUBLIC),
    "toolbox:guide": Row(PUBLIC, args=_slug("guide")),
    "toolbox:need": Row(PUBLIC, args=_slug("need")),
    "toolbox:export": Row(PUBLIC, args=lambda w: {"fmt": "csv"}),
    "toolbox:to_verify": Row(TEAM),
    "toolbox:mark_verified": Row(
        TEAM_POST_ONLY, args=_slug("tool"), post=TEAM_DONE, changes=TEAM_ROLES
    ),
    "toolbox:tool": Row(PUBLIC, args=_slug("tool")),
    "toolbox:correct": Row(SIGNED_IN, args=_slug("tool")),
    # --- newsletter --------------------------------------------------------------------------
    "newsletter:subscribe": Row(PUBLIC),
    "newsletter:subscribe_done": Row(PUBLIC),
    "newsletter:confirm": Row(answers("400"), args=_token),
    "newsletter:preferences": Row(answers("400"), args=_token),
    "newsletter:unsubscribed": Row(PUBLIC),
    "newsletter:unsubscribe": Row(answers("400"), args=_token),
    "newsletter:account": Row(SIGNED_IN),
    "newsletter:archive_list": Row(PUBLIC),
    "newsletter:archive_feed": Row(PUBLIC),
    "newsletter:archive_detail": Row(PUBLIC, args=_pk("sent_edition")),
    "newsletter:staff_editions": Row(TEAM),
    "newsletter:staff_edition_new": Row(TEAM),
    "newsletter:staff_subscribers": Row(TEAM),
    "newsletter:staff_subscribers_csv": Row(TEAM),
    "newsletter:staff_edition": Row(TEAM, args=_pk("draft_edition")),
    "newsletter:staff_edition_edit": Row(TEAM, args=_pk("draft_edition")),
    "newsletter:staff_edition_send": Row(TEAM, args=_pk("draft_edition")),
    "newsletter:staff_edition_action": Row(
        TEAM_POST_ONLY,
        # Scheduling without a date: refused with a message, nothing changes.
        args=lambda w: {"pk": w.draft_edition.pk, "action": "schedule"},
        post=TEAM_DONE,
    ),
    # --- testimonials ------------------------------------------------------------------------
    "testimonials:index": Row(PUBLIC),
    # Only members of an association may tell its story.
    "testimonials:create": Row(answers("403", anonymous="login", member_other="200")),
    "testimonials:mine": Row(SIGNED_IN),
    "testimonials:export": Row(PUBLIC, args=lambda w: {"fmt": "csv"}),
    "testimonials:detail": Row(answers("404", **_TEAM), args=_pk("testimonial")),
    # The team reads an unpublished story but only its author edits it.
    "testimonials:edit": Row(TEAM_SEES_ONLY, args=_pk("testimonial")),
    "testimonials:images": Row(TEAM_SEES_ONLY, args=_pk("testimonial")),
    "testimonials:image_delete": Row(
        answers("405", anonymous="login"),
        args=lambda w: {"pk": w.testimonial.pk, "image_pk": w.image.pk},
        post=TEAM_SEES_ONLY,
    ),
    "testimonials:withdraw": Row(
        answers("404", anonymous="login", **_TEAM), args=_pk("testimonial")
    ),
    "testimonials:contact": Row(
        answers("405", anonymous="login"),
        args=_pk("testimonial"),
        post=answers("404", anonymous="login"),
    ),
    # --- api (HTML documentation and the JSON document; operations are in API below) ---------
    "api:docs": Row(PUBLIC),
    "api:openapi": Row(PUBLIC),
    "api:docs_section": Row(PUBLIC, args=lambda w: {"section": "annuaire-des-acteurs"}),
    "api/v1/^(?P<rest>.*)$": Row(answers("404"), path=lambda w: "/api/v1/nulle-part"),
    # --- directory ---------------------------------------------------------------------------
    "directory:near": Row(PUBLIC),
    "directory:map": Row(PUBLIC),
    "directory:departments_geojson": Row(PUBLIC),
    "directory:map_points": Row(PUBLIC),
    "directory:map_labels": Row(PUBLIC),
    "directory:import": Row(TEAM),
    "directory:stale": Row(TEAM),
    "directory:claims": Row(TEAM),
    "directory:claim_decide": Row(
        POST_ONLY,
        args=_pk("claim"),
        post=answers("403", anonymous="login", moderator="400", administrator="400", staff="400"),
    ),
    "directory:edit_review": Row(TEAM, args=_pk("place_edit")),
    "directory:confirm": Row(answers("400"), args=_token),
    "directory:place_detail": Row(PUBLIC, args=_slug("place")),
    "directory:report": Row(PUBLIC, args=_slug("place")),
    "directory:claim": Row(SIGNED_IN, args=_slug("place")),
    # No code was sent for this place: back to the claim page.
    "directory:claim_code": Row(answers("302", anonymous="login"), args=_slug("place")),
    "directory:edit": Row(TEAM, args=_slug("place")),
    "directory:confirm_current": Row(
        POST_ONLY, args=_slug("place"), post=TEAM_DONE, changes=TEAM_ROLES
    ),
    "directory:contact": Row(SIGNED_IN, args=_slug("place")),
    "directory:mine": Row(SIGNED_IN),
    # --- diagnostic --------------------------------------------------------------------------
    "diagnostic:intro": Row(PUBLIC),
    "diagnostic:start": Row(PUBLIC),
    # Without a diagnostic in the session, the steps and results send to the start.
    "diagnostic:step": Row(answers("302"), args=lambda w: {"number": 1}),
    "diagnostic:saved": Row(answers("302")),
    "diagnostic:resume": Row(answers("404"), args=_token),
    "diagnostic:results": Row(answers("302")),
    "diagnostic:results_pdf": Row(answers("302")),
    "diagnostic:retake": Row(POST_ONLY, post=answers("302")),
    "diagnostic:mine": Row(SIGNED_IN),
    "diagnostic:mine_detail": Row(OWNER_ONLY, args=_pk("response")),
    "diagnostic:mine_pdf": Row(OWNER_ONLY, args=_pk("response")),
    "diagnostic:mine_resume": Row(
        answers("405", anonymous="login"), args=_pk("unfinished"), post=OWNER_ONLY
    ),
    "diagnostic:my_plan": Row(SIGNED_IN),
    # An action of the owner's association's kept plan: outsiders (the team too) get 404.
    "diagnostic:mark_action": Row(
        answers("405", anonymous="login"),
        args=lambda w: {"pk": _kept_action(w).pk},
        post=OWNER_ONLY,
    ),
    "diagnostic:dashboard": Row(TEAM),
    "diagnostic:export_csv": Row(TEAM),
    "diagnostic:versions": Row(TEAM),
    # --- donations ---------------------------------------------------------------------------
    "donations:home": Row(PUBLIC),
    "donations:offer_new": Row(PUBLIC),
    "donations:offer_sent": Row(PUBLIC),
    "donations:confirm": Row(answers("404"), args=_secret),
    "donations:follow": Row(answers("404"), args=_secret),
    "donations:certificate": Row(answers("404"), args=_secret),
    "donations:offer_change": Row(answers("404"), args=_secret, post=answers("404")),
    "donations:offer_withdraw": Row(answers("404"), args=_secret, post=answers("404")),
    "donations:dropoff": Row(PUBLIC),
    "donations:impact": Row(PUBLIC),
    "donations:impact_csv": Row(PUBLIC),
    # Members of a verified association (their own) may ask for computers.
    "donations:request_new": Row(answers("403", anonymous="login", member_other="200")),
    "donations:my_requests": Row(SIGNED_IN),
    "donations:receipt": Row(POST_ONLY, args=_pk("allocation"), post=answers("404")),
    # A validated request is shown to every refurbisher (without its contacts) so that one
    # can allocate devices to it; only its members and the team may close it.
    # TODO(F2, service areas): may narrow to refurbishers whose area covers the association.
    "donations:request": Row(
        answers("404", refurbisher_other_area="200", **_TEAM), args=_pk("request")
    ),
    "donations:request_action": Row(
        POST_ONLY,
        args=lambda w: {"pk": w.request.pk, "action": "clore"},
        # The team's empty POST lacks the reason (form error); a refurbisher is told no.
        post=answers(
            "404", refurbisher_other_area="302", moderator="400", administrator="400", staff="400"
        ),
    ),
    "donations:workshop": Row(answers("403", anonymous="login", refurbisher_other_area="200")),
    # An offer with a lot still proposed, outside the refurbisher's service area (F2).
    "donations:offer": Row(answers("404", **_TEAM), args=_pk("proposed_offer")),
    "donations:workshop_area": Row(
        POST_ONLY, post=answers("403", anonymous="login", refurbisher_other_area="400")
    ),
    "donations:lot": Row(answers("404", **_TEAM), args=_pk("lot")),
    "donations:lot_action": Row(
        POST_ONLY,
        args=lambda w: {"pk": w.lot.pk, "action": "collecter"},
        post=answers("404", moderator="302", administrator="302", staff="302"),
        changes=TEAM_ROLES,
    ),
    "donations:staff": Row(TEAM),
    # --- fund: calls (the world's open call, tests/access_world_fund.py) ----------------------
    "fund:call_list": Row(PUBLIC),
    "fund:call_feed": Row(PUBLIC),
    "fund:call_detail": Row(PUBLIC, args=_slug("fund_call")),
    "fund:staff_calls": Row(TEAM),
    "fund:staff_call_create": Row(TEAM),
    "fund:staff_call_edit": Row(TEAM, args=_slug("fund_call")),
    "fund:staff_call_transition": Row(
        TEAM_POST_ONLY,
        args=_slug("fund_call"),
        # The team's empty POST names no move: a form error, nothing changes.
        post=answers("403", anonymous="login", moderator="400", administrator="400", staff="400"),
    ),
    # --- fund: the association's side (applying) ------------------------------------------------
    # Every signed-in person gets the page that says whether and how they may apply; a POST
    # from anyone without a ready association is refused with that page (nothing created).
    "fund:apply": Row(
        answers("200", anonymous="login"),
        args=_slug("fund_call"),
        post=answers("400", anonymous="login"),
    ),
    "fund:my_applications": Row(SIGNED_IN),
    # The association's dossier: its members, and the team (read only); reviewers use the
    # instruction page. Others are not even told it exists.
    "fund:application_detail": Row(
        answers("404", anonymous="login", **_TEAM), args=_reference("fund_application")
    ),
    "fund:application_edit": Row(OWNER_ONLY, args=_reference("fund_application"), post=OWNER_ONLY),
    "fund:application_transition": Row(
        POST_ONLY, args=_reference("fund_application"), post=OWNER_ONLY
    ),
    "fund:receipt_pdf": Row(
        answers("404", anonymous="login", **_TEAM), args=_reference("fund_application")
    ),
    "fund:document_download": Row(
        answers("404", anonymous="login", **_TEAM),
        args=lambda w: {"reference": w.fund_application.reference, "pk": w.fund_document.pk},
    ),
    "fund:document_delete": Row(
        POST_ONLY,
        args=lambda w: {"reference": w.fund_application.reference, "pk": w.fund_document.pk},
        post=OWNER_ONLY,
    ),
    # --- the Django admin: staff accounts only ------------------------------------------------
    "admin:*": Row(answers("admin-login", staff="200"), path=lambda w: "/gestion/admin/"),
    # --- fund: instruction (a decided dossier of the owner's association, routed to a group
    # none of the roles belongs to: reviewers are strangers to it) --------------------------
    "fund:staff_applications": Row(TEAM),
    "fund:applications_csv": Row(TEAM),
    "fund:applications_ods": Row(TEAM),
    # Any signed-in person: a reviewer sees their dossiers, others an explanation.
    "fund:reviewer_home": Row(SIGNED_IN),
    "fund:instruction": Row(
        FUND_TEAM_SEES,
        args=_fund_ref,
        # The team's empty POST names no action: a form error.
        post=answers("404", anonymous="login", moderator="400", administrator="400", staff="400"),
    ),
    # Only the reviewers of the dossier's group score it (the team does not).
    "fund:review": Row(answers("404", anonymous="login"), args=_fund_ref),
    "fund:expert_request": Row(
        FUND_TEAM_SEES,
        args=_fund_ref,
        post=answers("404", anonymous="login", moderator="400", administrator="400", staff="400"),
    ),
    "fund:application_messages": Row(
        FUND_TEAM_SEES,
        args=_fund_ref,
        post=answers("404", anonymous="login", moderator="400", administrator="400", staff="400"),
    ),
    # The world's message has no attachment.
    "fund:message_attachment": Row(
        answers("404", anonymous="login"),
        args=lambda w: {"reference": w.fund_decided.reference, "pk": w.fund_message.pk},
    ),
    "fund:decision_letter": Row(FUND_TEAM_SEES, args=_fund_ref),
    "fund:committee": Row(
        TEAM,
        args=_slug("fund_call"),
        # The team's empty POST names no dossier: back to the page with a message.
        post=TEAM_DONE,
        changes=TEAM_ROLES,
    ),
    "fund:expert_opinion": Row(answers("404"), args=_token),
    # --- agenda ------------------------------------------------------------------------------
    # The event belongs to the owner's structure (tests/agenda/factories.world_event).
    "agenda:index": Row(PUBLIC),
    "agenda:feed": Row(PUBLIC),
    "agenda:structure_feed": Row(PUBLIC, args=_slug("structure")),
    "agenda:private_feed": Row(answers("404"), args=_token),
    "agenda:mine": Row(SIGNED_IN),
    "agenda:calendar_key": Row(answers("302", anonymous="login")),
    "agenda:registration": Row(answers("404"), args=_secret),
    "agenda:certificate": Row(answers("404"), args=_secret),
    "agenda:organiser": Row(SIGNED_IN),
    # Only editors of a support structure (and the team) may write an event.
    "agenda:create": Row(answers("403", anonymous="login", editor_other="200", **_TEAM)),
    "agenda:staff": Row(TEAM),
    "agenda:moderate": Row(
        answers("403", anonymous="login", moderator="302", administrator="302", staff="302"),
        args=lambda w: {"pk": world_event(w).pk},
        # The team's empty POST is a refusal without a reason: nothing changes.
        post=answers("403", anonymous="login", moderator="302", administrator="302", staff="302"),
    ),
    "agenda:event": Row(PUBLIC, args=lambda w: {"pk": world_event(w).pk}),
    "agenda:event_ics": Row(PUBLIC, args=lambda w: {"pk": world_event(w).pk}),
    "agenda:register": Row(
        answers("302"),
        args=lambda w: {"pk": world_event(w).pk},
        # An empty form: the person is asked for an address (signed-in people register).
        post=answers("302", anonymous="200"),
        changes=frozenset(ROLES) - {"anonymous"},
    ),
    "agenda:edit": Row(
        answers("404", anonymous="login", **_TEAM), args=lambda w: {"pk": world_event(w).pk}
    ),
    "agenda:publish": Row(
        answers("404", anonymous="login", moderator="405", administrator="405", staff="405"),
        args=lambda w: {"pk": world_event(w).pk},
        post=answers("404", anonymous="login", moderator="302", administrator="302", staff="302"),
    ),
    "agenda:status": Row(
        answers("404", anonymous="login", moderator="405", administrator="405", staff="405"),
        args=lambda w: {"pk": world_event(w).pk},
        post=answers("404", anonymous="login", moderator="302", administrator="302", staff="302"),
    ),
    "agenda:registrations": Row(
        answers("404", anonymous="login", **_TEAM), args=lambda w: {"pk": world_event(w).pk}
    ),
    "agenda:registrations_csv": Row(
        answers("404", anonymous="login", **_TEAM), args=lambda w: {"pk": world_event(w).pk}
    ),
    "agenda:decide": Row(
        answers("404", anonymous="login", moderator="405", administrator="405", staff="405"),
        args=lambda w: {"pk": world_event(w).pk, "registration_pk": 999999},
        post=answers("404", anonymous="login", moderator="302", administrator="302", staff="302"),
    ),
    # --- agenda: the attendance list as ODS and printable sheet (organisers and team) -------
    "agenda:registrations_ods": Row(
        answers("404", anonymous="login", **_TEAM), args=lambda w: {"pk": world_event(w).pk}
    ),
    "agenda:attendance_sheet": Row(
        answers("404", anonymous="login", **_TEAM), args=lambda w: {"pk": world_event(w).pk}
    ),
}

API = {
    "GET /api/v1/me": Row(answers("200", anonymous="401")),
    "GET /api/v1/organisations": Row(PUBLIC),
    "GET /api/v1/organisations/{slug}": Row(PUBLIC, args=_slug("association")),
    "PATCH /api/v1/organisations/{slug}": Row(
        answers("403", anonymous="401", moderator="200", administrator="200", staff="200"),
        args=_slug("association"),
        changes=TEAM_ROLES,
    ),
    "GET /api/v1/communes": Row(answers("400")),  # q is required
    "GET /api/v1/communes/{insee}": Row(PUBLIC, args=lambda w: {"insee": w.nantes.insee}),
    "GET /api/v1/departements": Row(PUBLIC),
    "GET /api/v1/regions": Row(PUBLIC),
    "GET /api/v1/tools": Row(PUBLIC),
    "GET /api/v1/tools/{slug}": Row(PUBLIC, args=_slug("tool")),
    "GET /api/v1/testimonials": Row(PUBLIC),
    "GET /api/v1/testimonials/{testimonial_id}": Row(
        answers("404"), args=lambda w: {"testimonial_id": w.testimonial.pk}
    ),
    "GET /api/v1/places": Row(PUBLIC),
    "GET /api/v1/places/export.csv": Row(PUBLIC),
    "GET /api/v1/places/export.json": Row(PUBLIC),
    "GET /api/v1/places/export.geojson": Row(PUBLIC),
    "GET /api/v1/places/{ident}": Row(PUBLIC, args=lambda w: {"ident": w.place.slug}),
    "POST /api/v1/places/{ident}/edits": Row(
        answers("403", anonymous="401", moderator="422", administrator="422", staff="422"),
        args=lambda w: {"ident": w.place.slug},
    ),
    "GET /api/v1/places/{ident}/edits/{edit_id}": Row(
        answers("404", anonymous="401", moderator="200", administrator="200", staff="200"),
        args=lambda w: {"ident": w.place.slug, "edit_id": w.place_edit.pk},
    ),
    "POST /api/v1/places/{ident}/confirm": Row(
        answers("403", anonymous="401", moderator="200", administrator="200", staff="200"),
        args=lambda w: {"ident": w.place.slug},
        changes=TEAM_ROLES,
    ),
    "GET /api/v1/diagnostic/questionnaire": Row(PUBLIC),
    # Public: an empty body is refused as invalid.
    "POST /api/v1/diagnostic/responses": Row(answers("400")),
    # A place (q, or lat and lon) is required: without one the request fits the document
    # but is refused on its merits (422).
    "GET /api/v1/donations/dropoff-points": Row(answers("422")),
    "GET /api/v1/donations/impact": Row(PUBLIC),
    "GET /api/v1/donations/lots": Row(answers("200", anonymous="401")),
    "GET /api/v1/fund/decisions.csv": Row(PUBLIC),
    "GET /api/v1/fund/calls.csv": Row(PUBLIC),
    "GET /api/v1/fund/calls": Row(PUBLIC),
    "GET /api/v1/donations/lots/{lot_id}": Row(
        answers("404", anonymous="401", moderator="200", administrator="200", staff="200"),
        args=lambda w: {"lot_id": w.lot.pk},
    ),
    # --- agenda ------------------------------------------------------------------------------
    "GET /api/v1/events": Row(PUBLIC),
    "GET /api/v1/events/{event_id}": Row(PUBLIC, args=lambda w: {"event_id": world_event(w).pk}),
}


# --- issue 18 (journeys): contact page, association checks, moderation review, resubmission
HTML.update(
    {
        "core:contact": Row(PUBLIC),
        "core:verification_queue": Row(TEAM),
        "core:verification_decide": Row(
            POST_ONLY,
            args=_slug("association"),
            # The team's empty POST is a form error (a decision is required).
            post=answers(
                "403", anonymous="login", moderator="400", administrator="400", staff="400"
            ),
        ),
        "core:moderation_review": Row(
            TEAM, args=lambda w: {"key": "core.organisationcorrection", "pk": w.correction.pk}
        ),
        "accounts:contribution_edit": Row(
            OWNER_ONLY,
            args=lambda w: {"kind": "core.organisationcorrection", "pk": str(w.correction.pk)},
        ),
    }
)


# --- agenda: invitations of the associations whose plan matches (#17 item 8) ----------------
# The matrix's event serves no plan action: the team's page says so (200) and its POST is
# refused (400), nothing sent; everyone else but the organisers gets a 404.
HTML.update(
    {
        "agenda:invite": Row(
            answers("404", anonymous="login", **_TEAM),
            args=lambda w: {"pk": world_event(w).pk},
            post=answers(
                "404", anonymous="login", moderator="400", administrator="400", staff="400"
            ),
        ),
    }
)


# --- issue 16 (fund part 2, support-a): offers, follow-up, providers. The owner's association
# has an accepted dossier whose support is assigned to the owner's structure.
def _support_ref(w):
    return {"reference": w.fund_support.application.reference}


HTML.update(
    {
        "fund:offer": Row(answers("404"), args=_token),
        # The association's page: its members and the team.
        "fund:support_association": Row(FUND_TEAM_SEES, args=_support_ref),
        "fund:actor_supports": Row(SIGNED_IN),
        # The assigned actor's page: its people only (not even the team, which has its own).
        "fund:support_actor": Row(OWNER_ONLY, args=_support_ref),
        "fund:staff_supports": Row(TEAM),
        "fund:staff_support": Row(TEAM, args=_support_ref),
        "fund:staff_providers": Row(TEAM),
        "fund:staff_provider_new": Row(TEAM),
        "fund:staff_provider_edit": Row(TEAM, args=lambda w: {"pk": w.fund_provider.pk}),
    }
)


# --- fund part 2 (#16), the team's support pages and the impact open data: team only;
# reviewers (and every other role) see nothing of supports -------------------------------------
def _fund_cohort(w):
    """A confirmed cohort of the matrix's call (made on first use)."""
    from ressourcerie.fund.models import Cohort, CohortStatus

    cohort, _created = Cohort.objects.get_or_create(
        call=w.fund_call, name="Groupe de la matrice", defaults={"status": CohortStatus.TO_ASSIGN}
    )
    return cohort


# The team's empty POST names nothing to do: the page again with a French message (400).
_TEAM_POST_400 = answers(
    "403", anonymous="login", moderator="400", administrator="400", staff="400"
)

HTML.update(
    {
        "fund:cohort_suggestions": Row(
            TEAM, args=lambda w: {"slug": w.fund_call.slug}, post=_TEAM_POST_400
        ),
        "fund:cohort_detail": Row(
            TEAM,
            args=lambda w: {"slug": w.fund_call.slug, "pk": _fund_cohort(w).pk},
            post=_TEAM_POST_400,
        ),
        "fund:support_dashboard": Row(TEAM),
        "fund:support_dashboard_csv": Row(TEAM),
        "fund:support_dashboard_ods": Row(TEAM),
    }
)
API.update(
    {
        "GET /api/v1/fund/impact": Row(PUBLIC),
        "GET /api/v1/fund/impact.csv": Row(PUBLIC),
    }
)


# --- fund part 2 (#16 item 3): a cohort's collective sessions: its actor's people and the
# team; the matrix's cohort is not assigned yet, so the team's empty POST is refused (400) ----
HTML.update(
    {
        # The actor's page of a cohort (sessions, attendance, closing): its people only,
        # not even the team (which has the cohort's team page).
        "fund:cohort_actor": Row(OWNER_ONLY, args=lambda w: {"pk": _fund_cohort(w).pk}),
        "fund:cohort_actor_event": Row(
            OWNER_ONLY, args=lambda w: {"pk": _fund_cohort(w).pk, "event": 1}
        ),
        "fund:cohort_schedule": Row(
            FUND_TEAM_SEES,
            args=lambda w: {"pk": _fund_cohort(w).pk},
            post=answers(
                "404", anonymous="login", moderator="400", administrator="400", staff="400"
            ),
        ),
    }
)


def _api_path(key: str):
    method, path = key.split(" ", 1)

    def build(world, row):
        values = row.args(world) if row.args else {}
        return path.format(**values)

    return build


for _name, _row in HTML.items():
    _row.name = _name
for _key, _row in API.items():
    _row.name = _key
    if _row.path is None:
        _row.path = (lambda build, row: lambda w: build(w, row))(_api_path(_key), _row)
