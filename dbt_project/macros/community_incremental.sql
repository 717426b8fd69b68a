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
    {{ community_earliest([mart_changes_from(), active_people_lines_changed()]) }}
{%- endmacro %}

{#- active people: the steps of the person-days in `person_days` (includes_bots, activity_date,
    platform, person_id), per line: +1 to dau, wau and mau on an active day; -1 to wau (mau) on
    the day before the next active day or after 7 (28) days, whichever is first. -#}
{% macro active_people_steps(person_days) -%}
    with nexts as (
        select includes_bots, platform, activity_date,
            lead(activity_date) over (partition by includes_bots, platform, person_id order by activity_date) as next_date
        from (
            select includes_bots, activity_date, platform, person_id from {{ person_days }}
            union all
            select distinct includes_bots, activity_date, 'all platforms', person_id from {{ person_days }}
        ) as person_days
    )
    select includes_bots, platform, step_date, sum(dau) as dau, sum(wau) as wau, sum(mau) as mau
    from (
        select includes_bots, platform, activity_date as step_date, 1 as dau, 1 as wau, 1 as mau from nexts
        union all
        select includes_bots, platform, least(coalesce(next_date, activity_date + 7), activity_date + 7), 0, -1, 0 from nexts
        union all
        select includes_bots, platform, least(coalesce(next_date, activity_date + 28), activity_date + 28), 0, 0, -1 from nexts
    ) as steps
    group by includes_bots, platform, step_date
{%- endmacro %}

{#- active people, refresh CTEs. An identity merge or split changes the distinct counts on the
    days of the moved people's whole history, so instead of recomputing from their first day:
    - `unmoved_from`: the first day to recompute for everything else (changes of other people,
      lines that appeared or vanished); 9999-12-31 when none;
    - `delta_applies`: whether the move is all that reaches older days: the moved accounts kept
      their bot flag, and every changed contribution of the moved people before unmoved_from is
      an unrevised activity of a moved account (a relabel);
    - `recompute_from`: unmoved_from when it applies, else the first changed day of anyone;
    - `moved_days_adjusted`: when it applies, every line of each older day whose counts the move
      changed: the stored counts plus the moved people's steps now minus their steps before
      (each moved account's activities belonged to its previous person). -#}
{% macro active_people_moved_ctes() -%}
unmoved_from as (

    select coalesce(
        {{ community_earliest([mart_changes_from(exclude_moved=true), active_people_lines_changed()]) }},
        cast('9999-12-31' as date)
    ) as activity_date

),

moved_accounts as (

    select platform, account_id, previous_person_id, previous_is_bot, is_bot
    from (
        select changes.*,
            row_number() over (partition by changes.platform, changes.account_id order by changes.changed_at) as version
        from {{ fct_identity_changes() }} as changes
        where changes.changed_at > {{ mart_watermark('changes_through') }}
    ) as versions
    where version = 1

),

moved_activities as (

    select
        cast(activities.occurred_at as date) as activity_date,
        activities.platform,
        coalesce(activities.is_bot, false) as is_bot,
        activities.person_id as person_now,
        coalesce(moved_accounts.previous_person_id, activities.person_id) as person_before,
        activities.changed_at > {{ mart_watermark('changes_through') }}
            and not (moved_accounts.account_id is not null
                     and unioned.revised_at <= {{ mart_watermark('updated_at') }}) as is_other_change
    from {{ ref('fct_activities') }} as activities
    inner join {{ ref('int_activities_unioned') }} as unioned on unioned.activity_id = activities.activity_id
    left join moved_accounts
        on moved_accounts.platform = unioned.platform and moved_accounts.account_id = unioned.account_id
    where activities.is_contribution
        and activities.person_id in {{ moved_people() }}
        and activities.occurred_at < cast((select activity_date from unmoved_from) as {{ dbt.type_timestamp() }})

),

delta_applies as (

    select exists (select 1 from moved_accounts)
        and not exists (select 1 from moved_accounts where previous_is_bot is null or previous_is_bot is distinct from is_bot)
        and not exists (select 1 from moved_activities where is_other_change) as applies

),

recompute_from as (

    select case when (select applies from delta_applies) then (select activity_date from unmoved_from)
        else {{ active_people_recompute_day() }} end as activity_date

),

moved_days_now as (

    select distinct modes.includes_bots, moved.activity_date, moved.platform, moved.person_now as person_id
    from moved_activities as moved cross join modes
    where (modes.includes_bots or not moved.is_bot) and (select applies from delta_applies)

),

moved_days_before as (

    select distinct modes.includes_bots, moved.activity_date, moved.platform, moved.person_before as person_id
    from moved_activities as moved cross join modes
    where (modes.includes_bots or not moved.is_bot) and (select applies from delta_applies)

),

moved_steps as (

    select includes_bots, platform, step_date, sum(dau) as dau, sum(wau) as wau, sum(mau) as mau
    from (
        select * from ({{ active_people_steps('moved_days_now') }}) as steps_now
        union all
        select includes_bots, platform, step_date, -dau, -wau, -mau
        from ({{ active_people_steps('moved_days_before') }}) as steps_before
    ) as signed
    group by includes_bots, platform, step_date

),

moved_days_summed as (

    select
        stored.activity_date, stored.platform, stored.includes_bots,
        stored.dau as stored_dau, stored.wau as stored_wau, stored.mau as stored_mau,
        cast(stored.dau + coalesce(moved_steps.dau, 0) as bigint) as dau,
        cast(stored.wau + sum(coalesce(moved_steps.wau, 0)) over (
            partition by stored.includes_bots, stored.platform order by stored.activity_date) as bigint) as wau,
        cast(stored.mau + sum(coalesce(moved_steps.mau, 0)) over (
            partition by stored.includes_bots, stored.platform order by stored.activity_date) as bigint) as mau
    from {{ this }} as stored
    left join moved_steps
        on moved_steps.includes_bots = stored.includes_bots
        and moved_steps.platform = stored.platform
        and moved_steps.step_date = stored.activity_date
    where stored.activity_date < (select activity_date from recompute_from)
        and (select applies from delta_applies)

),

moved_days_adjusted as (

    select activity_date, platform, includes_bots, dau, wau, mau
    from moved_days_summed
    where activity_date in (
        select activity_date from moved_days_summed
        where dau <> stored_dau or wau <> stored_wau or mau <> stored_mau
    )

),
{%- endmacro %}

{% macro active_people_lines_changed() -%}
    (select bounds.first_date from bounds
        where exists (select includes_bots, platform from lines except select includes_bots, platform from {{ this }})
            or exists (select includes_bots, platform from {{ this }} except select includes_bots, platform from lines))
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
