with source as (

    select * from {{ source('raw_git', 'commits') }}

),

renamed as (

    select
        repository || ':' || sha as commit_key,
        repository,
        sha,
        cast(json_extract_string(payload, '$.parents') as varchar[]) as parent_shas,
        coalesce(is_merge, json_array_length(payload, '$.parents') > 1, false) as is_merge,
        nullif(trim(json_extract_string(payload, '$.author.name')), '') as author_name,
        nullif(lower(trim(coalesce(author_email, json_extract_string(payload, '$.author.email')))), '') as author_email,
        {{ iso_timestamp("json_extract_string(payload, '$.author.date')") }} as authored_at,
        nullif(trim(json_extract_string(payload, '$.committer.name')), '') as committer_name,
        nullif(lower(trim(coalesce(committer_email, json_extract_string(payload, '$.committer.email')))), '') as committer_email,
        {{ iso_timestamp("json_extract_string(payload, '$.committer.date')") }} as committed_at,
        json_extract_string(payload, '$.message') as message,
        split_part(json_extract_string(payload, '$.message'), chr(10), 1) as subject,
        json_transform(
            json_extract(payload, '$.files'),
            '[{"path": "VARCHAR", "insertions": "INTEGER", "deletions": "INTEGER"}]'
        ) as files,
        cast(coalesce(json_extract_string(payload, '$.files_changed'), cast(json_array_length(payload, '$.files') as varchar)) as integer) as files_changed,
        cast(json_extract_string(payload, '$.insertions') as integer) as insertions,
        cast(json_extract_string(payload, '$.deletions') as integer) as deletions,
        json_transform(json_extract(payload, '$.co_authors'), '[{"name": "VARCHAR", "email": "VARCHAR"}]') as co_authors,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
