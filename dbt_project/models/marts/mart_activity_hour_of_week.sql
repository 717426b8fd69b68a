{{ config(
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='subject_type',
    recompute_entity='subject_id',
    on_schema_change='fail',
    post_hook=[
        "{{ record_mart_watermark() }}",
        "delete from {{ this }} where subject_type = 'person' and subject_id not in (select person_id from {{ ref('fct_activities') }} where is_contribution and not is_bot)",
    ]
) }}
-- human contributions per hour of the week, for each person (in their own time zone), each
-- platform and the whole community (in UTC); cells without activity are absent
-- incremental by subject: macros/community_incremental.sql (hour_of_week_changes)
with timezones as (

    select * from {{ ref('mart_contributor_health__timezones') }}

),

contributions as (

    select person_id, platform, occurred_at
    from {{ ref('fct_activities') }}
    where is_contribution and not is_bot

),

{% if is_incremental() %}{{ hour_of_week_changes() }}{% endif %}

person_cells as (

    select
        contributions.person_id,
        {{ day_of_week_iso(dbt.dateadd('minute', 'timezones.utc_offset_minutes', 'contributions.occurred_at')) }} as day_of_week,
        {{ hour_of_day(dbt.dateadd('minute', 'timezones.utc_offset_minutes', 'contributions.occurred_at')) }} as hour_of_day,
        count(*) as activities
    from contributions
    inner join timezones on timezones.person_id = contributions.person_id
    {%- if is_incremental() %}
    where contributions.person_id in (select person_id from recounted_persons)
    {%- endif %}
    group by 1, 2, 3
    {%- if is_incremental() %}
    union all
    select subject_id, day_of_week, hour_of_day, activities
    from {{ this }}
    where subject_type = 'person' and subject_id in (select person_id from added_persons)
    union all
    select
        changed.person_id,
        {{ day_of_week_iso(dbt.dateadd('minute', 'timezones.utc_offset_minutes', 'changed.occurred_at')) }},
        {{ hour_of_day(dbt.dateadd('minute', 'timezones.utc_offset_minutes', 'changed.occurred_at')) }},
        1
    from changed
    inner join timezones on timezones.person_id = changed.person_id
    where changed.person_id in (select person_id from added_persons)
    {%- endif %}

),

platform_cells as (

    select platform, {{ day_of_week_iso('occurred_at') }} as day_of_week, {{ hour_of_day('occurred_at') }} as hour_of_day, count(*) as activities
    from contributions
    {%- if is_incremental() %}
    where (select is_added from platforms_added) = false
    {%- endif %}
    group by 1, 2, 3
    {%- if is_incremental() %}
    union all
    select subject_id, day_of_week, hour_of_day, activities
    from {{ this }}
    where subject_type = 'platform' and (select is_added from platforms_added)
    union all
    select platform, {{ day_of_week_iso('occurred_at') }}, {{ hour_of_day('occurred_at') }}, 1
    from changed
    where (select is_added from platforms_added)
    {%- endif %}

),

cells as (

    select 'person' as subject_type, person_id as subject_id, day_of_week, hour_of_day, cast(sum(activities) as bigint) as activities
    from person_cells
    group by person_id, day_of_week, hour_of_day
    union all
    select 'platform', platform, day_of_week, hour_of_day, cast(sum(activities) as bigint)
    from platform_cells
    group by platform, day_of_week, hour_of_day
    union all
    select 'community', 'all', day_of_week, hour_of_day, cast(sum(activities) as bigint)
    from platform_cells
    group by day_of_week, hour_of_day

),

final as (

    select
        *,
        cast(activities as {{ type_double() }}) / sum(activities) over (partition by subject_type, subject_id) as share_of_subject
        {%- if is_incremental() %}, 'entity' as _recompute{% endif %}
    from cells

)

select * from final
