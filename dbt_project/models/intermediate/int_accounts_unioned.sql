{%- set platforms = ['github', 'git', 'slack', 'discord', 'discourse'] -%}
{%- set columns = ['account_key', 'platform', 'account_id', 'username', 'display_name', 'full_name',
                   'email', 'company', 'profile_text', 'is_bot', 'bot_reason'] -%}
with unioned as (

    {% for platform in platforms -%}
    select {{ columns | join(', ') }} from {{ ref('int_' ~ platform ~ '_accounts_collected') }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

final as (

    select
        *,
        -- the platform's preference as a person's canonical account: GitHub first
        case platform when 'github' then 1 when 'slack' then 2 when 'discord' then 3 when 'discourse' then 4 else 5 end as platform_rank,
        nullif(regexp_replace(lower(trim(username)), '^@|#[0-9]{4}$', '', 'g'), '') as normalized_username,
        {{ normalize_person_name('full_name') }} as normalized_name,
        case when email like '%@%' then split_part(email, '@', 2) end as email_domain
    from unioned

)

select * from final
