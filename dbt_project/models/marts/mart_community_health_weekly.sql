with activities as (

    select * from {{ ref('fct_activities') }}

),

contributions as (

    -- humans only, contributions only; persons are merged identities (DESIGN §5)
    select person_id, occurred_at, cast({{ dbt.date_trunc('week', 'occurred_at') }} as date) as week_start
    from activities
    where is_contribution and not is_bot

),

bounds as (

    select
        cast({{ dbt.date_trunc('week', 'min(occurred_at)') }} as date) as first_week,
        cast({{ dbt.date_trunc('week', 'max(occurred_at)') }} as date) as last_week
    from activities

),

weeks as (

    {{ period_spine('week', 'bounds', 'first_week', 'last_week') }}

),

first_weeks as (

    select person_id, min(week_start) as first_week
    from contributions
    group by person_id

),

weekly_active as (

    select
        contributions.week_start,
        count(distinct contributions.person_id) as active,
        count(distinct case when first_weeks.first_week = contributions.week_start then contributions.person_id end) as new,
        count(distinct case when first_weeks.first_week < contributions.week_start then contributions.person_id end) as returning,
        count(*) as activities
    from contributions
    inner join first_weeks on first_weeks.person_id = contributions.person_id
    group by contributions.week_start

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
        weeks.period_start as week_start,
        {{ iso_week_label('weeks.period_start') }} as iso_week,
        coalesce(weekly_active.active, 0) as active,
        coalesce(weekly_active.new, 0) as new,
        coalesce(weekly_active.returning, 0) as returning,
        coalesce(weekly_inactive.inactive, 0) as inactive,
        coalesce(weekly_inactive.inactive, 0) as churned,
        coalesce(weekly_active.activities, 0) as activities
    from weeks
    left join weekly_active on weekly_active.week_start = weeks.period_start
    left join weekly_inactive on weekly_inactive.week_start = weeks.period_start

)

select * from final
