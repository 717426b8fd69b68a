with source as (

    select * from {{ source('raw_github', 'reviews') }}

),

renamed as (

    select
        cast(review_id as bigint) as review_id,
        coalesce(repo_name, regexp_extract(json_extract_string(payload, '$.pull_request_url'), 'repos/([^/]+/[^/]+)/', 1)) as repo_name,
        cast(coalesce(pull_number, cast(regexp_extract(
            json_extract_string(payload, '$.pull_request_url'), '/([0-9]+)$', 1
        ) as bigint)) as integer) as pull_request_number,
        lower(coalesce(author_login, json_extract_string(payload, '$.user.login'))) as author_login,
        cast(json_extract_string(payload, '$.user.id') as bigint) as author_id,
        json_extract_string(payload, '$.user.type') as author_type,
        json_extract_string(payload, '$.author_association') as author_association,
        lower(json_extract_string(payload, '$.state')) as state,
        nullif(json_extract_string(payload, '$.body'), '') as body,
        json_extract_string(payload, '$.commit_id') as commit_sha,
        {{ iso_timestamp("json_extract_string(payload, '$.submitted_at')") }} as submitted_at,
        json_extract_string(payload, '$.html_url') as url,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
