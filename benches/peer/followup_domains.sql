-- Follow-up outcomes by domain and year, unweighted, group `all` (docs/method.md section 2).
--
-- The same table as the unweighted columns of kinsight's tables/followup_domains:
-- programme-arm families with an index episode (their first episode with an exit_date);
-- year k's window is [anniversary - 182, anniversary + 182] days with the anniversary at
-- exit + round(k x 365.25) days; a family is due when the window ends on or before
-- data_cutoff, observed when it has a sitting (assessment date, any phase but intake) in
-- the window, the one closest to the anniversary counting (earlier on a tie). A domain is
-- doing well at score >= 3; a family overall when >= 6 domains are well and >= 6 assessed.
--
-- compare.py defines the views families, episodes, assessments over the Parquet files and
-- replaces {cutoff} with dataset.toml's data_cutoff.
WITH idx AS (
    SELECT e.family_id,
           arg_min(e.exit_date, (e.intake_date, e.exit_date)) AS exit_date
    FROM episodes e
    JOIN families f USING (family_id)
    WHERE e.exit_date IS NOT NULL AND f.arm = 'programme'
    GROUP BY e.family_id
),
due AS (
    SELECT i.family_id, y.year,
           CAST(i.exit_date + CAST(round(y.year * 365.25) AS INTEGER) AS DATE) AS anniv
    FROM idx i
    CROSS JOIN (SELECT unnest(range(1, 6)) AS year) y
    WHERE i.exit_date + CAST(round(y.year * 365.25) AS INTEGER) + 182 <= DATE '{cutoff}'
),
sittings AS (
    SELECT DISTINCT family_id, assessment_date
    FROM assessments
    WHERE phase <> 'intake'
),
chosen AS (
    SELECT d.family_id, d.year,
           arg_min(s.assessment_date,
                   (abs(s.assessment_date - d.anniv), s.assessment_date)) AS sitting
    FROM due d
    JOIN sittings s
      ON s.family_id = d.family_id
     AND s.assessment_date BETWEEN d.anniv - 182 AND d.anniv + 182
    GROUP BY d.family_id, d.year
),
scores AS (
    SELECT c.family_id, c.year, a.domain, a.score
    FROM chosen c
    JOIN assessments a
      ON a.family_id = c.family_id
     AND a.assessment_date = c.sitting
     AND a.phase <> 'intake'
),
per_domain AS (
    SELECT year, domain,
           count(DISTINCT family_id) AS observed,
           count(DISTINCT family_id) FILTER (WHERE score >= 3) AS doing_well
    FROM scores
    GROUP BY year, domain
),
overall AS (
    SELECT year, 'overall' AS domain,
           count(*) AS observed,
           count(*) FILTER (WHERE n_well >= 6 AND n_assessed >= 6) AS doing_well
    FROM (
        SELECT family_id, year,
               count(DISTINCT domain) AS n_assessed,
               count(DISTINCT domain) FILTER (WHERE score >= 3) AS n_well
        FROM scores
        GROUP BY family_id, year
    )
    GROUP BY year
),
due_n AS (
    SELECT year, count(*) AS due FROM due GROUP BY year
)
SELECT 'all' AS "group", o.domain, o.year, d.due, o.observed, o.doing_well,
       o.doing_well / o.observed AS share
FROM (SELECT * FROM per_domain UNION ALL SELECT * FROM overall) o
JOIN due_n d USING (year)
ORDER BY o.year, o.domain
