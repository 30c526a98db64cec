"""The instruction side of the fund: the team's list, the reviewer's list, one dossier's
instruction page, the review form, and the messages between the team and the association."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import permissions, ratelimits, text
from ..errors import FundError
from ..forms.instruction import (
    AnnotationForm,
    ExpertRequestForm,
    FilterForm,
    GroupForm,
    LabelsForm,
    MessageForm,
    MoveForm,
    ReviewForm,
)
from ..models import ApplicationStatus
from ..selectors import applications as application_selectors
from ..selectors import instruction as selectors
from ..services import instruction as services
from ..services.applications import DECISION_MOVES, allowed_moves

PART = gettext_lazy("Fonds d'accompagnement")
PER_PAGE = 50


def application_or_404(reference):
    """A submitted dossier (drafts exist only for their association)."""
    application = application_selectors.application_by_reference(reference)
    if application is None or application.status == ApplicationStatus.DRAFT:
        raise Http404
    return application


def staff_crumbs(*items):
    return crumbs(PART, "fund:call_list", (_("Dossiers"), None), *items)


@never_cache
@team_required
def staff_applications(request):
    form = FilterForm(request.GET or None)
    filters = form.filters()
    counts = selectors.status_counts(filters)
    paginator = Paginator(selectors.staff_application_ids(filters), PER_PAGE)
    # The counts by state already hold the total (of the chosen state, or of all): no COUNT.
    paginator.count = sum(
        n for value, _l, n in counts if value == filters.status or not filters.status
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.list_rows(page.object_list)
    query = request.GET.urlencode()
    return render(
        request,
        "fund/instruction/staff_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": page.object_list,
            "counts": counts,
            "filtered": filters.active,
            "export_query": query,
            "crumbs": crumbs(PART, "fund:call_list", (_("Dossiers du fonds"), None)),
        },
    )


@never_cache
@login_required
def reviewer_home(request):
    reviewer = permissions.is_reviewer(request.user)
    applications = list(selectors.reviewer_applications(request.user)) if reviewer else []
    return render(
        request,
        "fund/instruction/reviewer_home.html",
        {
            "reviewer": reviewer,
            "to_score": [a for a in applications if not a.my_review_submitted],
            "scored": [a for a in applications if a.my_review_submitted],
            "crumbs": crumbs(PART, "fund:call_list", (_("Mes dossiers à instruire"), None)),
        },
    )


def _instruction_moves(application, user) -> list[str]:
    """The moves of this page: decisions are the committee's, submission the association's."""
    return [
        m
        for m in allowed_moves(application, user)
        if m not in DECISION_MOVES and m != ApplicationStatus.SUBMITTED
    ]


def _instruction_context(request, application, **forms):
    user = request.user
    team = permissions.can_manage_fund(user)
    own = selectors.review_of(application, user)
    context = {
        "application": application,
        "call": application.call,
        "team": team,
        "snapshot": application.diagnostic_snapshot,
        "actions": selectors.chosen_actions(application),
        "documents": list(application.documents.all()),
        "days_requested": text.days(application.days_requested),
        "priorities": selectors.priorities_met(application),
        "history": selectors.history_of(application),
        "reviews": selectors.visible_reviews(application, user, team=team),
        "own_review": own,
        "is_group_reviewer": permissions.can_review(user, application),
        "moves": _instruction_moves(application, user),
        "move_form": forms.get("move_form")
        or MoveForm(moves=_instruction_moves(application, user)),
        "crumbs": staff_crumbs((application.reference, None))
        if team
        else crumbs(
            PART,
            "fund:call_list",
            (_("Mes dossiers à instruire"), reverse("fund:reviewer_home")),
            (application.reference, None),
        ),
    }
    if team:
        context.update(
            {
                "annotations": application.annotations.select_related("author"),
                "labels": list(application.labels.all()),
                "group_form": forms.get("group_form")
                or GroupForm(initial={"group": application.group_id}),
                "labels_form": forms.get("labels_form")
                or LabelsForm(initial={"labels": [label.pk for label in application.labels.all()]}),
                "annotation_form": forms.get("annotation_form") or AnnotationForm(),
                "expert_form": forms.get("expert_form") or ExpertRequestForm(),
                "experts": selectors.expert_opinions_of(application),
            }
        )
    return context


@never_cache
@login_required
def instruction(request, reference):
    application = application_or_404(reference)
    if not permissions.can_instruct(request.user, application):
        raise Http404
    if request.method != "POST":
        return render(
            request,
            "fund/instruction/instruction.html",
            _instruction_context(request, application),
        )
    action = request.POST.get("action", "")
    team = permissions.can_manage_fund(request.user)
    form_name, form = None, None
    try:
        if action == "move":
            form_name = "move_form"
            form = MoveForm(request.POST, moves=_instruction_moves(application, request.user))
            if form.is_valid():
                services.move_application(
                    application=application,
                    to_status=form.cleaned_data["to_status"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Le dossier a changé d'étape."))
                return redirect("fund:instruction", reference=application.reference)
        elif action in ("group", "annotation", "labels") and team:
            form_name, form_class = {
                "group": ("group_form", GroupForm),
                "annotation": ("annotation_form", AnnotationForm),
                "labels": ("labels_form", LabelsForm),
            }[action]
            form = form_class(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                if action == "group":
                    services.reassign_group(
                        application=application, group=data["group"], actor=request.user
                    )
                    messages.success(request, _("Le dossier est confié au groupe choisi."))
                elif action == "annotation":
                    services.add_annotation(
                        application=application, actor=request.user, body=data["body"]
                    )
                    messages.success(request, _("Annotation ajoutée."))
                else:
                    services.set_labels(
                        application=application,
                        actor=request.user,
                        labels=data["labels"],
                        new_label=data["new_label"],
                    )
                    messages.success(request, _("Étiquettes enregistrées."))
                return redirect("fund:instruction", reference=application.reference)
        else:
            return render(
                request,
                "fund/instruction/instruction.html",
                _instruction_context(request, application),
                status=400,
            )
    except FundError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "fund/instruction/instruction.html",
        _instruction_context(request, application, **{form_name: form}),
        status=400,
    )


@never_cache
@login_required
def review(request, reference):
    application = application_or_404(reference)
    user = request.user
    in_group = (
        permissions.is_reviewer(user)
        and application.group_id is not None
        and application.group.members.filter(pk=user.pk).exists()
    )
    if not in_group:
        raise Http404
    context = {
        "application": application,
        "crumbs": crumbs(
            PART,
            "fund:call_list",
            (_("Mes dossiers à instruire"), reverse("fund:reviewer_home")),
            (application.reference, None),
            (_("Évaluation"), None),
        ),
    }
    if permissions.is_applicant(user, application):
        context["refusal"] = _(
            "Vous êtes membre de cette association : vous ne pouvez ni évaluer son dossier ni "
            "lire ses évaluations."
        )
        return render(request, "fund/instruction/review.html", context, status=403)
    own = selectors.review_of(application, user)
    if own is not None and own.conflict_declared:
        context["refusal"] = _(
            "Vous avez déclaré un conflit d'intérêts sur ce dossier : vous ne pouvez ni "
            "l'évaluer ni lire ses évaluations."
        )
        return render(request, "fund/instruction/review.html", context, status=403)
    criteria = list(application.call.criteria.all())
    initial = {}
    if own is not None:
        initial = {"comment": own.comment, "recommendation": own.recommendation}
        initial.update({f"score_{s.criterion_id}": s.score for s in own.scores.all()})
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            if "conflict" in request.POST:
                services.declare_conflict(application=application, reviewer=user)
                messages.success(request, _("Conflit d'intérêts enregistré : merci."))
                return redirect("fund:reviewer_home")
            if form.is_valid():
                submit = "submit" in request.POST
                services.save_review(
                    application=application,
                    reviewer=user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    recommendation=form.cleaned_data["recommendation"],
                    submit=submit,
                )
                messages.success(
                    request,
                    _("Évaluation rendue : merci.") if submit else _("Brouillon enregistré."),
                )
                return redirect("fund:instruction", reference=application.reference)
        except FundError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        status = 400
    context.update(
        {"form": form, "own_review": own, "submitted": own is not None and own.submitted_at}
    )
    return render(request, "fund/instruction/review.html", context, status=status)


@never_cache
@login_required
def application_messages(request, reference):
    application = application_or_404(reference)
    user = request.user
    if not permissions.can_view_application(user, application):
        raise Http404
    form = MessageForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        wait = ratelimits.check(request, "message") if form.is_valid() else 0
        if wait:
            form.add_error(None, ratelimit.too_many_message(wait))
            status = 429
        elif form.is_valid():
            try:
                services.post_message(
                    application=application,
                    author=user,
                    body=form.cleaned_data["body"],
                    attachment=form.cleaned_data["attachment"],
                )
                messages.success(request, _("Message envoyé."))
                return redirect("fund:application_messages", reference=application.reference)
            except FundError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
    team_side = permissions.can_instruct(user, application)
    back = (
        ("fund:instruction", _("Instruction du dossier"))
        if team_side
        else ("fund:application_detail", _("Le dossier"))
    )
    return render(
        request,
        "fund/instruction/messages.html",
        {
            "application": application,
            "thread": selectors.messages_of(application),
            "form": form,
            "back_url_name": back[0],
            "back_label": back[1],
            "crumbs": crumbs(
                PART, "fund:call_list", (application.reference, None), (_("Messages"), None)
            ),
        },
        status=status,
    )


@never_cache
@login_required
def message_attachment(request, reference, pk):
    application = application_or_404(reference)
    if not permissions.can_view_application(request.user, application):
        raise Http404
    message = application.messages.filter(pk=pk).exclude(attachment="").first()
    if message is None:
        raise Http404
    try:
        handle = message.attachment.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle, as_attachment=True, filename=message.attachment_name or "piece-jointe"
    )
