with source as (

    select * from {{ source('raw_slack', 'users') }}

),

renamed as (

    select
        user_id,
        team_id,
        json_extract_string(payload, '$.name') as username,
        coalesce(
            nullif(json_extract_string(payload, '$.profile.real_name'), ''),
            nullif(json_extract_string(payload, '$.real_name'), '')
        ) as real_name,
        coalesce(
            nullif(json_extract_string(payload, '$.profile.display_name'), ''),
            nullif(json_extract_string(payload, '$.profile.real_name'), ''),
            nullif(json_extract_string(payload, '$.real_name'), ''),
            json_extract_string(payload, '$.name')
        ) as display_name,
        nullif(lower(trim(json_extract_string(payload, '$.profile.email'))), '') as email,
        json_extract_string(payload, '$.profile.title') as title,
        json_extract_string(payload, '$.tz') as timezone,
        cast(json_extract_string(payload, '$.tz_offset') as integer) as tz_offset_seconds,
        (
            coalesce(cast(json_extract_string(payload, '$.is_bot') as boolean), false)
            or user_id = 'USLACKBOT'
        ) as is_bot,
        coalesce(cast(json_extract_string(payload, '$.is_app_user') as boolean), false) as is_app_user,
        coalesce(cast(json_extract_string(payload, '$.deleted') as boolean), false) as is_deleted,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
