import pytest

from alerts.models import Alert
from alerts.services import AlertDraft, alerts_raise
from tests.factories import GPFactory

pytestmark = pytest.mark.django_db


def _draft(user, key="k-1"):
    return AlertDraft(kind="test", key=key, subject="A result needs you", recipient_id=user.pk)


def test_raising_an_alert_stores_it_for_its_recipient():
    gp = GPFactory()
    assert alerts_raise([_draft(gp)]) == 1
    assert Alert.objects.get().recipient == gp


def test_raising_the_same_key_again_adds_nothing():
    gp = GPFactory()
    alerts_raise([_draft(gp)])
    assert alerts_raise([_draft(gp), _draft(gp, key="k-2")]) == 1
    assert Alert.objects.count() == 2


def test_a_draft_needs_exactly_one_recipient():
    with pytest.raises(ValueError):
        AlertDraft(kind="test", key="k", subject="s")
