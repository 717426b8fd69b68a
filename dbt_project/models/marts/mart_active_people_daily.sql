-- daily / weekly / monthly active people per platform and across platforms (the Engagement
-- page; apps/streamlit/queries_engagement.py counts from fct_activities when a filter needs it).
-- Counted without joining every day to its window: a person active on day d counts from d
-- until the day before their next active day, or for 7 (28) days if that comes later.
with activities as (

    select * from {{ ref('fct_activities') }}

),

acts as (

    select distinct
        modes.includes_bots,
        cast(activities.occurred_at as date) as activity_date,
        activities.platform,
        activities.person_id
    from activities
    cross join (select false as includes_bots union all select true) as modes
    where activities.is_contribution
        and (modes.includes_bots or not coalesce(activities.is_bot, false))

),

person_days as (

    select includes_bots, activity_date, platform, person_id from acts
    union all
    select distinct includes_bots, activity_date, 'all platforms', person_id from acts

),

nexts as (

    select
        includes_bots,
        platform,
        activity_date,
        lead(activity_date) over (
            partition by includes_bots, platform, person_id order by activity_date
        ) as next_date
    from person_days

),

steps as (

    select includes_bots, platform, activity_date as step_date, 1 as dau, 1 as wau, 1 as mau
    from nexts
    union all
    select includes_bots, platform,
        least(coalesce(next_date, activity_date + 7), activity_date + 7), 0, -1, 0
    from nexts
    union all
    select includes_bots, platform,
        least(coalesce(next_date, activity_date + 28), activity_date + 28), 0, 0, -1
    from nexts

),

daily_steps as (

    select includes_bots, platform, step_date, sum(dau) as dau, sum(wau) as wau, sum(mau) as mau
    from steps
    group by includes_bots, platform, step_date

),

bounds as (

    -- the last window closes 28 days after the last active day: every later day shows zeros
    select min(activity_date) as first_date, max(activity_date) + 28 as last_date
    from acts

),

days as (

    {{ period_spine('day', 'bounds', 'first_date', 'last_date') }}

),

final as (

    select
        days.period_start as activity_date,
        lines.platform,
        lines.includes_bots,
        cast(coalesce(daily_steps.dau, 0) as bigint) as dau,
        cast(sum(coalesce(daily_steps.wau, 0)) over (
            partition by lines.includes_bots, lines.platform order by days.period_start
        ) as bigint) as wau,
        cast(sum(coalesce(daily_steps.mau, 0)) over (
            partition by lines.includes_bots, lines.platform order by days.period_start
        ) as bigint) as mau
    from days
    cross join (select distinct includes_bots, platform from person_days) as lines
    left join daily_steps
        on daily_steps.includes_bots = lines.includes_bots
        and daily_steps.platform = lines.platform
        and daily_steps.step_date = days.period_start

)

select * from final
