{{ config(materialized='incremental', incremental_strategy='recompute', recompute_range='activity_date',
          on_schema_change='fail', post_hook="{{ record_mart_watermark() }}") }}
-- daily / weekly / monthly active people per platform and across platforms (Engagement page;
-- apps/streamlit/queries_engagement.py counts from fct_activities when a filter needs it). A person
-- active on day d counts until the day before their next active day, or for 7 (28) days if later.
-- Period-incremental: recomputes from the first changed day, reading person-days from 28 days before.
with modes as (select false as includes_bots union all select true),

lines as (

    -- every platform with contributions in each bot setting, and 'all platforms' beside them
    select distinct modes.includes_bots, case when own.is_own then counted.platform else 'all platforms' end as platform
    from (select distinct platform, coalesce(is_bot, false) as is_bot from {{ ref('fct_activities') }} where is_contribution) as counted
    cross join modes
    cross join (select true as is_own union all select false) as own
    where modes.includes_bots or not counted.is_bot

),

bounds as (

    -- the last window closes 28 days after the last active day: every later day shows zeros
    select cast(min(occurred_at) as date) as first_date, cast({{ dbt.dateadd('day', 28, 'cast(max(occurred_at) as date)') }} as date) as last_date
    from {{ ref('fct_activities') }}
    where is_contribution

),

{% if is_incremental() -%}
-- the first day to recompute (macros/community_incremental.sql); null when nothing changed
recompute_from as (select {{ active_people_recompute_day() }} as activity_date),

{% endif -%}
acts as (

    select distinct modes.includes_bots, cast(activities.occurred_at as date) as activity_date, activities.platform, activities.person_id
    from {{ ref('fct_activities') }} as activities
    cross join modes
    where activities.is_contribution
        and (modes.includes_bots or not coalesce(activities.is_bot, false))
        {%- if is_incremental() %}
        and activities.occurred_at >= cast({{ dbt.dateadd('day', -28, '(select activity_date from recompute_from)') }} as {{ dbt.type_timestamp() }})
        {%- endif %}

),

nexts as (

    select includes_bots, platform, activity_date,
        lead(activity_date) over (partition by includes_bots, platform, person_id order by activity_date) as next_date
    from (
        select includes_bots, activity_date, platform, person_id from acts
        union all
        select distinct includes_bots, activity_date, 'all platforms', person_id from acts
    ) as person_days

),

daily_steps as (

    select includes_bots, platform, step_date, sum(dau) as dau, sum(wau) as wau, sum(mau) as mau
    from (
        select includes_bots, platform, activity_date as step_date, 1 as dau, 1 as wau, 1 as mau from nexts
        union all
        select includes_bots, platform, least(coalesce(next_date, activity_date + 7), activity_date + 7), 0, -1, 0 from nexts
        union all
        select includes_bots, platform, least(coalesce(next_date, activity_date + 28), activity_date + 28), 0, 0, -1 from nexts
    ) as steps
    group by includes_bots, platform, step_date

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
        cast(sum(coalesce(daily_steps.wau, 0)) over (partition by lines.includes_bots, lines.platform order by days.period_start) as bigint) as wau,
        cast(sum(coalesce(daily_steps.mau, 0)) over (partition by lines.includes_bots, lines.platform order by days.period_start) as bigint) as mau
    from days
    cross join lines
    left join daily_steps
        on daily_steps.includes_bots = lines.includes_bots
        and daily_steps.platform = lines.platform
        and daily_steps.step_date = days.period_start
    {%- if is_incremental() %}
    where days.period_start >= cast({{ dbt.dateadd('day', -28, '(select activity_date from recompute_from)') }} as date)
    {%- endif %}

)

select *{% if is_incremental() %}, 'range' as _recompute{% endif %}
from final
{%- if is_incremental() %}
where activity_date >= (select activity_date from recompute_from)
{%- endif %}
