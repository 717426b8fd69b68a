with source as (

    select * from {{ source('raw_github', 'issues') }}

),

renamed as (

    select
        cast(issue_id as bigint) as issue_id,
        coalesce(repo_name, regexp_extract(json_extract_string(payload, '$.repository_url'), 'repos/([^/]+/[^/]+)$', 1)) as repo_name,
        cast(coalesce(number, cast(json_extract_string(payload, '$.number') as bigint)) as integer) as issue_number,
        coalesce(is_pull_request, json_extract_string(payload, '$.pull_request.url') is not null) as is_pull_request,
        json_extract_string(payload, '$.title') as title,
        json_extract_string(payload, '$.body') as body,
        json_extract_string(payload, '$.state') as state,
        json_extract_string(payload, '$.state_reason') as state_reason,
        lower(coalesce(author_login, json_extract_string(payload, '$.user.login'))) as author_login,
        cast(json_extract_string(payload, '$.user.id') as bigint) as author_id,
        json_extract_string(payload, '$.user.type') as author_type,
        json_extract_string(payload, '$.author_association') as author_association,
        lower(json_extract_string(payload, '$.closed_by.login')) as closed_by_login,
        json_extract_string(payload, '$.closed_by.type') as closed_by_type,
        cast(json_extract_string(payload, '$.labels[*].name') as varchar[]) as label_names,
        cast(json_extract_string(payload, '$.comments') as integer) as comment_count,
        coalesce(cast(json_extract_string(payload, '$.locked') as boolean), false) as is_locked,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        {{ iso_timestamp("json_extract_string(payload, '$.closed_at')") }} as closed_at,
        {{ iso_timestamp("json_extract_string(payload, '$.pull_request.merged_at')") }} as merged_at,
        json_extract_string(payload, '$.html_url') as url,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
