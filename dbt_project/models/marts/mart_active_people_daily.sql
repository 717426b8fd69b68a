{{ config(materialized='incremental', incremental_strategy='recompute', recompute_range='activity_date',
          recompute_entity='activity_date', on_schema_change='fail', post_hook="{{ record_mart_watermark() }}") }}
-- depends_on: {{ ref('int_activities_unioned') }}
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
-- the first day to recompute and, when an identity move is all that reaches older days, the
-- older days it changed (macros/community_incremental.sql)
{{ active_people_moved_ctes() }}

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

daily_steps as (

    {{ active_people_steps('acts') }}

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
union all
select activity_date, platform, includes_bots, dau, wau, mau, 'entity' from moved_days_adjusted
{%- endif %}
