-- Опора: the district workspace on a PostgreSQL server (README, «Общая база на сервере»).
-- Run once, as the server's administrator:
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -f server-setup.sql
-- It creates the two group roles and the empty database «opora». Staff logins are added with
-- server-add-login.sql; the first staff member then runs «init … --database», which creates
-- the tables (they belong to opora_staff, so any staff member can upgrade them later).

-- Safe to run again: what exists already is kept.
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'opora_staff') AS make_staff,
       NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'opora_readonly') AS make_readonly,
       NOT EXISTS (SELECT FROM pg_database WHERE datname = 'opora') AS make_database
\gset

-- Read and write (import, bulletins, edits) / read only (screens and reports).
\if :make_staff
CREATE ROLE opora_staff NOLOGIN;
\endif
\if :make_readonly
CREATE ROLE opora_readonly NOLOGIN;
\endif

-- An import may switch off PostgreSQL's per-row foreign-key checks for its own transaction
-- and check every reference at once before it commits, several times faster on a large
-- region (README, «Import into PostgreSQL»). PostgreSQL 15 and later can grant that;
-- on an older server imports keep the per-row checks.
SELECT current_setting('server_version_num')::int >= 150000 AS can_grant_set
\gset
\if :can_grant_set
GRANT SET ON PARAMETER session_replication_role TO opora_staff;
\endif

\if :make_database
CREATE DATABASE opora OWNER opora_staff ENCODING 'UTF8' TEMPLATE template0;
\endif
REVOKE ALL ON DATABASE opora FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE opora TO opora_staff;
GRANT CONNECT ON DATABASE opora TO opora_readonly;

\connect opora
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO opora_staff;
GRANT USAGE ON SCHEMA public TO opora_readonly;
-- Every table and sequence opora_staff creates (now and in later versions) can be read by
-- opora_readonly; nothing else is granted to it, so the server itself refuses its writes.
ALTER DEFAULT PRIVILEGES FOR ROLE opora_staff IN SCHEMA public
    GRANT SELECT ON TABLES TO opora_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE opora_staff IN SCHEMA public
    GRANT SELECT ON SEQUENCES TO opora_readonly;
