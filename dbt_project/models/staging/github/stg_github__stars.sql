-- payload: a stargazer as `application/vnd.github.star+json` returns it ({starred_at, user}),
-- or the plain user object
with source as (

    select * from {{ source('raw_github', 'stars') }}

),

renamed as (

    select
        repo_name,
        lower(user_login) as user_login,
        cast(coalesce(json_extract_string(payload, '$.user.id'), json_extract_string(payload, '$.id')) as bigint) as user_id,
        coalesce(json_extract_string(payload, '$.user.type'), json_extract_string(payload, '$.type')) as user_type,
        coalesce({{ iso_timestamp("json_extract_string(payload, '$.starred_at')") }}, updated_at) as starred_at,
        updated_at,
        _source as source_instance,
        _batch_id as batch_id,
        _ingested_at as ingested_at

    from source

)

select * from renamed
