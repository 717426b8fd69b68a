{#- What a refresh of the community marts recomputes (issue 4; the mechanism is
    macros/incremental_marts.sql, the reasons are in each model's YAML description). Each macro
    is called from its model, so `this` is that model's table. -#}

{#- The earliest of several dates (each a scalar SQL expression, null = none); null when all are. -#}
{% macro community_earliest(dates) -%}
    (select min(candidate) from (
        {%- for date in dates %}
        select {{ date }} as candidate{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as candidates)
{%- endmacro %}

{#- factors: the first week whose trailing 90-day window holds a changed contribution, or any
    contribution of a person whose organization changed since the model last ran. -#}
{% macro factors_recompute_week() -%}
    {%- set organization_changes -%}
    (select min(cast(activities.occurred_at as date))
        from {{ ref('fct_activities') }} as activities
        inner join {{ ref('mart_community_health_weekly__organizations') }} as organizations
            on organizations.person_id = activities.person_id
        where organizations.changed_at > {{ mart_watermark('updated_at') }}
            and activities.is_contribution and not activities.is_bot)
    {%- endset -%}
    cast({{ dbt.date_trunc('week', community_earliest([mart_changes_from(), organization_changes])) }} as date)
{%- endmacro %}

{#- engagement: the first changed day, the day of a message a changed reply answers, or the
    first day when the set of platforms changed (each day has a row per platform). -#}
{% macro engagement_recompute_day() -%}
    {%- set answered -%}
    (select min(cast(parents.occurred_at as date))
        from {{ ref('fct_activities') }} as parents
        where parents.activity_type = 'message' and parents.is_contribution and not parents.is_bot
            and parents.activity_id in (
                select changed.parent_id from {{ ref('fct_activities') }} as changed
                where changed.changed_at > {{ mart_watermark('changes_through') }}))
    {%- endset -%}
    {%- set platforms_changed -%}
    (select bounds.first_date from bounds
        where exists (select platform from platforms except select platform from {{ this }})
            or exists (select platform from {{ this }} except select platform from platforms))
    {%- endset -%}
    {{ community_earliest([mart_changes_from(), answered, platforms_changed]) }}
{%- endmacro %}

{#- active people: the first changed day, or the first day when a line (platform × bot
    setting) appeared or vanished. -#}
{% macro active_people_recompute_day() -%}
    {%- set lines_changed -%}
    (select bounds.first_date from bounds
        where exists (select includes_bots, platform from lines except select includes_bots, platform from {{ this }})
            or exists (select includes_bots, platform from {{ this }} except select includes_bots, platform from lines))
    {%- endset -%}
    {{ community_earliest([mart_changes_from(), lines_changed]) }}
{%- endmacro %}

{#- hour of week: CTEs `changed` (human contributions changed since the last run, C),
    `recounted_persons` (counted again from all their history: their table count plus C is not
    their count now, or their time zone changed), `added_persons` (the table's cells plus C's)
    and `platforms_added` (true: platforms add C too; false: counted again; null: unchanged).
    Needs CTE `contributions`. -#}
{% macro hour_of_week_changes() -%}
changed as (

    select person_id, platform, occurred_at
    from {{ ref('fct_activities') }}
    where is_contribution and not is_bot and changed_at > {{ mart_watermark('changes_through') }}

),

person_counts as (

    select
        coalesce(counted.person_id, tabled.subject_id) as person_id,
        coalesce(counted.activities, 0) as activities,
        coalesce(tabled.activities, 0) + coalesce(changed_counts.activities, 0) as tabled_and_changed
    from (select person_id, count(*) as activities from contributions group by person_id) as counted
    full outer join (
        select subject_id, sum(activities) as activities from {{ this }} where subject_type = 'person' group by subject_id
    ) as tabled on tabled.subject_id = counted.person_id
    left join (
        select person_id, count(*) as activities from changed group by person_id
    ) as changed_counts on changed_counts.person_id = counted.person_id

),

recounted_persons as (

    select person_id from person_counts where tabled_and_changed <> activities
    union
    select person_id from {{ health_timezone_changed_people() }} as timezone_changed

),

added_persons as (

    select person_id from changed
    except
    select person_id from recounted_persons

),

platforms_added as (

    select case
        when not exists (select 1 from changed) and not exists (select 1 from recounted_persons) then null
        else (select coalesce(sum(activities), 0) from {{ this }} where subject_type = 'community')
            + (select count(*) from changed) = (select count(*) from contributions)
    end as is_added

),
{%- endmacro %}

{#- contributors: CTEs `recompute_from` (the first changed week, null when none, and where the
    refresh's input starts: 13 weeks before it, for the 90-day lapses ending from it on and the
    week before it) and `earlier` (each person's contributions before the input: how many, and
    the last one: all a recomputed week needs of that history). -#}
{% macro contributors_recompute_ctes() -%}
recompute_from as (

    select week_start, cast({{ dbt.dateadd('day', -91, 'week_start') }} as date) as input_start
    from (select cast({{ dbt.date_trunc('week', mart_changes_from()) }} as date) as week_start) as changed

),

earlier as (

    select person_id, count(*) as contributions, max(occurred_at) as last_at
    from {{ ref('fct_activities') }}
    where is_contribution and not is_bot
        and occurred_at < cast((select input_start from recompute_from) as {{ dbt.type_timestamp() }})
    group by person_id

),
{%- endmacro %}
