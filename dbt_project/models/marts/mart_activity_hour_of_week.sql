-- human contributions per hour of the week, for each person (in their own time zone), each
-- platform and the whole community (in UTC); cells without activity are absent
with activities as (

    select * from {{ ref('fct_activities') }}

),

timezones as (

    select * from {{ ref('mart_contributor_health__timezones') }}

),

contributions as (

    select
        activities.person_id,
        activities.platform,
        activities.occurred_at,
        {{ dbt.dateadd('minute', 'timezones.utc_offset_minutes', 'activities.occurred_at') }} as local_at
    from activities
    inner join timezones on timezones.person_id = activities.person_id
    where activities.is_contribution and not activities.is_bot

),

cells as (

    select 'person' as subject_type, person_id as subject_id,
        {{ day_of_week_iso('local_at') }} as day_of_week, {{ hour_of_day('local_at') }} as hour_of_day
    from contributions
    union all
    select 'platform', platform, {{ day_of_week_iso('occurred_at') }}, {{ hour_of_day('occurred_at') }}
    from contributions
    union all
    select 'community', 'all', {{ day_of_week_iso('occurred_at') }}, {{ hour_of_day('occurred_at') }}
    from contributions

),

final as (

    select
        subject_type,
        subject_id,
        day_of_week,
        hour_of_day,
        count(*) as activities,
        cast(count(*) as {{ type_double() }})
            / sum(count(*)) over (partition by subject_type, subject_id) as share_of_subject
    from cells
    group by subject_type, subject_id, day_of_week, hour_of_day

)

select * from final
