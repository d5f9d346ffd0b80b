"""Directory pages: home, patient search and the patient record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from interface import selectors
from interface.forms import PatientSearchForm
from interface.models import AuditAction
from interface.patient_sections import sections_for
from interface.services import AuditContext, audit_record


@login_required
def home(request):
    return render(request, "interface/home.html")


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
        audit_record(
            actor=request.user,
            context=AuditContext.from_request(request),
            action=AuditAction.LIST,
            object_type="patient",
            patient_ids=[p.pk for p in patients],
            object_ids=[str(p.uuid) for p in patients],
        )
    return render(request, "interface/patient_search.html", {"form": form, "patients": patients})


@login_required
def patient_detail(request, patient_id):
    patient = selectors.patient_get_for_user(user=request.user, patient_uuid=patient_id)
    audit_record(
        actor=request.user,
        context=AuditContext.from_request(request),
        action=AuditAction.VIEW,
        object_type="patient",
        patient_ids=[patient.pk],
        object_ids=[str(patient.uuid)],
    )
    return render(
        request,
        "interface/patient_detail.html",
        {"patient": patient, "sections": sections_for(request.user, patient)},
    )
