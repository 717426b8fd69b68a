{{ config(materialized='incremental', incremental_strategy='recompute', recompute_range='activity_date',
          on_schema_change='fail', post_hook="{{ record_mart_watermark() }}") }}
-- period-incremental: see the YAML description and macros/community_incremental.sql
with bounds as (

    select cast(min(occurred_at) as date) as first_date, cast(max(occurred_at) as date) as last_date
    from {{ ref('fct_activities') }}

),

platforms as (select distinct platform from {{ ref('fct_activities') }}),

{% if is_incremental() -%}
-- the first day to recompute (macros/community_incremental.sql); null when nothing changed
recompute_from as (select {{ engagement_recompute_day() }} as activity_date),

{% endif -%}
contributions as (

    -- human metrics count contributions by humans only (DESIGN §5)
    select activity_id, person_id, platform, activity_type, parent_id, cast(occurred_at as date) as activity_date
    from {{ ref('fct_activities') }}
    where is_contribution and not is_bot
    {%- if is_incremental() %}
        and occurred_at >= cast((select activity_date from recompute_from) as {{ dbt.type_timestamp() }})
    {%- endif %}

),

first_dates as (

    select person_id, min(activity_date) as first_date
    from contributions
    {%- if is_incremental() %}
    -- a person who contributed before the recomputed days is not new in them
    where person_id not in (
        select earlier.person_id
        from {{ ref('fct_activities') }} as earlier
        where earlier.is_contribution and not earlier.is_bot
            and earlier.occurred_at < cast((select activity_date from recompute_from) as {{ dbt.type_timestamp() }})
            and earlier.person_id in (select person_id from contributions)
    )
    {%- endif %}
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
    left join first_dates on first_dates.person_id = contributions.person_id
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
        {%- if is_incremental() %}, 'range' as _recompute{% endif %}
    from ({{ period_spine('day', 'bounds', 'first_date', 'last_date') }}) as days
    cross join platforms
    left join daily on daily.activity_date = days.period_start and daily.platform = platforms.platform
    {%- if is_incremental() %}
    where days.period_start >= (select activity_date from recompute_from)
    {%- endif %}

)

select * from final
