{{ config(
    tags=['after_ml'],
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    recompute_entity='person_id',
    recompute_moved=true,
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark(scores=true) }}"
) }}
-- depends_on: {{ ref('fct_activities') }}
-- depends_on: {{ ref('mart_contributor_health__timezones') }}
-- each person's mean sentiment over the trailing 90 days and its drift (last 4 weeks vs the 8 before).
-- Period-incremental: a refresh recomputes the weeks whose window holds a changed or (re)scored
-- activity, from the messages of the first one's window on, and people whose accounts identity
-- resolution moved (or whose time zone changed) whole ('entity' rows)
{%- set from_week = health_recompute_week(scores=true) %}
{%- set people = health_recomputed_people() %}
with messages as (

    select * from {{ ref('mart_sentiment_weekly__messages') }}
    {%- if is_incremental() %}
    where occurred_at >= {{ dbt.dateadd('day', -83, from_week) }}
        or {{ health_people_condition(people) }}
    {%- endif %}

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
    {%- if is_incremental() %}
    where weeks.week_start >= {{ from_week }}
        or {{ health_people_condition(people, 'messages.person_id') }}
    {%- endif %}

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
        {%- if is_incremental() %},
        case when week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from windowed
    group by person_id, week_start

)

select * from final
