with source as (

    select * from {{ source('raw_github', 'releases') }}

),

renamed as (

    select
        cast(release_id as bigint) as release_id,
        coalesce(repo_name, regexp_extract(json_extract_string(payload, '$.url'), 'repos/([^/]+/[^/]+)/', 1)) as repo_name,
        coalesce(tag_name, json_extract_string(payload, '$.tag_name')) as tag_name,
        nullif(json_extract_string(payload, '$.name'), '') as release_name,
        json_extract_string(payload, '$.body') as body,
        lower(json_extract_string(payload, '$.author.login')) as author_login,
        json_extract_string(payload, '$.author.type') as author_type,
        coalesce(cast(json_extract_string(payload, '$.draft') as boolean), false) as is_draft,
        coalesce(cast(json_extract_string(payload, '$.prerelease') as boolean), false) as is_prerelease,
        json_extract_string(payload, '$.target_commitish') as target_commitish,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        {{ iso_timestamp("json_extract_string(payload, '$.published_at')") }} as published_at,
        json_extract_string(payload, '$.html_url') as url,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
