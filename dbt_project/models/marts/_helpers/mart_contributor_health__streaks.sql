{{ config(
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    recompute_entity='person_id',
    recompute_moved=true,
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark() }}"
) }}
-- depends_on: {{ ref('fct_activities') }}
-- depends_on: {{ ref('mart_contributor_health__timezones') }}
-- each person's longest run of consecutive active days (no day off) inside each week's trailing 90 days.
-- Period-incremental: a refresh recomputes the weeks whose window holds a changed local day (runs are
-- clipped to the window, so the local days of the first one's window on suffice), and people whose
-- time zone changed or whose accounts identity resolution moved ('entity' rows)
{%- set from_week = health_recompute_week() %}
{%- set people = health_recomputed_people() %}
{%- set recomputed_people = health_people_condition(people) %}
with days as (

    select distinct person_id, activity_date from {{ ref('mart_contributor_health__days') }}
    {%- if is_incremental() %}
    where activity_date >= cast({{ dbt.dateadd('day', -83, from_week) }} as date)
        or {{ recomputed_people }}
    {%- endif %}

),

weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}

),

numbered as (

    select person_id, activity_date, row_number() over (partition by person_id order by activity_date) as day_number
    from days

),

islands as (

    -- consecutive days share activity_date - day_number
    select person_id, min(activity_date) as first_date, max(activity_date) as last_date
    from (
        select person_id, activity_date,
            cast({{ dbt.dateadd('day', '-1 * day_number', 'activity_date') }} as date) as island_key
        from numbered
    ) as keyed
    group by person_id, island_key

),

clipped as (

    -- an island cut by the window counts only its days inside [end - 90 d, end)
    select
        weeks.week_start,
        islands.person_id,
        {{ dbt.datediff(
            'greatest(islands.first_date, cast(' ~ dbt.dateadd('day', -90, 'weeks.week_end') ~ ' as date))',
            'least(islands.last_date, cast(' ~ dbt.dateadd('day', -1, 'weeks.week_end') ~ ' as date))',
            'day') }} + 1 as streak_days
    from weeks
    inner join islands
        on islands.first_date < weeks.week_end
        and islands.last_date >= cast({{ dbt.dateadd('day', -90, 'weeks.week_end') }} as date)
    {%- if is_incremental() %}
    where weeks.week_start >= {{ from_week }}
        or {{ health_people_condition(people, 'islands.person_id') }}
    {%- endif %}

),

final as (

    select
        person_id,
        week_start,
        max(streak_days) as active_day_streak
        {%- if is_incremental() %},
        case when week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from clipped
    group by person_id, week_start

)

select * from final
