{{ config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}
{#- A table, not a view: GH Archive is the largest raw table and several models read it, so each
    payload is parsed once (one json_transform into a struct, instead of ~35 JSON path lookups
    per row per reader) and only rows ingested since the last build are parsed again. Raw rows
    are upserted by key with a fresh _ingested_at, so a changed event replaces its staged row. -#}
{%- set shape = {
    "actor": {"id": "VARCHAR", "login": "VARCHAR"},
    "repo": {"name": "VARCHAR"},
    "org": {"login": "VARCHAR"},
    "created_at": "VARCHAR",
    "payload": {
        "action": "VARCHAR", "number": "VARCHAR", "ref": "VARCHAR", "head": "VARCHAR",
        "issue": {"number": "VARCHAR", "pull_request": "VARCHAR", "title": "VARCHAR", "body": "VARCHAR",
                  "html_url": "VARCHAR", "user": {"login": "VARCHAR"}, "closed_at": "VARCHAR",
                  "labels": [{"name": "VARCHAR"}]},
        "pull_request": {"number": "VARCHAR", "title": "VARCHAR", "body": "VARCHAR", "html_url": "VARCHAR",
                         "user": {"login": "VARCHAR"}, "merged": "VARCHAR", "closed_at": "VARCHAR"},
        "comment": {"id": "VARCHAR", "body": "VARCHAR", "html_url": "VARCHAR"},
        "review": {"id": "VARCHAR", "body": "VARCHAR", "state": "VARCHAR", "html_url": "VARCHAR"},
        "commits": [{"sha": "VARCHAR", "message": "VARCHAR", "author": {"email": "VARCHAR", "name": "VARCHAR"}}],
        "release": {"id": "VARCHAR", "tag_name": "VARCHAR", "name": "VARCHAR", "body": "VARCHAR", "html_url": "VARCHAR"},
        "forkee": {"id": "VARCHAR", "full_name": "VARCHAR", "html_url": "VARCHAR"}
    }
} -%}
with source as (

    select * from {{ source('raw_github', 'events') }}
    {% if is_incremental() -%}
    where _ingested_at > (select coalesce(max(ingested_at), cast('1900-01-01' as timestamp)) from {{ this }})
    {%- endif %}

),

parsed as (

    select source.*, {{ json_parsed('payload', shape) }} as e
    from source

),

renamed as (

    select
        event_id,
        event_type,
        e.payload.action as action,
        lower(coalesce(actor_login, e.actor.login)) as actor_login,
        cast(e.actor.id as bigint) as actor_id,
        coalesce(repo_name, e.repo.name) as repo_name,
        e.org.login as org_login,
        coalesce(cast(e.created_at as timestamp), updated_at) as created_at,

        -- the issue or pull request the event is about
        cast(coalesce(e.payload.issue.number, e.payload.pull_request.number, e.payload.number) as integer) as issue_number,
        (event_type like 'PullRequest%' or e.payload.issue.pull_request is not null) as is_pull_request,
        coalesce(e.payload.issue.title, e.payload.pull_request.title) as issue_title,
        coalesce(e.payload.issue.body, e.payload.pull_request.body) as issue_body,
        coalesce(e.payload.issue.html_url, e.payload.pull_request.html_url) as issue_url,
        lower(coalesce(e.payload.issue.user.login, e.payload.pull_request.user.login)) as issue_author_login,
        coalesce(cast(e.payload.pull_request.merged as boolean), false) as is_merged,
        {{ iso_timestamp("coalesce(e.payload.issue.closed_at, e.payload.pull_request.closed_at)") }} as issue_closed_at,
        [label.name for label in e.payload.issue.labels] as issue_label_names,

        -- comments and reviews
        cast(e.payload.comment.id as bigint) as comment_id,
        e.payload.comment.body as comment_body,
        e.payload.comment.html_url as comment_url,
        cast(e.payload.review.id as bigint) as review_id,
        e.payload.review.body as review_body,
        e.payload.review.state as review_state,
        e.payload.review.html_url as review_url,

        -- pushes
        e.payload.ref as push_ref,
        e.payload.head as push_head_sha,
        e.payload.commits as push_commits,

        -- releases and forks
        cast(e.payload.release.id as bigint) as release_id,
        e.payload.release.tag_name as release_tag,
        e.payload.release.name as release_name,
        e.payload.release.body as release_body,
        e.payload.release.html_url as release_url,
        cast(e.payload.forkee.id as bigint) as fork_id,
        e.payload.forkee.full_name as fork_full_name,
        e.payload.forkee.html_url as fork_url,

        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from parsed

)

select * from renamed
