{{ config(
    tags=['after_ml'],
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    recompute_entity='person_id', recompute_moved=true,
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark(scores=true) }}"
) }}
-- depends_on: {{ ref('fct_activities') }}
-- depends_on: {{ ref('mart_responsiveness') }}
-- depends_on: {{ ref('mart_contributor_health__timezones') }}
-- depends_on: {{ ref('mart_contributor_health__backlog') }}
-- depends_on: {{ ref('dim_contributors') }}
-- contributor health and burnout risk per person × ISO week over the trailing 90 days (DESIGN §5).
-- Period-incremental: a refresh recomputes the weeks its helpers recomputed (from the first week whose
-- window holds a changed or rescored day or first response or whose backlog flag changed) and, whole,
-- people whose time zone, name or maintainer flag changed or whose accounts identity resolution moved
-- ('entity' rows)
{%- set from_week = health_recompute_week(scores=true, backlog=true, responses=true) %}
{%- set recomputed_people = health_people_condition(health_recomputed_people(attributes=true), attributes=true) %}
{%- set recomputed -%}
    {%- if is_incremental() %}
    where week_start >= {{ from_week }}
        or {{ recomputed_people }}
    {%- endif %}
{%- endset %}
with workload as (

    select * from {{ ref('mart_contributor_health__workload') }} {{ recomputed }}

),

sentiment as (

    select * from {{ ref('mart_contributor_health__sentiment') }} {{ recomputed }}

),

risk as (

    select * from {{ ref('mart_contributor_health__risk') }} {{ recomputed }}

),

final as (

    select
        workload.person_id,
        workload.week_start,
        {{ iso_week_label('workload.week_start') }} as iso_week,
        workload.display_name,
        workload.is_maintainer,
        workload.timezone_source,
        workload.utc_offset_minutes,
        workload.activities_this_week,
        workload.activities,
        workload.active_days,
        workload.responses_given,
        workload.share_of_responses,
        workload.after_hours_share,
        workload.weekend_share,
        workload.off_hours_share,
        workload.active_day_streak,
        workload.activities_last_4_weeks,
        workload.activities_previous_8_weeks,
        workload.load_trend,
        workload.ttfr_median_last_4_weeks,
        workload.ttfr_median_previous_8_weeks,
        workload.ttfr_trend,
        workload.is_backlog_growing,
        sentiment.sentiment_avg,
        sentiment.sentiment_drift,
        risk.response_load_share_score,
        risk.off_hours_share_score,
        risk.weekend_share_score,
        risk.active_day_streak_score,
        risk.load_trend_score,
        risk.ttfr_trend_score,
        risk.sentiment_drift_score,
        risk.burnout_risk,
        risk.risk_reasons
        {%- if is_incremental() %},
        case when workload.week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from workload
    left join sentiment
        on sentiment.person_id = workload.person_id and sentiment.week_start = workload.week_start
    left join risk
        on risk.person_id = workload.person_id and risk.week_start = workload.week_start

)

select * from final
