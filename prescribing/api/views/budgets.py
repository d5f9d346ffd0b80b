"""Joint budgets: list, set up, and one budget with its spend by organisation and sector."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.web import api_context
from core.api import require, validated
from prescribing import permissions, selectors
from prescribing.api import serializers as s
from prescribing.api.views.shared import NewestFirst
from prescribing.filters import BudgetFilterSet
from prescribing.services.budgets import budget_create


def with_figures(budgets):
    """Set each annotated budget's money figures (spent, committed, remaining, forecast)."""
    today = timezone.localdate()
    for budget in budgets:
        budget.figures = selectors.budget_figures(budget, today=today)
    return budgets


@extend_schema(tags=["prescribing"])
class BudgetListCreateApi(ListAPIView):
    """Joint budgets: an administrator sees every one, a manager their ICB's, a clinician those
    whose committee they sit on."""

    serializer_class = s.BudgetOutputSerializer
    pagination_class = NewestFirst
    filterset_class = BudgetFilterSet

    def get_queryset(self):
        return selectors.budgets_with_totals(selectors.budgets_visible_to(self.request.user))

    def paginate_queryset(self, queryset):
        return with_figures(super().paginate_queryset(queryset))

    @extend_schema(summary="Joint prescribing budgets the caller may see, with their position")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Set up a joint budget and its committee (the ICB's managers, administrators)",
        request=s.BudgetCreateInputSerializer,
        responses={201: s.BudgetDetailOutputSerializer},
    )
    def post(self, request):
        require(
            permissions.can_set_up_budgets(request.user),
            "Budgets are set up by the ICB's managers or by an administrator.",
        )
        data = validated(request, s.BudgetCreateInputSerializer)
        budget = budget_create(actor=request.user, context=api_context(request), **data)
        return Response(_detail(request, budget.uuid), status=status.HTTP_201_CREATED)


def _detail(request, budget_uuid) -> dict:
    budget = selectors.budget_get_for_user(user=request.user, budget_uuid=budget_uuid)
    with_figures([budget])
    budget.breakdown = selectors.budget_breakdown(budget)
    return s.BudgetDetailOutputSerializer(budget).data


@extend_schema(
    tags=["prescribing"],
    summary="One joint budget, with spend and forecast by prescriber organisation and sector",
    responses=s.BudgetDetailOutputSerializer,
)
class BudgetDetailApi(APIView):
    def get(self, request, budget_id):
        return Response(_detail(request, budget_id))
