{{ config(tags=['after_ml']) }}
-- contributor health and burnout risk per person × ISO week over the trailing 90 days (DESIGN §5)
with workload as (

    select * from {{ ref('mart_contributor_health__workload') }}

),

sentiment as (

    select * from {{ ref('mart_contributor_health__sentiment') }}

),

risk as (

    select * from {{ ref('mart_contributor_health__risk') }}

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
    from workload
    left join sentiment
        on sentiment.person_id = workload.person_id and sentiment.week_start = workload.week_start
    left join risk
        on risk.person_id = workload.person_id and risk.week_start = workload.week_start

)

select * from final
