with activities as (

    select * from {{ ref('fct_activities') }}

),

contributions as (

    -- human metrics count contributions by humans only (DESIGN §5)
    select *, cast(occurred_at as date) as activity_date
    from activities
    where is_contribution and not is_bot

),

bounds as (

    select cast(min(occurred_at) as date) as first_date, cast(max(occurred_at) as date) as last_date
    from activities

),

days as (

    {{ period_spine('day', 'bounds', 'first_date', 'last_date') }}

),

platforms as (

    select distinct platform from activities

),

first_dates as (

    select person_id, min(activity_date) as first_date
    from contributions
    group by person_id

),

answered_messages as (

    -- top-level chat messages with at least one reply by another human
    select distinct messages.activity_id
    from contributions as messages
    inner join contributions as replies
        on replies.parent_id = messages.activity_id
        and replies.activity_type = 'reply'
        and replies.person_id <> messages.person_id
    where messages.activity_type = 'message'

),

daily as (

    select
        contributions.activity_date,
        contributions.platform,
        count(distinct contributions.person_id) as active_contributors,
        count(*) as activities,
        count(distinct case when first_dates.first_date = contributions.activity_date then contributions.person_id end) as new_contributors,
        sum(case when contributions.activity_type = 'message' then 1 else 0 end) as messages,
        sum(case when contributions.activity_type = 'reply' then 1 else 0 end) as replies,
        count(answered_messages.activity_id) as answered_messages
    from contributions
    inner join first_dates on first_dates.person_id = contributions.person_id
    left join answered_messages on answered_messages.activity_id = contributions.activity_id
    group by contributions.activity_date, contributions.platform

),

final as (

    select
        days.period_start as activity_date,
        platforms.platform,
        coalesce(daily.active_contributors, 0) as active_contributors,
        coalesce(daily.activities, 0) as activities,
        coalesce(daily.new_contributors, 0) as new_contributors,
        coalesce(daily.messages, 0) as messages,
        coalesce(daily.replies, 0) as replies,
        cast(daily.answered_messages as double precision) / nullif(daily.messages, 0) as reply_rate
    from days
    cross join platforms
    left join daily
        on daily.activity_date = days.period_start
        and daily.platform = platforms.platform

)

select * from final
