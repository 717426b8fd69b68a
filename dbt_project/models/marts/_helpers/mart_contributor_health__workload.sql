{{ config(
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    recompute_entity='person_id', recompute_moved=true,
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark() }}"
) }}
-- depends_on: {{ ref('fct_activities') }}
-- depends_on: {{ ref('mart_responsiveness') }}
-- depends_on: {{ ref('mart_contributor_health__backlog') }}
-- every non-sentiment component of contributor health, one row per person × ISO week.
-- Period-incremental: a refresh recomputes the weeks its helpers recomputed (from the first week whose
-- window holds a changed day or first response or whose backlog flag changed) and, over their whole
-- history ('entity' rows), people whose time zone, name or maintainer flag changed or whose accounts
-- identity resolution moved
{%- set from_week = health_recompute_week(backlog=true, responses=true) %}
{%- set recomputed_people = health_people_condition(health_recomputed_people(attributes=true), attributes=true) %}
{%- set recomputed -%}
    {%- if is_incremental() %}
    where week_start >= {{ from_week }} or {{ recomputed_people }}
    {%- endif %}
{%- endset %}
with load as (

    select * from {{ ref('mart_contributor_health__load') }} {{ recomputed }}

),

streaks as (

    select * from {{ ref('mart_contributor_health__streaks') }} {{ recomputed }}

),

responses as (

    select * from {{ ref('mart_contributor_health__responses') }} {{ recomputed }}

),

timezones as (

    select * from {{ ref('mart_contributor_health__timezones') }}

),

contributors as (

    select * from {{ ref('dim_contributors') }}

),

final as (

    select
        load.person_id,
        load.week_start,
        contributors.display_name,
        contributors.is_maintainer,
        timezones.timezone_source,
        timezones.utc_offset_minutes,
        load.activities_this_week,
        load.activities,
        load.active_days,
        coalesce(responses.responses_given, 0) as responses_given,
        coalesce(responses.share_of_responses, 0) as share_of_responses,
        load.after_hours_share,
        load.weekend_share,
        load.off_hours_share,
        coalesce(streaks.active_day_streak, 0) as active_day_streak,
        load.activities_last_4_weeks,
        load.activities_previous_8_weeks,
        load.load_trend,
        responses.ttfr_median_last_4_weeks,
        responses.ttfr_median_previous_8_weeks,
        responses.ttfr_trend,
        coalesce(responses.is_backlog_growing, false) as is_backlog_growing
        {%- if is_incremental() %},
        case when load.week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from load
    inner join contributors on contributors.person_id = load.person_id
    left join timezones on timezones.person_id = load.person_id
    left join streaks on streaks.person_id = load.person_id and streaks.week_start = load.week_start
    left join responses on responses.person_id = load.person_id and responses.week_start = load.week_start

)

select * from final
