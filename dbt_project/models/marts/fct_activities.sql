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
    rows. -#}
{%- set compared = ['person_id', 'platform', 'activity_type', 'occurred_at', 'container', 'thread_id',
                    'parent_id', 'is_question', 'is_contribution', 'is_bot', 'text', 'url'] %}
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

    select * from joined
    {% if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as existing
        where existing.activity_id = joined.activity_id
            {%- for column in compared %}
            and existing.{{ column }} is not distinct from joined.{{ column }}
            {%- endfor %}
    )
    {% endif %}

)

select * from final
