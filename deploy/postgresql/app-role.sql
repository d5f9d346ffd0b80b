-- The role Interface runs as (DATABASE_APP_ROLE; docs/operations.md, "Database roles").
--
-- Migrations run as the tables' owner; the web, worker and beat processes connect as this
-- role. After every migrate the owner grants it SELECT, INSERT, UPDATE and DELETE on every
-- table, except the audit trail: INSERT and SELECT only, and no write of the chain head
-- (audit/roles.py). Not a superuser, not the owner, so it cannot switch triggers off.
--
-- Run once per PostgreSQL cluster, as a superuser or a role with CREATEROLE:
--   psql -d interface -v app_role=interface_app -v app_password='a long random password' \
--        -f deploy/postgresql/app-role.sql
-- Idempotent: it creates the role if it is missing, and sets its password if one is given.
\set ON_ERROR_STOP on
\if :{?app_role}
\else
  \set app_role interface_app
\endif

SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', :'app_role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') \gexec

\if :{?app_password}
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'app_role', :'app_password') \gexec
\endif
