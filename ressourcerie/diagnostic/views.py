"""Taking the diagnostic (no JavaScript needed), results, and the staff pages.

The response being taken lives in the session (its id and raw resume token); the private
link /autodiagnostic/reprendre/<token>/ puts it back into any browser's session.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ressourcerie.accounts.permissions import organisations_for
from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required
from ressourcerie.core.secret_links import secret_link

from . import engine, selectors, services
from .errors import DiagnosticError
from .forms import ProfileForm, ResumeEmailForm
from .models import QuestionKind, QuestionnaireStatus, Response
from .ratelimits import LIMITS

SESSION_KEY = selectors.SESSION_KEY
MINE_PER_PAGE = 20


def _remember(request, response: Response, token: str) -> None:
    request.session[SESSION_KEY] = {"id": response.pk, "token": token}


def _current(request) -> tuple[Response | None, str]:
    return selectors.session_response(request.session)


def _resume_url(request, token: str) -> str:
    if not token:
        return ""
    return request.build_absolute_uri(reverse("diagnostic:resume", args=[token]))


def intro(request):
    questionnaire = selectors.published_questionnaire()
    response, _token = _current(request)
    structure = selectors.structure(questionnaire) if questionnaire else None
    return render(
        request,
        "diagnostic/intro.html",
        {
            "questionnaire": questionnaire,
            "structure": structure,
            "question_count": len(structure.questions) if structure else 0,
            "current": response,
        },
    )


def start(request):
    questionnaire = selectors.published_questionnaire()
    if questionnaire is None:
        raise Http404
    organisations = organisations_for(request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data.get("organisation")
        previous_response, _token = _current(request)
        previous = None
        if organisation is not None:
            previous = selectors.latest_completed_for_organisation(organisation)
        elif previous_response is not None and previous_response.is_completed:
            previous = previous_response
        response, token = services.start_response(
            questionnaire=questionnaire,
            user=request.user,
            organisation=organisation,
            members_band=form.cleaned_data["members_band"],
            sector=form.cleaned_data["sector"],
            department=form.cleaned_data["department"],
            previous=previous,
        )
        _remember(request, response, token)
        return redirect("diagnostic:step", 1)
    return render(
        request,
        "diagnostic/start.html",
        {
            "form": form,
            "crumbs": crumbs(
                _("Autodiagnostic"), "diagnostic:intro", (_("Votre association"), None)
            ),
        },
    )


def _question_rows(structure, axis, answers, errors):
    rows = []
    for question in axis.questions:
        parent = structure.questions.get(question.condition_question_id or 0)
        same_page = parent is not None and parent.axis_key == axis.key
        if (
            parent is not None
            and not same_page
            and not engine.is_shown(structure, question, answers)
        ):
            continue
        answer = answers.get(question.id) or engine.AnswerValue()
        rows.append(
            {
                "question": question,
                "name": f"q{question.id}",
                "is_scale": question.kind == QuestionKind.SCALE,
                "is_multiple": question.kind == QuestionKind.MULTIPLE,
                "choices": (
                    [
                        {
                            "value": v,
                            "label": (
                                f"{v} – {question.scale_min_label}"
                                if v == question.scale_min and question.scale_min_label
                                else f"{v} – {question.scale_max_label}"
                                if v == question.scale_max and question.scale_max_label
                                else str(v)
                            ),
                            "checked": answer.value == v,
                        }
                        for v in question.scale_values
                    ]
                    if question.kind == QuestionKind.SCALE
                    else [
                        {"value": o.id, "label": o.label, "checked": o.id in answer.option_ids}
                        for o in question.options
                    ]
                ),
                "note": engine.condition_text(structure, question) if same_page else "",
                "error": errors.get(question.id, ""),
            }
        )
    return rows


def _first_incomplete_step(structure, answers) -> int | None:
    for index, axis in enumerate(structure.axes, start=1):
        if engine.missing_required(structure, axis.questions, answers):
            return index
    return None


@secret_link
def step(request, number):
    response, token = _current(request)
    if response is None:
        messages.warning(
            request,
            _(
                "Commencez un diagnostic, ou reprenez le vôtre avec le lien privé qui vous a été donné."
            ),
        )
        return redirect("diagnostic:intro")
    if response.is_completed:
        return redirect("diagnostic:results")
    structure = selectors.structure(response.questionnaire)
    axis = structure.axis_at(number)
    if axis is None:
        raise Http404
    answers = selectors.answers_of(response)
    errors: dict[int, str] = {}
    general_error = ""
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if request.POST.get("version") != str(structure.version):
            general_error = _(
                "Ces réponses ont été données sur une autre version du questionnaire : elles "
                "n'ont pas été enregistrées. Vos réponses précédentes sont conservées ; "
                "vérifiez cette page et validez-la de nouveau."
            )
        else:
            page_answers, errors = engine.clean_answers(
                axis.questions, lambda q: request.POST.getlist(f"q{q.id}")
            )
            page_ids = {q.id for q in axis.questions}
            merged = {k: v for k, v in answers.items() if k not in page_ids} | page_answers
            if action == "next":
                missing = engine.missing_required(structure, axis.questions, merged)
                errors = missing | errors
            answers = merged
            if not errors:
                services.save_answers(
                    response=response,
                    structure=structure,
                    questions=axis.questions,
                    answers=page_answers,
                    step={"previous": max(1, number - 1), "save": number}.get(
                        action, min(number + 1, structure.step_count)
                    ),
                )
                if action == "previous":
                    return redirect("diagnostic:step", max(1, number - 1))
                if action == "save":
                    return redirect("diagnostic:saved")
                if number < structure.step_count:
                    return redirect("diagnostic:step", number + 1)
                answers = selectors.answers_of(response)
                incomplete = _first_incomplete_step(structure, answers)
                if incomplete is not None:
                    messages.error(
                        request,
                        _("Il reste des questions sans réponse à cette étape."),
                    )
                    return redirect("diagnostic:step", incomplete)
                services.complete_response(response=response, structure=structure)
                return redirect("diagnostic:results")
            general_error = _(
                "Certaines réponses sont à compléter ou à corriger : les messages sont à côté "
                "des questions concernées. Vos autres réponses sont gardées."
            )
    return render(
        request,
        "diagnostic/step.html",
        {
            "response": response,
            "structure": structure,
            "axis": axis,
            "number": number,
            "is_last": number == structure.step_count,
            "rows": _question_rows(structure, axis, answers, errors),
            "general_error": general_error,
            "error_count": len(errors),
            "resume_url": _resume_url(request, token),
            "crumbs": crumbs(_("Autodiagnostic"), "diagnostic:intro", (axis.name, None)),
        },
    )


@secret_link
def saved(request):
    response, token = _current(request)
    if response is None:
        return redirect("diagnostic:intro")
    form = ResumeEmailForm(request.POST if request.method == "POST" else None)
    url = _resume_url(request, token)
    wait = 0
    if request.method == "POST" and form.is_valid():
        if wait := LIMITS.check(
            client=("link_ip", request), address=("link_email", form.cleaned_data["email"])
        ):
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            services.send_resume_link(email=form.cleaned_data["email"], response=response)
            messages.success(request, _("Le lien vous a été envoyé par e-mail."))
            return redirect("diagnostic:saved")
    return render(
        request,
        "diagnostic/saved.html",
        {
            "response": response,
            "resume_url": url,
            "form": form,
            "crumbs": crumbs(
                _("Autodiagnostic"), "diagnostic:intro", (_("Reprendre plus tard"), None)
            ),
        },
        status=429 if wait else 200,
    )


@secret_link
def resume(request, token):
    if not LIMITS.allow("resume_ip", ratelimit.client_key(request)):
        return render(
            request,
            "diagnostic/invalid_link.html",
            {"crumbs": crumbs(_("Autodiagnostic"), "diagnostic:intro")},
            status=429,
        )
    response = selectors.response_by_token(token)
    if response is None:
        return render(
            request,
            "diagnostic/invalid_link.html",
            {"crumbs": crumbs(_("Autodiagnostic"), "diagnostic:intro")},
            status=404,
        )
    request.session.cycle_key()
    _remember(request, response, token)
    # Rendered in place rather than redirected: the link is the page (bookmarkable, and one
    # request less on a slow connection). Forms on these pages post to their own addresses.
    if request.method != "GET":
        return redirect(request.path)
    if response.is_completed:
        return results(request)
    return step(request, response.current_step)


def _results_context(request, response: Response, token: str, *, trail=None) -> dict:
    """The results page's content; without ``token`` (a past diagnostic opened from "Mes
    diagnostics") the parts that need the session (private link, retake) are left out."""
    structure = selectors.structure(response.questionnaire)
    answers = selectors.answers_of(response)
    scores = engine.compute_scores(structure, answers)
    previous = selectors.previous_completed(response)
    before = selectors.stored_scores(previous) if previous else {}
    comparisons = selectors.comparisons(response)
    rows = [
        {
            "key": a.key,
            "name": a.name,
            "score": a.score,
            "unknown": a.unknown_count,
            "before": before.get(a.key),
            "delta": (a.score - before[a.key])
            if a.score is not None and before.get(a.key) is not None
            else None,
            "bar": a.score or 0,
            "y": index * 44,
            "is_priority": a.is_priority,
            "is_strength": a.is_strength,
            "comparisons": [c.averages.get(a.key) for c in comparisons],
        }
        for index, a in enumerate(scores.axes)
    ]
    return {
        "response": response,
        "structure": structure,
        "scores": scores,
        "rows": rows,
        "chart_height": len(rows) * 44 + 4,
        "previous": previous,
        "previous_overall": previous.overall_score if previous else None,
        "comparisons": comparisons,
        "groups": selectors.recommendations_for(response, structure, scores, answers),
        "resume_url": _resume_url(request, token),
        "pdf_url": reverse("diagnostic:results_pdf")
        if token
        else reverse("diagnostic:mine_pdf", args=[response.pk]),
        "can_retake": bool(token),
        "is_own": request.user.is_authenticated and response.user_id == request.user.pk,
        "crumbs": trail
        or crumbs(_("Autodiagnostic"), "diagnostic:intro", (_("Vos résultats"), None)),
    }


@secret_link
def results(request):
    response, token = _current(request)
    if response is None:
        return redirect("diagnostic:intro")
    if not response.is_completed:
        return redirect("diagnostic:step", response.current_step)
    return render(request, "diagnostic/results.html", _results_context(request, response, token))


def _pdf(request, response: Response, token: str) -> HttpResponse:
    from .pdf import render_report

    content = render_report(_results_context(request, response, token))
    http = HttpResponse(content, content_type="application/pdf")
    date = timezone.localdate(response.completed_at).isoformat()
    http["Content-Disposition"] = f'attachment; filename="autodiagnostic-{date}.pdf"'
    return http


@secret_link
def results_pdf(request):
    response, token = _current(request)
    if response is None or not response.is_completed:
        return redirect("diagnostic:intro")
    return _pdf(request, response, token)


@secret_link
@require_POST
def retake(request):
    response, _token = _current(request)
    questionnaire = selectors.published_questionnaire()
    if response is None or not response.is_completed or questionnaire is None:
        return redirect("diagnostic:intro")
    new, token = services.start_retake(
        previous=response, questionnaire=questionnaire, user=request.user
    )
    _remember(request, new, token)
    messages.info(
        request,
        _("Nouveau diagnostic commencé : vos résultats seront comparés à ceux du précédent."),
    )
    return redirect("diagnostic:step", 1)


# --- "Mes diagnostics": a signed-in person's past diagnostics --------------------------------
@login_required
def mine(request):
    page = Paginator(selectors.responses_of(request.user), MINE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    resumable = selectors.resumable_of(request.user)
    return render(
        request,
        "diagnostic/mine.html",
        {
            "page_obj": page,
            "rows": selectors.with_evolution(page.object_list),
            "resumable_id": resumable.pk if resumable else None,
            "crumbs": crumbs(_("Autodiagnostic"), "diagnostic:intro", (_("Mes diagnostics"), None)),
        },
    )


def _own_completed_or_404(request, pk: int) -> Response:
    response = selectors.completed_of(request.user, pk)
    if response is None:
        raise Http404
    return response


@login_required
def mine_detail(request, pk):
    response = _own_completed_or_404(request, pk)
    date = timezone.localdate(response.completed_at)
    trail = crumbs(
        _("Autodiagnostic"),
        "diagnostic:intro",
        (_("Mes diagnostics"), reverse("diagnostic:mine")),
        (_("Diagnostic du %(date)s") % {"date": formats.date_format(date)}, None),
    )
    return render(
        request, "diagnostic/results.html", _results_context(request, response, "", trail=trail)
    )


@login_required
def mine_pdf(request, pk):
    return _pdf(request, _own_completed_or_404(request, pk), "")


@login_required
@require_POST
def mine_resume(request, pk):
    response = selectors.resumable_of(request.user)
    if response is None or response.pk != pk:
        raise Http404
    _remember(request, response, services.rotate_token(response=response))
    messages.info(
        request,
        _(
            "Votre diagnostic est repris là où vous l'aviez laissé. Votre lien privé a "
            "changé : l'ancien ne fonctionne plus, le nouveau est en bas de chaque étape."
        ),
    )
    return redirect("diagnostic:step", response.current_step)


# --- staff -----------------------------------------------------------------------------------
@team_required
def dashboard(request):
    axes = selectors.average_by_axis()
    return render(
        request,
        "diagnostic/dashboard.html",
        {
            "total": selectors.completed_responses().count(),
            "in_progress": Response.objects.filter(completed_at__isnull=True).count(),
            "by_department": selectors.counts_by_department(),
            "by_sector": selectors.counts_by_sector(),
            "axes": axes,
            "priorities": sorted(
                (a for a in axes if a["priorities"]), key=lambda a: -a["priorities"]
            ),
            "min_group": selectors.MIN_GROUP,
            "crumbs": crumbs(_("Gestion"), "core:staff", (_("Autodiagnostic"), None)),
        },
    )


@team_required
def export_csv(request):
    rows, columns = selectors.aggregate_rows()
    http = HttpResponse(content_type="text/csv; charset=utf-8")
    http["Content-Disposition"] = 'attachment; filename="autodiagnostic-agregats.csv"'
    writer = csv.DictWriter(http, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return http


@team_required
def versions(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "duplicate":
            source = selectors.published_questionnaire()
            if source is None:
                messages.error(request, _("Aucune version n'est publiée."))
            else:
                copy = services.duplicate_questionnaire(source=source, actor=request.user)
                messages.success(
                    request,
                    _("Brouillon version %(version)s créé : modifiez-le puis publiez-le.")
                    % {"version": copy.version},
                )
        elif action == "publish":
            questionnaire = selectors.questionnaire_by_pk(request.POST.get("questionnaire"))
            if questionnaire is None:
                messages.error(request, _("Choisissez une version à publier."))
            else:
                try:
                    services.publish_questionnaire(questionnaire=questionnaire, actor=request.user)
                    messages.success(
                        request,
                        _("Version %(version)s publiée.") % {"version": questionnaire.version},
                    )
                except DiagnosticError as error:
                    messages.error(request, error.message)
        return redirect("diagnostic:versions")
    return render(
        request,
        "diagnostic/versions.html",
        {
            "questionnaires": selectors.versions_for(request.user),
            "publish": QuestionnaireStatus.PUBLISHED,
            "has_published": selectors.published_questionnaire() is not None,
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (_("Autodiagnostic"), reverse("diagnostic:dashboard")),
                (_("Versions du questionnaire"), None),
            ),
        },
    )
