"""GP breach reports: report, read, edit the letter, print or download it (docs/product.md §5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.web import browser_context
from contracts import permissions, selectors
from contracts.services.reports import breach_report_create, breach_report_letter_update
from contracts.web.forms import BreachReportForm, LetterForm, apply_service_errors
from contracts.web.views.shared import NewestFirst, paged
from core.errors import ApplicationError, ConflictError
from directory.web.shared import audit_shown


def _shown(request, report, *, action: str = AuditAction.VIEW) -> None:
    audit_shown(request, [report], action=action, object_type="breach_report")


@login_required
def breach_report_list(request):
    user = request.user
    if not permissions.can_use_breach_reports(user):
        raise PermissionDenied("Breach reports are for GPs and the providers addressed.")
    try:
        reports, links = paged(request, selectors.breach_reports_visible_to(user), NewestFirst)
    except ApplicationError as error:
        return render(
            request,
            "contracts/breach_report_list.html",
            {"reports": [], "links": {}, "error": error.message},
            status=400,
        )
    audit_shown(request, reports, action=AuditAction.LIST, object_type="breach_report")
    context = {
        "reports": reports,
        "links": links,
        "can_report": permissions.can_report_breach(user),
    }
    return render(request, "contracts/breach_report_list.html", context)


@login_required
def breach_report_new(request):
    if not permissions.can_report_breach(request.user):
        raise PermissionDenied("GPs report breaches of the contract.")
    form = BreachReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            patient = selectors.patient_for_report(user=request.user, nhs_number=data["nhs_number"])
            if patient is None:
                form.add_error(
                    "nhs_number", "No patient registered at your practice has this NHS number."
                )
            else:
                try:
                    report, created = breach_report_create(
                        actor=request.user,
                        context=browser_context(request),
                        duty=data["duty"],
                        provider=data["provider"],
                        patient=patient,
                        occurred_on=data["occurred_on"],
                        description=data["description"],
                    )
                except ApplicationError as error:
                    apply_service_errors(form, error)
                    status = 409 if isinstance(error, ConflictError) else 400
                else:
                    messages.success(
                        request,
                        "Breach reported. Your letter is drafted below: edit it, then print or "
                        "download it."
                        if created
                        else "You had already reported this breach: here is that report.",
                    )
                    return redirect("contracts:breach-report-detail", report_id=report.uuid)
    return render(request, "contracts/breach_report_new.html", {"form": form}, status=status)


def _render_detail(request, report, *, form=None, status=200):
    may_edit = permissions.can_edit_report(request.user, report)
    if form is None and may_edit:
        form = LetterForm(initial={"letter": report.letter})
    _shown(request, report)
    context = {
        "report": report,
        "form": form,
        "may_edit": may_edit,
        "error_form": form if status >= 400 else None,
    }
    return render(request, "contracts/breach_report_detail.html", context, status=status)


@login_required
def breach_report_detail(request, report_id):
    report = selectors.breach_report_get_for_user(user=request.user, report_uuid=report_id)
    return _render_detail(request, report)


@login_required
@require_POST
def breach_report_letter(request, report_id):
    report = selectors.breach_report_for_edit(user=request.user, report_uuid=report_id)
    form = LetterForm(request.POST)
    if form.is_valid():
        try:
            breach_report_letter_update(
                report=report,
                actor=request.user,
                context=browser_context(request),
                letter=form.cleaned_data["letter"],
            )
        except ApplicationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Letter saved.")
            return redirect("contracts:breach-report-detail", report_id=report.uuid)
    return _render_detail(request, report, form=form, status=400)


@login_required
def breach_report_print(request, report_id):
    """The letter alone, laid out to print (the browser's print, or the page's button)."""
    report = selectors.breach_report_get_for_user(user=request.user, report_uuid=report_id)
    _shown(request, report)
    return render(request, "contracts/breach_report_print.html", {"report": report})


@login_required
def breach_report_download(request, report_id):
    """The letter as a plain text file, audited as an export."""
    report = selectors.breach_report_get_for_user(user=request.user, report_uuid=report_id)
    _shown(request, report, action=AuditAction.EXPORT)
    name = f"breach-letter-{timezone.localdate():%Y-%m-%d}-{str(report.uuid)[:8]}.txt"
    response = HttpResponse(report.letter + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
