{{ config(materialized='incremental', unique_key='activity_id', incremental_strategy='delete+insert',
          on_schema_change='fail', pre_hook="{{ create_fct_known_identities() }}",
          post_hook=["{{ remove_vanished_activities() }}", "{{ record_fct_known_identities() }}"]) }}
{#- Incremental: a refresh writes only activities that are new or whose row changed (an edited
    text, or an account that identity resolution re-attributed: a later commit email or an
    override can merge two people). A refresh reads only the activities that can have changed:
    int_activities_unioned rows revised since this model last ran, and every activity of an
    account whose person_id or is_bot differs from the map this model last applied
    (macros/fct_activities_changes.sql); those are compared with the rows held, and only rows
    that differ are written. The post-hook deletes activities gone upstream (e.g. when typing
    rules change their ids), so a full refresh gives the same rows, and logs them in
    meta.fct_activities_removed for the marts. `changed_at` is the start of the run that last changed a row's facts (every compared
    column but text and url): the period-incremental marts recompute from the days of rows
    stamped since they last ran (macros/incremental_marts.sql), so an edited old message moves
    no mart. A full refresh stamps every row, and the marts it rebuilds record that stamp.
    `revised_at` is the start of the run that last wrote the row (any column changed, text and
    url included): marts that show text or links recompute what was revised. -#}
{%- set facts = ['person_id', 'platform', 'activity_type', 'occurred_at', 'container', 'thread_id',
                 'parent_id', 'is_question', 'is_contribution', 'is_bot'] %}
{%- set compared = facts + ['text', 'url'] %}
with activities as (

    select * from {{ ref('int_activities_unioned') }}
    {%- if is_incremental() %}
    where revised_at > {{ mart_watermark('updated_at') }}
    -- two selects, not one `or` (which would test every row); no shared CTE (materialized whole)
    union all
    select unioned.* from {{ ref('int_activities_unioned') }} as unioned
    inner join ({{ fct_changed_accounts() }}) as changed_accounts
        on changed_accounts.platform = unioned.platform
        and changed_accounts.account_id = unioned.account_id
    where not unioned.revised_at > {{ mart_watermark('updated_at') }}
    {%- endif %}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),


joined as (

    select
        activities.activity_id,
        identities.person_id,
        activities.platform,
        activities.activity_type,
        activities.occurred_at,
        activities.container,
        activities.thread_id,
        activities.parent_id,
        activities.is_question,
        activities.is_contribution,
        identities.is_bot,
        activities.text,
        activities.url
    from activities
    inner join identities
        on identities.platform = activities.platform
        and identities.account_id = activities.account_id

),

final as (

    {% if is_incremental() -%}
    select
        joined.*,
        case
            when existing.activity_id is not null
                {%- for column in facts %}
                and existing.{{ column }} is not distinct from joined.{{ column }}
                {%- endfor %}
                then existing.changed_at
            else {{ run_started_timestamp() }}
        end as changed_at,
        {{ run_started_timestamp() }} as revised_at
    from joined
    left join {{ this }} as existing
        on existing.activity_id = joined.activity_id
    where existing.activity_id is null
        {%- for column in compared %}
        or existing.{{ column }} is distinct from joined.{{ column }}
        {%- endfor %}
    {%- else -%}
    select joined.*, {{ run_started_timestamp() }} as changed_at, {{ run_started_timestamp() }} as revised_at
    from joined
    {%- endif %}

)

select * from final
