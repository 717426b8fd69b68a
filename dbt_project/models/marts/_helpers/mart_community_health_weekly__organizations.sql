{{ config(
    materialized='incremental',
    unique_key='person_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where person_id not in (select person_id from {{ ref('int_identities_resolved') }})"
) }}
{#- The organization of each person (DESIGN §5: profile company, else work email domain; from
    int_identities_resolved). Incremental so that it remembers what it said: a refresh writes
    only persons that are new or whose organization changed, stamped with this run's start in
    `changed_at`. An organization is not a fact of fct_activities (no activity is re-stamped
    when it changes), so mart_community_health_weekly__factors reads these stamps to recompute
    the weeks of such persons' contributions. The post-hook drops persons gone upstream (merged
    into another), so the table equals a full rebuild. -#}
with identities as (

    select * from {{ ref('int_identities_resolved') }}

),

current_organizations as (

    -- every person, organization null when unknown (a person whose organization becomes unknown
    -- is a change too); several organizations across accounts: the alphabetically first
    select
        person_id,
        min(case when not is_bot and nullif(trim(organization), '') is not null then organization end) as organization
    from identities
    group by person_id

),

final as (

    select current_organizations.*, {{ run_started_timestamp() }} as changed_at
    from current_organizations
    {% if is_incremental() -%}
    left join {{ this }} as existing on existing.person_id = current_organizations.person_id
    where existing.person_id is null
        or existing.organization is distinct from current_organizations.organization
    {%- endif %}

)

select * from final
