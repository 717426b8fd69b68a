"""SQL over the marts for `ml.drafts_facts`: releases, merged pull requests, discussions.

Kept apart from the Python so the queries read as SQL. A merged pull request is a
`pr_merged` activity; its title and author come from the `pr_opened` activity of the same
thread (the merge is done by a maintainer, the credit goes to the author). Each `order by`
ends on a key so the same warehouse always gives the same drafts.
"""

from __future__ import annotations

# Activities that are not a reply in a discussion (mirrors ml.weekly_queries).
_NOT_REPLIES = "('star', 'fork', 'issue_closed', 'pr_closed', 'pr_merged', 'push', 'release')"
_HUMAN = "not coalesce(a.is_bot, false) and not coalesce(c.is_bot, false)"

# params: start, end (releases by bots count: release tooling publishes real releases)
RELEASES_SQL = """
select activity_id, container, text, url, occurred_at
from marts.fct_activities
where activity_type = 'release' and occurred_at >= ? and occurred_at < ?
order by occurred_at, activity_id
"""

# params: container, published_at, activity_id: the release just before this one
PREVIOUS_RELEASE_SQL = """
select activity_id, container, text, url, occurred_at
from marts.fct_activities
where activity_type = 'release' and container = ?
  and (occurred_at, activity_id) < (?, ?)
order by occurred_at desc, activity_id desc
limit 1
"""

# The most active GitHub repository over all time names the project in titles and posts.
PROJECT_SQL = """
select container
from marts.fct_activities
where platform = 'github' and container is not null and container like '%/%'
group by container
order by count(*) desc, container
limit 1
"""


def merged_prs_sql(*, release_window: bool) -> str:
    """Merged PRs in a week `[start, end)` or since the previous release `(after, until]`.

    params: week: start, end; release: container, after, until.
    """
    window = (
        "a.container = ? and a.occurred_at > ? and a.occurred_at <= ?"
        if release_window
        else "a.occurred_at >= ? and a.occurred_at < ?"
    )
    return f"""
with merged as (
    select a.activity_id, a.thread_id, a.container, a.occurred_at, a.url
    from marts.fct_activities as a
    where a.activity_type = 'pr_merged' and {window}
    qualify row_number() over (
        partition by coalesce(a.thread_id, a.activity_id)
        order by a.occurred_at desc, a.activity_id desc
    ) = 1
),
opened as (
    select
        thread_id,
        arg_min(activity_id, (occurred_at, activity_id)) as opened_id,
        arg_min(person_id, (occurred_at, activity_id)) as person_id,
        arg_min(text, (occurred_at, activity_id)) as text,
        arg_min(url, (occurred_at, activity_id)) as url,
        arg_min(coalesce(is_bot, false), (occurred_at, activity_id)) as is_bot
    from marts.fct_activities
    where activity_type = 'pr_opened' and thread_id in (select thread_id from merged)
    group by thread_id
)
select
    m.activity_id, o.opened_id, m.thread_id, m.container, o.text, coalesce(o.url, m.url),
    o.person_id, coalesce(c.display_name, o.person_id),
    coalesce(o.is_bot, false) or coalesce(c.is_bot, false), m.occurred_at
from merged as m
left join opened as o on o.thread_id = m.thread_id
left join marts.dim_contributors as c on c.person_id = o.person_id
order by m.occurred_at, m.activity_id
"""


# params: container. When each author's first pull request in the repository was merged.
FIRST_MERGE_SQL = """
select o.person_id, min(m.occurred_at) as first_merged_at
from marts.fct_activities as m
join marts.fct_activities as o
  on o.thread_id = m.thread_id and o.activity_type = 'pr_opened'
where m.activity_type = 'pr_merged' and m.container = ?
group by o.person_id
"""


def discussions_sql(*, with_reactions: bool) -> str:
    """Threads with the most human replies in the week (plus reactions on the opener).

    params: start, end, limit. The opener is the thread's earliest activity of all time, so
    a long-running thread counts this week's replies only. Reactions come from the marts'
    reaction helper when it exists (Slack and Discord exports record them).
    """
    reactions = (
        "select activity_id, reaction_count from marts.mart_responsiveness__reactions"
        if with_reactions
        else "select cast(null as varchar) as activity_id, 0 as reaction_count where false"
    )
    return f"""
with week_activity as (
    select a.thread_id, a.activity_id, a.person_id
    from marts.fct_activities as a
    left join marts.dim_contributors as c on c.person_id = a.person_id
    where a.occurred_at >= ? and a.occurred_at < ? and {_HUMAN}
      and a.thread_id is not null and a.activity_type not in {_NOT_REPLIES}
),
roots as (
    select thread_id, arg_min(activity_id, (occurred_at, activity_id)) as root_id
    from marts.fct_activities
    where thread_id in (select thread_id from week_activity)
    group by thread_id
),
counted as (
    select
        w.thread_id,
        r.root_id,
        count(*) filter (where w.activity_id <> r.root_id) as replies,
        count(distinct w.person_id) as participants
    from week_activity as w
    join roots as r on r.thread_id = w.thread_id
    group by w.thread_id, r.root_id
),
reactions as ({reactions})
select
    root.activity_id, root.platform, root.container, root.text, root.url,
    counted.replies, counted.participants, coalesce(reactions.reaction_count, 0) as reactions
from counted
join marts.fct_activities as root on root.activity_id = counted.root_id
left join reactions on reactions.activity_id = root.activity_id
where counted.replies > 0
order by counted.replies + coalesce(reactions.reaction_count, 0) desc, counted.replies desc,
    root.activity_id
limit ?
"""
