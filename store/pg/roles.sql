-- guantong on PostgreSQL: the roles, made by `guantong init` as the caller
-- (a role that may create roles: a database superuser, or one with
-- CREATEROLE). Roles belong to the cluster: one guantong database per cluster.
--
-- guantong_owner   owns the schema, its tables and its functions; no login.
--                  CREATEROLE: its function user_set creates login roles and
--                  grants and revokes the groups below.
-- guantong_clerk   may read the cases and call the functions of a clerk;
-- guantong_reviewer  is a clerk, and may decide;
-- guantong_admin   is a reviewer, and may manage users and reopen cases.
-- No group has INSERT, UPDATE or DELETE on any table: every write goes
-- through the SECURITY DEFINER functions of functions.sql.
DO $roles$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'guantong_owner') THEN
		CREATE ROLE guantong_owner NOLOGIN CREATEROLE;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'guantong_clerk') THEN
		CREATE ROLE guantong_clerk NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'guantong_reviewer') THEN
		CREATE ROLE guantong_reviewer NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'guantong_admin') THEN
		CREATE ROLE guantong_admin NOLOGIN;
	END IF;
END
$roles$;
GRANT guantong_clerk TO guantong_reviewer;
GRANT guantong_reviewer TO guantong_admin;
-- For the rest of init only: the caller makes the objects as their owner
-- (init revokes this again before it commits).
GRANT guantong_owner TO CURRENT_USER;
