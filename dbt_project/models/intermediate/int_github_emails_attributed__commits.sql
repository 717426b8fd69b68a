{{ config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}
{#- One row per pushed commit with an author email, its name normalized and its noreply login
    parsed once: the expensive part of int_github_emails_attributed (unnesting every push,
    regular expressions per commit), kept incremental by ingestion like the staged events it
    reads (a re-ingested event replaces its rows). -#}
with events as (

    select * from {{ ref('stg_github__events') }}
    where event_type = 'PushEvent' and actor_login is not null
    {%- if is_incremental() %}
        and ingested_at > (select coalesce(max(ingested_at), cast('1900-01-01' as timestamp)) from {{ this }})
    {%- endif %}

),

commit_authors as (

    select
        pushes.event_id,
        pushes.commit_position,
        pushes.actor_login,
        lower(trim(pushes.pushed.author.email)) as email,
        pushes.pushed.author.name as author_name,
        {{ normalize_person_name('pushes.pushed.author.name') }} as normalized_name,
        pushes.ingested_at
    from (
        select
            event_id, actor_login, ingested_at,
            unnest(push_commits) as pushed,
            unnest(range(1, len(push_commits) + 1)) as commit_position
        from events
    ) as pushes
    where nullif(trim(pushes.pushed.author.email), '') is not null

),

final as (

    select
        event_id,
        commit_position,
        actor_login,
        email,
        author_name,
        normalized_name,
        {{ noreply_login('email') }} as noreply_login,
        count(distinct email) over (partition by event_id) as push_author_emails,
        ingested_at
    from commit_authors

)

select * from final
