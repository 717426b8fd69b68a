{{ config(materialized='incremental', incremental_strategy='recompute', recompute_range='week_start',
          on_schema_change='fail', post_hook="{{ record_mart_watermark() }}") }}
-- active, new, returning, episodic, period retention and inactive per ISO week (DESIGN §5);
-- period-incremental from the first changed week (macros/community_incremental.sql)
with {% if is_incremental() %}{{ contributors_recompute_ctes() }}{% endif %}
weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}
    {%- if is_incremental() %}
    where week_start >= cast({{ dbt.dateadd('day', -7, '(select week_start from recompute_from)') }} as date)
    {%- endif %}

),

contributions as (

    select person_id, occurred_at, cast({{ dbt.date_trunc('week', 'occurred_at') }} as date) as week_start
    from {{ ref('fct_activities') }}
    where is_contribution and not is_bot
    {%- if is_incremental() %}
        and occurred_at >= cast((select input_start from recompute_from) as {{ dbt.type_timestamp() }})
    {%- endif %}

),

person_weeks as (

    select person_id, week_start, count(*) as contributions, min(occurred_at) as first_at, max(occurred_at) as last_at
    from contributions
    group by person_id, week_start

),

person_history as (

    select
        person_weeks.*,
        {% if is_incremental() %}coalesce(earlier.contributions, 0) + {% endif -%}
        coalesce(sum(person_weeks.contributions) over (
            partition by person_weeks.person_id order by person_weeks.week_start rows between unbounded preceding and 1 preceding
        ), 0) as contributions_before,
        coalesce(lag(person_weeks.last_at) over (partition by person_weeks.person_id order by person_weeks.week_start)
            {%- if is_incremental() %}, earlier.last_at{% endif %}) as previous_at,
        coalesce(lag(person_weeks.week_start) over (partition by person_weeks.person_id order by person_weeks.week_start)
            {%- if is_incremental() %}, cast({{ dbt.date_trunc('week', 'earlier.last_at') }} as date){% endif %}) as previous_week
    from person_weeks
    {%- if is_incremental() %}
    left join earlier on earlier.person_id = person_weeks.person_id
    {%- endif %}

),

weekly_active as (

    select
        week_start,
        count(*) as active,
        sum(case when previous_week is null then 1 else 0 end) as new,
        sum(case when previous_week is not null then 1 else 0 end) as returning_persons,
        sum(case when previous_week is not null and contributions_before <= 12
            and previous_at < cast({{ dbt.dateadd('month', -3, 'week_start') }} as {{ dbt.type_timestamp() }}) then 1 else 0 end) as episodic,
        sum(case when previous_week = cast({{ dbt.dateadd('day', -7, 'week_start') }} as date) then 1 else 0 end) as retained,
        sum(contributions) as activities
    from person_history
    group by week_start

),

weekly_inactive as (

    -- inactive in P: last contribution before end(P) in [start(P) - 90 d, end(P) - 90 d); only a
    -- person-week's last one can be (the next in its week is < 90 d later), then their next week's first
    select lapse_week as week_start, count(distinct person_id) as inactive
    from (
        select person_id,
            cast({{ dbt.date_trunc('week', dbt.dateadd('day', 90, 'last_at')) }} as date) as lapse_week,
            lead(first_at) over (partition by person_id order by week_start) as next_occurred_at
        from person_weeks
    ) as lapses
    where next_occurred_at is null or next_occurred_at >= {{ dbt.dateadd('day', 7, 'lapse_week') }}
    group by lapse_week

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

select *{% if is_incremental() %}, 'range' as _recompute{% endif %}
from final
{%- if is_incremental() %}
where week_start >= (select week_start from recompute_from)
{%- endif %}
