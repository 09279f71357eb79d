-- From version 2 to 3: the workstation's queue sorts by every column it
-- shows, each order walked by an index.
CREATE INDEX cases_region ON cases (region, id);
CREATE INDEX cases_direction ON cases (direction, id);
CREATE INDEX cases_level ON cases (coalesce(requested_level, target), id);
CREATE INDEX cases_assignee ON cases (coalesce(assignee, ''), id);
