with source as (

    select * from {{ source('raw_discourse', 'topics') }}

),

renamed as (

    select
        cast(topic_id as bigint) as topic_id,
        cast(coalesce(category_id, json_extract_string(payload, '$.category_id')) as bigint) as category_id,
        coalesce(title, json_extract_string(payload, '$.title')) as title,
        json_extract_string(payload, '$.slug') as slug,
        cast(coalesce(
            json_extract_string(payload, '$.user_id'),
            json_extract_string(payload, '$.details.created_by.id'),
            json_extract_string(payload, '$.posters[0].user_id')
        ) as bigint) as author_user_id,
        cast(json_extract_string(payload, '$.posts_count') as integer) as post_count,
        cast(json_extract_string(payload, '$.reply_count') as integer) as reply_count,
        cast(json_extract_string(payload, '$.views') as integer) as view_count,
        cast(json_extract_string(payload, '$.like_count') as integer) as like_count,
        coalesce(cast(json_extract_string(payload, '$.closed') as boolean), false) as is_closed,
        coalesce(cast(json_extract_string(payload, '$.archived') as boolean), false) as is_archived,
        coalesce(cast(json_extract_string(payload, '$.pinned') as boolean), false) as is_pinned,
        coalesce(cast(json_extract_string(payload, '$.visible') as boolean), true) as is_visible,
        coalesce(cast(json_extract_string(payload, '$.has_accepted_answer') as boolean), false) as has_accepted_answer,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        {{ iso_timestamp("json_extract_string(payload, '$.last_posted_at')") }} as last_posted_at,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
