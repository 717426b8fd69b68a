with source as (

    select * from {{ source('raw_slack', 'channels') }}

),

renamed as (

    select
        channel_id,
        coalesce(channel_name, json_extract_string(payload, '$.name')) as channel_name,
        {{ epoch_to_timestamp("json_extract_string(payload, '$.created')") }} as created_at,
        json_extract_string(payload, '$.creator') as creator_user_id,
        coalesce(cast(json_extract_string(payload, '$.is_archived') as boolean), false) as is_archived,
        coalesce(cast(json_extract_string(payload, '$.is_general') as boolean), false) as is_general,
        nullif(json_extract_string(payload, '$.topic.value'), '') as topic,
        nullif(json_extract_string(payload, '$.purpose.value'), '') as purpose,
        cast(json_array_length(payload, '$.members') as integer) as member_count,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
