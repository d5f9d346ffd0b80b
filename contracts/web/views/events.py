"""Recording a discharge or an outpatient attendance: the provider's staff (docs/product.md §5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from audit.web import browser_context
from contracts import permissions, selectors
from contracts.services.events import attendance_record, discharge_record
from contracts.web.forms import AttendanceForm, DischargeForm, apply_service_errors
from core.errors import ApplicationError, ConflictError

NO_PATIENT = "No patient you may see has this NHS number."


def _record(request, *, form_class, template: str, record, what: str):
    if not permissions.can_record_events(request.user):
        raise PermissionDenied("Discharges and attendances are recorded by the provider's staff.")
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            patient = selectors.patient_for_event(user=request.user, nhs_number=data["nhs_number"])
            if patient is None:
                form.add_error("nhs_number", NO_PATIENT)
            else:
                data["patient"] = patient
                del data["nhs_number"]
                try:
                    saved, created = record(
                        actor=request.user, context=browser_context(request), **data
                    )
                except ApplicationError as error:
                    apply_service_errors(form, error)
                    status = 409 if isinstance(error, ConflictError) else 400
                else:
                    opened = saved.obligations.count()
                    messages.success(
                        request,
                        f"{what} recorded: {opened} obligation(s) opened."
                        if created
                        else f"This {what.lower()} was already recorded; nothing changed.",
                    )
                    query = urlencode({"nhs_number": patient.nhs_number})
                    return redirect(f"{reverse('contracts:obligations')}?{query}")
    return render(request, template, {"form": form}, status=status)


@login_required
def discharge_new(request):
    return _record(
        request,
        form_class=DischargeForm,
        template="contracts/discharge_new.html",
        record=discharge_record,
        what="Discharge",
    )


@login_required
def attendance_new(request):
    return _record(
        request,
        form_class=AttendanceForm,
        template="contracts/attendance_new.html",
        record=attendance_record,
        what="Attendance",
    )
