with source as (

    select * from {{ source('raw_github', 'users') }}

),

renamed as (

    select
        lower(login) as login,
        cast(json_extract_string(payload, '$.id') as bigint) as user_id,
        coalesce(user_type, json_extract_string(payload, '$.type')) as user_type,
        coalesce(user_type, json_extract_string(payload, '$.type')) = 'Bot' as is_bot,
        nullif(trim(json_extract_string(payload, '$.name')), '') as full_name,
        nullif(trim(json_extract_string(payload, '$.company')), '') as company,
        nullif(lower(trim(json_extract_string(payload, '$.email'))), '') as email,
        nullif(trim(json_extract_string(payload, '$.blog')), '') as blog,
        nullif(trim(json_extract_string(payload, '$.location')), '') as location,
        nullif(trim(json_extract_string(payload, '$.bio')), '') as bio,
        nullif(json_extract_string(payload, '$.twitter_username'), '') as twitter_username,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
