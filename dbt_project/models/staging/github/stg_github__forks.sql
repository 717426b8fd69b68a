with source as (

    select * from {{ source('raw_github', 'forks') }}

),

renamed as (

    select
        cast(fork_id as bigint) as fork_id,
        repo_name,
        json_extract_string(payload, '$.full_name') as fork_full_name,
        lower(coalesce(owner_login, json_extract_string(payload, '$.owner.login'))) as owner_login,
        json_extract_string(payload, '$.owner.type') as owner_type,
        {{ iso_timestamp("json_extract_string(payload, '$.created_at')") }} as created_at,
        json_extract_string(payload, '$.html_url') as url,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
