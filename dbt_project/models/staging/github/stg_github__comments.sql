with source as (

    select * from {{ source('raw_github', 'comments') }}

),

renamed as (

    select
        comment_kind || ':' || comment_id as comment_key,
        cast(comment_id as bigint) as comment_id,
        comment_kind,
        (
            comment_kind like '%review%'
            or json_extract_string(payload, '$.pull_request_review_id') is not null
        ) as is_review_comment,
        coalesce(repo_name, regexp_extract(
            coalesce(json_extract_string(payload, '$.issue_url'), json_extract_string(payload, '$.pull_request_url')),
            'repos/([^/]+/[^/]+)/', 1
        )) as repo_name,
        cast(coalesce(issue_number, cast(regexp_extract(
            coalesce(json_extract_string(payload, '$.issue_url'), json_extract_string(payload, '$.pull_request_url')),
            '/([0-9]+)$', 1
        ) as bigint)) as integer) as issue_number,
        (
            json_extract_string(payload, '$.pull_request_url') is not null
            or json_extract_string(payload, '$.html_url') like '%/pull/%'
        ) as is_pull_request,
        lower(coalesce(author_login, json_extract_string(payload, '$.user.login'))) as author_login,
        cast(json_extract_string(payload, '$.user.id') as bigint) as author_id,
        json_extract_string(payload, '$.user.type') as author_type,
        json_extract_string(payload, '$.author_association') as author_association,
        json_extract_string(payload, '$.body') as body,
        cast(json_extract_string(payload, '$.pull_request_review_id') as bigint) as review_id,
        cast(json_extract_string(payload, '$.in_reply_to_id') as bigint) as in_reply_to_comment_id,
        json_extract_string(payload, '$.path') as file_path,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        json_extract_string(payload, '$.html_url') as url,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
