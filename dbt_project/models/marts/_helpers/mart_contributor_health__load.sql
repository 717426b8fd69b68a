-- each person's workload over the trailing 90 days ending at each ISO week's end (DESIGN §5 Burnout risk)
with days as (

    select * from {{ ref('mart_contributor_health__days') }}

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
    from aggregated

)

select * from final
