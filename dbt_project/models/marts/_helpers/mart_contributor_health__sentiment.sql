{{ config(tags=['after_ml']) }}
-- each person's mean sentiment over the trailing 90 days and its drift (last 4 weeks vs the 8 before)
with messages as (

    select * from {{ ref('mart_sentiment_weekly__messages') }}

),

weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}

),

windowed as (

    select
        weeks.week_start,
        messages.person_id,
        messages.compound,
        messages.occurred_at >= {{ dbt.dateadd('day', -28, 'weeks.week_end') }} as is_last_4_weeks,
        messages.occurred_at >= {{ dbt.dateadd('day', -84, 'weeks.week_end') }} as is_last_12_weeks
    from weeks
    inner join messages
        on messages.occurred_at >= {{ dbt.dateadd('day', -90, 'weeks.week_end') }}
        and messages.occurred_at < weeks.week_end

),

final as (

    select
        person_id,
        week_start,
        count(*) as scored_messages,
        avg(compound) as sentiment_avg,
        avg(case when is_last_4_weeks then compound end) as sentiment_last_4_weeks,
        avg(case when is_last_12_weeks and not is_last_4_weeks then compound end) as sentiment_previous_8_weeks,
        avg(case when is_last_12_weeks and not is_last_4_weeks then compound end)
            - avg(case when is_last_4_weeks then compound end) as sentiment_drift
    from windowed
    group by person_id, week_start

)

select * from final
