-- From version 3 to 4: the queue's filters. A combination of filter columns
-- is counted (and, when it leaves few cases, read) through one index of the
-- four and the applicant; "mine" (assigned to me or last changed by me)
-- through the assignee's index and this one on who last changed a case.
CREATE INDEX cases_filter ON cases (status, region, outcome, direction, applicant_id);
CREATE INDEX cases_updated_by ON cases (updated_by);
