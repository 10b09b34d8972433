-- Опора: one staff member's own login (README, «Общая база на сервере»). As the administrator:
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -v login=ivanova -v group=opora_staff -f server-add-login.sql
--   sudo -u postgres psql -c '\password ivanova'
-- group: opora_staff (reads and writes) or opora_readonly (only views screens and reports).
-- The program records this login on the import log, bulletins, comments and status changes.
CREATE ROLE :"login" LOGIN IN ROLE :"group";
