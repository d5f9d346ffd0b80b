# The production shape: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY pyproject.toml README.md ./
COPY interface interface
COPY core core
COPY audit audit
COPY directory directory
COPY alerts alerts
COPY triage triage
COPY diagnostics diagnostics
COPY prescribing prescribing
COPY contracts contracts
COPY dashboards dashboards
COPY devtools devtools
RUN pip install .
COPY . .
RUN INTERFACE_ENV=production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1001 interface && chown -R interface /app
USER interface
EXPOSE 8000
# gunicorn.conf.py reads workers, threads and timeouts from the environment (docs/operations.md).
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "interface.wsgi:application"]
