"""Directory pages: patient search and the patient record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit.models import AuditAction
from audit.services import audit_records_shown
from audit.web import browser_context
from directory import selectors
from directory.patient_sections import sections_for
from directory.web.forms import PatientSearchForm


@login_required
def patient_search(request):
    if not request.user.is_clinician:
        raise PermissionDenied("Only clinicians can look up patients.")
    form = PatientSearchForm(request.GET or None)
    patients = None
    if form.is_bound and form.is_valid():
        patients = list(
            selectors.patients_search(
                user=request.user,
                nhs_number=form.cleaned_data["nhs_number"],
                family_name=form.cleaned_data["family_name"],
            )[:50]
        )
        audit_records_shown(
            actor=request.user,
            context=browser_context(request),
            records=[{"patient_id": p.pk, "uuid": p.uuid} for p in patients],
            action=AuditAction.LIST,
            object_type="patient",
        )
    return render(request, "directory/patient_search.html", {"form": form, "patients": patients})


@login_required
def patient_detail(request, patient_id):
    patient = selectors.patient_get_for_user(user=request.user, patient_uuid=patient_id)
    audit_records_shown(
        actor=request.user,
        context=browser_context(request),
        records=[{"patient_id": patient.pk, "uuid": patient.uuid}],
        action=AuditAction.VIEW,
        object_type="patient",
    )
    return render(
        request,
        "directory/patient_detail.html",
        {"patient": patient, "sections": sections_for(request.user, patient)},
    )
