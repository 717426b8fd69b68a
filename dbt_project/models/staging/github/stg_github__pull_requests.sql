with source as (

    select * from {{ source('raw_github', 'pull_requests') }}

),

renamed as (

    select
        cast(pull_request_id as bigint) as pull_request_id,
        coalesce(repo_name, json_extract_string(payload, '$.base.repo.full_name')) as repo_name,
        cast(coalesce(number, cast(json_extract_string(payload, '$.number') as bigint)) as integer) as pull_request_number,
        json_extract_string(payload, '$.title') as title,
        json_extract_string(payload, '$.body') as body,
        json_extract_string(payload, '$.state') as state,
        coalesce(cast(json_extract_string(payload, '$.draft') as boolean), false) as is_draft,
        coalesce(
            cast(json_extract_string(payload, '$.merged') as boolean),
            json_extract_string(payload, '$.merged_at') is not null
        ) as is_merged,
        lower(coalesce(author_login, json_extract_string(payload, '$.user.login'))) as author_login,
        cast(json_extract_string(payload, '$.user.id') as bigint) as author_id,
        json_extract_string(payload, '$.user.type') as author_type,
        json_extract_string(payload, '$.author_association') as author_association,
        lower(json_extract_string(payload, '$.merged_by.login')) as merged_by_login,
        json_extract_string(payload, '$.head.ref') as head_ref,
        json_extract_string(payload, '$.head.sha') as head_sha,
        json_extract_string(payload, '$.base.ref') as base_ref,
        cast(json_extract_string(payload, '$.labels[*].name') as varchar[]) as label_names,
        cast(json_extract_string(payload, '$.commits') as integer) as commit_count,
        cast(json_extract_string(payload, '$.additions') as integer) as additions,
        cast(json_extract_string(payload, '$.deletions') as integer) as deletions,
        cast(json_extract_string(payload, '$.changed_files') as integer) as changed_files,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        {{ iso_timestamp("json_extract_string(payload, '$.closed_at')") }} as closed_at,
        {{ iso_timestamp("json_extract_string(payload, '$.merged_at')") }} as merged_at,
        json_extract_string(payload, '$.html_url') as url,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
