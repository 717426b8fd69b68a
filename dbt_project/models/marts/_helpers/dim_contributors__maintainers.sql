-- who maintains: declared (seed + codeconvene.yaml `maintainers:`) or inferred (closed or
-- merged somebody else's issue or PR), unless codeconvene.yaml `not_maintainers:` says not
with unioned as (

    select * from {{ ref('int_activities_unioned') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

declared_logins as (

    select distinct lower(trim(login)) as login from {{ ref('maintainers') }}
    {%- for login in var('maintainers', []) %}
    union select lower('{{ login | replace("'", "''") }}')
    {%- endfor %}

),

excluded_logins as (

    select '' as login
    {%- for login in var('not_maintainers', []) %}
    union select lower('{{ login | replace("'", "''") }}')
    {%- endfor %}

),

closers as (

    select distinct actors.person_id
    from unioned
    inner join identities as actors
        on actors.platform = unioned.platform and actors.account_id = unioned.account_id
    left join identities as authors
        on authors.platform = 'github' and authors.account_id = unioned.target_account_id
    where unioned.activity_type in ('issue_closed', 'pr_closed', 'pr_merged')
        and unioned.target_account_id is not null
        and coalesce(authors.person_id, '') <> actors.person_id

),

final as (

    select
        identities.person_id,
        {{ dbt.bool_or('declared_logins.login is not null') }} as is_declared,
        max(case when closers.person_id is not null then 1 else 0 end) = 1 as is_inferred,
        {{ dbt.bool_or('excluded_logins.login is not null') }} as is_excluded
    from identities
    left join declared_logins
        on identities.platform = 'github' and declared_logins.login = identities.account_id
    left join excluded_logins
        on identities.platform = 'github' and excluded_logins.login = identities.account_id
    left join closers on closers.person_id = identities.person_id
    group by identities.person_id

)

select person_id, is_declared, is_inferred, is_excluded,
    (is_declared or is_inferred) and not is_excluded as is_maintainer
from final
