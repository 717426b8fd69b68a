{{ config(
    materialized='incremental',
    unique_key='activity_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where not exists (select 1 from {{ ref('int_activities_unioned') }} as current_activities where current_activities.activity_id = {{ this }}.activity_id)"
) }}
{#- Incremental: a refresh writes only activities that are new or whose row changed (an edited
    text, or an account that identity resolution re-attributed: a later commit email or an
    override can merge two people). Filtering on ingestion time alone would keep stale
    person_ids on old rows, so rows are compared instead. The post-hook deletes activities
    gone upstream (e.g. when typing rules change their ids), so a full refresh gives the same
    rows. `changed_at` is the start of the run that last changed a row's facts (every compared
    column but text and url): the period-incremental marts recompute from the days of rows
    stamped since they last ran (macros/incremental_marts.sql), so an edited old message moves
    no mart. A full refresh stamps every row, and the marts it rebuilds record that stamp. -#}
{%- set facts = ['person_id', 'platform', 'activity_type', 'occurred_at', 'container', 'thread_id',
                 'parent_id', 'is_question', 'is_contribution', 'is_bot'] %}
{%- set compared = facts + ['text', 'url'] %}
with activities as (

    select * from {{ ref('int_activities_unioned') }}

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
        end as changed_at
    from joined
    left join {{ this }} as existing
        on existing.activity_id = joined.activity_id
    where existing.activity_id is null
        {%- for column in compared %}
        or existing.{{ column }} is distinct from joined.{{ column }}
        {%- endfor %}
    {%- else -%}
    select joined.*, {{ run_started_timestamp() }} as changed_at
    from joined
    {%- endif %}

)

select * from final
