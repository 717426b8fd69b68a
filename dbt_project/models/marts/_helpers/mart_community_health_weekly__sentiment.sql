{{ config(tags=['after_ml']) }}
-- mean sentiment of human conversational activities per ISO week (all platforms and containers)
with messages as (

    select * from {{ ref('mart_sentiment_weekly__messages') }}

),

weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}

),

final as (

    select weeks.week_start, count(messages.activity_id) as scored_messages, avg(messages.compound) as sentiment_avg
    from weeks
    left join messages on messages.week_start = weeks.week_start
    group by weeks.week_start

)

select * from final
