"""The dashboard pages: overview, services, forecast, the board report."""

from dashboards.web.views.forecast import forecast
from dashboards.web.views.overview import overview
from dashboards.web.views.report import report
from dashboards.web.views.services import services

__all__ = ["forecast", "overview", "report", "services"]
