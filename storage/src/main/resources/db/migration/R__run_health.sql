-- Repeatable migration (Flyway applies it after the versioned ones whenever this file changes): the current
-- definition of these functions, and the one place to change them. Versioned migrations created them first (V42);
-- they keep those definitions because released migrations are never edited. See docs/development.md, "Where SQL
-- lives".

-- A run's health in one place, so the Runs list can FILTER by it in the database (not only badge a page):
-- the worst latest lifecycle step of every alert (rule, subject) about the run or one of its layers.
-- FIRING > PENDING > OK; a run no alert ever named, or whose alerts all resolved, is OK.
-- Each call is one probe of the alert_event_run index (V41).
CREATE OR REPLACE FUNCTION run_health(p_run_id text) RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN bool_or(latest.to_state = 'FIRING') THEN 'FIRING'
                WHEN bool_or(latest.to_state = 'PENDING') THEN 'PENDING'
                ELSE 'OK' END
    FROM (SELECT DISTINCT ON (rule_id, subject) to_state
          FROM alert_event
          WHERE split_part(subject, '/layer ', 1) = p_run_id
          ORDER BY rule_id, subject, at DESC, id DESC) latest
$$;
