"""SQL for `ml.welcome`: first-time contributors of a week and open good first issues.

A first-time contributor follows the weekly figures' rule (`ml.weekly_queries.WELCOME_SQL`,
CHAOSS New Contributors): their first human contribution on any platform falls in the week.
Good first issues come from `marts.mart_good_first_issues` when dbt built it; on a warehouse
without that mart they are read from the GH Archive issue payloads (current labels and
state of each issue's latest event), the same bridge the mart's label helper uses.
"""

from __future__ import annotations

# params: start, end
NEWCOMERS_SQL = """
with firsts as (
    select
        person_id,
        min(occurred_at) as first_at,
        arg_min(activity_id, (occurred_at, activity_id)) as first_activity_id
    from marts.fct_activities
    where is_contribution and not coalesce(is_bot, false)
    group by person_id
)
select f.person_id, coalesce(c.display_name, f.person_id) as name, a.activity_id, a.platform,
       a.activity_type, a.container, a.text, a.url
from firsts as f
join marts.fct_activities as a on a.activity_id = f.first_activity_id
left join marts.dim_contributors as c on c.person_id = f.person_id
where f.first_at >= ? and f.first_at < ? and not coalesce(c.is_bot, false)
order by f.first_at, name, f.person_id
"""

# columns of both issue queries: issue_id, container, title, url, labels, created_at,
# comments, author person_id
MART_ISSUES_SQL = """
select g.issue_id, g.container, g.title, g.url, g.labels, g.created_at, g.comments, o.person_id
from marts.mart_good_first_issues as g
left join marts.fct_activities as o on o.activity_id = g.issue_id
order by g.created_at, g.issue_id
"""

# No mart: every issue whose latest event says it is open, with its current labels; the
# label filter is applied in Python.
RAW_ISSUES_SQL = """
with latest as (
    select
        'github:' || repo_name || '#' || json_extract_string(payload, '$.payload.issue.number')
            as thread_id,
        json_extract_string(payload, '$.payload.issue.state') as state,
        array_to_string(
            json_extract_string(payload, '$.payload.issue.labels[*].name'), ', '
        ) as labels,
        row_number() over (
            partition by repo_name, json_extract_string(payload, '$.payload.issue.number')
            order by updated_at desc, event_id desc
        ) as recency
    from raw_github.events
    where event_type in ('IssuesEvent', 'IssueCommentEvent')
      and json_extract_string(payload, '$.payload.issue.number') is not null
      and json_extract(payload, '$.payload.issue.pull_request') is null
),
opened as (
    select * from marts.fct_activities where activity_type = 'issue_opened'
),
comments as (
    select thread_id, count(*) as comments
    from marts.fct_activities
    where activity_type = 'issue_comment' and not coalesce(is_bot, false)
    group by thread_id
)
select o.activity_id, o.container, split_part(o.text, chr(10), 1), o.url,
       coalesce(l.labels, ''), o.occurred_at, coalesce(c.comments, 0), o.person_id
from latest as l
join opened as o on o.thread_id = l.thread_id
left join comments as c on c.thread_id = l.thread_id
where l.recency = 1 and coalesce(l.state, 'open') = 'open'
order by o.occurred_at, o.activity_id
"""

# Every suggested issue id must be an activity of the warehouse (the asset check).
UNKNOWN_SUGGESTIONS_SQL = """
select w.person_id, s.issue_id
from ml.welcomes as w,
     unnest(from_json(w.suggested_issue_ids, '["VARCHAR"]')) as s(issue_id)
where not exists (
    select 1 from marts.fct_activities as a where a.activity_id = s.issue_id
)
order by w.person_id, s.issue_id
"""
