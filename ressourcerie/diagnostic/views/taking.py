"""Taking the diagnostic, one axis per page (no JavaScript needed).

The private link /autodiagnostic/reprendre/<token>/ puts a response back into any browser's
session.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ressourcerie.accounts.permissions import organisations_for
from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.secret_links import secret_link

from .. import engine, selectors, services
from ..errors import DiagnosticError
from ..forms import ProfileForm, ResumeEmailForm
from ..models import QuestionKind
from ..ratelimits import LIMITS
from .results import results
from .session import current, remember, resume_url


def intro(request):
    questionnaire = selectors.published_questionnaire()
    response, _token = current(request)
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
        previous_response, _token = current(request)
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
        remember(request, response, token)
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
                # Same-page conditions: static/js/diagnostic-conditions.js hides the question
                # until the condition holds (without JavaScript the note above says it).
                "condition_name": f"q{parent.id}" if same_page else "",
                "condition_values": " ".join(str(i) for i in sorted(question.condition_option_ids))
                if same_page
                else "",
                "error": errors.get(question.id, ""),
            }
        )
    return rows


@secret_link
def step(request, number):
    response, token = current(request)
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
    problem, problem_error = None, ""
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
            # The optional last question, in the person's own words (last page only).
            if number == structure.step_count:
                problem = request.POST.get("problem", "")
                try:
                    problem = services.clean_problem_text(problem)
                except DiagnosticError as error:
                    problem_error = error.message
            if not errors and not problem_error:
                if problem is not None:
                    services.save_problem_text(response=response, text=problem)
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
                incomplete = engine.first_incomplete_step(structure, answers)
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
            "problem": response.problem_text if problem is None else problem,
            "problem_error": problem_error,
            "problem_max": services.PROBLEM_MAX,
            "rows": _question_rows(structure, axis, answers, errors),
            "general_error": general_error,
            "error_count": len(errors),
            "resume_url": resume_url(request, token),
            "crumbs": crumbs(_("Autodiagnostic"), "diagnostic:intro", (axis.name, None)),
        },
    )


@secret_link
def saved(request):
    response, token = current(request)
    if response is None:
        return redirect("diagnostic:intro")
    form = ResumeEmailForm(request.POST if request.method == "POST" else None)
    url = resume_url(request, token)
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
    remember(request, response, token)
    # Rendered in place rather than redirected: the link is the page (bookmarkable, and one
    # request less on a slow connection). Forms on these pages post to their own addresses.
    if request.method != "GET":
        return redirect(request.path)
    if response.is_completed:
        return results(request)
    return step(request, response.current_step)
