#!/bin/sh
# docker-compose.yml mounts this directory as the postgres image's /docker-entrypoint-initdb.d:
# it runs once, when the postgres service starts on an empty volume, as the owner
# (POSTGRES_USER). It creates the role the app runs as; an existing volume needs
# deploy/postgresql/app-role.sql run by hand once (docs/operations.md, "Database roles").
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_role=interface_app -v app_password="$POSTGRES_APP_PASSWORD" \
  -f /interface/app-role.sql
