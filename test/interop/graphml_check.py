"""Reads our GraphML export with networkx and igraph, as Gephi/Python users would, and checks what comes back.

Usage: graphml_check.py EXPORT.graphml [NODE_ID...]

- declared: nodes and edges the file itself holds (counted with lxml, no graph library involved);
- networkx / igraph: nodes and edges each library read, and per attribute the Python types of its values;
- problems: typed attributes that did not come back with their type (weight numeric on every edge, latitude
  and longitude floats within range, start/end and date parseable as ISO dates, start <= end, figure minima and
  maxima numeric) and attributes the two libraries read differently;
- nodes: the attributes of the nodes named on the command line, as networkx and igraph read them.

Prints one JSON document; the TypeScript test (test/integration/interop-prov-graphml.test.ts) asserts on it.
"""

import datetime
import json
import math
import sys
from collections import Counter, defaultdict

import igraph
import networkx as nx
from lxml import etree

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v)


def is_day(v):
    try:
        datetime.date.fromisoformat(v)
        return True
    except (TypeError, ValueError):
        return False


def is_iso_prefix(v):
    """YYYY, YYYY-MM or YYYY-MM-DD (a date at its precision)."""
    if not isinstance(v, str):
        return False
    parts = v.split("-")
    if len(parts) == 1:
        return len(v) == 4 and v.isdigit()
    if len(parts) == 2:
        return is_day(v + "-01")
    return is_day(v)


def types_of(items):
    """attribute -> {python type name: count} over the attribute dicts given."""
    out = defaultdict(Counter)
    for attrs in items:
        for k, v in attrs.items():
            out[k][type(v).__name__] += 1
    return {k: dict(c) for k, c in sorted(out.items())}


def check_node(problems, lib, nid, a):
    for k in ("latitude", "longitude"):
        if k in a and not is_number(a[k]):
            problems.append(f"{lib}: node {nid} {k} {a[k]!r} is not a number")
    if "latitude" in a and is_number(a["latitude"]) and not -90 <= a["latitude"] <= 90:
        problems.append(f"{lib}: node {nid} latitude {a['latitude']} out of range")
    if "longitude" in a and is_number(a["longitude"]) and not -180 <= a["longitude"] <= 180:
        problems.append(f"{lib}: node {nid} longitude {a['longitude']} out of range")
    for k in ("start", "end"):
        if k in a and not is_day(a[k]):
            problems.append(f"{lib}: node {nid} {k} {a[k]!r} is not an ISO date")
    for k in ("date", "endDate"):
        if k in a and not is_iso_prefix(a[k]):
            problems.append(f"{lib}: node {nid} {k} {a[k]!r} is not an ISO date prefix")
    if is_day(a.get("start")) and is_day(a.get("end")) and a["start"] > a["end"]:
        problems.append(f"{lib}: node {nid} starts {a['start']} after it ends {a['end']}")
    for k, v in a.items():
        if (k.endswith("_min") or k.endswith("_max")) and not is_number(v):
            problems.append(f"{lib}: node {nid} {k} {v!r} is not a number")


def check_edge(problems, lib, eid, a):
    if not is_number(a.get("weight")):
        problems.append(f"{lib}: edge {eid} weight {a.get('weight')!r} is not a number")


def present(attrs):
    """igraph gives every vertex every attribute: '' (strings) or NaN (numbers) where a node had none."""
    return {
        k: v
        for k, v in attrs.items()
        if v is not None and v != "" and not (isinstance(v, float) and math.isnan(v))
    }


def main(path, wanted):
    problems = []
    tree = etree.parse(path)
    declared = {
        "nodes": len(tree.findall(".//g:graph/g:node", NS)),
        "edges": len(tree.findall(".//g:graph/g:edge", NS)),
        "keys": {
            k.get("id"): {"for": k.get("for"), "name": k.get("attr.name"), "type": k.get("attr.type")}
            for k in tree.findall("g:key", NS)
        },
    }

    g = nx.read_graphml(path)
    nx_nodes = {str(n): a for n, a in g.nodes(data=True)}
    for n, a in nx_nodes.items():
        check_node(problems, "networkx", n, a)
    for u, v, a in g.edges(data=True):
        check_edge(problems, "networkx", f"{u}->{v}", a)

    ig = igraph.Graph.Read_GraphML(path)
    ig_nodes = {v["id"]: present(v.attributes()) for v in ig.vs}
    for n, a in ig_nodes.items():
        check_node(problems, "igraph", n, a)
    for e in ig.es:
        check_edge(problems, "igraph", e.index, present(e.attributes()))

    # The two libraries agree on every node attribute value (igraph adds its own "id").
    for n, a in nx_nodes.items():
        other = {k: v for k, v in ig_nodes.get(n, {}).items() if k != "id"}
        if a != other:
            diff = sorted(set(a.items()) ^ set(other.items()))[:4]
            problems.append(f"node {n}: networkx and igraph differ: {diff}")

    out = {
        "declared": declared,
        "networkx": {
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "directed": g.is_directed(),
            "nodeAttributes": types_of(nx_nodes.values()),
            "edgeAttributes": types_of(a for _, _, a in g.edges(data=True)),
        },
        "igraph": {
            "nodes": ig.vcount(),
            "edges": ig.ecount(),
            "directed": ig.is_directed(),
            "nodeAttributes": types_of(ig_nodes.values()),
            "edgeAttributes": types_of(present(e.attributes()) for e in ig.es),
        },
        "nodes": {n: {"networkx": nx_nodes.get(n), "igraph": ig_nodes.get(n)} for n in wanted},
        "problems": problems[:50],
        "problemCount": len(problems),
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
