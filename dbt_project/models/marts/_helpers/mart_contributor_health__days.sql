{{ config(
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='activity_date',
    recompute_entity='person_id',
    recompute_moved=true,
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark() }}"
) }}
-- each person's human contributions per day of their own calendar, with off-hours counts.
-- Period-incremental: a refresh recomputes every local day from the day before the earliest
-- changed UTC day on (offsets lie within -12 h .. +14 h), and the whole history of people whose
-- time zone changed or whose accounts identity resolution moved ('entity' rows). The range starts at the last stored day before that of
-- someone else (its row comes back unchanged): the strategy replaces rows from the first
-- 'range' row on, so a day whose only activity moved away is replaced too
{%- set recomputed_people = health_people_condition(health_recomputed_people()) %}
{%- set changed_day = health_recompute_day() %}
{%- set from_day = health_date_literal('coalesce((select max(activity_date) from ' ~ this ~ ' where activity_date < '
    ~ changed_day ~ ' and not (' ~ recomputed_people ~ ')), ' ~ changed_day ~ ')') %}
with activities as (

    select * from {{ ref('fct_activities') }}
    {%- if is_incremental() %}
    -- (a local day from from_day on starts after the UTC day before from_day began)
    where occurred_at >= {{ dbt.dateadd('day', -1, from_day) }}
        or {{ recomputed_people }}
    {%- endif %}

),

timezones as (

    select * from {{ ref('mart_contributor_health__timezones') }}

),

local_times as (

    select
        activities.person_id,
        {{ dbt.dateadd('minute', 'timezones.utc_offset_minutes', 'activities.occurred_at') }} as local_at
    from activities
    inner join timezones on timezones.person_id = activities.person_id
    where activities.is_contribution and not activities.is_bot

),

flagged as (

    select
        person_id,
        cast(local_at as date) as activity_date,
        {{ day_of_week_iso('local_at') }} >= 6 as is_weekend,
        ({{ hour_of_day('local_at') }} < {{ var('workday_start_hour') }}
            or {{ hour_of_day('local_at') }} >= {{ var('workday_end_hour') }}) as is_after_hours
    from local_times

),

final as (

    select
        person_id,
        activity_date,
        is_weekend,
        count(*) as activities,
        sum(case when is_after_hours then 1 else 0 end) as after_hours_activities,
        sum(case when is_after_hours or is_weekend then 1 else 0 end) as off_hours_activities
    from flagged
    group by person_id, activity_date, is_weekend

)

{% if is_incremental() -%}
select * from (
    select
        final.*,
        case when final.activity_date >= {{ from_day }} then 'range' else 'entity' end as _recompute
    from final
) as recomputed
where _recompute = 'range' or {{ recomputed_people }}
{%- else -%}
select * from final
{%- endif %}
