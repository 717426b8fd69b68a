{{ config(tags=['after_ml']) }}
-- weekly mean sentiment and negative share per platform and container (DESIGN §5 Sentiment)
with messages as (

    select * from {{ ref('mart_sentiment_weekly__messages') }}

),

final as (

    select
        week_start,
        {{ iso_week_label('week_start') }} as iso_week,
        platform,
        container,
        count(*) as messages,
        avg(compound) as avg_compound,
        cast(sum(case when compound < -0.3 then 1 else 0 end) as {{ type_double() }}) / count(*) as share_negative
    from messages
    group by week_start, platform, container

)

select * from final
