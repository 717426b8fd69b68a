{{ config(materialized='view') }}
-- the organization of each person, when int_identities_resolved provides one (column checked
-- at run time: it is added upstream by the identity rules of DESIGN §5, email domain or profile
-- company with personal mail domains excluded); empty until then, so elephant_factor is null
{%- set has_organization = false -%}
{%- if execute -%}
    {%- set identity_columns = adapter.get_columns_in_relation(ref('int_identities_resolved')) | map(attribute='name') | map('lower') | list -%}
    {%- set has_organization = 'organization' in identity_columns -%}
{%- endif %}
with identities as (

    select * from {{ ref('int_identities_resolved') }}

),

final as (

    {% if has_organization -%}
    -- a person whose accounts name several organizations gets the alphabetically first one
    select person_id, min(organization) as organization
    from identities
    where not is_bot and nullif(trim(organization), '') is not null
    group by person_id
    {%- else -%}
    select person_id, cast(null as {{ dbt.type_string() }}) as organization
    from identities
    where 1 = 0
    {%- endif %}

)

select * from final
