with source as (

    select * from {{ source('raw_discord', 'guilds') }}

),

renamed as (

    select
        guild_id,
        coalesce(guild_name, json_extract_string(payload, '$.name')) as guild_name,
        coalesce(json_extract_string(payload, '$.iconUrl'), json_extract_string(payload, '$.icon')) as icon_url,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
