-- payload: a Discourse post; the raw `text` helper column holds its cooked HTML as plain text
with source as (

    select * from {{ source('raw_discourse', 'posts') }}

),

renamed as (

    select
        cast(post_id as bigint) as post_id,
        cast(coalesce(topic_id, json_extract_string(payload, '$.topic_id')) as bigint) as topic_id,
        cast(json_extract_string(payload, '$.post_number') as integer) as post_number,
        cast(json_extract_string(payload, '$.reply_to_post_number') as integer) as reply_to_post_number,
        cast(json_extract_string(payload, '$.user_id') as bigint) as user_id,
        coalesce(username, json_extract_string(payload, '$.username')) as username,
        nullif(trim(json_extract_string(payload, '$.name')), '') as author_name,
        coalesce(text, json_extract_string(payload, '$.raw')) as text,
        coalesce(cast(json_extract_string(payload, '$.post_type') as integer), 1) as post_type,
        cast(json_extract_string(payload, '$.reply_count') as integer) as reply_count,
        coalesce(cast(json_extract_string(payload, '$.accepted_answer') as boolean), false) as is_accepted_answer,
        coalesce(cast(json_extract_string(payload, '$.hidden') as boolean), false) as is_hidden,
        json_extract_string(payload, '$.deleted_at') is not null as is_deleted,
        json_extract_string(payload, '$.post_url') as post_path,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        coalesce({{ iso_timestamp("json_extract_string(payload, '$.updated_at')") }}, updated_at) as updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
