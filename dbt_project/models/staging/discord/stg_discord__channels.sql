-- payload: a DiscordChatExporter `channel` object ({id, type, categoryId, category, name, topic};
-- for a thread, category is its parent channel) or an API channel (type as a number)
with source as (

    select * from {{ source('raw_discord', 'channels') }}

),

typed as (

    select
        *,
        json_extract_string(payload, '$.type') as channel_type,
        json_extract_string(payload, '$.type') like '%Thread%'
            or json_extract_string(payload, '$.type') in ('10', '11', '12') as is_thread
    from source

),

renamed as (

    select
        channel_id,
        coalesce(guild_id, json_extract_string(payload, '$.guildId'), json_extract_string(payload, '$.guild_id')) as guild_id,
        coalesce(channel_name, json_extract_string(payload, '$.name')) as channel_name,
        channel_type,
        is_thread,
        case when not is_thread then coalesce(json_extract_string(payload, '$.categoryId'), json_extract_string(payload, '$.parent_id')) end as category_id,
        case when not is_thread then json_extract_string(payload, '$.category') end as category_name,
        case when is_thread then coalesce(
            json_extract_string(payload, '$.parentId'),
            json_extract_string(payload, '$.parent_id'),
            json_extract_string(payload, '$.categoryId')
        ) end as parent_channel_id,
        nullif(json_extract_string(payload, '$.topic'), '') as topic,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from typed

)

select * from renamed
