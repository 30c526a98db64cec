"""A dossier's files: the documents (streamed as attachments to those allowed, deleted while
the dossier is editable) and the PDF récépissé of its deposit."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import permissions
from ..errors import FundError
from ..models import ApplicationDocument
from ..pdf import render_receipt
from ..selectors import applications as selectors
from ..selectors import instruction as instruction_selectors
from ..services import applying


def _allowed_application(request, reference):
    if not request.user.is_authenticated:
        return None
    application = selectors.application_by_reference(reference)
    if application is None or not permissions.can_view_application(request.user, application):
        raise Http404
    return application


def _document(application, pk) -> ApplicationDocument:
    # A document of another dossier is not found, whatever the reference says.
    document = ApplicationDocument.objects.filter(application=application, pk=pk).first()
    if document is None:
        raise Http404
    return document


def _expert_application(request, reference):
    """The dossier an expert's private link (``?avis=<token>``) opens, or a 404: a revoked or
    answered link, or one asked about another dossier, opens nothing."""
    opinion = instruction_selectors.expert_by_token(request.GET.get("avis", ""))
    if opinion is None or opinion.application.reference != reference:
        raise Http404
    return opinion.application


@never_cache
def document_download(request, reference, pk):
    if "avis" in request.GET:
        application = _expert_application(request, reference)
    else:
        application = _allowed_application(request, reference)
    if application is None:
        return redirect_to_login(request.get_full_path())
    document = _document(application, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def document_delete(request, reference, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _allowed_application(request, reference)
    if not permissions.is_applicant(request.user, application):
        raise Http404
    document = _document(application, pk)
    try:
        applying.delete_document(document=document, actor=request.user)
    except FundError as refusal:
        messages.error(request, refusal.message)
        return redirect(application)
    messages.success(
        request, _("Le document « %(name)s » est supprimé.") % {"name": document.original_name}
    )
    return redirect("fund:application_edit", reference=application.reference)


@never_cache
def receipt_pdf(request, reference):
    application = _allowed_application(request, reference)
    if application is None:
        return redirect_to_login(request.get_full_path())
    if application.submitted_at is None:
        raise Http404
    response = HttpResponse(render_receipt(application), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recepisse-{application.reference}.pdf"'
    return response
