with source as (

    select * from {{ source('raw_github', 'events') }}

),

renamed as (

    select
        event_id,
        event_type,
        json_extract_string(payload, '$.payload.action') as action,
        lower(coalesce(actor_login, json_extract_string(payload, '$.actor.login'))) as actor_login,
        cast(json_extract_string(payload, '$.actor.id') as bigint) as actor_id,
        coalesce(repo_name, json_extract_string(payload, '$.repo.name')) as repo_name,
        json_extract_string(payload, '$.org.login') as org_login,
        coalesce(cast(json_extract_string(payload, '$.created_at') as timestamp), updated_at) as created_at,

        -- the issue or pull request the event is about
        cast(coalesce(
            json_extract_string(payload, '$.payload.issue.number'),
            json_extract_string(payload, '$.payload.pull_request.number'),
            json_extract_string(payload, '$.payload.number')
        ) as integer) as issue_number,
        (
            event_type like 'PullRequest%'
            or json_extract_string(payload, '$.payload.issue.pull_request') is not null
        ) as is_pull_request,
        coalesce(
            json_extract_string(payload, '$.payload.issue.title'),
            json_extract_string(payload, '$.payload.pull_request.title')
        ) as issue_title,
        coalesce(
            json_extract_string(payload, '$.payload.issue.body'),
            json_extract_string(payload, '$.payload.pull_request.body')
        ) as issue_body,
        coalesce(
            json_extract_string(payload, '$.payload.issue.html_url'),
            json_extract_string(payload, '$.payload.pull_request.html_url')
        ) as issue_url,
        lower(coalesce(
            json_extract_string(payload, '$.payload.issue.user.login'),
            json_extract_string(payload, '$.payload.pull_request.user.login')
        )) as issue_author_login,
        coalesce(cast(json_extract_string(payload, '$.payload.pull_request.merged') as boolean), false) as is_merged,
        {{ iso_timestamp("coalesce(json_extract_string(payload, '$.payload.issue.closed_at'), json_extract_string(payload, '$.payload.pull_request.closed_at'))") }} as issue_closed_at,

        -- comments and reviews
        cast(json_extract_string(payload, '$.payload.comment.id') as bigint) as comment_id,
        json_extract_string(payload, '$.payload.comment.body') as comment_body,
        json_extract_string(payload, '$.payload.comment.html_url') as comment_url,
        cast(json_extract_string(payload, '$.payload.review.id') as bigint) as review_id,
        json_extract_string(payload, '$.payload.review.body') as review_body,
        json_extract_string(payload, '$.payload.review.state') as review_state,
        json_extract_string(payload, '$.payload.review.html_url') as review_url,

        -- pushes
        json_extract_string(payload, '$.payload.ref') as push_ref,
        json_extract_string(payload, '$.payload.head') as push_head_sha,
        json_transform(
            json_extract(payload, '$.payload.commits'),
            '[{"sha": "VARCHAR", "message": "VARCHAR", "author": {"email": "VARCHAR", "name": "VARCHAR"}}]'
        ) as push_commits,

        -- releases and forks
        cast(json_extract_string(payload, '$.payload.release.id') as bigint) as release_id,
        json_extract_string(payload, '$.payload.release.tag_name') as release_tag,
        json_extract_string(payload, '$.payload.release.name') as release_name,
        json_extract_string(payload, '$.payload.release.body') as release_body,
        json_extract_string(payload, '$.payload.release.html_url') as release_url,
        cast(json_extract_string(payload, '$.payload.forkee.id') as bigint) as fork_id,
        json_extract_string(payload, '$.payload.forkee.full_name') as fork_full_name,
        json_extract_string(payload, '$.payload.forkee.html_url') as fork_url,

        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
