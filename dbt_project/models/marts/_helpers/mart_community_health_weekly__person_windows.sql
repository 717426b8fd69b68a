{{ config(
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    recompute_entity='person_id',
    recompute_moved=true,
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark() }}"
) }}
-- each person's human contributions in the trailing 90 days [week_end - 90 d, week_end) of every
-- ISO week: what the bus and elephant factors rank (mart_community_health_weekly__factors).
-- Period-incremental: a refresh recomputes the weeks from the one holding the earliest changed
-- contribution of anyone but the people an identity merge or split moved, and those people whole
-- ('entity' rows), so a long-time contributor's moved history costs their rows, not every week's
{%- set from_week = health_date_literal('cast(' ~ dbt.date_trunc('week', mart_changes_from(exclude_moved=true)) ~ ' as date)') %}
with weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}

),

daily as (

    -- contributions per person and day first: the windows below then join days, not single
    -- activities (window bounds fall on midnights, so the counts are the same)
    select person_id, cast(occurred_at as date) as activity_date, count(*) as contributions
    from {{ ref('fct_activities') }} as activities
    where is_contribution and not is_bot
    {%- if is_incremental() %}
        -- the window of the first recomputed week starts 83 days before it
        and (occurred_at >= cast({{ dbt.dateadd('day', -83, from_week) }} as {{ dbt.type_timestamp() }})
            or person_id in {{ moved_people() }})
    {%- endif %}
    group by person_id, cast(occurred_at as date)

),

final as (

    select weeks.week_start, daily.person_id, sum(daily.contributions) as contributions
        {%- if is_incremental() %},
        case when weeks.week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from weeks
    inner join daily
        on daily.activity_date >= cast({{ dbt.dateadd('day', -90, 'weeks.week_end') }} as date)
        and daily.activity_date < weeks.week_end
    {%- if is_incremental() %}
    where weeks.week_start >= {{ from_week }} or daily.person_id in {{ moved_people() }}
    {%- endif %}
    group by weeks.week_start, daily.person_id

)

select * from final
