-- every non-sentiment component of contributor health, one row per person × ISO week
with load as (

    select * from {{ ref('mart_contributor_health__load') }}

),

streaks as (

    select * from {{ ref('mart_contributor_health__streaks') }}

),

responses as (

    select * from {{ ref('mart_contributor_health__responses') }}

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
    from load
    inner join contributors on contributors.person_id = load.person_id
    left join timezones on timezones.person_id = load.person_id
    left join streaks on streaks.person_id = load.person_id and streaks.week_start = load.week_start
    left join responses on responses.person_id = load.person_id and responses.week_start = load.week_start

)

select * from final
