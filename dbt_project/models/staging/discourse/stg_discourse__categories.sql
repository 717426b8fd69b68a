with source as (

    select * from {{ source('raw_discourse', 'categories') }}

),

renamed as (

    select
        cast(category_id as bigint) as category_id,
        coalesce(category_name, json_extract_string(payload, '$.name')) as category_name,
        json_extract_string(payload, '$.slug') as slug,
        cast(json_extract_string(payload, '$.parent_category_id') as bigint) as parent_category_id,
        nullif(json_extract_string(payload, '$.description_text'), '') as description,
        cast(json_extract_string(payload, '$.topic_count') as integer) as topic_count,
        cast(json_extract_string(payload, '$.post_count') as integer) as post_count,
        coalesce(cast(json_extract_string(payload, '$.read_restricted') as boolean), false) as is_read_restricted,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
