-- payload: a DiscordChatExporter message {id, type, timestamp, timestampEdited, content,
-- author{id, name, nickname, isBot}, reactions[{emoji{name}, count}], mentions, reference, thread?}
with source as (

    select * from {{ source('raw_discord', 'messages') }}

),

renamed as (

    select
        message_id,
        channel_id,
        coalesce(json_extract_string(payload, '$.type'), 'Default') as message_type,
        {{ iso_timestamp("json_extract_string(payload, '$.timestamp')") }} as posted_at,
        {{ iso_timestamp("json_extract_string(payload, '$.timestampEdited')") }} as edited_at,
        coalesce(author_id, json_extract_string(payload, '$.author.id')) as author_id,
        json_extract_string(payload, '$.author.name') as author_name,
        nullif(json_extract_string(payload, '$.author.nickname'), '') as author_nickname,
        coalesce(cast(json_extract_string(payload, '$.author.isBot') as boolean), false) as is_author_bot,
        json_extract_string(payload, '$.content') as text_raw,
        {{ discord_readable_text("json_extract_string(payload, '$.content')") }} as text,
        coalesce(list_sum(cast(json_extract_string(payload, '$.reactions[*].count') as integer[])), 0) as reaction_count,
        coalesce(cast(json_array_length(payload, '$.mentions') as integer), 0) as mention_count,
        json_extract_string(payload, '$.reference.messageId') as reference_message_id,
        json_extract_string(payload, '$.reference.channelId') as reference_channel_id,
        json_extract_string(payload, '$.thread.id') as thread_id,
        coalesce(cast(json_extract_string(payload, '$.isPinned') as boolean), false) as is_pinned,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
