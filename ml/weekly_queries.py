"""SQL over the marts for `ml.weekly_facts`; every query takes the week as [start, end).

Kept apart from the Python so the queries read as SQL. Bots are excluded both by the
activity's own `is_bot` and by the person's `dim_contributors.is_bot`; null flags count as
false. Each `order by` ends on a key so ties never reorder between runs.
"""

from __future__ import annotations

_HUMAN = "not coalesce(a.is_bot, false) and not coalesce(c.is_bot, false)"
_IN_WEEK = "a.occurred_at >= ? and a.occurred_at < ?"
# Activities that do not answer anyone: a close or a star is not a reply.
_NOT_REPLIES = "('star', 'fork', 'issue_closed', 'pr_closed', 'pr_merged')"

# params: start, end, limit
THANK_SQL = f"""
select a.person_id, coalesce(c.display_name, a.person_id) as name, count(*) as contributions
from marts.fct_activities as a
left join marts.dim_contributors as c on c.person_id = a.person_id
where {_IN_WEEK} and a.is_contribution and {_HUMAN}
group by a.person_id, name
order by contributions desc, name, a.person_id
limit ?
"""

# params: start, end. A person is new when their first human contribution falls in the week.
WELCOME_SQL = """
with firsts as (
    select
        person_id,
        min(occurred_at) as first_at,
        arg_min(platform, (occurred_at, activity_id)) as platform,
        arg_min(container, (occurred_at, activity_id)) as container
    from marts.fct_activities
    where is_contribution and not coalesce(is_bot, false)
    group by person_id
)
select f.person_id, coalesce(c.display_name, f.person_id) as name, f.first_at, f.platform,
       f.container
from firsts as f
left join marts.dim_contributors as c on c.person_id = f.person_id
where f.first_at >= ? and f.first_at < ? and not coalesce(c.is_bot, false)
order by f.first_at, name, f.person_id
"""

# params: start, end. Answered = another human posted in the question's thread afterwards
# (DESIGN §5), as the warehouse stands now; a later answer clears an old week's question.
UNANSWERED_SQL = f"""
select a.activity_id, coalesce(c.display_name, a.person_id) as name, a.platform, a.container,
       a.occurred_at, a.url, a.text
from marts.fct_activities as a
left join marts.dim_contributors as c on c.person_id = a.person_id
where a.is_question and {_IN_WEEK} and {_HUMAN}
  and not exists (
      select 1
      from marts.fct_activities as r
      left join marts.dim_contributors as rc on rc.person_id = r.person_id
      where (r.thread_id = coalesce(a.thread_id, a.activity_id) or r.parent_id = a.activity_id)
        and r.activity_id <> a.activity_id
        and r.person_id is distinct from a.person_id
        and r.occurred_at >= a.occurred_at
        and r.activity_type not in {_NOT_REPLIES}
        and not coalesce(r.is_bot, false) and not coalesce(rc.is_bot, false)
  )
order by a.occurred_at, a.activity_id
"""

# params: start, end, limit
BUSIEST_SQL = f"""
select a.platform, a.container, count(*) as activities
from marts.fct_activities as a
left join marts.dim_contributors as c on c.person_id = a.person_id
where {_IN_WEEK} and {_HUMAN} and a.container is not null
group by a.platform, a.container
order by activities desc, a.platform, a.container
limit ?
"""

# params: max chars, start, end, limit. A bounded sample keeps prompts within context limits;
# ordering by md5 spreads it over the whole week yet stays the same on every run.
MESSAGES_SQL = f"""
select activity_id, text
from (
    select a.activity_id, a.occurred_at, left(trim(a.text), ?) as text
    from marts.fct_activities as a
    left join marts.dim_contributors as c on c.person_id = a.person_id
    where {_IN_WEEK} and {_HUMAN} and a.text is not null and trim(a.text) <> ''
    order by md5(a.activity_id), a.activity_id
    limit ?
)
order by occurred_at, activity_id
"""
