-- Kaplan-Meier survival of family care, child level, by arm (docs/method.md section 3).
--
-- The same curve as kinsight's tables/survival_curve rows with level `child` and group
-- `arm=programme` / `arm=comparison`: children of families with an index episode (their
-- first episode with an exit_date; day 0 is its exit). A child in alternative care at
-- day 0 (its last care event on or before the exit is a placement or care change, or it
-- has none and was in care at intake) is left out. Event: the child's first placement
-- after day 0. Censoring: at data_cutoff or at the family's first followup_contacts row
-- on or after day 0 with result moved_abroad or deceased, whichever is first; an event on the
-- censoring day counts (events precede censorings). Survival is the product of
-- (1 - events / at_risk) over the distinct days.
--
-- compare.py defines the views and replaces {cutoff} with dataset.toml's data_cutoff.
WITH idx AS (
    SELECT e.family_id, any_value(f.arm) AS arm,
           arg_min(e.exit_date, (e.intake_date, e.exit_date)) AS exit_date
    FROM episodes e
    JOIN families f USING (family_id)
    WHERE e.exit_date IS NOT NULL
    GROUP BY e.family_id
),
kids AS (
    SELECT c.child_id, c.family_id, i.arm, i.exit_date, c.in_care_at_intake
    FROM children c
    JOIN idx i USING (family_id)
),
at_exit AS (
    SELECT ce.child_id, arg_max(ce.event, ce.event_date) AS last_event
    FROM care_events ce
    JOIN kids k USING (child_id)
    WHERE ce.event_date <= k.exit_date
    GROUP BY ce.child_id
),
at_risk AS (
    SELECT k.*
    FROM kids k
    LEFT JOIN at_exit a USING (child_id)
    WHERE NOT coalesce(a.last_event IN ('placement', 'care_change'), k.in_care_at_intake)
),
placed AS (
    SELECT ce.child_id, min(ce.event_date) AS day
    FROM care_events ce
    JOIN at_risk r USING (child_id)
    WHERE ce.event = 'placement' AND ce.event_date > r.exit_date
    GROUP BY ce.child_id
),
left_study AS (
    SELECT fc.family_id, min(fc.contact_date) AS day
    FROM followup_contacts fc
    JOIN idx i USING (family_id)
    WHERE fc.result IN ('moved_abroad', 'deceased') AND fc.contact_date >= i.exit_date
    GROUP BY fc.family_id
),
times AS (
    SELECT r.arm, r.exit_date, p.day AS placed,
           least(DATE '{cutoff}', coalesce(l.day, DATE '{cutoff}')) AS censor
    FROM at_risk r
    LEFT JOIN placed p USING (child_id)
    LEFT JOIN left_study l USING (family_id)
),
counts AS (
    SELECT arm,
           CASE WHEN placed <= censor THEN placed - exit_date ELSE censor - exit_date END AS day,
           count(*) FILTER (WHERE placed <= censor) AS events,
           count(*) FILTER (WHERE placed IS NULL OR placed > censor) AS censored
    FROM times
    GROUP BY ALL
),
risk AS (
    SELECT arm, day, events, censored,
           sum(events + censored) OVER (
               PARTITION BY arm ORDER BY day DESC ROWS UNBOUNDED PRECEDING) AS at_risk
    FROM counts
)
SELECT 'arm=' || arm AS "group", 'child' AS level, day, at_risk, events, censored,
       CASE WHEN bool_or(events = at_risk) OVER w THEN 0.0
            ELSE exp(sum(CASE WHEN events < at_risk THEN ln(1.0 - events / at_risk) ELSE 0.0 END)
                     OVER w) END AS survival
FROM risk
WINDOW w AS (PARTITION BY arm ORDER BY day ROWS UNBOUNDED PRECEDING)
ORDER BY "group", day
