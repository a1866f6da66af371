"""Reads our PROV-JSON export with the W3C `prov` library and checks that it survives the field's formats.

Usage: prov_check.py EXPORT.json

1. Counts what the JSON sections declare (our own count, no library involved).
2. Deserializes the document with ProvDocument.deserialize(format="json") and counts records per kind.
3. Serializes that to PROV-XML, reads the XML back, and counts again; lists record ids lost on the way.
4. Serializes it to PROV-N (the library's get_provn), which must not fail.
5. For every entity typed hrkg:Claim in the read-back document: is there a wasAttributedTo naming it?

Prints one JSON document:
  {"json": {...}, "read": {...}, "xml": {...}, "lost": {...}, "provn": {...},
   "claims": N, "attributed": N, "unattributed": [ids], "attributedTo": {claim id: [agent ids]}}
where each count map has one key per record kind (entity, agent, activity, wasDerivedFrom, ...) plus the
derivation subtypes (wasDerivedFrom:Quotation, wasDerivedFrom:PrimarySource, wasDerivedFrom:plain).
"""

import io
import json
import sys
from collections import Counter

from prov.constants import (
    PROV_ATTR_AGENT,
    PROV_ATTR_ENTITY,
    PROV_ATTRIBUTION,
    PROV_DERIVATION,
    PROV_N_MAP,
)
from prov.model import ProvDocument

SECTIONS = [
    "entity",
    "agent",
    "activity",
    "wasGeneratedBy",
    "wasAssociatedWith",
    "wasDerivedFrom",
    "wasAttributedTo",
    "wasInfluencedBy",
]


def local(qname):
    """`prov:Quotation` -> `Quotation` (a QualifiedName's local part, or the text after the colon)."""
    return getattr(qname, "localpart", str(qname).split(":")[-1])


def derivation_kind(rec):
    """Quotation, PrimarySource, Revision or plain: the PROV subtype a derivation is asserted to be."""
    types = {local(t) for t in rec.get_asserted_types()}
    for kind in ("Quotation", "PrimarySource", "Revision"):
        if kind in types:
            return kind
    return "plain"


def count(doc):
    """Records per kind (the PROV-N keyword), derivations also per subtype; and the ids of each kind."""
    counts = Counter()
    ids = {}
    for rec in doc.get_records():
        kind = PROV_N_MAP[rec.get_type()]
        counts[kind] += 1
        if rec.get_type() == PROV_DERIVATION:
            counts[f"wasDerivedFrom:{derivation_kind(rec)}"] += 1
        if rec.identifier is not None:
            ids.setdefault(kind, set()).add(str(rec.identifier))
    return dict(counts), ids


def json_counts(raw):
    """What our document declares, section by section (derivations per prov:type too)."""
    counts = {s: len(raw.get(s, {})) for s in SECTIONS if raw.get(s)}
    for rec in raw.get("wasDerivedFrom", {}).values():
        t = rec.get("prov:type")
        kind = local(t["$"] if isinstance(t, dict) else t) if t else "plain"
        key = f"wasDerivedFrom:{kind}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def attributions(doc):
    """Claims (entities typed hrkg:Claim) and the agents each is attributed to."""
    claims = [
        str(r.identifier)
        for r in doc.get_records()
        if r.is_element() and any(local(t) == "Claim" for t in r.get_asserted_types())
    ]
    to = {c: [] for c in claims}
    for r in doc.get_records():
        if r.get_type() != PROV_ATTRIBUTION:
            continue
        attrs = dict(r.formal_attributes)
        entity = str(attrs[PROV_ATTR_ENTITY])
        if entity in to:
            to[entity].append(str(attrs[PROV_ATTR_AGENT]))
    return claims, to


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    raw = json.loads(text)
    doc = ProvDocument.deserialize(content=text, format="json")
    read, read_ids = count(doc)

    xml = doc.serialize(format="xml")
    back = ProvDocument.deserialize(source=io.StringIO(xml), format="xml")
    after, after_ids = count(back)
    lost = {
        kind: sorted(ids - after_ids.get(kind, set()))[:20]
        for kind, ids in read_ids.items()
        if ids - after_ids.get(kind, set())
    }

    provn = {"ok": True, "bytes": 0, "error": None}
    try:
        provn["bytes"] = len(doc.get_provn().encode("utf-8"))
    except Exception as err:  # the report says what failed; the test asserts ok
        provn = {"ok": False, "bytes": 0, "error": repr(err)}

    claims, to = attributions(back)
    unattributed = [c for c in claims if not to[c]]
    out = {
        "json": json_counts(raw),
        "read": read,
        "xml": after,
        "lost": lost,
        "provn": provn,
        "claims": len(claims),
        "attributed": len(claims) - len(unattributed),
        "unattributed": unattributed[:50],
        "attributedTo": {c: sorted(a) for c, a in to.items()},
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
