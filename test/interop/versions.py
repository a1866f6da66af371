"""Prints the versions of the field's libraries this venv holds, as JSON (the harness's own check)."""
import json
from importlib.metadata import PackageNotFoundError, version

out = {}
for name in ["followthemoney", "prov", "networkx", "igraph", "pandas"]:
    try:
        out[name] = version(name)
    except PackageNotFoundError:
        pass
print(json.dumps(out))
