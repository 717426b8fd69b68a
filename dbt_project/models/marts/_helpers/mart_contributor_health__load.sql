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
-- each person's workload over the trailing 90 days ending at each ISO week's end (DESIGN §5 Burnout risk).
-- Period-incremental: a refresh recomputes the weeks whose window holds a changed local day, from the
-- local days of the first one's window on, and people whose time zone changed or whose accounts identity resolution moved ('entity' rows)
{%- set from_week = health_recompute_week() %}
{%- set people = health_recomputed_people() %}
{%- set recomputed_people = health_people_condition(people) %}
with days as (

    select * from {{ ref('mart_contributor_health__days') }}
    {%- if is_incremental() %}
    where activity_date >= cast({{ dbt.dateadd('day', -83, from_week) }} as date)
        or {{ recomputed_people }}
    {%- endif %}

),

weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}

),

windowed as (

    select
        weeks.week_start,
        days.*,
        days.activity_date >= cast({{ dbt.dateadd('day', -28, 'weeks.week_end') }} as date) as is_last_4_weeks,
        days.activity_date >= cast({{ dbt.dateadd('day', -84, 'weeks.week_end') }} as date) as is_last_12_weeks,
        days.activity_date >= weeks.week_start as is_this_week
    from weeks
    inner join days
        on days.activity_date >= cast({{ dbt.dateadd('day', -90, 'weeks.week_end') }} as date)
        and days.activity_date < weeks.week_end
    {%- if is_incremental() %}
    where weeks.week_start >= {{ from_week }}
        or {{ health_people_condition(people, 'days.person_id') }}
    {%- endif %}

),

aggregated as (

    select
        person_id,
        week_start,
        sum(case when is_this_week then activities else 0 end) as activities_this_week,
        sum(activities) as activities,
        count(*) as active_days,
        sum(after_hours_activities) as after_hours_activities,
        sum(case when is_weekend then activities else 0 end) as weekend_activities,
        sum(off_hours_activities) as off_hours_activities,
        sum(case when is_last_4_weeks then activities else 0 end) as activities_last_4_weeks,
        sum(case when is_last_12_weeks and not is_last_4_weeks then activities else 0 end) as activities_previous_8_weeks
    from windowed
    group by person_id, week_start

),

final as (

    select
        person_id,
        week_start,
        activities_this_week,
        activities,
        active_days,
        cast(after_hours_activities as {{ type_double() }}) / activities as after_hours_share,
        cast(weekend_activities as {{ type_double() }}) / activities as weekend_share,
        cast(off_hours_activities as {{ type_double() }}) / activities as off_hours_share,
        activities_last_4_weeks,
        activities_previous_8_weeks,
        (activities_last_4_weeks / 4.0) / nullif(activities_previous_8_weeks / 8.0, 0) as load_trend
        {%- if is_incremental() %},
        case when week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from aggregated

)

select * from final
