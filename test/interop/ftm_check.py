"""Checks an FtM NDJSON export with the followthemoney library of this venv (3.8 or 4.x), as Aleph would
handle it, and prints one JSON document of counts and problems (the TypeScript test asserts on it).

Usage: ftm_check.py <file.ndjson>

- load: every line goes through the model twice, trusted (`model.get_proxy(data, cleaned=True)`, as
  `ftm aggregate` reads) and untrusted (`cleaned=False`, every value through its type's cleaner). An
  exception is a load error; a value the cleaner drops (or a property the schema does not have) is a
  "value lost", listed with its entity, property and value.
- signing: `Namespace("collection-x").apply(proxy)`, as Aleph does for a collection. An entity whose id
  signs to nothing, or whose signing fails, is an "id lost"; two entities whose ids sign to the same id are "ids merged" (so are
  two lines with the same id).
- references: every value of an entity-typed property must name an entity of the file (before signing)
  and still do so after signing.
- aggregate: the `ftm aggregate` command of this venv over the file must exit 0 and keep the entity count.
"""
import json
import os
import subprocess
import sys
from importlib.metadata import version

from followthemoney import model
from followthemoney.namespace import Namespace
from followthemoney.types import registry

FTM_VERSION = version("followthemoney")

LIMIT = 50  # problems listed per kind (the counts are complete)


def main(path):
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]

    out = {
        "ftm": FTM_VERSION,
        "entities": len(rows),
        "loadErrors": [],
        "valuesLost": 0,
        "lostValues": [],
        "invalidIds": [],
        "idsLost": 0,
        "signErrors": [],
        "idsMerged": 0,
        "merged": [],
        "danglingReferences": 0,
        "dangling": [],
        "aggregate": None,
        # The languages this version's language type accepts (our export writes only these).
        "languages": sorted(registry.language.LANGUAGES),
    }

    def note(kind, item):
        if len(out[kind]) < LIMIT:
            out[kind].append(item)

    ids = set()
    ns = Namespace("collection-x")
    signed_by = {}  # signed id -> original id
    signed_proxies = []
    for data in rows:
        eid = data.get("id")
        if not registry.entity.validate(eid or ""):
            note("invalidIds", eid)
        if eid in ids:
            out["idsMerged"] += 1
            note("merged", {"ids": [eid, eid], "signed": None, "why": "the same id on two lines"})
        ids.add(eid)
        try:
            model.get_proxy(data, cleaned=True)
            proxy = model.get_proxy(data, cleaned=False)
        except Exception as err:  # a line the model refuses outright
            note("loadErrors", {"id": eid, "error": f"{type(err).__name__}: {err}"})
            continue
        for name, values in (data.get("properties") or {}).items():
            prop = proxy.schema.get(name)
            kept = proxy.get(name, quiet=True)
            for value in values:
                if prop is None:
                    reason = "no such property"
                else:
                    clean = prop.type.clean(value, proxy=None, format=prop.format)
                    if clean is not None and clean in kept:
                        continue
                    reason = "the type cleaner drops it" if clean is None else "not kept (size limit?)"
                out["valuesLost"] += 1
                note("lostValues", {"id": eid, "schema": data.get("schema"), "property": name,
                                    "value": str(value)[:80], "reason": reason})
        try:
            signed = ns.apply(proxy)
        except Exception as err:  # e.g. "Self-relationship": the signed id equals a signed reference
            out["idsLost"] += 1
            note("signErrors", {"id": eid, "error": f"{type(err).__name__}: {err}"})
            continue
        if signed.id is None:
            out["idsLost"] += 1
        elif signed.id in signed_by:
            out["idsMerged"] += 1
            note("merged", {"ids": [signed_by[signed.id], eid], "signed": signed.id,
                            "why": "signing maps both ids to one"})
        else:
            signed_by[signed.id] = eid
        signed_proxies.append((eid, proxy, signed))
    out["lostIds"] = [eid for eid, _p, s in signed_proxies if s.id is None][:LIMIT]

    # References, before signing (against the file's ids) and after (against the signed ids).
    for eid, proxy, signed in signed_proxies:
        for prop in proxy.schema.properties.values():
            if prop.type != registry.entity:
                continue
            before = proxy.get(prop)
            after = signed.get(prop)
            for ref in before:
                if ref not in ids:
                    out["danglingReferences"] += 1
                    note("dangling", {"id": eid, "property": prop.name, "ref": ref, "when": "in the file"})
            if len(after) != len(before):
                out["danglingReferences"] += len(before) - len(after)
                note("dangling", {"id": eid, "property": prop.name, "ref": before, "when": "signing drops it"})
            for ref in after:
                if ref not in signed_by:
                    out["danglingReferences"] += 1
                    note("dangling", {"id": eid, "property": prop.name, "ref": ref, "when": "after signing"})

    out["aggregate"] = aggregate(path)
    print(json.dumps(out, ensure_ascii=False, indent=1))


def aggregate(path):
    """`ftm aggregate -i <file>` of this venv: exit code, entity count out, the error's last line."""
    ftm = os.path.join(os.path.dirname(sys.executable), "ftm")
    run = subprocess.run([ftm, "aggregate", "-i", path], capture_output=True, text=True)
    # NDJSON lines end at "\n" only: splitlines() would also split inside values holding U+2028 or U+0085.
    lines = [line for line in run.stdout.split("\n") if line.strip()]
    err = run.stderr.strip().splitlines()
    return {"exit": run.returncode, "entities": len(lines), "error": err[-1] if run.returncode and err else None}


if __name__ == "__main__":
    main(sys.argv[1])
