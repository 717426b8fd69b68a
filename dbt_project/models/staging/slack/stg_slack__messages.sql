with source as (

    select * from {{ source('raw_slack', 'messages') }}

),

renamed as (

    select
        channel_id || ':' || ts as message_id,
        channel_id,
        ts as message_ts,
        {{ epoch_to_timestamp('ts') }} as posted_at,
        coalesce(thread_ts, json_extract_string(payload, '$.thread_ts')) as thread_ts,
        coalesce(user_id, json_extract_string(payload, '$.user')) as user_id,
        json_extract_string(payload, '$.bot_id') as bot_id,
        coalesce(
            json_extract_string(payload, '$.username'),
            json_extract_string(payload, '$.bot_profile.name')
        ) as author_name,
        coalesce(json_extract_string(payload, '$.type'), 'message') as message_type,
        json_extract_string(payload, '$.subtype') as subtype,
        json_extract_string(payload, '$.text') as text_raw,
        {{ slack_readable_text("json_extract_string(payload, '$.text')") }} as text,
        coalesce(cast(json_extract_string(payload, '$.reply_count') as integer), 0) as reply_count,
        coalesce(
            list_sum(cast(json_extract_string(payload, '$.reactions[*].count') as integer[])), 0
        ) as reaction_count,
        json_extract(payload, '$.edited') is not null as is_edited,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
