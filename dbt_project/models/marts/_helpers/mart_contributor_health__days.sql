-- each person's human contributions per day of their own calendar, with off-hours counts
with activities as (

    select * from {{ ref('fct_activities') }}

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

select * from final
