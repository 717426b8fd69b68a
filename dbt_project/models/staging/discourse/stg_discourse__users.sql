-- payload: a Discourse user (admin list or /u/<username>.json `user`); email only with admin access
with source as (

    select * from {{ source('raw_discourse', 'users') }}

),

renamed as (

    select
        cast(user_id as bigint) as user_id,
        coalesce(username, json_extract_string(payload, '$.username')) as username,
        nullif(trim(json_extract_string(payload, '$.name')), '') as full_name,
        nullif(lower(trim(json_extract_string(payload, '$.email'))), '') as email,
        nullif(json_extract_string(payload, '$.title'), '') as title,
        nullif(json_extract_string(payload, '$.website'), '') as website,
        nullif(coalesce(json_extract_string(payload, '$.bio_raw'), json_extract_string(payload, '$.bio_excerpt')), '') as bio,
        cast(json_extract_string(payload, '$.trust_level') as integer) as trust_level,
        coalesce(cast(json_extract_string(payload, '$.admin') as boolean), false) as is_admin,
        coalesce(cast(json_extract_string(payload, '$.moderator') as boolean), false) as is_moderator,
        -- Discourse's own automation accounts have ids <= 0 (system = -1, discobot = -2)
        cast(user_id as bigint) <= 0 as is_bot,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        {{ iso_timestamp("json_extract_string(payload, '$.last_seen_at')") }} as last_seen_at,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
