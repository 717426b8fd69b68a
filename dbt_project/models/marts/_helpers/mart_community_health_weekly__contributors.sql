-- active, new, returning, episodic, period retention and inactive per ISO week (DESIGN §5)
with activities as (

    select * from {{ ref('fct_activities') }}

),

weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}

),

contributions as (

    -- humans only, contributions only; persons are merged identities
    select person_id, occurred_at, cast({{ dbt.date_trunc('week', 'occurred_at') }} as date) as week_start
    from activities
    where is_contribution and not is_bot

),

person_weeks as (

    select person_id, week_start, count(*) as contributions, max(occurred_at) as last_at
    from contributions
    group by person_id, week_start

),

person_history as (

    select
        *,
        coalesce(sum(contributions) over (
            partition by person_id order by week_start rows between unbounded preceding and 1 preceding
        ), 0) as contributions_before,
        lag(last_at) over (partition by person_id order by week_start) as previous_at,
        lag(week_start) over (partition by person_id order by week_start) as previous_week
    from person_weeks

),

weekly_active as (

    select
        week_start,
        count(*) as active,
        sum(case when previous_week is null then 1 else 0 end) as new,
        sum(case when previous_week is not null then 1 else 0 end) as returning_persons,
        sum(case
            when previous_week is not null and contributions_before <= 12
                and previous_at < cast({{ dbt.dateadd('month', -3, 'week_start') }} as {{ dbt.type_timestamp() }})
            then 1 else 0 end) as episodic,
        sum(case when previous_week = cast({{ dbt.dateadd('day', -7, 'week_start') }} as date) then 1 else 0 end) as retained,
        sum(contributions) as activities
    from person_history
    group by week_start

),

lapses as (

    -- a person turns inactive in week P when their last contribution before end(P) lies in
    -- [start(P) - 90 d, end(P) - 90 d): that is contribution + 90 d falls in P, none after it before end(P)
    select
        person_id,
        cast({{ dbt.date_trunc('week', dbt.dateadd('day', 90, 'occurred_at')) }} as date) as week_start,
        lead(occurred_at) over (partition by person_id order by occurred_at) as next_occurred_at
    from contributions

),

weekly_inactive as (

    select week_start, count(distinct person_id) as inactive
    from lapses
    where next_occurred_at is null or next_occurred_at >= {{ dbt.dateadd('day', 7, 'week_start') }}
    group by week_start

),

final as (

    select
        weeks.week_start,
        weeks.iso_week,
        coalesce(weekly_active.active, 0) as active,
        coalesce(weekly_active.new, 0) as new,
        coalesce(weekly_active.returning_persons, 0) as returning_persons,
        coalesce(weekly_inactive.inactive, 0) as inactive,
        coalesce(weekly_active.episodic, 0) as episodic,
        coalesce(weekly_active.retained, 0) as retained,
        cast(coalesce(weekly_active.retained, 0) as {{ type_double() }})
            / nullif(lag(coalesce(weekly_active.active, 0)) over (order by weeks.week_start), 0) as retention,
        coalesce(weekly_active.activities, 0) as activities
    from weeks
    left join weekly_active on weekly_active.week_start = weeks.week_start
    left join weekly_inactive on weekly_inactive.week_start = weeks.week_start

)

select * from final
