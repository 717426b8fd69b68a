-- payload: an API guild member ({user: {id, username, global_name, bot}, nick, joined_at}) or a
-- DiscordChatExporter-style user ({id, name, nickname, isBot})
with source as (

    select * from {{ source('raw_discord', 'members') }}

),

renamed as (

    select
        guild_id || ':' || user_id as member_id,
        guild_id,
        user_id,
        coalesce(username, json_extract_string(payload, '$.user.username'), json_extract_string(payload, '$.name')) as username,
        coalesce(json_extract_string(payload, '$.user.global_name'), json_extract_string(payload, '$.globalName')) as global_name,
        coalesce(json_extract_string(payload, '$.nick'), json_extract_string(payload, '$.nickname')) as nickname,
        coalesce(
            nullif(json_extract_string(payload, '$.nick'), ''),
            nullif(json_extract_string(payload, '$.nickname'), ''),
            nullif(json_extract_string(payload, '$.user.global_name'), ''),
            nullif(json_extract_string(payload, '$.globalName'), ''),
            username,
            json_extract_string(payload, '$.user.username'),
            json_extract_string(payload, '$.name')
        ) as display_name,
        coalesce(
            is_bot,
            cast(json_extract_string(payload, '$.user.bot') as boolean),
            cast(json_extract_string(payload, '$.isBot') as boolean),
            false
        ) as is_bot,
        {{ iso_timestamp("coalesce(json_extract_string(payload, '$.joined_at'), json_extract_string(payload, '$.joinedAt'))") }} as joined_at,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
