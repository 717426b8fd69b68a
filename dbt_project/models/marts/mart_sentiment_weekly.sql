{{ config(
    tags=['after_ml'],
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark(scores=true) }}"
) }}
-- weekly mean sentiment and negative share per platform and container (DESIGN §5 Sentiment)
-- Period-incremental: a refresh recomputes every week from the one holding the earliest
-- activity whose facts changed, that was scored or removed (fct_activities) since the last run.
with messages as (

    select * from {{ ref('mart_sentiment_weekly__messages') }}
    {%- if is_incremental() %}
    where week_start >= (
        select cast({{ dbt.date_trunc('week', 'min(changed_day)') }} as date)
        from (
            select {{ mart_changes_from() }} as changed_day
            union all
            select {{ mart_rescores_from() }} as changed_day
            union all
            select min(cast(occurred_at as date)) from {{ fct_removed_activities() }} as removed
            where removed.removed_at > {{ mart_watermark('updated_at') }}
        ) as changes
    )
    {%- endif %}

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
        {{- ", 'range' as _recompute" if is_incremental() }}
    from messages
    group by week_start, platform, container

)

select * from final
