"""Small helpers shared by test modules."""

from rest_framework.test import APIClient


def api_client_for(user) -> APIClient:
    """An API client authenticated as ``user`` (the API's session/token checks are tested
    on their own)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def signed_in(client, user):
    """``user``, signed in to the test ``client`` (the login page is tested on its own)."""
    client.force_login(user)
    return user
