{#- Identity matching helpers (int_identity_links_matched). Kept in one place so the rules are
    read, tested and changed together. -#}

{#- A person's name for comparison: accents stripped, lower case, whitespace collapsed and
    trimmed; null when nothing is left. -#}
{% macro normalize_person_name(name) -%}
    {{ return(adapter.dispatch('normalize_person_name', 'codeconvene')(name)) }}
{%- endmacro %}

{% macro default__normalize_person_name(name) -%}
    nullif(trim(regexp_replace(lower(strip_accents({{ name }})), '\s+', ' ', 'g')), '')
{%- endmacro %}

{#- Names that say nothing about who someone is; never matched on. -#}
{% macro junk_person_names() -%}
    {{ return(['root', 'unknown', 'admin', 'administrator', 'user', 'test', 'tester', 'testing',
               'guest', 'anonymous', 'nobody', 'none', 'null', 'undefined', 'system', 'bot',
               'dev', 'developer', 'me', 'git', 'github', 'ubuntu', 'localhost', 'default',
               'your name', 'first last', 'firstname lastname', 'name surname', 'john doe',
               'jane doe', 'github action', 'github actions']) }}
{%- endmacro %}

{#- A normalized name other accounts may agree on (username + display name rule): not junk,
    and a single word needs at least 3 letters. -#}
{% macro is_usable_person_name(normalized) -%}
    coalesce(
        {{ normalized }} not in ('{{ junk_person_names() | join("', '") }}')
        and ({{ normalized }} like '% %' or length({{ normalized }}) >= 3),
        false
    )
{%- endmacro %}

{#- A normalized name strong enough to merge accounts on its own: usable and at least two
    words (a single word, however long, never matches by name alone). -#}
{% macro is_matchable_person_name(normalized) -%}
    ({{ is_usable_person_name(normalized) }} and {{ normalized }} like '% %')
{%- endmacro %}

{#- An email address two accounts may be merged on: has a local part and a dotted domain,
    and is not a shared placeholder (noreply@, root@, user@localhost, ...). -#}
{% macro is_matchable_email(email) -%}
    coalesce(
        regexp_matches({{ email }}, '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$')
        and split_part({{ email }}, '@', 1) not in ('noreply', 'no-reply', 'no_reply', 'donotreply',
            'root', 'nobody', 'none', 'unknown', 'user', 'test', 'admin', 'git', 'github', 'email', 'mail')
        and split_part({{ email }}, '@', 2) not in ('localhost', 'localhost.localdomain', 'example.invalid', 'none', 'github.com'),
        false
    )
{%- endmacro %}

{#- The GitHub login a noreply address names: `<digits>+<login>@users.noreply.github.com` or
    `<login>@users.noreply.github.com` (lower case); null for any other address. -#}
{% macro noreply_login(email) -%}
    nullif(regexp_extract({{ email }}, '^(?:[0-9]+\+)?([^@+]+)@users\.noreply\.github\.com$', 1), '')
{%- endmacro %}
