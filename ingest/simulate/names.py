"""Name parts, domains, timezones and job titles the demo people are assembled from.

Common given and family names from many regions, combined at random, so no generated person
is a real one; company domains are the usual fictional placeholders.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Ada", "Aiko", "Alejandro", "Amara", "Anika", "Arjun", "Beatriz", "Bilal", "Camille", "Chen",
    "Chiara", "Dario", "Dana", "Deepa", "Diego", "Elif", "Emeka", "Emil", "Farah", "Felix",
    "Freya", "Gabriel", "Hana", "Hugo", "Ingrid", "Isaac", "Jamal", "Jana", "Jonas", "Kai",
    "Kamala", "Kenji", "Lara", "Leon", "Lina", "Lucas", "Maya", "Mateo", "Mei", "Milan",
    "Nadia", "Naveen", "Nia", "Noah", "Olga", "Omar", "Priya", "Rafael", "Rosa", "Ravi",
    "Sara", "Sven", "Tariq", "Tomas", "Uma", "Valentina", "Wei", "Yara", "Yusuf", "Zoe",
    "Ines", "Kofi", "Lars", "Meera",
)

LAST_NAMES = (
    "Abe", "Adeyemi", "Alvarez", "Andersen", "Banerjee", "Becker", "Bianchi", "Costa", "Dang",
    "Dubois", "Eriksen", "Fernandes", "Fischer", "Garcia", "Gupta", "Haddad", "Hansen", "Ito",
    "Jovanovic", "Kaur", "Kim", "Kowalski", "Larsen", "Lee", "Lopez", "Mahmoud", "Martin",
    "Mensah", "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor", "Oliveira", "Ortiz",
    "Park", "Patel", "Petrov", "Quinn", "Rahman", "Rossi", "Santos", "Sato", "Schmidt", "Silva",
    "Singh", "Sokolova", "Suzuki", "Tanaka", "Torres", "Tran", "Usman", "Varga", "Wagner",
    "Wang", "Weber", "Yilmaz", "Zhang", "Zielinski", "Osei", "Lindqvist", "Reyes", "Farouk",
)

PERSONAL_DOMAINS = ("gmail.com", "proton.me", "fastmail.com", "outlook.com", "yahoo.com")
COMPANY_DOMAINS = (
    "northwind.dev", "globex.io", "initech.com", "umbrella-analytics.com", "hooli.dev",
    "vandelay.io", "acme-data.io",
)
PROJECT_DOMAIN = "convene-labs.io"

# (tz database name, label, UTC offset in seconds): zones without daylight saving, so a
# person's "local hour" in the ground truth is unambiguous all year.
TIMEZONES = (
    ("Asia/Kolkata", "India Standard Time", 19800),
    ("America/Sao_Paulo", "Brasilia Standard Time", -10800),
    ("Asia/Tokyo", "Japan Standard Time", 32400),
    ("Africa/Lagos", "West Africa Standard Time", 3600),
    ("Asia/Singapore", "Singapore Standard Time", 28800),
    ("America/Bogota", "Colombia Standard Time", -18000),
    ("Africa/Nairobi", "East Africa Time", 10800),
    ("Asia/Jakarta", "Western Indonesia Time", 25200),
    ("America/Phoenix", "Mountain Standard Time", -25200),
    ("Australia/Brisbane", "Australian Eastern Standard Time", 36000),
    ("Asia/Dubai", "Gulf Standard Time", 14400),
    ("Africa/Johannesburg", "South Africa Standard Time", 7200),
)

JOBS = (
    "Data engineer", "Developer advocate", "Backend developer", "Analytics engineer",
    "Community manager", "Platform engineer", "Student", "SRE", "Product manager",
    "Open source program office", "Frontend developer", "ML engineer",
)

MAINTAINER_TITLE = "Maintainer, CodeConvene"
