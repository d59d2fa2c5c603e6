-- What an alert step's value rested on (issue 19: no verdict without its sample): the decisions (tokens x k) of the
-- load it was measured on, and what a perfectly balanced router shows of the rule's metric at that size on the rule's
-- bad side (the 95th percentile, or the 5th for a rule that fires below). NULL in older rows and for steps judged
-- without a load (a deleted rule's resolution).
ALTER TABLE alert_event ADD COLUMN decisions bigint, ADD COLUMN chance_bound double precision;
