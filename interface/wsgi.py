import os

from django.core.wsgi import get_wsgi_application

from core.db import serve_web

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interface.settings")

# Before the application is built: this process serves the web, so its database sessions get
# WEB_STATEMENT_TIMEOUT_MS rather than the commands' longer bound (core/db.py).
serve_web()
application = get_wsgi_application()
