{#- A text asks something: it contains '?' or opens with an interrogative word. Kept simple
    (DESIGN §5 "Question"); a classifier may refine it later. Portable SQL (like, lower, ltrim). -#}
{% macro is_question(text) -%}
    {%- set openers = ['how', 'what', 'why', 'where', 'when', 'who', 'which', 'can', 'could',
                       'does', 'do', 'is', 'are', 'should', 'anyone'] -%}
    coalesce(
        {{ text }} like '%?%'
        {%- for word in openers %}
        or lower(ltrim({{ text }})) like '{{ word }} %'
        {%- endfor %},
        false
    )
{%- endmacro %}
